import { hashString, hash4 } from '@dnr/core';
import type { CommsSource } from '../types.js';

/** One candidate item for the LLM, after the prefilter. */
export interface BudgetItem {
  id: string;
  source: CommsSource;
  /** Local day YYYY-MM-DD. */
  day: string;
  /** Bucket / category (channel_cat, list_cat, NLQ app). */
  category: string;
  /** Prompt tokens of the item's request. */
  inputTokens: number;
}

export interface SampleToFitOptions {
  capUsd: number;
  /** Sample when the estimate exceeds cap × (1 − safetyMargin). */
  safetyMargin: number;
  /** Per-source coverage floor after prefilter and budgeting, percent. */
  coverageFloorPct: number;
  inputPerMtok: number;
  outputPerMtok: number;
  maxOutputTokens: number;
  seed: number;
  /** Least items per day×category bucket that has any (default 1). */
  minPerBucket?: number;
}

export interface BucketCoverage {
  source: CommsSource;
  bucket: string;
  items: number;
  sampled: number;
  coveragePct: number;
  weight: number;
}

export interface SourceBudget {
  items: number;
  sampled: number;
  coveragePct: number;
  belowFloor: boolean;
  p90InputTokens: number;
  estimateUsd: number;
}

export interface SampleToFitResult {
  capUsd: number;
  /** Preflight estimate of classifying every item: p90 tokens per item × count × price. */
  estimateUsd: number;
  /** Estimate of the selected items. */
  sampledEstimateUsd: number;
  sampled: boolean;
  /** ids chosen for the LLM. */
  selected: Set<string>;
  /** Post-stratification weight per selected id: bucket items ÷ bucket sampled. */
  weights: Map<string, number>;
  perSource: Record<CommsSource, SourceBudget>;
  perBucket: BucketCoverage[];
}

/** Nearest-rank p90. */
export function p90(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)];
}

const SOURCES: CommsSource[] = ['slack', 'email', 'nlq'];

/**
 * Sample-to-fit (docs/report-schemas.md): when the preflight estimate exceeds cap × (1 − margin), draw a seeded
 * stratified sample — quotas per source in proportion to its estimated cost share, then per
 * day×category bucket in proportion to size with a minimum per bucket — so the expected spend fits.
 */
export function sampleToFit(items: readonly BudgetItem[], options: SampleToFitOptions): SampleToFitResult {
  const perItemUsd = (tokens: number) => (tokens * options.inputPerMtok + options.maxOutputTokens * options.outputPerMtok) / 1e6;
  const bySource = new Map<CommsSource, BudgetItem[]>(SOURCES.map((s) => [s, []]));
  for (const it of items) bySource.get(it.source)!.push(it);
  const p90s = new Map<CommsSource, number>();
  let estimateUsd = 0;
  for (const s of SOURCES) {
    const list = bySource.get(s)!;
    const p = p90(list.map((i) => i.inputTokens));
    p90s.set(s, p);
    estimateUsd += list.length * perItemUsd(p);
  }
  const target = options.capUsd * (1 - options.safetyMargin);
  const sampled = estimateUsd > target;
  const fraction = sampled ? (estimateUsd > 0 ? target / estimateUsd : 0) : 1;
  const minPerBucket = options.minPerBucket ?? 1;

  const selected = new Set<string>();
  const weights = new Map<string, number>();
  const perBucket: BucketCoverage[] = [];
  const perSource = {} as Record<CommsSource, SourceBudget>;
  let sampledEstimateUsd = 0;
  for (const s of SOURCES) {
    const list = bySource.get(s)!;
    const unit = perItemUsd(p90s.get(s)!);
    // The source quota: its share of what fits, never more than it has.
    const quota = Math.min(list.length, Math.floor(list.length * fraction));
    const buckets = new Map<string, BudgetItem[]>();
    for (const it of list) {
      const key = `${it.day}|${it.category}`;
      const b = buckets.get(key);
      if (b) b.push(it);
      else buckets.set(key, [it]);
    }
    // Seeded bucket order: when the quota cannot give every bucket its minimum, which ones get it is a fair draw.
    const keys = [...buckets.keys()].sort((a, b) => hash4(options.seed, hashString(a), 3, 0) - hash4(options.seed, hashString(b), 3, 0) || (a < b ? -1 : 1));
    const alloc = allocate(
      keys.map((k) => buckets.get(k)!.length),
      quota,
      sampled ? minPerBucket : 0,
    );
    let taken = 0;
    keys.forEach((k, i) => {
      const b = buckets.get(k)!;
      const n = sampled ? alloc[i] : b.length;
      // Seeded order inside the bucket: a hash of (seed, id) so the draw never depends on input order.
      const order = [...b].sort((x, y) => hash4(options.seed, hashString(x.id), 7, 0) - hash4(options.seed, hashString(y.id), 7, 0) || (x.id < y.id ? -1 : 1));
      const chosen = order.slice(0, n);
      const w = n > 0 ? b.length / n : 0;
      for (const it of chosen) {
        selected.add(it.id);
        weights.set(it.id, w);
      }
      taken += n;
      perBucket.push({ source: s, bucket: k, items: b.length, sampled: n, coveragePct: pct(n, b.length), weight: round(w) });
    });
    sampledEstimateUsd += taken * unit;
    const coveragePct = pct(taken, list.length);
    perSource[s] = {
      items: list.length,
      sampled: taken,
      coveragePct,
      belowFloor: list.length > 0 && coveragePct < options.coverageFloorPct,
      p90InputTokens: p90s.get(s)!,
      estimateUsd: round(list.length * unit, 6),
    };
  }
  perBucket.sort((a, b) => (a.source === b.source ? (a.bucket < b.bucket ? -1 : 1) : SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source)));
  return { capUsd: options.capUsd, estimateUsd: round(estimateUsd, 6), sampledEstimateUsd: round(sampledEstimateUsd, 6), sampled, selected, weights, perSource, perBucket };
}

/**
 * Split `quota` over buckets of the given sizes: the minimum first (while the quota lasts, in bucket
 * order), then the rest by largest remainder in proportion to size, never above a bucket's size.
 */
export function allocate(sizes: readonly number[], quota: number, minPer: number): number[] {
  const out = sizes.map(() => 0);
  let left = quota;
  if (minPer > 0) {
    for (let i = 0; i < sizes.length && left > 0; i++) {
      const m = Math.min(minPer, sizes[i], left);
      out[i] = m;
      left -= m;
    }
  }
  if (left <= 0) return out;
  const room = sizes.map((s, i) => s - out[i]);
  const total = room.reduce((a, b) => a + b, 0);
  if (total === 0) return out;
  const exact = room.map((r) => (r / total) * left);
  const floors = exact.map((e, i) => Math.min(room[i], Math.floor(e)));
  for (let i = 0; i < out.length; i++) out[i] += floors[i];
  left -= floors.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    if (out[i] < sizes[i]) {
      out[i]++;
      left--;
    }
  }
  return out;
}

const pct = (n: number, d: number) => (d === 0 ? 100 : round((100 * n) / d, 2));
const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

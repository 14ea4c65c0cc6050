import { BUCKETS, type Role } from '@dnr/core';
import { clamp01, localDay } from '../text.js';
import { isDataToolDomain } from '../classify/rules/lexicon.js';
import { messageEvidence } from '../classify/rules/evidence.js';
import type { CommsThread } from '../types.js';

/** A data event the report detected in the warehouse (data_health.json events): the local days it covers. */
export interface BoostEvent {
  days: readonly string[];
}

export interface PrefilterOptions {
  /** Keep threads scoring at least this (classification.prefilter_threshold). */
  threshold: number;
  /** Below the threshold, still keep the best N threads per local day per channel. */
  topPerDayChannel?: number;
  /** Buckets whose threads are considered at all. */
  bucketAllowlist?: readonly string[];
  /** Data events detected in the warehouse, for the ±24 h correlation boost. */
  events?: readonly BoostEvent[];
  eventWindowHours?: number;
  timeZone: string;
}

export interface PrefilterResult {
  id: string;
  source: 'slack' | 'email';
  channel: string;
  bucket: string;
  day: string;
  prefilterScore: number;
  /** Why the score is what it is, e.g. ["keywords:+0.42", "code:+0.10", "event:+0.15"]. */
  reasons: string[];
  passedThreshold: boolean;
  kept: boolean;
  /** 'threshold' | 'top_per_day_channel' | 'below_threshold' | 'bucket_not_allowed'. */
  keptBy: string;
}

/** Roles whose words about data carry more weight (they own, build or pay for it). */
const ROLE_WEIGHT: Record<Role, number> = {
  exec: 0.12,
  data_eng: 0.08,
  analytics_eng: 0.08,
  bi: 0.08,
  product_analytics: 0.06,
  finance: 0.06,
  eng_platform: 0.04,
  pm: 0.03,
  other: 0,
};

/** Event windows as [start, end] epoch-ms intervals around each event day. */
function eventIntervals(events: readonly BoostEvent[], hours: number, timeZone: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const pad = hours * 3_600_000;
  for (const e of events) {
    for (const d of e.days) {
      // A local day spans at most [d 00:00 at UTC−14, d 24:00 at UTC+14]; bound it by the zone's offset at noon.
      const noonUtc = Date.parse(`${d}T12:00:00Z`);
      const offsetMs = zoneOffsetMs(noonUtc, timeZone);
      const start = Date.parse(`${d}T00:00:00Z`) - offsetMs;
      out.push([start - pad, start + 86_400_000 + pad]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - utcMs;
}

/** Score one thread (0..1) with its reasons. */
export function scoreThread(thread: CommsThread, intervals: ReadonlyArray<[number, number]> = []): { score: number; reasons: string[] } {
  let keyword = 0;
  let trap = 0;
  let structure = 0;
  let role = 0;
  thread.messages.forEach((m) => {
    // Thread rule: the root carries the ask; replies add with diminishing weight.
    const w = m.isRoot ? 1 : 0.5;
    const e = messageEvidence(m);
    let themeSum = 0;
    for (const v of Object.values(e.themes)) themeSum += v;
    keyword += w * (themeSum * 0.3 + e.dataSense * 0.08);
    trap += w * e.trap * 0.2;
    if (m.hasCode) structure = Math.max(structure, 0.12);
    if (m.linkDomains.some((d) => isDataToolDomain(d))) structure = Math.max(structure, 0.08 + (structure > 0 ? 0.04 : 0));
    role = Math.max(role, ROLE_WEIGHT[m.role]);
  });
  keyword = Math.min(keyword, 0.75);
  trap = Math.min(trap, 0.5);
  const t = thread.ts.getTime();
  const inEvent = intervals.some(([a, b]) => t >= a && t <= b);
  const event = inEvent ? 0.12 : 0;
  const score = clamp01(keyword - trap + structure + (keyword > 0 ? role : role / 2) + event);
  const reasons: string[] = [];
  const r = (name: string, v: number) => {
    if (v !== 0) reasons.push(`${name}:${v > 0 ? '+' : ''}${v.toFixed(2)}`);
  };
  r('keywords', keyword);
  r('near_miss', -trap);
  r('structure', structure);
  r('role', keyword > 0 ? role : role / 2);
  r('event', event);
  return { score: Math.round(score * 10_000) / 10_000, reasons };
}

/** Score one thread against the bucket allowlist and the threshold (the per-thread half of the prefilter). */
export function prefilterScorer(options: PrefilterOptions): (thread: CommsThread) => PrefilterResult {
  const allow = new Set(options.bucketAllowlist ?? BUCKETS);
  const intervals = eventIntervals(options.events ?? [], options.eventWindowHours ?? 24, options.timeZone);
  return (th) => {
    const day = localDay(th.ts, options.timeZone);
    const base = { id: th.id, source: th.source, channel: th.channel, bucket: th.bucket, day };
    if (!allow.has(th.bucket)) {
      return { ...base, prefilterScore: 0, reasons: [`bucket_not_allowed:${th.bucket}`], passedThreshold: false, kept: false, keptBy: 'bucket_not_allowed' };
    }
    const { score, reasons } = scoreThread(th, intervals);
    const passed = score >= options.threshold;
    return { ...base, prefilterScore: score, reasons, passedThreshold: passed, kept: passed, keptBy: passed ? 'threshold' : 'below_threshold' };
  };
}

/**
 * Prefilter: bucket allowlist, keyword/structure/role/thread/event score; keep threads scoring ≥ threshold,
 * else the top N per local day per channel.
 */
export function prefilterThreads(threads: readonly CommsThread[], options: PrefilterOptions): PrefilterResult[] {
  return keepTopPerDayChannel(threads.map(prefilterScorer(options)), options);
}

/** Below the threshold, keep the best `topPerDayChannel` (30) scored threads per local day per channel; marks `results` in place. */
export function keepTopPerDayChannel(results: PrefilterResult[], options: Pick<PrefilterOptions, 'topPerDayChannel'>): PrefilterResult[] {
  const topN = options.topPerDayChannel ?? 30;
  const groups = new Map<string, PrefilterResult[]>();
  for (const r of results) {
    if (r.passedThreshold || r.keptBy === 'bucket_not_allowed') continue;
    const key = `${r.source}|${r.day}|${r.channel}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  for (const r of results) {
    if (!r.passedThreshold) continue;
    const key = `${r.source}|${r.day}|${r.channel}`;
    if (!groups.has(key)) groups.set(key, []);
  }
  const keptPerGroup = new Map<string, number>();
  for (const r of results) if (r.passedThreshold) keptPerGroup.set(`${r.source}|${r.day}|${r.channel}`, (keptPerGroup.get(`${r.source}|${r.day}|${r.channel}`) ?? 0) + 1);
  for (const [key, list] of groups) {
    const room = Math.max(0, topN - (keptPerGroup.get(key) ?? 0));
    list.sort((a, b) => b.prefilterScore - a.prefilterScore || (a.id < b.id ? -1 : 1));
    for (const r of list.slice(0, room)) {
      if (r.prefilterScore <= 0) continue;
      r.kept = true;
      r.keptBy = 'top_per_day_channel';
    }
  }
  return results;
}

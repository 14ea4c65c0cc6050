import { THEMES, type Theme } from '@dnr/core';
import type { CommsSource, EntityMention, Prediction, ThemeDemand } from '../types.js';

const SOURCES: CommsSource[] = ['slack', 'email', 'nlq'];

/** What demand needs to know about one classified item besides its prediction. */
export interface DemandItemMeta {
  /** Local day of the item (YYYY-MM-DD). */
  day: string;
  /** Post-stratification weight (items in its sampling bucket ÷ sampled); 1 when not sampled. */
  weight: number;
  /** Slack/email only: the met/unmet heuristic said met. */
  met?: boolean;
}

export interface ComputeDemandOptions {
  predictions: Record<CommsSource, readonly Prediction[]>;
  meta: ReadonlyMap<string, DemandItemMeta>;
  entities?: readonly EntityMention[];
  baseWeights: Record<CommsSource, number>;
  caps: { min: number; max: number };
}

export interface DemandResult {
  themes: ThemeDemand[];
  /** Final source weights (0 for a source with no themed items). */
  sourceWeights: Record<CommsSource, number>;
}

/** An item counts toward demand when it was validly classified into a theme (parse errors never count). */
export function countsTowardDemand(p: Prediction): boolean {
  return p.status === 'ok' && p.theme !== null && (p.source === 'nlq' || p.relevance === 'positive');
}

/**
 * Source weights (docs/scoring.md): base weights reweighted by kept volume, each capped to [min, max] and
 * renormalised. Capping is repeated until every free weight sits inside the caps (water-filling),
 * since one renormalisation can push another weight past a cap.
 */
export function sourceWeights(volume: Record<CommsSource, number>, base: Record<CommsSource, number>, caps: { min: number; max: number }): Record<CommsSource, number> {
  const out: Record<CommsSource, number> = { slack: 0, email: 0, nlq: 0 };
  const active = SOURCES.filter((s) => volume[s] > 0 && base[s] > 0);
  if (active.length === 0) return out;
  if (active.length === 1) {
    out[active[0]] = 1;
    return out;
  }
  const totalVolume = active.reduce((a, s) => a + volume[s], 0);
  const raw = Object.fromEntries(active.map((s) => [s, base[s] * (volume[s] / totalVolume)])) as Record<CommsSource, number>;
  // Caps that cannot all hold (e.g. 2 sources with max 0.4) are relaxed to what is feasible.
  const min = Math.min(caps.min, 1 / active.length);
  const max = Math.max(caps.max, 1 / active.length);
  const fixed = new Map<CommsSource, number>();
  for (let iter = 0; iter < 10; iter++) {
    const free = active.filter((s) => !fixed.has(s));
    const fixedSum = [...fixed.values()].reduce((a, b) => a + b, 0);
    const freeRaw = free.reduce((a, s) => a + raw[s], 0);
    for (const s of free) {
      const w = freeRaw > 0 ? (raw[s] / freeRaw) * (1 - fixedSum) : (1 - fixedSum) / free.length;
      out[s] = w;
    }
    // Fix the over-cap sources first; only when none is over, the under-floor ones (fixing both in one
    // pass would over-constrain and break the sum).
    const over = free.filter((s) => out[s] > max + 1e-12);
    const under = over.length === 0 ? free.filter((s) => out[s] < min - 1e-12) : [];
    for (const s of over) fixed.set(s, max);
    for (const s of under) fixed.set(s, min);
    for (const [s, v] of fixed) out[s] = v;
    const changed = over.length + under.length > 0;
    if (!changed) break;
  }
  const sum = active.reduce((a, s) => a + out[s], 0);
  for (const s of active) out[s] = out[s] / sum;
  return out;
}

/**
 * Demand per theme (docs/scoring.md): within each source, the theme's share of the post-stratified
 * (sampling-weighted) themed items; across sources, those shares weighted by the source weights.
 */
export function computeDemand(options: ComputeDemandOptions): DemandResult {
  const weightOf = (p: Prediction) => options.meta.get(p.id)?.weight ?? 1;
  const volume: Record<CommsSource, number> = { slack: 0, email: 0, nlq: 0 };
  const themeWeight: Record<CommsSource, Record<Theme, number>> = { slack: zero(), email: zero(), nlq: zero() };
  const themeItems: Record<CommsSource, Record<Theme, number>> = { slack: zero(), email: zero(), nlq: zero() };
  const confSum = zero();
  const confN = zero();
  const dayWeight = new Map<Theme, Map<string, number>>();
  const unmet = zero();
  const metKnown = zero();
  const themeOfItem = new Map<string, Theme>();
  for (const s of SOURCES) {
    for (const p of options.predictions[s]) {
      if (!countsTowardDemand(p)) continue;
      const t = p.theme!;
      const w = weightOf(p);
      const meta = options.meta.get(p.id);
      themeOfItem.set(p.id, t);
      volume[s] += w;
      themeWeight[s][t] += w;
      themeItems[s][t] += 1;
      confSum[t] += p.confidence;
      confN[t] += 1;
      if (meta) {
        const days = dayWeight.get(t) ?? new Map<string, number>();
        days.set(meta.day, (days.get(meta.day) ?? 0) + w);
        dayWeight.set(t, days);
        if (s !== 'nlq' && meta.met !== undefined) {
          metKnown[t] += 1;
          if (!meta.met) unmet[t] += 1;
        }
      }
    }
  }
  const weights = sourceWeights(volume, options.baseWeights, options.caps);
  const shares: Record<CommsSource, Record<Theme, number>> = { slack: zero(), email: zero(), nlq: zero() };
  for (const s of SOURCES) for (const t of THEMES) shares[s][t] = volume[s] > 0 ? themeWeight[s][t] / volume[s] : 0;
  const activeSources = SOURCES.filter((s) => volume[s] > 0);
  const entityByTheme = new Map<Theme, EntityMention[]>();
  for (const e of options.entities ?? []) {
    const t = e.theme ?? themeOfItem.get(e.id);
    if (!t || !themeOfItem.has(e.id)) continue;
    const list = entityByTheme.get(t) ?? [];
    list.push(e);
    entityByTheme.set(t, list);
  }
  const themes: ThemeDemand[] = THEMES.map((t) => {
    const demand = activeSources.reduce((a, s) => a + weights[s] * shares[s][t], 0);
    const bySource = Object.fromEntries(SOURCES.map((s) => [s, { items: themeItems[s][t], weightedShare: round(shares[s][t]) }])) as ThemeDemand['bySource'];
    const days = dayWeight.get(t);
    let peakDay: string | null = null;
    if (days) {
      let best = -1;
      for (const [d, w] of [...days.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        if (w > best) {
          best = w;
          peakDay = d;
        }
      }
    }
    const ents = entityByTheme.get(t) ?? [];
    return {
      theme: t,
      demand: round(demand),
      bySource,
      peakDay,
      classConfidence: confN[t] > 0 ? round(confSum[t] / confN[t]) : 0,
      entityConfidence: ents.length > 0 ? round(ents.reduce((a, e) => a + e.confidence, 0) / ents.length) : 0,
      agreement: agreementOf(activeSources.map((s) => shares[s][t])),
      unmetShare: metKnown[t] > 0 ? round(unmet[t] / metKnown[t]) : 0,
      tables: tableMentions(ents),
    };
  });
  return { themes, sourceWeights: { slack: round(weights.slack), email: round(weights.email), nlq: round(weights.nlq) } };
}

/**
 * How consistently the sources see a theme: the smallest share over the largest across the sources
 * that have themed items (1 = every source gives it the same share; 0 = some source never mentions
 * it). With one source there is nothing to agree with: 0.5.
 */
export function agreementOf(shares: readonly number[]): number {
  if (shares.length === 0) return 0;
  if (shares.length === 1) return shares[0] > 0 ? 0.5 : 0;
  const max = Math.max(...shares);
  return max > 0 ? round(Math.min(...shares) / max) : 0;
}

/** Per table: items that mention it, and the mean of each item's best confidence for it. */
function tableMentions(ents: readonly EntityMention[]): ThemeDemand['tables'] {
  const best = new Map<string, Map<string, number>>();
  for (const e of ents) {
    const byItem = best.get(e.table) ?? new Map<string, number>();
    byItem.set(e.id, Math.max(byItem.get(e.id) ?? 0, e.confidence));
    best.set(e.table, byItem);
  }
  return [...best.entries()]
    .map(([table, byItem]) => ({ table, mentions: byItem.size, confidence: round([...byItem.values()].reduce((a, b) => a + b, 0) / byItem.size) }))
    .sort((a, b) => b.mentions - a.mentions || (a.table < b.table ? -1 : 1));
}

const zero = (): Record<Theme, number> => Object.fromEntries(THEMES.map((t) => [t, 0])) as Record<Theme, number>;
const round = (x: number) => Math.round(x * 1e6) / 1e6;

import type { DataHealth } from '../schemas/data-health.js';
import type { Evidence } from '../schemas/exec-summary.js';
import { round } from '../metrics/health.js';
import type { Family } from './revenue-at-risk.js';

/**
 * How a defect family measures on one table in the window.
 * - `ratio`: the worst measured value ÷ its limit (SLO, or the spike-detection threshold); > 1 is a
 *   breach, 0 when nothing breaches.
 * - `evidence`: the metric statements behind it (raw values; writers name and format them).
 * - `peakDay`: the latest window day on which the family's metric breached its limit (a problem
 *   present every day is current), else the day it was worst (null when it has no daily series).
 * - `persistence`: share of the window days with data on which the daily metric breached (null when
 *   the family has no daily series).
 */
export interface FamilyMeasure {
  ratio: number;
  evidence: Evidence[];
  peakDay: string | null;
  persistence: number | null;
}

type DailyMetric = 'key_null_pct' | 'orphan_pct' | 'dup_key_pct' | 'p95_ingest_lag_min';

const NONE: FamilyMeasure = { ratio: 0, evidence: [], peakDay: null, persistence: null };
const ratioOf = (v: number | null, limit: number) => (v == null || limit <= 0 ? 0 : v / limit);

/** The family's measurement on `table`; `affectedRows` (revenue-at-risk rows) feeds the revenue-null share. */
export function measureFamily(dh: DataHealth, table: string, family: Family | null, affectedRows = 0): FamilyMeasure {
  const t = dh.tables[table];
  if (!t || !family) return NONE;
  const s = dh.slos;
  const days = t.daily.filter((d) => d.rows > 0);
  const metric = (m: DailyMetric, limit: number, unit: 'pct' | 'min'): Evidence & { kind: 'metric' } => ({
    kind: 'metric',
    table,
    metric: m,
    value: t.window[m] ?? 0,
    limit,
    ratio: round(ratioOf(t.window[m], limit), 4),
    unit,
  });
  const worstDay = (m: DailyMetric) => days.reduce<{ day: string; v: number } | null>((best, d) => (d[m] != null && (!best || (d[m] as number) > best.v) ? { day: d.day, v: d[m] as number } : best), null)?.day ?? null;
  const peak = (m: DailyMetric, limit: number) => days.filter((d) => (d[m] ?? 0) > limit).at(-1)?.day ?? worstDay(m);
  const persist = (breach: (d: (typeof days)[number]) => boolean) => (days.length ? round(days.filter(breach).length / days.length, 4) : null);
  const breaching = (...e: Array<Evidence & { kind: 'metric' }>) => e.filter((x) => x.ratio > 1);

  switch (family) {
    case 'keys': {
      const nulls = metric('key_null_pct', s.key_null_pct, 'pct');
      const orphans = metric('orphan_pct', s.fk_orphan_pct, 'pct');
      const worst = nulls.ratio >= orphans.ratio ? nulls : orphans;
      return {
        ratio: Math.max(nulls.ratio, orphans.ratio),
        evidence: breaching(nulls, orphans).length ? breaching(nulls, orphans) : [worst],
        peakDay: peak(worst.metric as DailyMetric, worst.limit),
        persistence: persist((d) => (d.key_null_pct ?? 0) > s.key_null_pct || (d.orphan_pct ?? 0) > s.fk_orphan_pct),
      };
    }
    case 'duplicates': {
      const e = metric('dup_key_pct', s.dup_keys_pct, 'pct');
      return { ratio: e.ratio, evidence: [e], peakDay: peak('dup_key_pct', s.dup_keys_pct), persistence: persist((d) => (d.dup_key_pct ?? 0) > s.dup_keys_pct) };
    }
    case 'lag': {
      const e = metric('p95_ingest_lag_min', s.p95_ingest_lag_min, 'min');
      return { ratio: e.ratio, evidence: [e], peakDay: peak('p95_ingest_lag_min', s.p95_ingest_lag_min), persistence: persist((d) => (d.p95_ingest_lag_min ?? 0) > s.p95_ingest_lag_min) };
    }
    case 'null_spikes': {
      const spikes = dh.null_spikes.spikes.filter((sp) => sp.table === table && sp.in_window);
      if (!spikes.length) return NONE;
      const evidence: Evidence[] = spikes.map((sp) => ({
        kind: 'null_spike',
        table,
        column: sp.column,
        day: sp.day,
        null_pct: sp.null_pct,
        threshold_pct: sp.threshold_pct,
        ratio: round(ratioOf(sp.null_pct, sp.threshold_pct), 4),
      }));
      const worst = evidence.reduce((a, b) => (b.ratio > a.ratio ? b : a)) as Evidence & { kind: 'null_spike' };
      const spikeDays = new Set(spikes.map((sp) => sp.day)).size;
      const latest = spikes.map((sp) => sp.day).sort().at(-1)!;
      return { ratio: worst.ratio, evidence, peakDay: latest, persistence: days.length ? round(spikeDays / days.length, 4) : null };
    }
    case 'revenue_nulls': {
      // Rows with a NULL revenue column, held to the key-null SLO (no daily series: no peak, no persistence).
      const p = t.window.rows > 0 ? round((100 * affectedRows) / t.window.rows, 4) : 0;
      const e: Evidence = { kind: 'metric', table, metric: 'revenue_null_pct', value: p, limit: s.key_null_pct, ratio: round(ratioOf(p, s.key_null_pct), 4), unit: 'pct' };
      return { ratio: e.ratio, evidence: [e], peakDay: null, persistence: null };
    }
  }
}

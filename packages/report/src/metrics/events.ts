import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlIdent } from '@dnr/core';
import type { FactSpec } from '@dnr/contract';
import type { DetectedEvent } from '../schemas/data-health.js';
import { round } from './health.js';
import { RATE_SPIKE_SQL, SPIKE_PARAMS, type RateRow, type SpikeDay } from './null-spikes.js';
import { addDays, isoDay } from './window.js';

/**
 * Data events the report finds in the warehouse itself, over its whole history (the comms prefilter boosts
 * threads within ±24 h of them; ground truth is never read for that):
 * - null_spike: a null-spike day of a column (null-spikes.ts);
 * - schema_gap: two or more consecutive null-spike days of one column (writes of the column failed for days);
 * - ingest_lag: a day whose share of rows loaded later than the lag SLO jumps above the table's usual share;
 * - duplicate: a day whose share of extra copies of a business key jumps above the usual share;
 * - fk_failure: a day whose share of rows with a missing or too-early reference jumps above the usual share;
 * - load_gap: a local day with no rows at all inside a table's history (first to last day), when the table's
 *   median day has at least SPIKE_PARAMS.minRows rows. Evidence: rows 0, measured_pct 0 (the day's rows as a
 *   percent of the median day's), baseline_pct 100, threshold_pct 0.
 * The last three use the null-spike test on those row flags (same z, floor and minimum rows).
 * Consecutive days of one kind, table and column form one event.
 */
export const EVENTS_METHOD = `null_spike/schema_gap: null-spike days (a run of ≥ 2 consecutive days of one column is a schema_gap); ingest_lag, duplicate, fk_failure: daily share of late (> lag SLO), extra-copy or orphaned rows vs its trimmed pooled baseline + max(${SPIKE_PARAMS.z}·binomial sd, ${SPIKE_PARAMS.floorPp} pp); consecutive days merge into one event; load_gap: a day with no rows inside a table's history (median day ≥ ${SPIKE_PARAMS.minRows} rows)`;

/** Row flags of one fact table for the rate-spike test. */
function flaggedRelation(t: FactSpec, lagSloMin: number): { relation: string; flags: Record<string, string> } {
  const joins = t.foreignKeys.map(
    (fk, i) =>
      `LEFT JOIN (SELECT ${sqlIdent(fk.key)} AS k, ${fk.valid_from ? `min(${sqlIdent(fk.valid_from)})` : 'NULL::TIMESTAMP'} AS ts FROM ${sqlIdent(fk.references)} GROUP BY 1) d${i} ON d${i}.k = f.${sqlIdent(fk.column)}`,
  );
  const fkFail = t.foreignKeys.length
    ? t.foreignKeys.map((fk, i) => `(f.${sqlIdent(fk.column)} IS NOT NULL AND (d${i}.k IS NULL OR coalesce(f._ts < d${i}.ts, false)))`).join(' OR ')
    : 'false';
  const relation = `(SELECT f._day,
      coalesce(date_diff('second', f._ts, f.${sqlIdent(t.loadedAt)}) / 60.0 > ${lagSloMin}, false) AS late,
      f._copy > 1 AND ${t.key.map((k) => `f.${sqlIdent(k)} IS NOT NULL`).join(' AND ')} AS extra_copy,
      ${fkFail} AS orphaned
    FROM ${sqlIdent(`ev_${t.name}`)} f ${joins.join(' ')})`;
  const flags: Record<string, string> = { ingest_lag: 'late', duplicate: 'extra_copy' };
  if (t.foreignKeys.length) flags.fk_failure = 'orphaned';
  return { relation, flags };
}

/** Local days with no rows between a fact table's first and last day (tables whose median day has ≥ minRows rows). */
const LOAD_GAP_SQL = (t: FactSpec) => `
WITH d AS (SELECT _day, count(*) AS n FROM ${sqlIdent(`ev_${t.name}`)} WHERE _day IS NOT NULL GROUP BY 1),
     span AS (SELECT min(_day) AS a, max(_day) AS b, median(n) AS med FROM d)
SELECT CAST(g.day AS DATE) AS day
FROM span, generate_series(CAST(span.a AS TIMESTAMP), CAST(span.b AS TIMESTAMP), INTERVAL 1 DAY) AS g(day)
WHERE span.med >= ${SPIKE_PARAMS.minRows} AND CAST(g.day AS DATE) NOT IN (SELECT _day FROM d)
ORDER BY 1`;

interface DayHit {
  kind: DetectedEvent['kind'];
  table: string;
  column: string | null;
  day: string;
  rows: number;
  measured_pct: number;
  baseline_pct: number;
  threshold_pct: number;
}

/** Consecutive days of one kind/table/column as one event; evidence per day. */
function mergeRuns(hits: DayHit[]): DetectedEvent[] {
  const sorted = [...hits].sort((a, b) => a.kind.localeCompare(b.kind) || a.table.localeCompare(b.table) || (a.column ?? '').localeCompare(b.column ?? '') || a.day.localeCompare(b.day));
  const out: DetectedEvent[] = [];
  for (const h of sorted) {
    const last = out.at(-1);
    const evidence = { day: h.day, rows: h.rows, measured_pct: h.measured_pct, baseline_pct: h.baseline_pct, threshold_pct: h.threshold_pct };
    if (last && last.kind === h.kind && last.table === h.table && last.column === h.column && addDays(last.days.at(-1) as string, 1) === h.day) {
      last.days.push(h.day);
      last.evidence.push(evidence);
    } else out.push({ kind: h.kind, table: h.table, column: h.column, days: [h.day], evidence: [evidence] });
  }
  return out;
}

/** Every data event of the warehouse's history (see the module comment), ordered by first day. */
export async function detectEvents(connection: DuckDBConnection, facts: FactSpec[], spikes: SpikeDay[], lagSloMin: number): Promise<DetectedEvent[]> {
  const nullHits: DayHit[] = spikes.map((s) => ({ kind: 'null_spike', table: s.table, column: s.column, day: s.day, rows: s.rows, measured_pct: s.null_pct, baseline_pct: s.baseline_pct, threshold_pct: s.threshold_pct }));
  // Runs of ≥ 2 days of one column are schema write gaps, single days null spikes.
  const nullEvents = mergeRuns(nullHits).map((e) => (e.days.length > 1 ? { ...e, kind: 'schema_gap' as const } : e));
  const rateHits: DayHit[] = [];
  for (const t of facts) {
    const { relation, flags } = flaggedRelation(t, lagSloMin);
    const rows = await queryRows<RateRow>(connection, RATE_SPIKE_SQL(t.name, relation, flags));
    for (const r of rows) {
      if (!(r.null_pct > r.threshold_pct)) continue;
      rateHits.push({
        kind: r.col as DetectedEvent['kind'],
        table: t.name,
        column: null,
        day: isoDay(r.day),
        rows: Number(r.n),
        measured_pct: round(r.null_pct, 4),
        baseline_pct: round(r.baseline_pct, 4),
        threshold_pct: round(r.threshold_pct, 4),
      });
    }
  }
  for (const t of facts) {
    for (const r of await queryRows<{ day: unknown }>(connection, LOAD_GAP_SQL(t))) {
      rateHits.push({ kind: 'load_gap', table: t.name, column: null, day: isoDay(r.day), rows: 0, measured_pct: 0, baseline_pct: 100, threshold_pct: 0 });
    }
  }
  return [...nullEvents, ...mergeRuns(rateHits)].sort((a, b) => a.days[0].localeCompare(b.days[0]) || a.kind.localeCompare(b.kind) || a.table.localeCompare(b.table));
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlIdent, sqlString } from '@dnr/core';
import type { FactSpec as FactTable } from '@dnr/contract';
import { round } from './health.js';
import { isoDay, type ReportWindow } from './window.js';

/**
 * Null-spike detection over the whole history (a spike is a one-day event, so a 30-day window
 * rarely holds enough baseline). Per scanned column the baseline is the pooled NULL rate of its
 * ordinary days (days above the column's 95th-percentile rate are trimmed so spikes do not raise
 * it); its robust spread (1.4826·MAD of the daily rates) is kept for reference. A day is a spike
 * when its NULL count is implausible under Binomial(n_day, baseline) — more than Z standard
 * deviations above the expected count, with at least MIN_NULLS NULL rows — and its rate exceeds
 * the baseline by at least FLOOR_PP points (so a tiny but significant drift on a busy day is
 * not a spike). The binomial term adapts to each day's row count: thin days need a bigger jump.
 */
export const SPIKE_PARAMS = { z: 5, floorPp: 1.5, minNulls: 1, trimQuantile: 0.95, minRows: 20 } as const;

/** Columns scanned: every column of the table except its key, loaded-at and nullable-by-design columns. */
const scannedColumns = (t: FactTable, columns: readonly string[]) => columns.filter((c) => !t.nullableByDesign.includes(c) && !t.key.includes(c) && c !== t.loadedAt);

/**
 * Daily rate spikes of boolean row flags over one relation with a `_day` column: per flag the day's share of
 * flagged rows against the trimmed pooled baseline of its ordinary days (see the module comment). Null spikes
 * flag `col IS NULL`; events.ts flags late loads, duplicate copies and FK failures the same way.
 */
export const RATE_SPIKE_SQL = (table: string, relation: string, flags: Record<string, string>) => `
WITH daily AS (
  SELECT _day AS day, count(*) AS n,
         ${Object.entries(flags).map(([name, cond]) => `count(*) FILTER (WHERE ${cond}) AS ${sqlIdent(name)}`).join(',\n         ')}
  FROM ${relation}
  WHERE _day IS NOT NULL
  GROUP BY _day
),
rates AS (
  SELECT day, n, col, nulls, 100.0 * nulls / n AS null_pct
  FROM (UNPIVOT daily ON ${Object.keys(flags).map(sqlIdent).join(', ')} INTO NAME col VALUE nulls)
  WHERE n >= ${SPIKE_PARAMS.minRows}
),
cut AS (
  SELECT col, quantile_cont(null_pct, ${SPIKE_PARAMS.trimQuantile}) AS trim_pct, median(null_pct) AS median_pct, count(*) AS days FROM rates GROUP BY col
),
base AS (
  SELECT r.col, 100.0 * sum(r.nulls) / sum(r.n) AS baseline_pct, any_value(c.days) AS days, any_value(c.median_pct) AS median_pct,
         1.4826 * median(abs(r.null_pct - c.median_pct)) AS robust_sd_pct
  FROM rates r JOIN cut c USING (col)
  WHERE r.null_pct <= c.trim_pct
  GROUP BY r.col
)
SELECT ${sqlString(table)} AS tbl, r.col, r.day, r.n, r.nulls, r.null_pct, b.baseline_pct, b.robust_sd_pct, b.days,
       b.baseline_pct + greatest(${SPIKE_PARAMS.z} * 100 * sqrt(b.baseline_pct / 100 * (1 - b.baseline_pct / 100) / r.n), ${SPIKE_PARAMS.floorPp},
                                 100.0 * ${SPIKE_PARAMS.minNulls} / r.n - 1e-9) AS threshold_pct
FROM rates r JOIN base b USING (col)
ORDER BY r.col, r.day`;

export const NULL_SPIKE_SQL = (t: FactTable, columns: string[]) =>
  RATE_SPIKE_SQL(t.name, sqlIdent(`ev_${t.name}`), Object.fromEntries(columns.map((c) => [c, `${sqlIdent(c)} IS NULL`])));

/** One row of RATE_SPIKE_SQL (`nulls`/`null_pct`: the flagged rows and their share). */
export interface RateRow {
  tbl: string;
  col: string;
  day: unknown;
  n: bigint;
  nulls: bigint;
  null_pct: number;
  baseline_pct: number;
  robust_sd_pct: number;
  days: bigint;
  threshold_pct: number;
}

export interface SpikeColumn {
  table: string;
  column: string;
  baseline_pct: number;
  robust_sd_pct: number;
  days_scanned: number;
}

export interface SpikeDay {
  table: string;
  column: string;
  day: string;
  rows: number;
  null_pct: number;
  baseline_pct: number;
  threshold_pct: number;
  in_window: boolean;
}

export interface NullSpikeResult {
  method: string;
  params: typeof SPIKE_PARAMS;
  columns: SpikeColumn[];
  spikes: SpikeDay[];
  /** Daily null % over the full history of the columns that spiked at least once (for the figure). */
  series: Array<{ table: string; column: string; day: string; null_pct: number; threshold_pct: number }>;
}

type Row = RateRow;

/** `columns`: the columns of each fact table as read (see LoadedWarehouse.columns). */
export async function detectNullSpikes(connection: DuckDBConnection, facts: FactTable[], columns: Record<string, string[]>, w: ReportWindow): Promise<NullSpikeResult> {
  const scanned: SpikeColumn[] = [];
  const spikes: SpikeDay[] = [];
  const series: NullSpikeResult['series'] = [];
  const all: Row[] = [];
  for (const t of facts) {
    const cols = scannedColumns(t, columns[t.name] ?? []);
    if (!cols.length) continue;
    all.push(...(await queryRows<Row>(connection, NULL_SPIKE_SQL(t, cols))));
  }
  const seen = new Set<string>();
  for (const r of all) {
    const id = `${r.tbl}.${r.col}`;
    if (!seen.has(id)) {
      seen.add(id);
      scanned.push({ table: r.tbl, column: r.col, baseline_pct: round(r.baseline_pct, 4), robust_sd_pct: round(r.robust_sd_pct, 4), days_scanned: Number(r.days) });
    }
    const day = isoDay(r.day);
    const inWindow = day >= w.start && day <= w.end;
    if (r.null_pct > r.threshold_pct) {
      spikes.push({ table: r.tbl, column: r.col, day, rows: Number(r.n), null_pct: round(r.null_pct, 4), baseline_pct: round(r.baseline_pct, 4), threshold_pct: round(r.threshold_pct, 4), in_window: inWindow });
    }
  }
  const spiking = new Set(spikes.map((s) => `${s.table}.${s.column}`));
  for (const r of all) {
    const day = isoDay(r.day);
    if (spiking.has(`${r.tbl}.${r.col}`)) series.push({ table: r.tbl, column: r.col, day, null_pct: round(r.null_pct, 4), threshold_pct: round(r.threshold_pct, 4) });
  }
  return {
    method: `daily NULL % per column over the full history vs the trimmed pooled baseline + max(${SPIKE_PARAMS.z}·binomial sd of the day, ${SPIKE_PARAMS.floorPp} pp, ${SPIKE_PARAMS.minNulls} NULL rows)`,
    params: SPIKE_PARAMS,
    columns: scanned,
    spikes,
    series,
  };
}

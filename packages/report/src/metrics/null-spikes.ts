import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlIdent, sqlString, type Archetype } from '@dnr/core';
import { FACT_TABLES, REQUIRED_COLUMNS, type FactTable } from '../tables.js';
import { round } from './health.js';
import { isoDay, type ReportWindow } from './window.js';

/**
 * Null-spike detection over the whole history (a spike is a one-day event, so a 30-day window
 * rarely holds enough baseline). For every scanned column, the daily null rate is compared with a
 * robust baseline: median over all days, spread = 1.4826·MAD (the normal-consistent MAD).
 * A day is a spike when its rate exceeds the baseline by more than
 * max(K·spread, Z·binomial sd at the baseline for that day's row count, FLOOR_PP) — the binomial
 * term keeps thin days (small scales, quiet weekdays) from raising false alarms.
 */
export const SPIKE_PARAMS = { k: 5, z: 4.5, floorPp: 3, minRows: 20 } as const;

const scannedColumns = (t: FactTable, archetype: Archetype) =>
  REQUIRED_COLUMNS[archetype][t.name].filter((c) => !t.nullableByDesign.includes(c) && !t.key.includes(c) && c !== 'loaded_at');

export const NULL_SPIKE_SQL = (t: FactTable, columns: string[]) => `
WITH daily AS (
  SELECT _day AS day, count(*) AS n,
         ${columns.map((c) => `count(*) FILTER (WHERE ${sqlIdent(c)} IS NULL) AS ${sqlIdent(c)}`).join(',\n         ')}
  FROM ${sqlIdent(`ev_${t.name}`)}
  WHERE _day IS NOT NULL
  GROUP BY _day
),
rates AS (
  SELECT day, n, col, nulls, 100.0 * nulls / n AS null_pct
  FROM (UNPIVOT daily ON ${columns.map(sqlIdent).join(', ')} INTO NAME col VALUE nulls)
  WHERE n >= ${SPIKE_PARAMS.minRows}
),
base AS (
  SELECT col, median(null_pct) AS baseline_pct FROM rates GROUP BY col
),
spread AS (
  SELECT r.col, any_value(b.baseline_pct) AS baseline_pct, 1.4826 * median(abs(r.null_pct - b.baseline_pct)) AS robust_sd_pct,
         count(*) AS days
  FROM rates r JOIN base b USING (col) GROUP BY r.col
)
SELECT ${sqlString(t.name)} AS tbl, r.col, r.day, r.n, r.nulls, r.null_pct, s.baseline_pct, s.robust_sd_pct, s.days,
       s.baseline_pct + greatest(${SPIKE_PARAMS.k} * s.robust_sd_pct,
                                 ${SPIKE_PARAMS.z} * 100 * sqrt(greatest(s.baseline_pct, 0.5) / 100 * (1 - least(s.baseline_pct, 99.5) / 100) / r.n),
                                 ${SPIKE_PARAMS.floorPp}) AS threshold_pct
FROM rates r JOIN spread s USING (col)
ORDER BY r.col, r.day`;

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

interface Row {
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

export async function detectNullSpikes(connection: DuckDBConnection, archetype: Archetype, w: ReportWindow): Promise<NullSpikeResult> {
  const columns: SpikeColumn[] = [];
  const spikes: SpikeDay[] = [];
  const series: NullSpikeResult['series'] = [];
  const all: Row[] = [];
  for (const t of FACT_TABLES[archetype]) {
    const cols = scannedColumns(t, archetype);
    if (!cols.length) continue;
    all.push(...(await queryRows<Row>(connection, NULL_SPIKE_SQL(t, cols))));
  }
  const seen = new Set<string>();
  for (const r of all) {
    const id = `${r.tbl}.${r.col}`;
    if (!seen.has(id)) {
      seen.add(id);
      columns.push({ table: r.tbl, column: r.col, baseline_pct: round(r.baseline_pct, 4), robust_sd_pct: round(r.robust_sd_pct, 4), days_scanned: Number(r.days) });
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
    method: `daily null % per column vs median + max(${SPIKE_PARAMS.k}·1.4826·MAD, ${SPIKE_PARAMS.z}·binomial sd, ${SPIKE_PARAMS.floorPp} pp) over the full history`,
    params: SPIKE_PARAMS,
    columns,
    spikes,
    series,
  };
}

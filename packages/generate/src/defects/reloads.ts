import type { DuckDBConnection } from '@duckdb/node-api';
import { RandomStream } from '@dnr/core';
import { loadColumns } from '../behaviour/load.js';
import type { LocalClock } from '../behaviour/clock.js';
import type { DefectPlan } from './profile.js';
import { duplicateRate } from './inject.js';

/** Share of local days with a reload incident (a batch re-ingesting part of the day's rows). */
export const RELOAD_DAY_SHARE = 0.25;

export interface ReloadSchedule {
  /** Working table `(d BIGINT, rate DOUBLE, reload_at BIGINT)`: incident day, share of its rows duplicated, Unix second of the reload. */
  table: string;
  incidents: number;
  delayHours: [number, number];
}

/**
 * Duplicates as real reload incidents: on about a quarter of the days a batch job re-ingests part of the
 * day's rows in one go, hours to days later (lognormal, median 10 h after the day ends), so every copy
 * of that day carries nearly the same later loaded_at. The per-day rate is the table's duplicate rate
 * divided by the incident share, so the overall rate stays on the table's target (`duplicateRate`).
 */
export async function installReloadIncidents(conn: DuckDBConnection, plan: DefectPlan, table: string, clock: LocalClock, days: number): Promise<ReloadSchedule | null> {
  const rate = duplicateRate(plan, table);
  if (rate <= 0) return null;
  const rs = new RandomStream(plan.seed, `defects/reload/${table}`);
  const rows: Array<[number, number, number]> = [];
  for (let d = 0; d < days; d++) {
    if (rs.uniform(d, 0) >= RELOAD_DAY_SHARE) continue;
    const delayH = 10 * Math.exp(0.7 * rs.standardNormal(d, 1));
    rows.push([d, Math.min(0.5, rate / RELOAD_DAY_SHARE), Math.floor(clock.midnight(d + 1) + delayH * 3600)]);
  }
  const name = `rl_${table}`;
  await loadColumns(conn, name, [
    ['d', 'BIGINT', rows.map((x) => x[0])],
    ['rate', 'DOUBLE', rows.map((x) => x[1])],
    ['reload_at', 'BIGINT', rows.map((x) => x[2])],
  ]);
  const delays = rows.map((x) => (x[2] - clock.midnight(x[0] + 1)) / 3600);
  return { table: name, incidents: rows.length, delayHours: [Math.min(...delays), Math.max(...delays)].map((h) => Math.round(h * 10) / 10) as [number, number] };
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '@dnr/core';
import type { SqlRandom } from '../behaviour/sql.js';
import type { LocalClock } from '../behaviour/clock.js';
import type { FkInjection } from './inject.js';
import type { DefectPlan, OutageGroup } from './profile.js';
import { dbl } from './inject.js';

/** The most rows of an outage window whose keys go NULL (an outage always lets a few rows through). */
export const OUTAGE_MAX_NULL_SHARE = 0.97;

/** One realised outage: its UTC span, the rows whose event falls inside it and the rows whose keys went NULL. */
export interface RealisedOutage {
  /** Unix seconds [start, end). */
  start: number;
  end: number;
  /** Local days it touched (window day indexes). */
  days: number[];
  rows: number;
  nulls: number;
  /** Share of the window's rows nulled (after scaling). */
  nullShare: number;
}

/** The realised outages of one column group and the scattered key-null rate left for its columns. */
export interface OutageResult {
  group: OutageGroup;
  outages: RealisedOutage[];
  /** Rows nulled by the outages (first loads; every column of the group is NULL on each). */
  nulls: number;
  /** Per-row key-null rate of the group's columns outside the outage draw, so the column keeps its target. */
  scattered: number;
  /** Rows the scattered rate was sized on (expected first-load rows of the table). */
  rowsExpected: number;
}

/**
 * The outage groups of `table` whose columns are all among `columns`, each outage's UTC span
 * [start, end) (local midnight of its day + seconds into the day) and local days, and the union of
 * those days inside the window (what the up-front pass must generate).
 */
export function outageSpans(plan: DefectPlan, table: string, columns: string[], clock: LocalClock) {
  const groups = plan.outages.filter((g) => g.table === table && g.windows.length && g.columns.every((c) => columns.includes(c)));
  const spans = groups.map((g) =>
    g.windows.map((w) => {
      const day = Math.floor(w.startLs / 86400);
      const start = Math.floor(clock.midnight(day) + (w.startLs - day * 86400));
      const end = Math.floor(start + w.hours * 3600);
      const days: number[] = [];
      for (let d = day; d <= clock.dayOf(end - 1); d++) days.push(d);
      return { start, end, days, nominal: w.nominal };
    }),
  );
  const days = [...new Set(spans.flat().flatMap((s) => s.days))].filter((d) => d >= 0 && d < plan.days).sort((a, b) => a - b);
  return { groups, spans, days };
}

/**
 * Key-null outages of a table's column groups: the rows of the outage days are generated once up front
 * (`rowsOfDays` must expose rid, d and ts, the event's Unix second; a row's fate depends only on its id
 * and its window's population, never on chunking), the rows whose event falls in each outage window
 * counted, and the top `nullShare` of them (ranked by a hash of rid) recorded in working table
 * `outage_rows (k, rid, d)` under the group key. `nullShare` is the window's nominal share times one
 * factor per group chosen so the outages carry `share` × key-null rate × `rowsExpected` rows (capped at
 * OUTAGE_MAX_NULL_SHARE; a group that cannot reach its share carries less, the scattered rate makes up
 * the rest). Sets `fk.outage` on the group's FK injections (fkFlagSql reads it) and returns the realised
 * outages per group. Outage windows are local: start = local midnight of its day + seconds into the day.
 */
export async function installOutages(
  conn: DuckDBConnection,
  r: SqlRandom,
  plan: DefectPlan,
  table: string,
  fks: FkInjection[],
  clock: LocalClock,
  rowsExpected: number,
  rowsOfDays: (days: number[]) => string,
): Promise<OutageResult[]> {
  await conn.run('CREATE TABLE IF NOT EXISTS outage_rows (k VARCHAR, rid BIGINT, d BIGINT)');
  const { groups, spans, days: allDays } = outageSpans(plan, table, fks.map((f) => f.column), clock);
  if (!allDays.length) return [];
  await conn.run(`CREATE OR REPLACE TABLE outage_day AS SELECT rid, d, ts FROM (${rowsOfDays(allDays)})`);
  const out: OutageResult[] = [];
  for (const [gi, g] of groups.entries()) {
    const ws = spans[gi];
    const shape = (share: (i: number) => number) => ws.map((w, i) => `(${i}, ${w.start}, ${w.end}, ${dbl(share(i))})`).join(', ');
    const counts = await queryRows<{ i: number; n: bigint }>(
      conn,
      `SELECT w.i, count(*) AS n FROM outage_day x JOIN (VALUES ${shape(() => 0)}) w(i, s, e, p) ON x.ts >= w.s AND x.ts < w.e GROUP BY 1`,
    );
    const rows = ws.map((_, i) => Number(counts.find((c) => c.i === i)?.n ?? 0));
    const mass = ws.reduce((acc, w, i) => acc + w.nominal * rows[i], 0);
    const budget = g.share * plan.rates.keyNull * rowsExpected;
    const scale = mass > 0 ? budget / mass : 0;
    const shares = ws.map((w) => Math.min(OUTAGE_MAX_NULL_SHARE, w.nominal * scale));
    await conn.run(`INSERT INTO outage_rows SELECT '${g.key}', rid, d FROM (
      SELECT x.rid, x.d, w.p, row_number() OVER (PARTITION BY w.i ORDER BY ${r.u(`${g.key}.outage`, 'x.rid')}, x.rid) AS rn, count(*) OVER (PARTITION BY w.i) AS n
      FROM outage_day x JOIN (VALUES ${shape((i) => shares[i])}) w(i, s, e, p) ON x.ts >= w.s AND x.ts < w.e)
      WHERE rn <= round(n * p)`);
    const hit = await queryRows<{ i: number; n: bigint }>(
      conn,
      `SELECT w.i, count(*) AS n FROM outage_rows o JOIN outage_day x USING (rid) JOIN (VALUES ${shape(() => 0)}) w(i, s, e, p) ON x.ts >= w.s AND x.ts < w.e WHERE o.k = '${g.key}' GROUP BY 1`,
    );
    const outages = ws.map((w, i) => ({ start: w.start, end: w.end, days: w.days, rows: rows[i], nulls: Number(hit.find((c) => c.i === i)?.n ?? 0), nullShare: shares[i] }));
    const nulls = outages.reduce((acc, o) => acc + o.nulls, 0);
    const scattered = rowsExpected > nulls ? Math.max(0, (plan.rates.keyNull * rowsExpected - nulls) / (rowsExpected - nulls)) : 0;
    const days = (await queryRows<{ d: bigint }>(conn, `SELECT DISTINCT d FROM outage_rows WHERE k = '${g.key}' ORDER BY 1`)).map((x) => Number(x.d));
    for (const f of fks) if (g.columns.includes(f.column)) f.outage = { key: g.key, days, scattered };
    out.push({ group: g, outages, nulls, scattered, rowsExpected });
  }
  await conn.run('DROP TABLE outage_day');
  return out;
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, RandomStream } from '@dnr/core';
import type { SqlRandom } from '../behaviour/sql.js';
import type { LocalClock } from '../behaviour/clock.js';
import { DAYS_PER_MONTH } from '../behaviour/window.js';
import { dbl, duplicateRate } from './inject.js';
import { Z95, type DefectPlan } from './profile.js';

export type DupIncidentKind = 'replay' | 'rerun' | 'backfill';

/** One realised duplicate incident of a table: which events it re-ingested, when, and how many rows. */
export interface DupIncident {
  kind: DupIncidentKind;
  /** Unix seconds of the first and last re-ingested event (0 when it copied no row). */
  from: number;
  to: number;
  /** Unix second the rerun / backfill re-sent its batch; null for a replay (each copy follows its own first load). */
  reloadAt: number | null;
  /** Median delay of a replay's copies after their first load, minutes (null for reruns and backfills). */
  delayMinutes: number | null;
  rows: number;
  /** Local days (window day indexes) of the re-ingested events. */
  days: number[];
}

/** Duplicate incidents of one table: the working table key, the incidents and the rows they copy in total. */
export interface DupIncidents {
  /** Key of the table's rows in working table dup_rows. */
  key: string;
  incidents: DupIncident[];
  rows: number;
}

/** Days of slack after a nominal incident window that a batch may extend into when the windows hold too few rows. */
const SLACK_DAYS = 2;

/** One planned incident window: kind, nominal UTC span, its local days, reload instant (reruns, backfills) and replay delay (seconds). */
interface DupWindow {
  kind: DupIncidentKind;
  start: number;
  end: number;
  first: number;
  last: number;
  reloadAt: number | null;
  delay: number;
}

/**
 * The duplicate-incident windows of a table (see installDupIncidents), sorted by start, and the local days
 * (each window's days plus the slack) the up-front pass must generate; null when the table gets no duplicates.
 */
export function dupIncidentWindows(plan: DefectPlan, table: string, clock: LocalClock): { windows: DupWindow[]; days: number[] } | null {
  const rate = duplicateRate(plan, table);
  const d = plan.rates.dupDelay;
  if (rate <= 0 || d.incidentsPerQuarter <= 0 || plan.days < 7) return null;
  const rs = new RandomStream(plan.seed, `defects/dup_incident/${table}`);
  const n = Math.max(1, Math.round((d.incidentsPerQuarter * plan.days) / (3 * DAYS_PER_MONTH)));
  const windows: DupWindow[] = [];
  for (let i = 0; i < n; i++) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const j = i * 64 + attempt;
      const u = rs.uniform(j, 0);
      const kind: DupIncidentKind = u < d.replayShare ? 'replay' : u < d.replayShare + d.backfillShare ? 'backfill' : 'rerun';
      const z = rs.standardNormal(j, 1);
      const hours = Math.min(96, kind === 'replay' ? d.replayBatchHours * Math.exp(0.5 * z) : kind === 'rerun' ? d.rerunBatchHours * Math.exp(0.4 * z) : d.backfillBatchDays * 24 * Math.exp(0.3 * z));
      const span = plan.days * 86400 - hours * 3600;
      if (span <= 0) break;
      const startLs = Math.floor(rs.uniform(j, 2) * span);
      const first = Math.floor(startLs / 86400);
      const last = Math.floor((startLs + hours * 3600 - 1) / 86400);
      if (!windows.every((w) => last < w.first - 1 || first > w.last + 1)) continue;
      const start = Math.floor(clock.midnight(first) + (startLs - first * 86400));
      const end = Math.floor(start + hours * 3600);
      const zd = rs.standardNormal(j, 3);
      const maxDays = Math.max(1, d.backfillMaxDays);
      const reloadAt =
        kind === 'rerun' ? Math.floor(end + d.rerunMedianHours * 3600 * Math.exp(0.6 * zd)) : kind === 'backfill' ? Math.floor(end + 86400 * Math.sqrt(maxDays) * Math.exp((Math.log(maxDays) / (2 * Z95)) * zd)) : null;
      windows.push({ kind, start, end, first, last, reloadAt, delay: d.replayMedianMinutes * 60 * Math.exp(0.8 * zd) });
      break;
    }
  }
  windows.sort((a, b) => a.start - b.start);
  const days = [...new Set(windows.flatMap((w) => Array.from({ length: w.last - w.first + 1 + SLACK_DAYS }, (_, k) => w.first + k)))].filter((x) => x >= 0 && x < plan.days).sort((a, b) => a - b);
  if (!windows.length || !days.length) return null;
  return { windows, days };
}

/**
 * Duplicates as a few big re-ingestion incidents instead of copies spread over the days: about
 * `incidents_per_quarter` per table (at least one), each a contiguous range of events re-sent by a
 * replay (a retried batch, its copies minutes after their first load: lognormal per incident, median
 * replay_median_minutes, log-sd 0.8; each copy ±20%), a rerun (the batch re-run hours after the
 * window: lognormal, median rerun_median_hours, log-sd 0.6) or a backfill (days later: lognormal with
 * 5th/95th percentiles at 1 and backfill_max_days days); kinds drawn by replay_share / backfill_share.
 * Nominal windows are lognormal (medians replay_batch_hours, rerun_batch_hours, backfill_batch_days;
 * log-sd 0.5, 0.4, 0.3; capped at 4 days), start uniformly in the window and lie at least a day apart.
 * The rows of the windows' days (+2 days of slack) are generated once (`rowsOfDays` exposes rid, d and
 * ts, the event's Unix second), and the table's copy budget (its duplicate rate × `rowsExpected`) is
 * split over the incidents in proportion to the rows of their nominal windows (largest remainder); each
 * incident copies its first rows in event order from its start (a batch is a contiguous range: when the
 * windows hold fewer rows than the budget, batches extend into the slack, never into the next
 * incident). Rows go to working table `dup_rows (k, rid, d, rt, ad)`: `rt` the Unix second a rerun or
 * backfill re-sends the row (15 min of spread; NULL for replays), `ad` the seconds after its first load
 * a replay copy (or a copy whose first load came after `rt`) arrives. Deterministic in the seed and
 * independent of chunking. Returns null when the table gets no duplicates.
 */
export async function installDupIncidents(
  conn: DuckDBConnection,
  r: SqlRandom,
  plan: DefectPlan,
  table: string,
  clock: LocalClock,
  rowsExpected: number,
  rowsOfDays: (days: number[]) => string,
): Promise<DupIncidents | null> {
  await conn.run('CREATE TABLE IF NOT EXISTS dup_rows (k VARCHAR, rid BIGINT, d BIGINT, rt BIGINT, ad BIGINT)');
  const sched = dupIncidentWindows(plan, table, clock);
  if (!sched) return null;
  const { windows, days } = sched;
  const rate = duplicateRate(plan, table);
  const d = plan.rates.dupDelay;
  const key = table;
  await conn.run(`CREATE OR REPLACE TABLE dup_day AS SELECT rid, d, ts FROM (${rowsOfDays(days)})`);
  // batches never run into the next incident's window
  const lim = windows.map((w, i) => Math.min(w.end + SLACK_DAYS * 86400, windows[i + 1]?.start ?? Infinity));
  const shape = (extra: (i: number) => string) => windows.map((w, i) => `(${i}, ${w.start}, ${w.end}, ${Number.isFinite(lim[i]) ? lim[i] : w.end + SLACK_DAYS * 86400}, ${extra(i)})`).join(', ');
  const counts = await queryRows<{ i: number; n: bigint }>(conn, `SELECT w.i, count(*) AS n FROM dup_day x JOIN (VALUES ${shape(() => '0')}) w(i, s, e, l, t) ON x.ts >= w.s AND x.ts < w.e GROUP BY 1`);
  const nominal = windows.map((_, i) => Number(counts.find((c) => c.i === i)?.n ?? 0));
  const total = nominal.reduce((a, b) => a + b, 0);
  const budget = Math.round(rate * rowsExpected);
  // largest-remainder split of the budget in proportion to the nominal windows' rows
  const raw = nominal.map((x) => (total > 0 ? (budget * x) / total : 0));
  const take = raw.map(Math.floor);
  let left = (total > 0 ? budget : 0) - take.reduce((a, b) => a + b, 0);
  for (const i of raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i)) {
    if (left <= 0) break;
    take[i]++;
    left--;
  }
  const rt = (i: number) => (windows[i].reloadAt === null ? 'NULL::BIGINT' : String(windows[i].reloadAt));
  const jitter = r.u(`${table}.dup.jitter`, 'x.rid');
  const replayZ = r.z(`${table}.dup.delay`, 'x.rid');
  await conn.run(`INSERT INTO dup_rows SELECT '${key}', rid, d,
      CASE WHEN rt IS NULL THEN NULL ELSE rt + floor(jit * 9e2)::BIGINT END,
      ceil(CASE WHEN rt IS NULL THEN delay * (1e0 + 2e-1 * (2e0 * jit - 1e0)) ELSE ${dbl(d.replayMedianMinutes * 60)} * exp(8e-1 * rz) END)::BIGINT
    FROM (SELECT x.rid, x.d, w.rt, w.delay, ${jitter} AS jit, ${replayZ} AS rz, row_number() OVER (PARTITION BY w.i ORDER BY x.ts, x.rid) AS rn, w.t
      FROM dup_day x JOIN (VALUES ${windows.map((w, i) => `(${i}, ${w.start}, ${Number.isFinite(lim[i]) ? lim[i] : w.end + SLACK_DAYS * 86400}, ${take[i]}, ${rt(i)}, ${dbl(w.delay)})`).join(', ')}) w(i, s, l, t, rt, delay)
        ON x.ts >= w.s AND x.ts < w.l)
    WHERE rn <= t`);
  const got = await queryRows<{ i: number; n: bigint; lo: bigint; hi: bigint; ds: number[] }>(
    conn,
    `SELECT w.i, count(*) AS n, min(x.ts) AS lo, max(x.ts) AS hi, list_sort(list(DISTINCT x.d::INTEGER)) AS ds
     FROM dup_rows o JOIN dup_day x USING (rid) JOIN (VALUES ${shape(() => '0')}) w(i, s, e, l, t) ON x.ts >= w.s AND x.ts < w.l WHERE o.k = '${key}' GROUP BY 1`,
  );
  await conn.run('DROP TABLE dup_day');
  const incidents = windows.map((w, i): DupIncident => {
    const g = got.find((x) => x.i === i);
    return {
      kind: w.kind,
      from: g ? Number(g.lo) : 0,
      to: g ? Number(g.hi) : 0,
      reloadAt: w.reloadAt,
      delayMinutes: w.kind === 'replay' ? w.delay / 60 : null,
      rows: g ? Number(g.n) : 0,
      days: g ? [...g.ds].map(Number) : [],
    };
  });
  return { key, incidents, rows: incidents.reduce((a, x) => a + x.rows, 0) };
}

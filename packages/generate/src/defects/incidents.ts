import { RandomStream } from '@dnr/core';
import type { EventWindow } from '../behaviour/window.js';
import { localDate } from '../behaviour/window.js';
import type { DefectEntry } from './manifest.js';
import type { DefectPlan } from './profile.js';

/** Share of local days with a bulk update-job incident on one dimension column (about one day in eight). */
export const UPDATE_JOB_DAY_SHARE = 0.125;

/** One run of a back-office update job that re-stamped a timestamp column. */
export interface UpdateJobRun {
  /** Local day index of the run. */
  day: number;
  /** Unix seconds the job started (a back-office hour, 01:00–05:00 local). */
  startedAt: number;
  /** How far back (hours) the job re-processed rows whose true timestamp lies before its start. */
  lookbackHours: number;
  /** Rows it re-stamped. */
  rows: number;
}

/** What the bulk update jobs of one dimension column did. */
export interface UpdateJobIncidents {
  /** Entity id → the timestamp written (Unix seconds), instead of the true one. */
  restamped: Map<number, number>;
  runs: UpdateJobRun[];
}

/**
 * Bulk update-job incidents on one dimension timestamp column (card `activated_at`, buyer / seller
 * `created_at`): on about one local day in eight (seeded per column) a back-office job starts at
 * 01:00–05:00 local, re-processes the rows whose true timestamp lies in the 12–72 h before its start
 * (a share of 30–90% of them, each run its own) and overwrites the column with the moment it updates
 * each row (it works through them at 5–50 rows a second from its start). So the column piles up at
 * the job's run times, as real re-stamps do. A row is only re-stamped when the entity's first fact row
 * (`first`, epoch seconds; entities without facts qualify) is not earlier than the new timestamp, so
 * no fact precedes its dimension row and the FK failure rates stay exactly as injected. `truth`: id →
 * true timestamp (Unix seconds); `exclude`: ids already failing an FK (left out or mis-dated).
 * Deterministic in the seed; no incidents when the profile is clean.
 */
export function planUpdateJobs(
  plan: DefectPlan,
  window: EventWindow,
  midnight: (day: number) => number,
  target: string,
  truth: ReadonlyMap<number, number>,
  first: ReadonlyMap<number, number> | undefined,
  exclude: ReadonlySet<number>,
): UpdateJobIncidents {
  const out: UpdateJobIncidents = { restamped: new Map(), runs: [] };
  if (plan.rates.multiplier === 0) return out;
  const rs = new RandomStream(plan.seed, `defects/update_job/${target}`);
  const order = new RandomStream(plan.seed, `defects/update_job/${target}/order`);
  // entities by true timestamp, for the look-back windows
  const byTime = [...truth].filter(([id]) => !exclude.has(id)).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const times = byTime.map((x) => x[1]);
  const lowerBound = (t: number) => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (let d = 1; d < window.days; d++) {
    if (rs.uniform(d, 0) >= UPDATE_JOB_DAY_SHARE) continue;
    const startedAt = Math.floor(midnight(d) + 3600 * (1 + 4 * rs.uniform(d, 1)));
    const lookbackHours = 12 + 60 * rs.uniform(d, 2);
    const share = 0.3 + 0.6 * rs.uniform(d, 3);
    const perSecond = 5 * Math.exp(Math.log(10) * rs.uniform(d, 4));
    const from = lowerBound(startedAt - lookbackHours * 3600);
    const to = lowerBound(startedAt);
    let rows = 0;
    for (let i = from; i < to; i++) {
      const id = byTime[i][0];
      if (out.restamped.has(id) || order.uniform(id, d) >= share) continue;
      const at = startedAt + Math.floor(rows / perSecond);
      const f = first?.get(id);
      if (f !== undefined && f < at) continue;
      out.restamped.set(id, at);
      rows++;
    }
    if (rows) out.runs.push({ day: d, startedAt, lookbackHours: Math.round(lookbackHours * 10) / 10, rows });
  }
  return out;
}

const isoSeconds = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/**
 * The `update_job` entry of one dimension column (docs/warehouse.md): the rows re-stamped, the run
 * days and every run's start, look-back and rows; `params.restamped` lists every id with its true and
 * written timestamps. `rowsTotal`: rows of the written dimension. None without runs.
 */
export function updateJobEntry(window: EventWindow, table: string, column: string, rowsTotal: number, jobs: UpdateJobIncidents, truth: ReadonlyMap<number, number>): DefectEntry[] {
  if (!jobs.runs.length) return [];
  const n = jobs.restamped.size;
  return [
    {
      kind: 'update_job',
      table,
      column,
      target_rate: rowsTotal ? Math.round((n / rowsTotal) * 1e6) / 1e6 : 0,
      rows_affected: n,
      rows_total: rowsTotal,
      days: jobs.runs.map((r) => localDate(window, r.day)),
      params: {
        rule: `a back-office job re-stamped ${column} with the time it updated the row, for a share of the rows whose true ${column} lies in the hours before the job started; never later than the entity's first fact row (no FK breaks)`,
        runs: jobs.runs.map((r) => ({ day: localDate(window, r.day), started_at: isoSeconds(r.startedAt), lookback_hours: r.lookbackHours, rows: r.rows })),
        restamped: [...jobs.restamped]
          .sort((a, b) => a[0] - b[0])
          .map(([id, t]) => ({ id, true_value: isoSeconds(truth.get(id) ?? t), written_value: isoSeconds(t) })),
      },
    },
  ];
}

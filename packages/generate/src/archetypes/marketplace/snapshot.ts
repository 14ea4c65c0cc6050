import type { DuckDBConnection } from '@duckdb/node-api';
import type { StepHandle } from '@dnr/core';
import { loadColumns } from '../../behaviour/load.js';
import { idRanges } from '../../writer.js';
import type { GenContext } from '../../context.js';
import { LISTING_STATUS } from './market.js';
import type { SimulatedMarket } from './world.js';

/** The status names as a SQL list (codes are loaded, strings made in SQL: no per-row string from JS). */
const STATUS_NAMES = `([${LISTING_STATUS.map((x) => `'${x}'`).join(', ')}]::VARCHAR[])`;

/** The daily listing snapshot being written in the background, on its own connection. */
export interface SnapshotJob {
  /** Part files in all, and written so far. */
  parts: number;
  done: number;
  /** Called when parts were written (how many). */
  onPart?: (n: number) => void;
  /** Settles when every part is written (rejects with the first error). */
  finished: Promise<void>;
}

/**
 * One row per listing per local day from its creation (or the window start) to the window end, with
 * the status it had at the end of that day: the market's status changes expanded into days, in SQL.
 * Started as soon as the market is simulated and streamed from DuckDB to part files on a second
 * connection, so the largest table is written while the generator writes the dimensions, simulates
 * money and marketing and writes the other facts (both cores busy). `finishListingSnapshot` waits.
 */
export function startListingSnapshot(ctx: GenContext, sim: Pick<SimulatedMarket, 'market' | 'ids'>): SnapshotJob {
  const ids = sim.ids.listing;
  const nl = ids.length;
  const days = ctx.window.days;
  const ranges = idRanges(nl, Math.ceil((nl * days) / 2 / (ctx.chunkRows * 8)));
  const job: SnapshotJob = { parts: ranges.length, done: 0, finished: Promise.resolve() };
  job.finished = (async () => {
    const conn = await ctx.connect();
    await loadSpans(conn, ctx, sim);
    // all parts in one call (the event loop is busy with the money and marketing simulation meanwhile)
    const selects = ranges.map(
      ([lo, hi]) => `SELECT (DATE '${ctx.window.startDate}' + d::INTEGER)::DATE AS ds, listing_id, ${STATUS_NAMES}[s + 1] AS status
         FROM (SELECT listing_id, s, unnest(range(a, b)) AS d FROM mk_span WHERE listing_id BETWEEN ${ids[lo - 1]} AND ${ids[hi - 1]})`,
    );
    await ctx.writer.partsAtOnce('snapshot_listing_daily', selects, conn);
    job.done = job.parts;
    job.onPart?.(job.parts);
    await conn.run('DROP TABLE mk_span');
  })();
  // observed here so a failure is not an unhandled rejection before finishListingSnapshot awaits it
  job.finished.catch(() => undefined);
  return job;
}

/** Wait for the snapshot, showing its parts on the step's bar. */
export async function finishListingSnapshot(job: SnapshotJob, h?: StepHandle): Promise<void> {
  h?.total(job.parts);
  if (job.done) h?.tick(job.done);
  job.onPart = (n) => h?.tick(n);
  await job.finished;
}

/** mk_span: one row per listing status interval [a, b) in window days; s = status code (LISTING_STATUS index). */
async function loadSpans(conn: DuckDBConnection, ctx: GenContext, sim: Pick<SimulatedMarket, 'market' | 'ids'>): Promise<void> {
  const tr = sim.market.transitions;
  const listingId = new Float64Array(tr.n);
  for (let j = 0; j < tr.n; j++) listingId[j] = sim.ids.listing[tr.listing[j]];
  await loadColumns(conn, 'mk_tr', [
    ['listing_id', 'BIGINT', listingId],
    ['d0', 'INTEGER', tr.day],
    ['s', 'INTEGER', Int32Array.from(tr.status)],
  ]);
  await conn.run(`CREATE OR REPLACE TABLE mk_span AS
    SELECT listing_id, s, greatest(d0, 0) AS a, coalesce(lead(d0) OVER (PARTITION BY listing_id ORDER BY d0), ${ctx.window.days}) AS b FROM mk_tr`);
  await conn.run('DROP TABLE mk_tr');
  await conn.run(`DELETE FROM mk_span WHERE b <= a`);
}

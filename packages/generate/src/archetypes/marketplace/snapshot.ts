import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString, type StepHandle } from '@dnr/core';
import { loadColumns } from '../../behaviour/load.js';
import { sqlList } from '../../behaviour/sql.js';
import { idRanges } from '../../writer.js';
import type { GenContext } from '../../context.js';
import { LISTING_STATUS } from './market.js';
import type { SimulatedMarket } from './world.js';

/**
 * SQL: a span's status (code `s`, loaded from JS) as an ENUM of the status names, made once per span
 * before the span is expanded into days. An ENUM column is written to Parquet as the same UTF-8 string
 * column a VARCHAR would be (read back as VARCHAR, the same values and checksums), but each day's row
 * carries a one-byte code instead of a string built per row: measured on 90M rows on this machine,
 * the status went from 13 s to 3.7 s of the snapshot's CPU (VARCHAR list lookup per row 18.2 s in all,
 * ENUM per span 8.9 s, no status column 5.2 s).
 */
const STATUS_ENUM = `${sqlList(LISTING_STATUS)}[s + 1]::ENUM(${LISTING_STATUS.map(sqlString).join(', ')})`;

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
      ([lo, hi]) => `SELECT (DATE '${ctx.window.startDate}' + d::INTEGER)::DATE AS ds, listing_id, status
         FROM (SELECT listing_id, ${STATUS_ENUM} AS status, unnest(range(a, b)) AS d FROM mk_span WHERE listing_id BETWEEN ${ids[lo - 1]} AND ${ids[hi - 1]})`,
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

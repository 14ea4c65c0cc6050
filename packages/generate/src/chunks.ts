import os from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { GenContext } from './context.js';

/**
 * How many chunks run at once: one per core, at most two. A chunk's SQL is mostly one pipeline that
 * DuckDB runs on one thread (its source is a few thousand spend windows: one row group), so two
 * chunks on two connections keep two cores busy where one chunk with two threads does not.
 */
export function chunkConcurrency(): number {
  return Math.max(1, Math.min(2, os.availableParallelism()));
}

/**
 * Run `work(conn, i)` for i = 0 … count−1, up to `chunkConcurrency()` at a time, each on its own
 * connection (ctx.conn and extra ones from ctx.connect, prepared by `setup`). Chunks are taken in
 * order from a shared queue; after a failure no new chunk starts, the running ones finish and the
 * first error is thrown. Results must not depend on which connection or in which order chunks run.
 */
export async function runChunks(
  ctx: GenContext,
  count: number,
  work: (conn: DuckDBConnection, i: number) => Promise<void>,
  setup: (conn: DuckDBConnection) => Promise<void> = async () => {},
): Promise<void> {
  const conns = [ctx.conn];
  for (let k = 1; k < Math.min(chunkConcurrency(), count); k++) {
    const conn = await ctx.connect();
    await setup(conn);
    conns.push(conn);
  }
  // `threads` is a database-wide setting. With one connection per core each query gets its own
  // core; letting every query also spawn a thread per core oversubscribes the machine (measured on
  // 2 cores: two concurrent chunk queries took 1.54 s with threads = 1 and 4.15 s with threads = 2).
  const shareCores = conns.length > 1;
  if (shareCores) await ctx.conn.run('SET threads = 1');
  try {
    await runQueue(conns, count, work);
  } finally {
    if (shareCores) await ctx.conn.run('RESET threads');
  }
}

/** The chunk queue of `runChunks`: each connection takes the next index until all are done or one fails. */
async function runQueue(conns: DuckDBConnection[], count: number, work: (conn: DuckDBConnection, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const results = await Promise.allSettled(
    conns.map(async (conn) => {
      while (!failed && next < count) {
        const i = next++;
        try {
          await work(conn, i);
        } catch (e) {
          failed = true;
          throw e;
        }
      }
    }),
  );
  const error = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (error) throw error.reason;
}

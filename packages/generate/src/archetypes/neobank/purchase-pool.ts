import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { sqlString } from '@dnr/core';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadColumns } from '../../behaviour/load.js';
import { purchaseRows } from './purchase-draws.js';
import { AUTH_RESULTS, CHANNELS, type PurchaseColumns, type PurchaseLookups } from './purchase-lookups.js';

/**
 * Write purchaseRows' columns to a Parquet file (LZ4, the build's scratch): rid, d, utc (Unix s), k,
 * true_merchant, amount_cents, ch and au (codes of CHANNELS and AUTH_RESULTS), bps0, reason (−1 = none).
 * Numbers travel as DOUBLE and INTEGER vectors copied whole (no per-value conversion); DuckDB casts them.
 * Runs on the worker threads' own DuckDB (or the build's connection in-thread); `table` names the
 * working table (unique among concurrent callers of one database).
 */
export async function writePurchasePart(conn: DuckDBConnection, c: PurchaseColumns, file: string, table: string): Promise<void> {
  const n = c.n;
  await loadColumns(conn, table, [
    ['rid', 'DOUBLE', c.rid.subarray(0, n)],
    ['d', 'INTEGER', c.d.subarray(0, n)],
    ['utc', 'DOUBLE', c.utc.subarray(0, n)],
    ['k', 'INTEGER', c.k.subarray(0, n)],
    ['true_merchant', 'DOUBLE', c.merchant.subarray(0, n)],
    ['amount_cents', 'DOUBLE', c.amount.subarray(0, n)],
    ['ch', 'INTEGER', c.channel.subarray(0, n)],
    ['au', 'INTEGER', c.auth.subarray(0, n)],
    ['bps0', 'DOUBLE', c.bps.subarray(0, n)],
    ['reason', 'INTEGER', c.reason.subarray(0, n)],
  ]);
  await conn.run(`COPY (SELECT rid::BIGINT AS rid, d::BIGINT AS d, utc::BIGINT AS utc, k, true_merchant::BIGINT AS true_merchant, amount_cents::BIGINT AS amount_cents,
    ch::TINYINT AS ch, au::TINYINT AS au, bps0, reason::TINYINT AS reason FROM ${table}) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION lz4_raw)`);
  await conn.run(`DROP TABLE ${table}`);
}

/** SQL: the rows of a writePurchasePart file as spend rows (rid, d, ev TIMESTAMP, k, true_merchant, amount_cents, channel and auth_result text, bps0 as `bpsType`, reason NULL when none). */
export function purchasePartSql(file: string, bpsType: string): string {
  const list = (xs: readonly string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
  return `SELECT rid, d, make_timestamp(utc * 1000000) AS ev, k, true_merchant, amount_cents, ${list(CHANNELS)}[ch + 1] AS channel, ${list(AUTH_RESULTS)}[au + 1] AS auth_result,
    bps0::${bpsType} AS bps0, CASE WHEN reason >= 0 THEN reason::INTEGER END AS reason FROM read_parquet(${sqlString(file)})`;
}

/** The compiled worker next to this module (absent when the sources run under the test runner). */
function workerFile(): URL | null {
  const url = new URL('./purchases-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Worker threads drawing purchases (purchaseRows) and writing them to Parquet (writePurchasePart, each on
 * its own DuckDB) while the main thread goes on: one per core, at most two. Each worker takes the next
 * waiting range when it finishes one (chunks differ in size). Without a compiled worker (sources under
 * the test runner) the parts are drawn and written in-thread on `conn`, one at a time; the files are the
 * same either way (purchaseRows depends only on the lookups and the range). `close` ends the threads.
 */
export class PurchasePool {
  private readonly slots: Array<{ worker: Worker; current: Task | null }> = [];
  private readonly queue: Task[] = [];
  private inline: Promise<void> = Promise.resolve();

  constructor(
    private readonly lookups: PurchaseLookups,
    threads: number,
    private readonly conn: DuckDBConnection,
  ) {
    const file = workerFile();
    if (!file) return;
    for (let i = 0; i < threads; i++) {
      const slot = { worker: new Worker(file, { workerData: lookups, stdout: false, stderr: false }), current: null as Task | null };
      const fail = (e: Error) => {
        slot.current?.reject(e);
        slot.current = null;
        this.slots.splice(this.slots.indexOf(slot), 1);
        // ranges no worker is left to take fail too
        if (!this.slots.length) for (const q of this.queue.splice(0)) q.reject(e);
      };
      slot.worker.on('message', (msg: { ok: true } | { ok: false; message: string; stack?: string }) => {
        if (msg.ok) slot.current?.resolve();
        else slot.current?.reject(Object.assign(new Error(`neobank purchase worker: ${msg.message}`), { stack: msg.stack }));
        slot.current = null;
        this.dispatch();
      });
      slot.worker.on('error', fail);
      slot.worker.on('exit', (code) => fail(new Error(`neobank purchase worker exited (code ${code})`)));
      this.slots.push(slot);
    }
  }

  /** Hand waiting ranges to idle workers. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.current || !this.queue.length) continue;
      const t = (slot.current = this.queue.shift()!);
      slot.worker.postMessage({ lo: t.lo, hi: t.hi, file: t.file, spillDir: path.dirname(t.file) });
    }
  }

  /** Draw the purchases of customers cidx in [lo, hi] into Parquet file `file` (writePurchasePart). */
  write(lo: number, hi: number, file: string): Promise<void> {
    if (!this.slots.length) {
      const run = this.inline.then(() => writePurchasePart(this.conn, purchaseRows(this.lookups, lo, hi), file, 'nb_purchase_rows'));
      this.inline = run.catch(() => undefined);
      return run;
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ lo, hi, file, resolve, reject });
      this.dispatch();
    });
  }

  /** End the worker threads. */
  async close(): Promise<void> {
    await Promise.all(
      this.slots.map(async (s) => {
        // a worker closes its database and ends; one that does not within 10 s is stopped
        const ended = new Promise<void>((resolve) => s.worker.once('exit', () => resolve()));
        s.worker.postMessage({ close: true });
        const timer = setTimeout(() => void s.worker.terminate(), 10_000);
        await ended;
        clearTimeout(timer);
      }),
    );
  }
}

/** A range waiting for (or held by) a worker. */
interface Task {
  lo: number;
  hi: number;
  file: string;
  resolve: () => void;
  reject: (e: Error) => void;
}

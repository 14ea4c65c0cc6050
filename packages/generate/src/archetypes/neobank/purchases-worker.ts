/**
 * Worker thread of a neobank build (purchase-pool.ts PurchasePool): draws the purchases of the customer
 * ranges the main thread asks for, from the lookups in workerData, and writes each range to its Parquet
 * file through the thread's own DuckDB (one thread, a small memory limit), answering in request order.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { purchaseRows } from './purchase-draws.js';
import type { PurchaseColumns, PurchaseLookups } from './purchase-lookups.js';
import { writePurchasePart } from './purchase-pool.js';

const port = parentPort!;
const lookups = workerData as PurchaseLookups;
let db: Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> | null = null;
// the columns of the last range, filled again by the next (no new buffers per range)
let columns: PurchaseColumns | undefined;
// one thread and a small memory limit: a range's working table is ~40 MB (more spills to the build's scratch folder)
const open = async (spillDir: string) => {
  // a folder of its own: DuckDB's spill files are named per database, not per process
  const dir = path.join(spillDir, `purchases-worker-${threadId}`);
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '128MB', temp_directory: dir });
  return { instance, conn: await instance.connect() };
};
// requests are handled one after another (each awaits the previous), so the answers keep their order;
// `close` (the last message) closes the database and lets the thread end
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: { lo: number; hi: number; file: string; spillDir: string } | { close: true }) => {
  queue = queue.then(async () => {
    if ('close' in req) {
      if (db) {
        const { instance, conn } = await db;
        conn.closeSync();
        instance.closeSync();
      }
      port.close();
      return;
    }
    try {
      db ??= open(req.spillDir);
      columns = purchaseRows(lookups, req.lo, req.hi, columns);
      await writePurchasePart((await db).conn, columns, req.file, 'purchase_rows');
      port.postMessage({ ok: true });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ ok: false, message: e.message, stack: e.stack });
    }
  });
});

/**
 * Worker thread of a neobank build (purchase-pool.ts PurchasePool): draws the purchases of the customer
 * ranges the main thread asks for, from the lookups in workerData, and writes each range to its Parquet
 * file through the thread's own DuckDB (one thread, a small memory limit), answering in request order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { purchaseRows } from './purchase-draws.js';
import type { PurchaseColumns, PurchaseLookups } from './purchase-lookups.js';
import { writePurchasePart } from './purchase-pool.js';

const port = parentPort!;
const lookups = workerData as PurchaseLookups;
let conn: Promise<DuckDBConnection> | null = null;
// the columns of the last range, filled again by the next (no new buffers per range)
let columns: PurchaseColumns | undefined;
const connect = async () => (await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '512MB' })).connect();
// requests are handled one after another (each awaits the previous), so the answers keep their order
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: { lo: number; hi: number; file: string }) => {
  queue = queue.then(async () => {
    try {
      conn ??= connect();
      columns = purchaseRows(lookups, req.lo, req.hi, columns);
      await writePurchasePart(await conn, columns, req.file, 'purchase_rows');
      port.postMessage({ ok: true });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ ok: false, message: e.message, stack: e.stack });
    }
  });
});

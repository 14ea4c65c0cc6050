/**
 * Worker thread of a neobank build (purchases.ts PurchasePool): draws the purchases of the customer
 * ranges the main thread asks for, from the lookups in workerData, and posts the columns back
 * (their buffers transferred, not copied), in request order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { columnBuffers, purchaseRows, type PurchaseLookups } from './purchase-draws.js';

const port = parentPort!;
const lookups = workerData as PurchaseLookups;
port.on('message', (req: { lo: number; hi: number }) => {
  try {
    const c = purchaseRows(lookups, req.lo, req.hi);
    port.postMessage({ ok: true, c }, columnBuffers(c));
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ ok: false, message: e.message, stack: e.stack });
  }
});

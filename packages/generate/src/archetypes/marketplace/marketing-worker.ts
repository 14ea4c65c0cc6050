/**
 * Worker thread of a marketplace build (marketing-job.ts): rebuilds the market model from workerData
 * (while the main thread starts simulating the market), then answers the main thread's requests in
 * order: the exposures and arrivals of the buyers' second half, and the marketing run (its summary as
 * soon as the paths are simulated, then the files and checksums of the tables its own DuckDB wrote).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buyerArrivals, buyerExposures, demandDayWeights } from './demand.js';
import { runMarketingJob, type MarketingMessage, type MarketingModelInput, type WorkerRequest } from './marketing-job.js';
import { marketModel } from './model.js';
import type { Buyers } from './parties.js';

const port = parentPort!;
const input = workerData as MarketingModelInput;
const m = marketModel(input.behaviour, input.window, input.seed, input.trajectory);
const dayWeights = demandDayWeights(m);
let buyers: Buyers | null = null;
const post = (msg: MarketingMessage, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
const fail = (error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  post({ kind: 'error', message: e.message, stack: e.stack });
};
port.on('message', (req: WorkerRequest) => {
  try {
    if (req.kind === 'exposures') {
      buyers = req.buyers;
      const values = buyerExposures(m, buyers, dayWeights, req.from, buyers.n);
      post({ kind: 'exposures', values }, [values.buffer as ArrayBuffer]);
    } else if (req.kind === 'arrivals') {
      if (!buyers) throw new Error('arrivals before exposures');
      const a = buyerArrivals(m, buyers, dayWeights, req.base, req.from, buyers.n);
      post({ kind: 'arrivals', arrivals: a }, [a.buyer.buffer, a.utc.buffer, a.localDay.buffer] as ArrayBuffer[]);
    } else {
      // the last request: the port closes once the tables are written, so the thread ends
      runMarketingJob(m, req.run, input.seed, (summary) => post({ kind: 'summary', summary }))
        .then((done) => post(done), fail)
        .finally(() => port.close());
    }
  } catch (error) {
    fail(error);
  }
});

/**
 * Worker thread of the marketplace marketing job (marketing-job.ts): rebuilds the market model from
 * workerData (while the main thread simulates the market), waits for the simulated market's part
 * marketing reads, then posts the marketing summary and, once its own DuckDB has written the
 * marketing tables, their files and checksums.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runMarketingJob, type MarketingMessage, type MarketingModelInput, type MarketingRunInput } from './marketing-job.js';
import { marketModel } from './model.js';

const port = parentPort!;
const input = workerData as MarketingModelInput;
const m = marketModel(input.behaviour, input.window, input.seed, input.trajectory);
const post = (msg: MarketingMessage) => port.postMessage(msg);
port.once('message', (run: MarketingRunInput) => {
  runMarketingJob(m, run, input.seed, (summary) => post({ kind: 'summary', summary })).then(post, (error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ kind: 'error', message: e.message, stack: e.stack });
  });
});

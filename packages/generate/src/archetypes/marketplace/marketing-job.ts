import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { closeDuckDB, openDuckDB, sqlString, type MarketplaceBehaviour } from '@dnr/core';
import type { GenContext } from '../../context.js';
import type { EventWindow } from '../../behaviour/window.js';
import { ParquetWriter, type FileChecksum, type TableFiles } from '../../writer.js';
import { completeMarketing, marketingPaths, type Marketing, type MarketingBuyers, type MarketingOrders, type MarketingSummary } from './marketing.js';
import type { MarketModel } from './model.js';
import { writeMarketingTables } from './orders.js';
import type { SimulatedMarket } from './world.js';

/** The marketing tables (dim_campaign, fact_touchpoint, fact_channel_daily), written by the job. */
export const MARKETING_TABLES = ['dim_campaign', 'fact_touchpoint', 'fact_channel_daily'];

/** What rebuilds the market model in another thread (marketModel's arguments: the same model, value for value). */
export interface MarketingModelInput {
  behaviour: MarketplaceBehaviour;
  window: EventWindow;
  seed: number;
  trajectory: 'T1' | 'T2' | 'T3';
}

/** The simulated market's part marketing reads, and where the tables go (structured-cloneable: sent to a worker). */
export interface MarketingRunInput {
  buyers: MarketingBuyers;
  orders: MarketingOrders;
  /** Buyer ids by buyer index. */
  buyerIds: Float64Array;
  /** Tables to write (of MARKETING_TABLES). */
  tables: string[];
  parquetDir: string;
  rowGroupRows: number;
  /** DuckDB spill folder of the worker's own database. */
  spillDir: string;
}

/** Worker → main messages. */
export type MarketingMessage =
  | { kind: 'summary'; summary: MarketingSummary }
  | { kind: 'done'; written: Array<[string, TableFiles]>; checksums: Array<[string, FileChecksum]> }
  | { kind: 'error'; message: string; stack?: string };

/** DuckDB memory limit of the worker's database (fact_touchpoint's working table is ~250 MB at evaluation scale; more spills). */
const WORKER_MEMORY = '512MB';

/**
 * The marketing simulation (marketing.ts) and its tables, in the worker thread (`marketing-worker.ts`)
 * with its own DuckDB: `marketingPaths`, then `completeMarketing` and `writeMarketingTables` into the
 * writer's folder. Returns the files and their read-back checksums. `post` gets the summary as soon as
 * the paths are simulated (the orders' fees need it). The same code runs in-thread when there is no
 * compiled worker (sources run by the test runner).
 */
export async function runMarketingJob(m: MarketModel, run: MarketingRunInput, seed: number, post: (summary: MarketingSummary) => void): Promise<Extract<MarketingMessage, { kind: 'done' }>> {
  const paths = marketingPaths(m, run.buyers, run.orders);
  post({ channels: paths.channels, acquisition: paths.acquisition, lastTouch: paths.lastTouch });
  const mk = completeMarketing(m, run.buyers, paths);
  const session = await openDuckDB({ timeZone: 'UTC', memoryLimit: WORKER_MEMORY, threads: 1 });
  try {
    mkdirSync(run.spillDir, { recursive: true });
    await session.connection.run(`SET temp_directory = ${sqlString(run.spillDir)}`);
    const writer = new ParquetWriter(session.connection, run.parquetDir, run.rowGroupRows);
    await writeMarketingTables({ conn: session.connection, writer, want: (t) => run.tables.includes(t), seed }, mk, { window: m.window, buyerIds: run.buyerIds, orders: run.orders.n });
    return { kind: 'done', written: [...writer.written], checksums: [...writer.checksums] };
  } finally {
    closeDuckDB(session);
  }
}

/** The compiled worker next to this module (absent when the sources run under the test runner). */
function workerFile(): URL | null {
  const url = new URL('./marketing-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * The marketing of one build, simulated and written in a worker thread while the generator writes the
 * orders, money tables and truth on the main thread (the second core). Created before the market is
 * simulated (the worker rebuilds the market model meanwhile); `run` hands it the simulated market;
 * `summary` is what the fees and truth need; `finish` waits for the tables and adds them to the
 * generator's writer. Without a compiled worker everything runs in-thread, in the old order (same
 * values either way: the job is deterministic in the model and the market).
 */
export class MarketingJob {
  private readonly worker: Worker | null;
  private readonly model: MarketingModelInput;
  private summaryPromise: Promise<MarketingSummary> | null = null;
  private donePromise: Promise<Extract<MarketingMessage, { kind: 'done' }>> | null = null;
  private inline: { sim: SimulatedMarket; marketing?: Marketing } | null = null;

  constructor(private readonly ctx: GenContext) {
    const w = ctx.config.warehouse;
    this.model = { behaviour: ctx.config.behaviour.marketplace, window: ctx.window, seed: w.seed, trajectory: w.trajectory };
    const file = workerFile();
    this.worker = file ? new Worker(file, { workerData: this.model, stdout: false, stderr: false }) : null;
    // the worker must not hold the process open if the generator fails before it is used
    this.worker?.unref();
  }

  /** Start the job on the simulated market. */
  run(sim: SimulatedMarket): void {
    const { worker } = this;
    if (!worker) {
      this.inline = { sim };
      return;
    }
    const input: MarketingRunInput = {
      buyers: { n: sim.buyers.n, segment: sim.buyers.segment, signup: sim.buyers.signup },
      orders: { n: sim.market.orders.n, arrival: sim.market.orders.arrival, buyer: sim.market.orders.buyer, utc: sim.market.orders.utc },
      buyerIds: sim.ids.buyer,
      tables: MARKETING_TABLES.filter((t) => this.ctx.want(t)),
      parquetDir: this.ctx.writer.parquetDir,
      rowGroupRows: this.ctx.config.warehouse.row_group_rows,
      spillDir: path.join(this.ctx.truthDir, '.spill', 'marketing'),
    };
    let onSummary!: (s: MarketingSummary) => void;
    this.summaryPromise = new Promise((resolve) => (onSummary = resolve));
    this.donePromise = new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        reject(error);
        onSummary = () => undefined;
      };
      worker.on('message', (msg: MarketingMessage) => {
        if (msg.kind === 'summary') onSummary(msg.summary);
        else if (msg.kind === 'done') resolve(msg);
        else fail(Object.assign(new Error(`marketing worker: ${msg.message}`), { stack: msg.stack }));
      });
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`marketing worker exited (code ${code}) before it finished`)));
    });
    // a failure rejects the summary too (the caller awaits one or the other)
    this.summaryPromise = Promise.race([this.summaryPromise, this.donePromise.then(() => new Promise<never>(() => undefined))]);
    this.donePromise.catch(() => undefined);
    worker.postMessage(input);
  }

  /** In-thread: the whole marketing simulation, once. */
  private inlineMarketing(inline: { sim: SimulatedMarket; marketing?: Marketing }): Marketing {
    const { sim } = inline;
    inline.marketing ??= completeMarketing(sim.m, sim.buyers, marketingPaths(sim.m, sim.buyers, sim.market.orders));
    return inline.marketing;
  }

  /** Channels, acquisition and last-touch channels (computed in-thread here when there is no worker). */
  async summary(): Promise<MarketingSummary> {
    if (this.inline) return this.inlineMarketing(this.inline);
    if (!this.summaryPromise) throw new Error('MarketingJob.summary before run');
    return this.summaryPromise;
  }

  /** Wait for the marketing tables and record their files and checksums in the generator's writer. */
  async finish(): Promise<void> {
    const { ctx } = this;
    if (this.inline) {
      const { sim } = this.inline;
      const seed = ctx.config.warehouse.seed;
      await writeMarketingTables({ conn: ctx.conn, writer: ctx.writer, want: ctx.want, seed }, this.inlineMarketing(this.inline), { window: ctx.window, buyerIds: sim.ids.buyer, orders: sim.market.orders.n });
      return;
    }
    if (!this.donePromise) throw new Error('MarketingJob.finish before run');
    const done = await this.donePromise;
    for (const [rel, c] of done.checksums) ctx.writer.checksums.set(rel, c);
    for (const [table, files] of done.written) ctx.writer.written.set(table, files);
  }

  /** After a failure elsewhere: let a running job settle (its database closes), or stop an idle worker. */
  async abandon(): Promise<void> {
    if (!this.worker) return;
    if (this.donePromise) await this.donePromise.catch(() => undefined);
    else await this.worker.terminate();
  }
}

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { closeDuckDB, openDuckDB, sqlString, type MarketplaceBehaviour } from '@dnr/core';
import type { GenContext } from '../../context.js';
import type { EventWindow } from '../../behaviour/window.js';
import { ParquetWriter, type FileChecksum, type TableFiles } from '../../writer.js';
import { completeMarketing, marketingPaths, type Marketing, type MarketingBuyers, type MarketingOrders, type MarketingPaths, type MarketingSummary } from './marketing.js';
import type { MarketModel } from './model.js';
import { writeMarketingTables } from './orders.js';
import type { DemandHelper, SimulatedMarket } from './world.js';
import type { Arrivals } from './demand.js';
import type { Buyers } from './parties.js';

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

/** Main → worker messages, handled in order. */
export type WorkerRequest =
  | { kind: 'exposures'; buyers: Buyers; from: number }
  | { kind: 'arrivals'; base: number; from: number }
  | { kind: 'run'; run: MarketingRunInput };

/** Worker → main messages. */
export type MarketingMessage =
  | { kind: 'exposures'; values: Float64Array }
  | { kind: 'arrivals'; arrivals: Arrivals }
  | { kind: 'summary'; summary: MarketingSummary }
  | { kind: 'done'; written: Array<[string, TableFiles]>; checksums: Array<[string, FileChecksum]> }
  | { kind: 'error'; message: string; stack?: string };

/** DuckDB memory limit of the worker's database (fact_touchpoint's working table is ~150 MB at evaluation scale; more spills). */
const WORKER_MEMORY = '512MB';

/**
 * The marketing simulation (marketing.ts) and its tables, in the worker thread (`marketing-worker.ts`)
 * with its own DuckDB: `marketingPaths`, then `completeMarketing` and `writeMarketingTables` into the
 * writer's folder. Returns the files and their read-back checksums. `post` gets the summary as soon as
 * the paths are simulated (the orders' fees need it). Without a compiled worker (sources run by the test
 * runner) MarketingJob runs the same steps in-thread instead, on the generator's own connection.
 */
export async function runMarketingJob(m: MarketModel, run: MarketingRunInput, seed: number, post: (summary: MarketingSummary) => void): Promise<Extract<MarketingMessage, { kind: 'done' }>> {
  let paths: MarketingPaths | null = marketingPaths(m, run.buyers, run.orders);
  post({ channels: paths.channels, acquisition: paths.acquisition, lastTouch: paths.lastTouch });
  const mk = completeMarketing(m, run.buyers, paths);
  // the path touches are in mk.touches now: their own columns may go while the tables are written
  paths = null;
  const session = await openDuckDB({ timeZone: 'UTC', memoryLimit: WORKER_MEMORY, threads: 1 });
  try {
    mkdirSync(run.spillDir, { recursive: true });
    await session.connection.run(`SET temp_directory = ${sqlString(run.spillDir)}`);
    const writer = new ParquetWriter(session.connection, run.parquetDir, run.rowGroupRows);
    await writeMarketingTables({ conn: session.connection, writer, want: (t) => run.tables.includes(t), seed }, mk, { window: m.window, buyerIds: run.buyerIds, orders: run.orders.n, consumeTouches: true, scratchDir: path.join(run.spillDir, 'touches') });
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
 * The worker thread of one build (the second core): created before the market is simulated (it rebuilds
 * the market model meanwhile), it takes the second half of the per-buyer demand work (`demand`: exposures,
 * then arrivals), then simulates the marketing and writes its tables while the generator writes the orders,
 * money tables and truth on the main thread. `run` hands it the simulated market; `summary` is what the
 * fees and truth need; `finish` waits for the tables and adds them to the generator's writer. Without a
 * compiled worker everything runs in-thread, in the old order (same values either way: every part is
 * deterministic in the model and its inputs).
 */
export class MarketingJob {
  private readonly worker: Worker | null;
  private readonly model: MarketingModelInput;
  private summaryPromise: Promise<MarketingSummary> | null = null;
  private donePromise: Promise<Extract<MarketingMessage, { kind: 'done' }>> | null = null;
  private inline: { sim: SimulatedMarket; marketing?: Marketing } | null = null;
  /** Replies awaited, in request order (the worker answers in order). */
  private readonly waiting: Array<{ kind: MarketingMessage['kind']; resolve: (msg: MarketingMessage) => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;
  private started = false;

  constructor(private readonly ctx: GenContext) {
    const w = ctx.config.warehouse;
    this.model = { behaviour: ctx.config.behaviour.marketplace, window: ctx.window, seed: w.seed, trajectory: w.trajectory };
    const file = workerFile();
    this.worker = file ? new Worker(file, { workerData: this.model, stdout: false, stderr: false }) : null;
    if (!this.worker) return;
    // the worker must not hold the process open if the generator fails before it is used
    this.worker.unref();
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    this.worker.on('message', (msg: MarketingMessage) => {
      if (msg.kind === 'error') return fail(Object.assign(new Error(`marketplace worker: ${msg.message}`), { stack: msg.stack }));
      const next = this.waiting[0];
      if (next?.kind !== msg.kind) return fail(new Error(`marketplace worker: unexpected ${msg.kind} message`));
      this.waiting.shift();
      next.resolve(msg);
    });
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`marketplace worker exited (code ${code}) before it finished`)));
  }

  /** Send a request; resolves with the reply of `kind` (rejects when the worker fails). */
  private ask<K extends MarketingMessage['kind']>(request: WorkerRequest, kind: K, transfer: ArrayBuffer[] = []): Promise<Extract<MarketingMessage, { kind: K }>> {
    this.started = true;
    if (this.failure) return Promise.reject(this.failure);
    const reply = new Promise<MarketingMessage>((resolve, reject) => this.waiting.push({ kind, resolve, reject }));
    this.worker!.postMessage(request, transfer);
    return reply as Promise<Extract<MarketingMessage, { kind: K }>>;
  }

  /** The second half of the buyers' demand work, in the worker (null without one: all in-thread). */
  demand(): DemandHelper | null {
    if (!this.worker) return null;
    return {
      exposures: async (buyers, from) => (await this.ask({ kind: 'exposures', buyers, from }, 'exposures')).values,
      arrivals: async (base, from) => (await this.ask({ kind: 'arrivals', base, from }, 'arrivals')).arrivals,
    };
  }

  /** Start the marketing on the simulated market. */
  run(sim: SimulatedMarket): void {
    if (!this.worker) {
      this.inline = { sim };
      return;
    }
    const run: MarketingRunInput = {
      buyers: { n: sim.buyers.n, segment: sim.buyers.segment, signup: sim.buyers.signup, country: sim.buyers.country },
      orders: { n: sim.market.orders.n, arrival: sim.market.orders.arrival, buyer: sim.market.orders.buyer, utc: sim.market.orders.utc },
      buyerIds: sim.ids.buyer,
      tables: MARKETING_TABLES.filter((t) => this.ctx.want(t)),
      parquetDir: this.ctx.writer.parquetDir,
      rowGroupRows: this.ctx.config.warehouse.row_group_rows,
      spillDir: path.join(this.ctx.truthDir, '.spill', 'marketing'),
    };
    // both replies are awaited now: the summary, then the written tables
    this.summaryPromise = this.ask({ kind: 'run', run }, 'summary').then((msg) => msg.summary);
    const done = new Promise<MarketingMessage>((resolve, reject) => this.waiting.push({ kind: 'done', resolve, reject }));
    this.donePromise = done as Promise<Extract<MarketingMessage, { kind: 'done' }>>;
    this.summaryPromise.catch(() => undefined);
    this.donePromise.catch(() => undefined);
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

  /** After a failure elsewhere: let running marketing settle (its database closes), or stop a worker without one. */
  async abandon(): Promise<void> {
    if (!this.worker) return;
    if (this.donePromise) await this.donePromise.catch(() => undefined);
    else await this.worker.terminate();
  }
}

import { rmSync } from 'node:fs';
import path from 'node:path';
import { queryRows, sqlString, type StepHandle } from '@dnr/core';
import type { DuckDBConnection } from '@duckdb/node-api';
import { idBits } from '../../behaviour/ids.js';
import { loadColumns } from '../../behaviour/load.js';
import { emptyStats, prepareSpikeRows, writeFactChunk, type Companion, type FactChunk, type FactStats } from '../../defects/apply.js';
import { chunkConcurrency, runChunks } from '../../chunks.js';
import type { FkInjection } from '../../defects/inject.js';
import { chooseEntityFailures, type EntityFailures } from '../../defects/entity.js';
import { planUpdateJobs, updateJobEntry } from '../../defects/incidents.js';
import { defectEntries } from '../../defects/record.js';
import { installOutages, outageSpans, type OutageResult } from '../../defects/outages.js';
import { dupIncidentWindows, installDupIncidents, type DupIncidents } from '../../defects/dup-incidents.js';
import { localSecondsSql } from '../../behaviour/clock-sql.js';
import { idRanges } from '../../writer.js';
import type { GenContext } from '../../context.js';
import { expectedSpendUnits, installSpendTables } from './spend-tables.js';
import { FIXED_STREAMS_TABLE, fixedStreamsSql, STALE_MAX, TAG_BITS, type SpendSqlParams } from './spend-sql.js';
import { meanRetryProbability, reasonColumnsSql } from './declines.js';
import { interchangeSql } from './interchange.js';
import { installRefundRates, refundCompanion, REFUND_TABLE } from './refunds.js';
import { PurchasePool, purchasePartSql } from './purchase-pool.js';
import { readPurchaseLookups } from './purchases.js';
import type { NeobankWorld } from './world.js';

const TABLE = 'fact_card_transaction';
/** The decline reasons of the declined card transactions (one row per declined txn_id), written beside them. */
export const DECLINE_TABLE = 'fact_authorization_decline';

/** Cards and merchants whose dimension rows are left out or mis-dated (defects/entity.ts). */
export interface CardKeyFailures {
  card: EntityFailures;
  merchant: EntityFailures;
}

/**
 * Candidate mis-dated activations of dim_card (`tc_card(id, rec)`): the activated_at a card would get
 * if a later update (a re-activation after a freeze, a reissue, a PIN reset) overwrote it, a lognormal
 * 4 days – 4 months (median 3 weeks) after the true activation and at least two weeks before the card
 * (or the window) ends. Which of them
 * are actually written is chosen after the transactions (defects/entity.ts).
 */
async function installLateActivations(conn: DuckDBConnection, world: NeobankWorld): Promise<Map<number, number>> {
  const { ac, ids, m } = world;
  const rs = m.rs('defects.card_late_activation');
  const rec = new Map<number, number>();
  ac.cards.forEach((c, k) => {
    if (Number.isNaN(c.activated)) return;
    const t = Math.floor(c.activated + 86400 * Math.exp(Math.log(21) + 0.8 * rs.standardNormal(k)));
    // the update happens while the card is in use: at least two weeks before it ends (or the window does)
    if (t > c.activated + 86400 && t < Math.min(c.ended, m.endUtc) - 14 * 86400) rec.set(ids.card[k], t);
  });
  await loadColumns(conn, 'tc_card_src', [
    ['id', 'BIGINT', [...rec.keys()]],
    ['rec', 'BIGINT', [...rec.values()]],
  ]);
  await conn.run('CREATE OR REPLACE TABLE tc_card AS SELECT id, make_timestamp(rec * 1000000) AS rec FROM tc_card_src');
  return rec;
}

/** Largest generation key of any transaction stream (sets the id permutation's domain). */
function maxKey(world: NeobankWorld): number {
  const spans = world.spans.card.length;
  const blocked = world.spans.blocked.card.length;
  const rec = world.recurring.length;
  // nb_stale has at most one row per card
  const stale = world.ac.cards.length;
  const tags = 2 ** TAG_BITS;
  return Math.max(((spans * 1024 + 1023) * 128 + 127) * tags + tags - 1, (blocked * 131072 + 999) * tags + tags - 1, (rec * 256 + 255) * tags + tags - 1, ((rec * 256 + 255) * 8 + 7) * tags + tags - 1, (stale * STALE_MAX + STALE_MAX - 1) * tags + tags - 1);
}

/** The card_id / merchant_id FK injections of card transactions (how their nulls and orphans are drawn). */
function cardFks(world: NeobankWorld): FkInjection[] {
  const nCards = world.ac.cards.filter((c) => !Number.isNaN(c.activated)).length;
  return [
    // whole cards fail: left out of dim_card (a migrated portfolio's load failed) or activated_at
    // re-stamped later than the card's first spend
    {
      table: TABLE,
      column: 'card_id',
      trueColumn: 'true_card',
      dimN: nCards,
      dim: 'card',
      temporal: true,
      missingShare: 0.8,
      failScale: 1.08,
      entity: { candidates: 'tc_card' },
      // card-not-present payments arrive through token services that sometimes lose the card mapping
      nullWeight: "CASE WHEN channel = 'ecommerce' THEN 1.85 ELSE 0.55 END",
    },
    {
      table: TABLE,
      column: 'merchant_id',
      trueColumn: 'true_merchant',
      dimN: world.merchants.n,
      dim: 'merchant',
      temporal: false,
      // whole merchants fail: onboarded, but their dim_merchant row was never loaded
      entity: {},
      // terminal aggregators report in-store payments without a merchant id more often than web acquirers
      nullWeight: "CASE WHEN channel = 'ecommerce' THEN 0.45 ELSE 1.3 END",
    },
  ];
}

/**
 * Spend SQL parameters: the fixed streams (recurring charges, frozen-account attempts) are materialised
 * once into FIXED_STREAMS_TABLE and counted exactly; purchases fill the rest of the row target.
 */
async function spendParams(ctx: GenContext, world: NeobankWorld): Promise<SpendSqlParams> {
  const { conn, plan } = ctx;
  const p0: SpendSqlParams = { m: world.m, base: 0, idBits: idBits(maxKey(world)) };
  await conn.run(`CREATE OR REPLACE TABLE ${FIXED_STREAMS_TABLE} AS ${fixedStreamsSql(p0)}`);
  const [{ fixed }] = await queryRows<{ fixed: bigint }>(conn, `SELECT count(*) AS fixed FROM ${FIXED_STREAMS_TABLE}`);
  const target = ctx.targets[TABLE] / (1 + plan.rates.duplicate);
  const d = world.m.b.declines;
  const retryShare = d.base_rate * 1.5 * meanRetryProbability(world.m);
  return { ...p0, base: Math.max(0, target - Number(fixed)) / ((1 + retryShare) * expectedSpendUnits(world)) };
}

/**
 * Turn DuckDB's build-side flipping off on `conn` (RESET when the chunks are done). The spend SQL's
 * candidates come from unnest, whose cardinality the optimiser estimates at a few thousand rows, so it
 * would build hash tables on the ~600k candidates of a chunk and probe them with the small day-weight
 * tables (the chunk's costliest joins). Every join of the chunk SQL and the defect steps has the big
 * side on the left (probe) and the lookup table on the right (build). Changes the plan only, never a value.
 */
async function plannedBuildSides(conn: DuckDBConnection): Promise<void> {
  await conn.run(`SET disabled_optimizers = 'build_side_probe_side'`);
}

/**
 * Card transactions: the simulated spend windows turned into purchases (sector × calendar × payday
 * day weights, hour curves per MCC, loyalty, price points, a logistic decline model with retries),
 * declined attempts on frozen accounts and recurring charges; then defects, chunk by chunk. Returns the
 * cards and merchants whose dimension rows the FK failures break (dim_card / dim_merchant are written
 * from them afterwards).
 */
export async function writeCardTransactions(ctx: GenContext, world: NeobankWorld, h?: StepHandle): Promise<CardKeyFailures> {
  const { conn, plan, window } = ctx;
  await installSpendTables(conn, world);
  const late = await installLateActivations(conn, world);
  const p = await spendParams(ctx, world);
  const fks = cardFks(world);
  await plannedBuildSides(conn);
  try {
    const { stats, outages, dups } = await writeChunks(ctx, world, p, fks, h);
    const failures = { card_id: chooseEntityFailures(plan, fks[0], stats, late), merchant_id: chooseEntityFailures(plan, fks[1], stats, null) };
    ctx.defects.push(...defectEntries(TABLE, fks, stats, plan, window, dups, failures, outages));
    // bulk update jobs re-stamping dim_card.activated_at (defects/incidents.ts)
    const truth = new Map<number, number>();
    world.ac.cards.forEach((c, k) => Number.isNaN(c.activated) || truth.set(world.ids.card[k], Math.floor(c.activated)));
    const card = failures.card_id;
    const jobs = planUpdateJobs(plan, window, (d) => world.m.clock.midnight(d), 'dim_card.activated_at', truth, stats.entities.card_id?.first, new Set([...card.missing, ...card.late.keys()]));
    card.restamped = jobs.restamped;
    if (ctx.want('dim_card')) ctx.defects.push(...updateJobEntry(window, 'dim_card', 'activated_at', world.ac.cards.length - card.missing.length, jobs, truth));
    return { card: failures.card_id, merchant: failures.merchant_id };
  } finally {
    await conn.run('RESET disabled_optimizers');
  }
}

/** One chunk's fact spec: its clean rows, the FK injections and the output columns of fact_card_transaction. */
function chunkSpec(part: number, baseSql: string, fks: FkInjection[], dups: DupIncidents | null, want: (t: string) => boolean, refunds: Companion): FactChunk {
  const why = reasonColumnsSql('c_reason');
  return {
    table: TABLE,
    part,
    countOnly: !want(TABLE),
    baseSql,
    // the base is the chunk's working table (writeChunks): read it directly, no need to stage it again
    inlineBase: true,
    fks,
    dups,
    gapColumn: ['interchange_bps', 'bps'],
    columns: [
      ['txn_id', 'rid::BIGINT'],
      ['card_id', 'v_card_id::BIGINT'],
      ['merchant_id', 'v_merchant_id::BIGINT'],
      ['event_time', 'ev::TIMESTAMP'],
      ['amount_cents', 'amount_cents::BIGINT'],
      ['interchange_bps', 'gv::INTEGER'],
      ['channel', 'channel::VARCHAR'],
      ['auth_result', 'auth_result::VARCHAR'],
      ['loaded_at', 'loaded_at::TIMESTAMP'],
    ],
    // the clean decline reason of every declined transaction (first copy only: a duplicated row shares its
    // txn_id), and the merchant refunds of approved ones
    companions: [
      {
        table: DECLINE_TABLE,
        stored: [['reason', 'reason::TINYINT']],
        select: ['o_txn_id AS txn_id', `${why.code}::VARCHAR AS reason_code`, `${why.iso}::VARCHAR AS response_code`],
        where: "o_auth_result = 'declined'",
        write: want(DECLINE_TABLE),
      },
      ...(refunds.write ? [refunds] : []),
    ],
  };
}

/**
 * Every chunk of customers in two passes: first each chunk's purchases, drawn in worker threads
 * (purchase-pool.ts) into a Parquet file nb_purchases_<part> in the scratch folder (files, not tables: all
 * chunks' rows at once would not fit the memory budget at large scale); then the rows of the days a
 * defect needs up front (spike days, key-null outages, duplicate incidents) are read from those files
 * and the fixed streams, and the defect rows chosen; then each chunk's clean rows (its purchases, its
 * customers' fixed streams, the card and its interchange) go through the defect steps into its part
 * file (chunks concurrently on their own connections; the counts are sums, so their order does not
 * matter). A chunk's rows never depend on the chunking, so the days' rows are the ones a separate pass
 * over those days would generate.
 */
async function writeChunks(ctx: GenContext, world: NeobankWorld, p: SpendSqlParams, fks: FkInjection[], h?: StepHandle): Promise<{ stats: FactStats; outages: OutageResult[]; dups: DupIncidents | null }> {
  const { r, plan } = ctx;
  const ranges = idRanges(world.customers.n, Math.ceil(ctx.targets[TABLE] / ctx.chunkRows));
  h?.total(2 * ranges.length);
  // the purchases are drawn and written by worker threads (one file per chunk), then each chunk's clean
  // rows are its purchases, its customers' fixed streams and their card's interchange, read inline by pass two
  const purchases = (part: number) => path.join(ctx.spillDir, `nb_purchases_${part}.parquet`);
  await drawPurchases(ctx, p, ranges, purchases, h);
  const [{ bt }] = await queryRows<{ bt: string }>(ctx.conn, 'SELECT typeof(bps) AS bt FROM nb_mcc LIMIT 1');
  const base = (part: number) => cleanRowsSql(world, `(${purchasePartSql(purchases(part), bt)})`, ranges[part][0] - 1, ranges[part][1] - 1);
  const { outages, dups } = await chooseDefectRows(ctx, world, fks, ranges.map((_, i) => purchases(i)));
  const refunds = refundCompanion(world, r, p.idBits, ctx.want(REFUND_TABLE));
  if (refunds.write) await installRefundRates(ctx.conn, world);
  const stats = emptyStats();
  await runChunks(
    ctx,
    ranges.length,
    async (chunkConn, part) => {
      await writeFactChunk(chunkConn, r, plan, ctx.writer, chunkSpec(part, base(part), fks, dups, ctx.want, refunds), stats);
      rmSync(purchases(part));
      h?.tick();
    },
    plannedBuildSides,
  );
  return { stats, outages, dups };
}

/**
 * Pass one: the purchases of every customer range drawn and written to `file(part)` by the worker
 * threads (purchase-pool.ts). The lookups live only here: freed before pass two.
 */
async function drawPurchases(ctx: GenContext, p: SpendSqlParams, ranges: Array<[number, number]>, file: (part: number) => string, h?: StepHandle): Promise<void> {
  const pool = new PurchasePool(await readPurchaseLookups(ctx.conn, p), chunkConcurrency(), ctx.conn);
  try {
    await Promise.all(ranges.map(([lo, hi], part) => pool.write(lo - 1, hi - 1, file(part)).then(() => h?.tick())));
  } finally {
    await pool.close();
  }
}

/** SQL: a chunk's spend rows (rid, d, ev, k, true_merchant, amount_cents, channel, auth_result, bps0, reason): its purchases (relation `purchases`, purchase-pool.ts purchasePartSql) and its customers' (cidx in [lo, hi]) fixed streams. */
function chunkRowsSql(purchases: string, lo: number, hi: number): string {
  return `SELECT * FROM ${purchases} UNION ALL SELECT * EXCLUDE (cidx) FROM ${FIXED_STREAMS_TABLE} WHERE cidx BETWEEN ${lo} AND ${hi}`;
}

/** SQL of the clean card transactions of customers cidx in [lo, hi] (purchases in table `purchases`) with their true card id and interchange (bps). */
function cleanRowsSql(world: NeobankWorld, purchases: string, lo: number, hi: number): string {
  return `SELECT x.*, nc.card_id AS true_card, ${interchangeSql(world.m, { bps0: 'x.bps0', channel: 'x.channel', amount: 'x.amount_cents', merchant: 'x.true_merchant', card: 'nc' })} AS bps
     FROM (${chunkRowsSql(purchases, lo, hi)}) x JOIN nb_card nc USING (k)`;
}

/**
 * The spike, key-null outage and duplicate-incident rows, chosen from the clean rows of the days they
 * touch (read from the chunks' purchase files `purchases` and the fixed streams; a row's fate depends
 * only on its id and its day's or window's population).
 */
async function chooseDefectRows(ctx: GenContext, world: NeobankWorld, fks: FkInjection[], purchases: string[]): Promise<{ outages: OutageResult[]; dups: DupIncidents | null }> {
  const { conn, r, plan } = ctx;
  const clock = world.m.clock;
  const hod = (utc: string) => `((${localSecondsSql(clock, utc)}) % 86400) // 3600`;
  const preDays = [
    ...new Set([
      ...plan.spikes.filter((s) => s.table === TABLE).map((s) => s.day),
      ...outageSpans(plan, TABLE, fks.map((f) => f.column), clock).days,
      ...(dupIncidentWindows(plan, TABLE, clock)?.days ?? []),
    ]),
  ].sort((a, b) => a - b);
  if (preDays.length) {
    const days = preDays.join(', ');
    const ofDays = [
      ...purchases.map((f) => `SELECT rid, d, utc AS ts, ${hod('utc')} AS hod FROM read_parquet(${sqlString(f)}) WHERE d IN (${days})`),
      `SELECT rid, d, epoch(ev)::BIGINT AS ts, ${hod('epoch(ev)::BIGINT')} AS hod FROM ${FIXED_STREAMS_TABLE} WHERE d IN (${days})`,
    ];
    await conn.run(`CREATE OR REPLACE TABLE nb_pre AS ${ofDays.join('\nUNION ALL\n')}`);
  }
  const pre = (days: number[]) => `SELECT rid, d, ts, hod FROM nb_pre WHERE d IN (${days.join(', ')})`;
  await prepareSpikeRows(conn, r, plan, TABLE, async (days) => pre(days));
  // key-null outages: sized on the first-load row target (duplicates copy their original's keys)
  const firstLoads = ctx.targets[TABLE] / (1 + plan.rates.duplicate);
  const outages = await installOutages(conn, r, plan, TABLE, fks, clock, firstLoads, pre);
  // duplicate incidents: a few replays / reruns / backfills re-ingesting contiguous ranges of events
  const dups = await installDupIncidents(conn, r, plan, TABLE, clock, firstLoads, pre);
  if (preDays.length) await conn.run('DROP TABLE nb_pre');
  return { outages, dups };
}

import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sqlString, type StepHandle } from '@dnr/core';
import { idBits, permuteIdSql } from '../../behaviour/ids.js';
import { collectGarbage } from '../../behaviour/gc.js';
import { loadColumns } from '../../behaviour/load.js';
import { sqlList } from '../../behaviour/sql.js';
import { orderByTime } from '../../behaviour/radix.js';
import { localSecondsSql } from '../../behaviour/clock-sql.js';
import { emptyStats, prepareSpikeRows, writeFactChunk, type FactChunk, type FactStats } from '../../defects/apply.js';
import type { FkInjection } from '../../defects/inject.js';
import { chooseEntityFailures } from '../../defects/entity.js';
import { planUpdateJobs, updateJobEntry } from '../../defects/incidents.js';
import { firstListingBySeller, installRestampedCreations, listingsBeforeLateShops, type PartyDim, type PartyKeyFailures } from './key-failures.js';
import { defectEntries } from '../../defects/record.js';
import { installOutages, type OutageResult } from '../../defects/outages.js';
import { installDupIncidents, type DupIncidents } from '../../defects/dup-incidents.js';
import { idRanges } from '../../writer.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { GenContext } from '../../context.js';
import type { EventWindow } from '../../behaviour/window.js';
import type { ParquetWriter } from '../../writer.js';
import type { Marketing } from './marketing.js';
import { DISPUTE_OUTCOMES, DISPUTE_REASONS, FAILURE_REASONS, REFUND_KINDS, REFUND_REASONS } from './payments.js';
import { orderRates } from './money-rates.js';
import type { MarketWorld } from './world.js';

const ts = (col: string) => `make_timestamp((${col}) * 1000000)::TIMESTAMP`;

/** Working tables mk_ord (orders with money, one row per order) and mk_itm (lines) from the simulated market. */
async function loadOrders(ctx: GenContext, world: MarketWorld): Promise<void> {
  const { conn } = ctx;
  const { m, market, ids, buyers } = world;
  const o = market.orders;
  const li = market.lines;
  const money = orderRates(world);
  const fees = m.b.fees;
  const codes = world.currencies.codes;
  await loadColumns(conn, 'mk_o', [
    ['k', 'BIGINT', Float64Array.from({ length: o.n }, (_, j) => j)],
    ['buyer_id', 'BIGINT', Float64Array.from(o.buyer, (i) => ids.buyer[i])],
    ['t', 'BIGINT', o.utc],
    ['d', 'INTEGER', o.day],
    ['cap', 'BIGINT', o.captured],
    ['disc_pct', 'INTEGER', o.discountPct],
    ['paid', 'INTEGER', world.money.paid],
    ['ship', 'BIGINT', money.shipping],
    ['tax_pct', 'DOUBLE', money.taxPct],
    ['tax_ship', 'INTEGER', money.taxShipping],
    ['ads_cap', 'BIGINT', money.adsCap],
    ['dispute_fee', 'BIGINT', money.disputeFee],
    ['currency', 'INTEGER', Int32Array.from(money.currency)],
    ['proc_pct', 'DOUBLE', money.procPct],
    ['proc_fixed', 'BIGINT', money.procFixed],
    ['ads', 'INTEGER', money.ads],
    ['country', 'INTEGER', Int32Array.from(o.buyer, (i) => buyers.country[i])],
  ]);
  await loadColumns(conn, 'mk_i', [
    ['k', 'BIGINT', li.order],
    ['line_id', 'INTEGER', li.line],
    ['listing_id', 'BIGINT', Float64Array.from(li.listing, (l) => ids.listing[l])],
    ['seller_id', 'BIGINT', Float64Array.from(li.seller, (k) => ids.seller[k])],
    ['qty', 'INTEGER', li.qty],
    ['item_price_cents', 'BIGINT', li.price],
  ]);
  const bits = idBits(o.n + 1);
  const orderId = permuteIdSql('k', bits, ctx.config.warehouse.seed, 11);
  const hod = `((${localSecondsSql(m.clock, 't')}) % 86400) // 3600`;
  // Amounts are cents of the order's currency (the shop's); dim_fx_rate converts them to USD.
  await conn.run(`CREATE OR REPLACE TABLE mk_ord AS
    SELECT *, (round((subtotal - discount + shipping) * ${fees.transaction_pct / 100}) + round(buyer_paid * proc_pct / 100.0) + proc_fixed
        + ads * least(ads_cap, round((subtotal - discount) * ${fees.offsite_ads_pct / 100})))::BIGINT AS fee FROM (
    SELECT *, subtotal + tax + shipping - discount AS buyer_paid FROM (
      SELECT o.k, ${orderId} AS order_id, o.buyer_id, o.t, o.d, o.cap, o.paid, ${hod} AS hod, ${sqlList(m.countries)}[o.country + 1] AS country, s.subtotal, s.lines,
        round((s.subtotal - round(s.subtotal * o.disc_pct / 100.0) + o.tax_ship * o.ship) * o.tax_pct / 100.0)::BIGINT AS tax,
        o.ship AS shipping, o.proc_pct, o.proc_fixed, o.ads, o.ads_cap, o.dispute_fee,
        round(s.subtotal * o.disc_pct / 100.0)::BIGINT AS discount, ${sqlList(codes)}[o.currency + 1] AS currency
      FROM mk_o o
      JOIN (SELECT k, sum(qty * item_price_cents)::BIGINT AS subtotal, count(*) AS lines FROM mk_i GROUP BY k) s USING (k)))`);
  // mk_o goes before the lines are widened (every line's order is in mk_ord: it has lines), so the two wide copies are never held at once
  await conn.run('DROP TABLE mk_o');
  await conn.run(`CREATE OR REPLACE TABLE mk_itm AS SELECT i.*, ${orderId} AS order_id, o.d, o.t FROM mk_i i JOIN mk_ord o USING (k)`);
  await conn.run('DROP TABLE mk_i');
}

/** Row id of an order line (order_id × 16 + line_id: at most 16 lines per order). */
const ITEM_RID = 'order_id * 16 + line_id';

/** The order-level FK of fact_order (buyer) and the line-level FKs of fact_order_item (listing, seller): whole parties fail. */
function orderFks(world: MarketWorld): { fact_order: FkInjection[]; fact_order_item: FkInjection[] } {
  const fk = (table: string, dim: PartyDim, n: number): FkInjection => ({ table, column: `${dim}_id`, trueColumn: `${dim}_id`, dimN: n, dim, temporal: true, entity: { candidates: `tc_${dim}` } });
  return {
    fact_order: [fk('fact_order', 'buyer', world.buyers.n)],
    fact_order_item: [fk('fact_order_item', 'listing', world.listings.n), fk('fact_order_item', 'seller', world.sellers.n)],
  };
}

/**
 * The chunk specs of one range of orders (`inChunk`, a condition on the order index k): fact_order,
 * fact_order_item and fact_payment, each only when it or a dimension whose failures need its rows is asked for.
 */
function orderChunks(ctx: GenContext, part: number, inChunk: string, fks: ReturnType<typeof orderFks>, want: { orders: boolean; items: boolean }, dups: Record<string, DupIncidents | null>): FactChunk[] {
  const chunks: FactChunk[] = [];
  if (want.orders)
    chunks.push({
      table: 'fact_order',
      part,
      countOnly: !ctx.want('fact_order'),
      baseSql: `SELECT order_id AS rid, *, ${ts('t')} AS ev FROM mk_ord WHERE ${inChunk}`,
      fks: fks.fact_order,
      dups: dups.fact_order,
      gapColumn: ['shipping_cents', 'shipping'],
      columns: [
        ['order_id', 'order_id::BIGINT'],
        ['buyer_id', 'v_buyer_id::BIGINT'],
        ['order_time', 'ev::TIMESTAMP'],
        ['currency', 'currency::VARCHAR'],
        ['subtotal_cents', 'subtotal::BIGINT'],
        ['tax_cents', 'tax::BIGINT'],
        ['shipping_cents', 'gv::BIGINT'],
        ['discount_cents', 'discount::BIGINT'],
        ['loaded_at', 'loaded_at::TIMESTAMP'],
      ],
    });
  if (want.items)
    chunks.push({
      table: 'fact_order_item',
      part,
      countOnly: !ctx.want('fact_order_item'),
      baseSql: `SELECT ${ITEM_RID} AS rid, *, ${ts('t')} AS ev FROM mk_itm WHERE ${inChunk}`,
      fks: fks.fact_order_item,
      dups: dups.fact_order_item,
      columns: [
        ['order_id', 'order_id::BIGINT'],
        ['line_id', 'line_id::INTEGER'],
        ['listing_id', 'v_listing_id::BIGINT'],
        ['seller_id', 'v_seller_id::BIGINT'],
        ['qty', 'qty::INTEGER'],
        ['item_price_cents', 'item_price_cents::BIGINT'],
        ['loaded_at', 'loaded_at::TIMESTAMP'],
      ],
    });
  if (ctx.want('fact_payment'))
    chunks.push({
      table: 'fact_payment',
      part,
      baseSql: `SELECT order_id AS rid, *, ${ts('cap')} AS ev FROM mk_ord WHERE ${inChunk} AND paid = 1`,
      fks: [],
      dups: dups.fact_payment,
      columns: [
        ['order_id', 'order_id::BIGINT'],
        ['captured_at', 'ev::TIMESTAMP'],
        ['buyer_paid_cents', 'buyer_paid::BIGINT'],
        ['seller_earnings_cents', '(buyer_paid - fee - tax)::BIGINT'],
        ['platform_fee_cents', 'fee::BIGINT'],
        ['loaded_at', 'loaded_at::TIMESTAMP'],
      ],
    });
  return chunks;
}

/**
 * fact_order, fact_order_item and fact_payment from the simulated market: one row per order, line and
 * captured payment; money identities exact before defects; defects injected chunk by chunk. FK
 * failures are whole buyers, listings and sellers (never loaded into, or re-stamped in, their
 * dimension), chosen from the written rows and returned for the dimensions written afterwards.
 */
export async function writeOrders(ctx: GenContext, world: MarketWorld, h?: StepHandle): Promise<PartyKeyFailures> {
  const { conn, r, plan, window } = ctx;
  await loadOrders(ctx, world);
  const restamped = await installRestampedCreations(conn, world);
  const fks = orderFks(world);
  // the facts are also written when only a party dimension is asked for: its failures need their rows
  const want = { orders: ['fact_order', 'dim_buyer'].some((t) => ctx.want(t)), items: ['fact_order_item', 'dim_listing', 'dim_seller'].some((t) => ctx.want(t)) };
  const stats: Record<string, FactStats> = { fact_order: emptyStats(), fact_order_item: emptyStats(), fact_payment: emptyStats() };
  await prepareSpikeRows(conn, r, plan, 'fact_order', async (days) => `SELECT order_id AS rid, d, hod FROM mk_ord WHERE d IN (${days.join(', ')})`);
  await prepareSpikeRows(conn, r, plan, 'fact_order_item', async (days) => `SELECT ${ITEM_RID} AS rid, d FROM mk_itm WHERE d IN (${days.join(', ')})`);
  // key-null outages (exact populations: the orders and lines are in memory; duplicates copy their original's keys)
  const outages: Record<string, OutageResult[]> = {
    fact_order: want.orders ? await installOutages(conn, r, plan, 'fact_order', fks.fact_order, world.m.clock, world.market.orders.n, (days) => `SELECT order_id AS rid, d, t AS ts FROM mk_ord WHERE d IN (${days.join(', ')})`) : [],
    fact_order_item: want.items
      ? await installOutages(conn, r, plan, 'fact_order_item', fks.fact_order_item, world.m.clock, world.market.lines.n, (days) => `SELECT ${ITEM_RID} AS rid, d, t AS ts FROM mk_itm WHERE d IN (${days.join(', ')})`)
      : [],
  };
  // duplicate incidents per table: a few replays / reruns / backfills re-ingesting contiguous ranges of events
  const inDays = (days: number[]) => `d IN (${days.join(', ')})`;
  const nPaid = world.money.paid.reduce((a: number, x: number) => a + x, 0);
  const dups: Record<string, DupIncidents | null> = {
    fact_order: want.orders ? await installDupIncidents(conn, r, plan, 'fact_order', world.m.clock, world.market.orders.n, (days) => `SELECT order_id AS rid, d, t AS ts FROM mk_ord WHERE ${inDays(days)}`) : null,
    fact_order_item: want.items ? await installDupIncidents(conn, r, plan, 'fact_order_item', world.m.clock, world.market.lines.n, (days) => `SELECT ${ITEM_RID} AS rid, d, t AS ts FROM mk_itm WHERE ${inDays(days)}`) : null,
    fact_payment: ctx.want('fact_payment') ? await installDupIncidents(conn, r, plan, 'fact_payment', world.m.clock, nPaid, (days) => `SELECT order_id AS rid, d, cap AS ts FROM mk_ord WHERE paid = 1 AND ${inDays(days)}`) : null,
  };
  const n = world.market.orders.n;
  const ranges = idRanges(n, Math.ceil((n + world.market.lines.n) / ctx.chunkRows));
  h?.total(ranges.length);
  for (const [part, [lo, hi]] of ranges.entries()) {
    for (const spec of orderChunks(ctx, part, `k BETWEEN ${lo - 1} AND ${hi - 1}`, fks, want, dups)) await writeFactChunk(conn, r, plan, ctx.writer, spec, stats[spec.table]);
    h?.tick();
  }
  await writeMoneyTables(ctx, world);
  if (ctx.want('dim_fx_rate')) await writeFxRates(ctx, world);
  const failures: PartyKeyFailures = {};
  for (const f of [...(want.orders ? fks.fact_order : []), ...(want.items ? fks.fact_order_item : [])]) failures[f.dim as PartyDim] = chooseEntityFailures(plan, f, stats[f.table], restamped[f.dim as PartyDim]);
  // bulk update jobs re-stamping dim_buyer / dim_seller created_at (defects/incidents.ts)
  for (const [dim, table, created] of [['buyer', 'fact_order', world.buyers.signup], ['seller', 'fact_order_item', world.sellers.opened]] as const) {
    const f = failures[dim];
    if (!f) continue;
    const truth = new Map<number, number>();
    for (let k = 0; k < created.length; k++) truth.set(world.ids[dim][k], Math.floor(created[k]));
    // a shop's listings refer to it as its order lines do: no re-stamp later than the first of either
    const first = dim === 'seller' ? earliest(stats[table].entities.seller_id?.first, firstListingBySeller(world)) : stats[table].entities.buyer_id?.first;
    const jobs = planUpdateJobs(plan, window, (d) => world.m.clock.midnight(d), `dim_${dim}.created_at`, truth, first, new Set([...f.missing, ...f.late.keys()]));
    f.restamped = jobs.restamped;
    if (ctx.want(`dim_${dim}`)) ctx.defects.push(...updateJobEntry(window, `dim_${dim}`, 'created_at', created.length - f.missing.length, jobs, truth));
  }
  const byColumn = Object.fromEntries(Object.entries(failures).map(([dim, f]) => [`${dim}_id`, f]));
  for (const t of ['fact_order', 'fact_order_item', 'fact_payment'] as const) {
    if (ctx.want(t)) ctx.defects.push(...defectEntries(t, t === 'fact_payment' ? [] : fks[t], stats[t], plan, window, dups[t], byColumn, t === 'fact_payment' ? [] : outages[t]));
  }
  recordListingsBeforeShops(ctx, world, failures);
  return failures;
}

/** Per id, the earlier of two id → epoch-seconds maps. */
function earliest(a: ReadonlyMap<number, number> | undefined, b: ReadonlyMap<number, number>): Map<number, number> {
  const out = new Map(a ?? []);
  for (const [id, t] of b) {
    const was = out.get(id);
    if (was === undefined || t < was) out.set(id, t);
  }
  return out;
}

/**
 * A shop recorded late (fact_order_item.seller_id's temporal FK failure) also postdates the listings it
 * created before that recorded start: their count goes into that entry's params
 * (`dim_listing_rows_before`), so the dim_listing → dim_seller mismatch is in the ground truth too.
 */
function recordListingsBeforeShops(ctx: GenContext, world: MarketWorld, failures: PartyKeyFailures): void {
  const e = ctx.defects.find((d) => d.kind === 'fk_temporal' && d.table === 'fact_order_item' && d.column === 'seller_id');
  if (e && ctx.want('dim_listing')) e.params = { ...e.params, dim_listing_rows_before: listingsBeforeLateShops(world, failures) };
}

/**
 * fact_payment_attempt (every attempt: the failed ones, then the successful one the capture follows)
 * and fact_refund (cancellations, full and partial refunds) from the simulated money events, in the
 * order's currency. Needs mk_ord. A full refund or cancellation returns buyer_paid and reverses the
 * whole platform fee; a partial one returns an item value plus its share of the tax and reverses
 * the fee in proportion to that value. No injected defects (added tables).
 */
export async function writeMoneyTables(ctx: GenContext, world: MarketWorld): Promise<void> {
  const { conn, writer } = ctx;
  const { attempts: at, refunds: rf } = world.money;
  if (ctx.want('fact_payment_attempt')) {
    await loadColumns(conn, 'mk_att', [
      ['k', 'BIGINT', at.order],
      ['attempt', 'INTEGER', at.no],
      ['t', 'BIGINT', at.utc],
      ['ok', 'INTEGER', at.ok],
      // reason and method as codes (−1: no reason), named in SQL: no string per row through the appender
      ['reason', 'INTEGER', at.reason],
      ['method', 'INTEGER', Int32Array.from(at.order, (k) => world.money.method[k])],
    ]);
    await writer.single(
      'fact_payment_attempt',
      `SELECT o.order_id, a.attempt, ${ts('a.t')} AS attempted_at, CASE WHEN a.ok = 1 THEN 'succeeded' ELSE 'failed' END AS status,
         CASE WHEN a.reason >= 0 THEN ${sqlList(FAILURE_REASONS)}[a.reason + 1] END AS failure_reason, o.buyer_paid AS amount_cents, o.currency,
         ${sqlList(world.money.methods)}[a.method + 1] AS payment_method
       FROM mk_att a JOIN mk_ord o USING (k) ORDER BY attempted_at, o.order_id, a.attempt`,
    );
    await conn.run('DROP TABLE mk_att');
  }
  if (ctx.want('fact_refund')) {
    await loadColumns(conn, 'mk_ref', [
      ['j', 'BIGINT', Float64Array.from({ length: rf.n }, (_, i) => i)],
      ['k', 'BIGINT', rf.order],
      ['kind', 'VARCHAR', Array.from(rf.kind, (x) => REFUND_KINDS[x])],
      ['reason', 'VARCHAR', Array.from(rf.reason, (x) => REFUND_REASONS[x])],
      ['t', 'BIGINT', rf.utc],
      ['part', 'BIGINT', rf.part],
    ]);
    const refundId = permuteIdSql('r.j', idBits(rf.n + 1), ctx.config.warehouse.seed, 13);
    await writer.single(
      'fact_refund',
      `SELECT ${refundId} AS refund_id, o.order_id, ${ts('r.t')} AS refunded_at, r.kind, r.reason,
         CASE WHEN r.part < 0 THEN o.buyer_paid ELSE r.part + round(o.tax * r.part / o.subtotal)::BIGINT END AS amount_cents,
         CASE WHEN r.part < 0 THEN o.subtotal ELSE r.part END AS subtotal_cents,
         CASE WHEN r.part < 0 THEN o.fee ELSE round(o.fee * r.part / o.subtotal)::BIGINT END AS platform_fee_reversed_cents, o.currency
       FROM mk_ref r JOIN mk_ord o USING (k) ORDER BY refunded_at, o.order_id`,
    );
    await conn.run('DROP TABLE mk_ref');
  }
  if (ctx.want('fact_dispute')) await writeDisputes(ctx, world);
}

/**
 * fact_dispute: chargeback disputes of captured orders (opened weeks after the capture; won, lost or
 * still open at the window end), the disputed amount (buyer_paid, or for a dispute of one item its
 * value plus its share of the tax, as the chargeback refund of a lost one) and the issuer's local dispute fee
 * (`fees.dispute_fee_cents`, else the USD fee at the order day's rate).
 */
async function writeDisputes(ctx: GenContext, world: MarketWorld): Promise<void> {
  const { conn, writer } = ctx;
  const d = world.money.disputes;
  await loadColumns(conn, 'mk_dis', [
    ['j', 'BIGINT', Float64Array.from({ length: d.n }, (_, i) => i)],
    ['k', 'BIGINT', d.order],
    ['reason', 'VARCHAR', Array.from(d.reason, (x) => DISPUTE_REASONS[x])],
    ['outcome', 'VARCHAR', Array.from(d.outcome, (x) => DISPUTE_OUTCOMES[x])],
    ['t', 'BIGINT', d.opened],
    ['r', 'BIGINT', d.resolved],
    ['part', 'BIGINT', d.part],
  ]);
  const disputeId = permuteIdSql('x.j', idBits(d.n + 1), ctx.config.warehouse.seed, 17);
  await writer.single(
    'fact_dispute',
    `SELECT ${disputeId} AS dispute_id, o.order_id, ${ts('x.t')} AS opened_at, x.reason, CASE WHEN x.part < 0 THEN o.buyer_paid ELSE x.part + round(o.tax * x.part / o.subtotal)::BIGINT END AS amount_cents, o.dispute_fee AS dispute_fee_cents,
       x.outcome, CASE WHEN x.r IS NULL THEN NULL ELSE ${ts('x.r')} END AS resolved_at, o.currency
     FROM mk_dis x JOIN mk_ord o USING (k) ORDER BY opened_at, o.order_id`,
  );
  await conn.run('DROP TABLE mk_dis');
}

/** Where the marketing tables go: a connection, the writer, the tables asked for and the warehouse seed (order ids). */
export interface MarketingSink {
  conn: DuckDBConnection;
  writer: ParquetWriter;
  want: (table: string) => boolean;
  seed: number;
}

/** What the marketing tables need besides the simulated marketing: the window, buyer ids (by buyer index) and the number of orders. */
export interface MarketingTableInput {
  window: EventWindow;
  buyerIds: Float64Array;
  orders: number;
  /**
   * Take the touches: once loaded into DuckDB, `mk.touches` is emptied and the garbage collected, so
   * the JS columns (~0.4 GB at evaluation scale, with their sort order) are not held while fact_touchpoint
   * is written (the worker, which reads no touch afterwards).
   */
  consumeTouches?: boolean;
  /**
   * A scratch folder (inside the build) for fact_touchpoint's staged slices: with it each slice of
   * mk_touch is written there as a Parquet file and dropped, so DuckDB holds one slice at a time (not
   * the whole table, ~0.3 GB at evaluation scale), and the table is written from those files in order
   * (then deleted). Without it mk_touch is one table.
   */
  scratchDir?: string;
}

/**
 * dim_campaign (with planned budgets), fact_touchpoint (every tracked touch of a buyer in the window:
 * the paths that led to a sign-up or order, with that `conversion` (and `order_id`) on every touch of
 * the path and `converted` true only on its last touch, the converting one; and the browsing sessions
 * that led nowhere, `converted` false with no conversion) and fact_channel_daily (sessions and spend per local day, channel and campaign) from the
 * simulated marketing, on `sink` (the generator's connection, or a worker's own database). Order ids
 * are the orders' permuted ids (no table needed). No injected defects (added tables).
 */
export async function writeMarketingTables(sink: MarketingSink, mk: Marketing, input: MarketingTableInput): Promise<void> {
  const { conn, writer } = sink;
  const start = `DATE '${input.window.startDate}'`;
  const channel = (c: number) => mk.channels[c];
  const campaignId = (x: number) => (x < 0 ? NaN : x + 1);
  if (sink.want('dim_campaign')) {
    await loadColumns(conn, 'mk_campaign', [
      ['campaign_id', 'INTEGER', mk.campaigns.map((_, x) => x + 1)],
      ['channel', 'VARCHAR', mk.campaigns.map((c) => channel(c.channel))],
      ['name', 'VARCHAR', mk.campaigns.map((c) => c.name)],
      ['f', 'INTEGER', mk.campaigns.map((c) => c.from)],
      ['t', 'INTEGER', mk.campaigns.map((c) => c.to)],
      ['budget_cents', 'BIGINT', mk.budgets],
    ]);
    await writer.single('dim_campaign', `SELECT campaign_id, channel, name, ${start} + f AS start_date, ${start} + t AS end_date, budget_cents FROM mk_campaign ORDER BY campaign_id`);
    await conn.run('DROP TABLE mk_campaign');
  }
  if (sink.want('fact_touchpoint')) await writeTouchpoints(sink, mk, input);
  if (sink.want('fact_channel_daily')) {
    const d = mk.daily;
    await loadColumns(conn, 'mk_daily', [
      ['d', 'INTEGER', d.day],
      ['channel', 'VARCHAR', Array.from(d.channel, channel)],
      ['campaign_id', 'INTEGER', Float64Array.from(d.campaign, campaignId)],
      ['sessions', 'BIGINT', d.sessions],
      ['spend_cents', 'BIGINT', d.spend],
    ]);
    await writer.single('fact_channel_daily', `SELECT ${start} + d AS ds, channel, campaign_id, sessions, spend_cents FROM mk_daily ORDER BY ds, channel, campaign_id NULLS FIRST`);
    await conn.run('DROP TABLE mk_daily');
  }
}

/**
 * The touches' rows in touchpoint_id order: by (instant, buyer_id, channel name, order index NULLS LAST
 * as in DuckDB, then simulation order: the last key breaks exact ties, which a SQL sort would leave to
 * chance), sorted in JS (radix on the instant, the other keys only among equal instants). Also each
 * touch's buyer_id (ids fit INTEGER: below 2^31).
 */
function touchesInOrder(mk: Marketing, input: MarketingTableInput): { rows: Uint32Array; buyerId: Int32Array } {
  const t = mk.touches;
  const n = input.orders;
  const byName = mk.channels.map((_, c) => c).sort((a, b) => (mk.channels[a] < mk.channels[b] ? -1 : mk.channels[a] > mk.channels[b] ? 1 : 0));
  const channelRank = new Uint8Array(mk.channels.length);
  byName.forEach((c, r) => (channelRank[c] = r));
  const buyerId = new Int32Array(t.n);
  for (let j = 0; j < t.n; j++) buyerId[j] = input.buyerIds[t.buyer[j]];
  const orderKey = (j: number) => (t.order[j] < 0 ? n : t.order[j]);
  const rows = orderByTime(t.n, t.utc, (a, b) => buyerId[a] - buyerId[b] || channelRank[t.channel[a]] - channelRank[t.channel[b]] || orderKey(a) - orderKey(b));
  return { rows, buyerId };
}

/** Rows per slice of mk_touch's JS columns (a multiple of DuckDB's 122,880-row groups). */
const TOUCH_SLICE = 8 * 122_880;

/** One slice of mk_touch's columns, in touchpoint_id order. */
interface TouchSlice {
  buyerId: Int32Array;
  rel: Int32Array;
  code: Int32Array;
  order: Int32Array;
}

/** Where fact_touchpoint reads the loaded touches: a relation, its row position (0, 1, … in touchpoint_id order), and the earliest instant. */
interface LoadedTouches {
  from: string;
  pos: string;
  t0: number;
  n: number;
  /** Drop the working table or delete the staged files. */
  cleanup: () => Promise<void>;
}

/**
 * mk_touch: the touches in touchpoint_id order (touchesInOrder), as four INTEGER columns built in that
 * order (appended as they are, no gather): instants as seconds from the earliest (`t0`), and the small
 * codes packed into one (campaign + 1, channel, conversion, converted): fewer and narrower columns to
 * append and hold. The columns are built in slices of TOUCH_SLICE rows appended one after the other (the
 * same rows in the same order as one load); with `scratchDir` each slice is staged as a Parquet file
 * with its rows' positions instead and the table dropped before the next. With `consumeTouches` the
 * touches are dropped from `mk` before the slices are appended and each slice once appended, the garbage
 * collected each time: the JS columns shrink while DuckDB takes the rows (never both whole at once).
 */
async function loadTouches(conn: DuckDBConnection, mk: Marketing, input: MarketingTableInput): Promise<LoadedTouches> {
  const { slices, t0, n } = touchSlices(mk, input);
  if (input.consumeTouches) {
    mk.touches = { buyer: new Int32Array(0), utc: new Float64Array(0), channel: new Uint8Array(0), campaign: new Int16Array(0), conversion: new Uint8Array(0), converted: new Uint8Array(0), order: new Int32Array(0), n: 0 };
    collectGarbage();
  }
  const create = 'CREATE OR REPLACE TABLE mk_touch (buyer_id INTEGER, t INTEGER, code INTEGER, k INTEGER)';
  const scratch = input.scratchDir;
  if (!scratch) {
    await conn.run(create);
    for (let i = 0; i < slices.length; i++) {
      await appendTouchSlice(conn, slices, i);
      if (input.consumeTouches) collectGarbage();
    }
    return { from: 'mk_touch', pos: 'rowid', t0, n, cleanup: () => conn.run('DROP TABLE mk_touch').then(() => undefined) };
  }
  mkdirSync(scratch, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < slices.length; i++) {
    await conn.run(create);
    await appendTouchSlice(conn, slices, i);
    if (input.consumeTouches) collectGarbage();
    const file = path.join(scratch, `touch-${String(i).padStart(4, '0')}.parquet`);
    // rowid: the row's position in the fresh slice table; the slice's first row is row i × TOUCH_SLICE
    await conn.run(`COPY (SELECT rowid + ${i * TOUCH_SLICE} AS pos, * FROM mk_touch) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION uncompressed)`);
    files.push(file);
  }
  await conn.run('DROP TABLE mk_touch');
  const from = files.length ? `read_parquet([${files.map(sqlString).join(', ')}])` : '(SELECT 0::BIGINT AS pos, 0 AS buyer_id, 0 AS t, 0 AS code, 0 AS k WHERE false)';
  return { from, pos: 'pos', t0, n, cleanup: async () => files.forEach((f) => rmSync(f, { force: true })) };
}

/** Append slice i of mk_touch and let go of it (its columns are referenced nowhere else). */
async function appendTouchSlice(conn: DuckDBConnection, slices: Array<TouchSlice | null>, i: number): Promise<void> {
  const s = slices[i]!;
  slices[i] = null;
  await loadColumns(
    conn,
    'mk_touch',
    [
      ['buyer_id', 'INTEGER', s.buyerId],
      ['t', 'INTEGER', s.rel],
      ['code', 'INTEGER', s.code],
      ['k', 'INTEGER', s.order],
    ],
    { append: true },
  );
}

/** loadTouches' column slices in touchpoint_id order (the sort order and the per-touch buyer ids go with this scope). */
function touchSlices(mk: Marketing, input: MarketingTableInput): { slices: Array<TouchSlice | null>; t0: number; n: number } {
  const t = mk.touches;
  const { rows, buyerId: byTouch } = touchesInOrder(mk, input);
  const C = mk.channels.length;
  let t0 = Infinity;
  for (let j = 0; j < t.n; j++) t0 = Math.min(t0, t.utc[j]);
  const slices: Array<TouchSlice | null> = [];
  for (let lo = 0; lo < t.n; lo += TOUCH_SLICE) {
    const m = Math.min(TOUCH_SLICE, t.n - lo);
    const s: TouchSlice = { buyerId: new Int32Array(m), rel: new Int32Array(m), code: new Int32Array(m), order: new Int32Array(m) };
    for (let r = 0; r < m; r++) {
      const j = rows[lo + r];
      s.buyerId[r] = byTouch[j];
      s.rel[r] = t.utc[j] - t0;
      s.code[r] = (((t.campaign[j] + 1) * C + t.channel[j]) * 3 + t.conversion[j]) * 2 + t.converted[j];
      s.order[r] = t.order[j];
    }
    slices.push(s);
  }
  return { slices, t0, n: t.n };
}

/**
 * fact_touchpoint: the touches loaded in touchpoint_id order (loadTouches) so DuckDB only maps codes to
 * strings and writes them in that order (no SQL sort); touchpoint_id is the row's position, order_id
 * the order's permuted id (the same bijection as mk_ord's, no join).
 */
async function writeTouchpoints(sink: MarketingSink, mk: Marketing, input: MarketingTableInput): Promise<void> {
  const { conn } = sink;
  const n = input.orders;
  const C = mk.channels.length;
  // loaded and scanned in insertion order (no sort): the file's rows in touchpoint_id order
  await conn.run('SET preserve_insertion_order = true');
  let loaded: LoadedTouches | null = null;
  try {
    loaded = await loadTouches(conn, mk, input);
    if (input.consumeTouches) collectGarbage();
    const names = `[${mk.channels.map(sqlString).join(', ')}]`;
    const orderId = permuteIdSql('k', idBits(n + 1), sink.seed, 11);
    await sink.writer.single(
      'fact_touchpoint',
      `SELECT ${loaded.pos} + 1 AS touchpoint_id, buyer_id::BIGINT AS buyer_id, ${ts(`t::BIGINT + ${loaded.n ? loaded.t0 : 0}`)} AS touch_time, ${names}[(code // 6) % ${C} + 1] AS channel,
         CASE WHEN code < ${6 * C} THEN NULL ELSE code // ${6 * C} END AS campaign_id, ['signup', 'order'][(code // 2) % 3 + 1] AS conversion,
         code % 2 = 1 AS converted, CASE WHEN k < 0 THEN NULL ELSE ${orderId} END AS order_id
       FROM ${loaded.from}`,
    );
  } finally {
    await conn.run('SET preserve_insertion_order = false');
    await loaded?.cleanup();
  }
}

/**
 * dim_fx_rate(rate_date DATE, currency VARCHAR, usd_rate DOUBLE): USD per unit of every shop currency
 * on every local day of the window (USD included at 1.0); an order's USD value is its amount × the
 * rate of its currency on its local order date. No injected defects (added table).
 */
async function writeFxRates(ctx: GenContext, world: MarketWorld): Promise<void> {
  const { codes, days, usd } = world.currencies;
  await loadColumns(ctx.conn, 'mk_fx', [
    ['d', 'INTEGER', Float64Array.from(usd, (_, i) => i % days)],
    ['currency', 'VARCHAR', Array.from(usd, (_, i) => codes[Math.floor(i / days)])],
    ['usd_rate', 'DOUBLE', usd],
  ]);
  await ctx.writer.single('dim_fx_rate', `SELECT DATE '${world.m.window.startDate}' + d AS rate_date, currency, usd_rate FROM mk_fx ORDER BY rate_date, currency`);
  await ctx.conn.run('DROP TABLE mk_fx');
}

import { queryRows } from '@dnr/core';
import { expectedEvents, tenureDecaySql } from '../../behaviour/intensity.js';
import { activeWeeksSql, offsetCaseSql, poissonSql, utcFromLocal } from '../../behaviour/sql.js';
import { emptyStats, prepareSpikeRows, writeFactChunk, type FactStats } from '../../defects/apply.js';
import type { FkInjection } from '../../defects/inject.js';
import { defectEntries } from '../../defects/record.js';
import { idRanges } from '../../writer.js';
import type { GenContext } from '../../context.js';

/** Platform take rate on the subtotal (docs/behaviour.md). */
export const TAKE_RATE = 0.12;
const ITEMS_PER_ORDER = 1.5;

/**
 * Accepted order events (order_id, buyer_id, d, wk, country) for some buyers and local days [lo, hi):
 * a Poisson number of candidates per buyer-week at the week's peak rate, each on a uniform day of the
 * week and kept with probability W(day)/W_max (thinning), so the result is the day-level
 * non-homogeneous process at a seventh of the rows. Candidates depend only on (buyer, week).
 */
function orderEventsSql(ctx: GenContext, base: number, where: string, days?: number[]): string {
  const { r } = ctx;
  const bw = 'buyer_id * 1024 + w';
  const active = `SELECT buyer_id, country, act, cls, greatest(0, floor(cls / 86400)::BIGINT + 1) AS a, least(${ctx.window.days}, floor(churn_ls / 86400)::BIGINT) AS b
    FROM buyer WHERE ${where}`;
  const weeks = activeWeeksSql(active, days);
  return `
    WITH bw AS (${weeks}), lam AS (
      SELECT bw.*, ${base} * act * ${tenureDecaySql('w * 7 + 3.5 - cls / 86400.0')} * 7 * cw.wmax AS lam, ${r.u('order.count', bw)} AS uu
      FROM bw JOIN calw cw USING (w)
    ), cnt AS (
      SELECT *, least(${poissonSql('lam', 'uu', r.z('order.count_z', bw))}, 31) AS n FROM lam
    ), cand AS (
      SELECT buyer_id, country, a, b, w, (buyer_id * 32768 + w * 32 + unnest(range(n)))::BIGINT AS order_id FROM cnt WHERE n > 0
    ), ev AS (
      SELECT cand.*, w * 7 + floor(${r.u('order.day', 'order_id')} * 7)::BIGINT AS d FROM cand
    )
    SELECT ev.order_id, ev.buyer_id, ev.d, cal.wk, ev.country
    FROM ev JOIN cal ON cal.d = ev.d JOIN calw cw ON cw.w = ev.w
    WHERE ev.d >= ev.a AND ev.d < ev.b AND ${r.u('order.accept', 'ev.order_id')} < cal.dow_w * cal.season / cw.wmax${days ? ` AND ev.d IN (${days.join(', ')})` : ''}`;
}

/**
 * Orders as a non-homogeneous Poisson process per buyer (see orderEventsSql) (weekend and evening peaks), each
 * single-seller with 1–5 lines from listings that existed before the order day; one payment per
 * order captured the same local day. Money identities hold exactly before defects.
 */
export async function writeOrders(ctx: GenContext): Promise<void> {
  const { conn, r, plan, window } = ctx;
  const target = ctx.targets.fact_order / (1 + plan.rates.duplicate);
  const first = `least(${window.days}, greatest(0, floor(cls / 86400)::BIGINT + 1))`;
  const base = target / (await expectedEvents(conn, 'buyer', 'act', 'cls / 86400.0', first, `least(${window.days}, floor(churn_ls / 86400)::BIGINT)`));
  const counts = await queryRows<{ nb: bigint; ns: bigint; nl: bigint }>(
    conn,
    'SELECT (SELECT count(*) FROM buyer) AS nb, (SELECT count(*) FROM sel) AS ns, (SELECT count(*) FROM lst) AS nl',
  );
  const nb = Number(counts[0].nb);
  const orderFks: FkInjection[] = [{ table: 'fact_order', column: 'buyer_id', trueColumn: 'buyer_id', dimN: nb, dim: 'buyer', temporal: true }];
  const itemFks: FkInjection[] = [
    { table: 'fact_order_item', column: 'listing_id', trueColumn: 'listing_id', dimN: Number(counts[0].nl), dim: 'listing', temporal: true },
    { table: 'fact_order_item', column: 'seller_id', trueColumn: 'seller_id', dimN: Number(counts[0].ns), dim: 'seller', temporal: true },
  ];
  const stats: Record<string, FactStats> = { fact_order: emptyStats(), fact_order_item: emptyStats(), fact_payment: emptyStats() };
  const want = { order: ctx.want('fact_order'), item: ctx.want('fact_order_item'), payment: ctx.want('fact_payment') };
  const ranges = idRanges(nb, Math.ceil((ctx.targets.fact_order * (1 + ITEMS_PER_ORDER)) / ctx.chunkRows));
  const o = 'order_id';
  const line = 'order_id * 8 + line_no';
  // Amounts are stored in USD cents (listing prices are USD; non-USD orders are converted at the fixed
  // config rates at checkout), so GMV and the money identities never mix currencies; `currency` is
  // the buyer's presentment currency, used only where the config has a rate for it.
  const rates = ctx.config.warehouse.currency_rates;
  const currency = (c: string, code: string) => (code in rates ? `WHEN country IN (${c}) THEN '${code}'` : '');

  /** Working tables ord (orders), itm (lines) and ordm (orders with money) for some buyers and days. */
  const buildOrderTables = async (buyers: string, days?: number[]) => {
    await conn.run(`CREATE OR REPLACE TABLE oev AS ${orderEventsSql(ctx, base, buyers, days)}`);
    await conn.run(`CREATE OR REPLACE TABLE ord AS
      WITH ev AS (SELECT * FROM oev)
      SELECT ev.order_id, ev.buyer_id, ev.d, ev.country, hq.h * 3600 + floor(${r.u('order.second', o)} * 3600)::BIGINT AS tod,
        CASE WHEN ${r.u('order.items', o)} < 0.7 THEN 1 WHEN ${r.u('order.items', o)} < 0.9 THEN 2 ELSE 3 + floor(${r.u('order.items_many', o)} * 3)::INTEGER END AS n_items,
        k.id AS first_listing
      FROM ev
      JOIN hour_q hq ON hq.wk = ev.wk AND hq.b = floor(${r.u('order.hour', o)} * 1024)::INTEGER
      JOIN lcount lc ON lc.d = ev.d AND lc.n_before > 0
      JOIN rank_listing k ON k.rank = floor(${r.u('order.listing', o)} * lc.n_before)::BIGINT`);
    await conn.run(`CREATE OR REPLACE TABLE itm AS
      SELECT order_id, d, tod, line_no AS line_id, l.seller_id, listing_id,
        CASE WHEN ${r.u('item.qty', line)} < 0.9 THEN 1 WHEN ${r.u('item.qty', line)} < 0.98 THEN 2 ELSE 3 END AS qty, l.price_cents AS item_price_cents
      FROM (
        SELECT o.order_id, o.d, o.tod, j + 1 AS line_no,
          CASE WHEN j = 0 THEN o.first_listing ELSE f.first_id + floor(${r.u('item.listing', 'o.order_id * 8 + j + 1')} * (o.first_listing - f.first_id + 1))::BIGINT END AS listing_id
        FROM (SELECT *, unnest(range(n_items)) AS j FROM ord) o
        JOIN lst fl ON fl.listing_id = o.first_listing
        JOIN sfirst f ON f.seller_id = fl.seller_id
      ) x JOIN lst l USING (listing_id)`);
    await conn.run(`CREATE OR REPLACE TABLE ordm AS
      SELECT *, subtotal + tax + shipping - discount AS buyer_paid, round(subtotal * ${TAKE_RATE})::BIGINT AS fee FROM (
        SELECT ord.order_id, ord.buyer_id, ord.d, ord.tod, ord.country, s.subtotal,
          CASE WHEN ord.country = 'US' THEN round(s.subtotal * 0.07) WHEN ord.country = 'CA' THEN round(s.subtotal * 0.05) ELSE 0 END::BIGINT AS tax,
          CASE WHEN s.subtotal >= 3500 THEN 0 ELSE 399 + 150 * (ord.n_items - 1) END::BIGINT AS shipping,
          CASE WHEN ${r.u('order.discount', 'ord.order_id')} < 0.08 THEN round(s.subtotal * 0.10) ELSE 0 END::BIGINT AS discount,
          CASE ${currency("'GB'", 'GBP')} ${currency("'DE', 'FR', 'NL'", 'EUR')} ${currency("'CA'", 'CAD')} ELSE 'USD' END AS currency,
          -- captured within 1–30 min, never past the local midnight (same local day)
          least(ord.tod + 60 + floor(${r.u('payment.capture', 'ord.order_id')} * 1740)::BIGINT, 86399) AS cap_tod
        FROM ord JOIN (SELECT order_id, sum(qty * item_price_cents)::BIGINT AS subtotal FROM itm GROUP BY order_id) s USING (order_id))`);
  };
  const spikeRids = (table: string, rid: string, from: string) =>
    prepareSpikeRows(conn, r, plan, table, async (days) => {
      await buildOrderTables('true', days);
      return `SELECT ${rid} AS rid, d FROM ${from}`;
    });
  await spikeRids('fact_order', 'order_id', 'ord');
  await spikeRids('fact_order_item', 'order_id * 8 + line_id', 'itm');

  for (const [part, [lo, hi]] of ranges.entries()) {
    await buildOrderTables(`buyer_id BETWEEN ${lo} AND ${hi}`);

    const orderTime = utcFromLocal(window, 'm.d * 86400 + m.tod', offsetCaseSql(window, 'm.d * 24 + m.tod // 3600'));
    if (want.order)
      await writeFactChunk(
        conn,
        r,
        plan,
        ctx.writer,
        {
          table: 'fact_order',
          part,
          baseSql: `SELECT m.order_id AS rid, m.*, ${orderTime}::TIMESTAMP AS ev FROM ordm m`,
          fks: orderFks,
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
        },
        stats.fact_order,
      );
    if (want.item)
      await writeFactChunk(
        conn,
        r,
        plan,
        ctx.writer,
        {
          table: 'fact_order_item',
          part,
          baseSql: `SELECT m.order_id * 8 + m.line_id AS rid, m.*, ${orderTime}::TIMESTAMP AS ev FROM itm m`,
          fks: itemFks,
          columns: [
            ['order_id', 'order_id::BIGINT'],
            ['line_id', 'line_id::INTEGER'],
            ['listing_id', 'v_listing_id::BIGINT'],
            ['seller_id', 'v_seller_id::BIGINT'],
            ['qty', 'qty::INTEGER'],
            ['item_price_cents', 'item_price_cents::BIGINT'],
            ['loaded_at', 'loaded_at::TIMESTAMP'],
          ],
        },
        stats.fact_order_item,
      );
    if (want.payment)
      await writeFactChunk(
        conn,
        r,
        plan,
        ctx.writer,
        {
          table: 'fact_payment',
          part,
          baseSql: `SELECT m.order_id AS rid, m.*, ${utcFromLocal(window, 'm.d * 86400 + m.cap_tod', offsetCaseSql(window, 'm.d * 24 + m.cap_tod // 3600'))}::TIMESTAMP AS ev
            FROM ordm m`,
          fks: [],
          columns: [
            ['order_id', 'order_id::BIGINT'],
            ['captured_at', 'ev::TIMESTAMP'],
            ['buyer_paid_cents', 'buyer_paid::BIGINT'],
            ['seller_earnings_cents', '(buyer_paid - fee - tax)::BIGINT'],
            ['platform_fee_cents', 'fee::BIGINT'],
            ['loaded_at', 'loaded_at::TIMESTAMP'],
          ],
        },
        stats.fact_payment,
      );
    for (const t of ['ordm', 'itm', 'ord']) await conn.run(`DROP TABLE ${t}`);
  }
  if (want.order) ctx.defects.push(...defectEntries('fact_order', orderFks, stats.fact_order, plan, window));
  if (want.item) ctx.defects.push(...defectEntries('fact_order_item', itemFks, stats.fact_order_item, plan, window));
  if (want.payment) ctx.defects.push(...defectEntries('fact_payment', [], stats.fact_payment, plan, window));
}

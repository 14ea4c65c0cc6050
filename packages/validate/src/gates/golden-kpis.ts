import { MCCS } from '@dnr/generate';
import { sqlString } from '@dnr/core';
import { checkRow } from '../rows.js';
import type { GateFamily, GateRow, ValidateContext } from '../types.js';
import { orderUsd } from './usd.js';

const FAMILY = 'golden_kpis';

/** A golden query: SQL over the warehouse and a sanity check over its rows. */
interface GoldenQuery {
  name: string;
  sql: string;
  /** Returns a problem, or null when the result is meaningful. */
  check(rows: Array<Record<string, unknown>>): string | null;
  /** What a passing result measured (default: its row count). */
  summary?(rows: Array<Record<string, unknown>>): string;
  bound: string;
}

const num = (v: unknown) => Number(v);

/** The recent full months a KPI must cover: the last 12, or every full month of a shorter window. */
const recent = (ctx: ValidateContext) => Math.max(1, Math.min(12, ctx.manifest.months - 1));

const monthsOf = (ctx: ValidateContext) => `
  SELECT m FROM (SELECT date_trunc('month', d) AS m, count(*) AS days FROM range(DATE '${ctx.manifest.end_date}' - INTERVAL ${ctx.manifest.months} MONTH + INTERVAL 1 DAY, DATE '${ctx.manifest.end_date}' + INTERVAL 1 DAY, INTERVAL 1 DAY) r(d) GROUP BY 1) WHERE days >= 28`;

async function neobankQueries(ctx: ValidateContext): Promise<GoldenQuery[]> {
  const sectors = MCCS.map((m) => `(${m.mcc}, ${sqlString(m.sector)})`).join(', ');
  const txns = `(SELECT * FROM ${await ctx.first('fact_card_transaction')} WHERE auth_result = 'approved')`;
  return [
    {
      name: 'monthly_interchange_by_sector',
      sql: `WITH s(mcc, sector) AS (VALUES ${sectors})
        SELECT date_trunc('month', local_ts(t.event_time)) AS month, s.sector, sum(t.amount_cents * t.interchange_bps) / 1e6 AS revenue_usd
        FROM ${txns} t JOIN dim_merchant m USING (merchant_id) JOIN s ON s.mcc = m.mcc
        WHERE date_trunc('month', local_ts(t.event_time)) IN (${monthsOf(ctx)}) GROUP BY ALL`,
      bound: 'every full month × 8 sectors has revenue > 0; each sector 0.5–60% of the total',
      check(rows) {
        const months = new Set(rows.map((r) => String(r.month)));
        const total = rows.reduce((a, r) => a + num(r.revenue_usd), 0);
        const bySector = new Map<string, number>();
        for (const r of rows) bySector.set(String(r.sector), (bySector.get(String(r.sector)) ?? 0) + num(r.revenue_usd));
        if (months.size < ctx.manifest.months - 1) return `${months.size} months with revenue, expected ≥ ${ctx.manifest.months - 1}`;
        if (rows.length !== months.size * 8 || rows.some((r) => !(num(r.revenue_usd) > 0))) return `${rows.length} non-zero month×sector cells, expected ${months.size * 8}`;
        const bad = [...bySector].filter(([, v]) => v / total < 0.005 || v / total > 0.6);
        return bad.length ? `sector share out of band: ${bad.map(([s, v]) => `${s} ${((100 * v) / total).toFixed(1)}%`).join(', ')}` : null;
      },
    },
    {
      name: 'top_mcc_by_spend',
      sql: `SELECT m.mcc, sum(t.amount_cents) / 100.0 AS spend_usd FROM ${txns} t JOIN dim_merchant m USING (merchant_id) GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
      bound: '10 MCCs; the top one < 50% of the top-10 spend',
      check(rows) {
        if (rows.length < 10) return `${rows.length} MCCs with spend`;
        const total = rows.reduce((a, r) => a + num(r.spend_usd), 0);
        return num(rows[0].spend_usd) / total >= 0.5 ? `top MCC ${rows[0].mcc} has ${((100 * num(rows[0].spend_usd)) / total).toFixed(1)}%` : null;
      },
    },
    {
      name: 'active_customers_trend',
      sql: `SELECT date_trunc('month', local_ts(t.event_time)) AS month, count(DISTINCT a.customer_id) AS active
        FROM ${txns} t JOIN dim_card c USING (card_id) JOIN dim_account a USING (account_id)
        WHERE date_trunc('month', local_ts(t.event_time)) IN (${monthsOf(ctx)}) GROUP BY 1 ORDER BY 1`,
      bound: 'every full month has active customers ≤ dim_customer; month-over-month change within ±50% after month 3',
      check(rows) {
        if (rows.length < ctx.manifest.months - 1) return `${rows.length} months with active customers`;
        const jumps = rows.slice(3).filter((r, i) => Math.abs(num(r.active) / num(rows[i + 2].active) - 1) > 0.5);
        return jumps.length ? `month-over-month jump at ${String(jumps[0].month)}` : null;
      },
    },
    {
      name: 'monthly_subscription_revenue',
      sql: `SELECT date_trunc('month', period_start) AS month, sum(amount_cents) / 100.0 AS revenue_usd, count(DISTINCT customer_id) AS payers
        FROM ${await ctx.first('fact_subscription_invoice')}
        WHERE amount_cents > 0 AND date_trunc('month', period_start) IN (${monthsOf(ctx)}) GROUP BY 1 ORDER BY 1`,
      bound: 'revenue > 0 in each of the last 12 full months (or all, if fewer); revenue per payer $5–$100 (monthly $9.99, annual $99.90)',
      check(rows) {
        const want = recent(ctx);
        const last = rows.slice(-want);
        if (last.length < want) return `${last.length} of the last ${want} full months have subscription revenue`;
        const bad = last.find((r) => num(r.revenue_usd) / num(r.payers) < 5 || num(r.revenue_usd) / num(r.payers) > 100);
        return bad ? `revenue per payer ${(num(bad.revenue_usd) / num(bad.payers)).toFixed(2)} in ${String(bad.month)}` : null;
      },
    },
  ];
}

async function marketplaceQueries(ctx: ValidateContext): Promise<GoldenQuery[]> {
  const items = await ctx.first('fact_order_item');
  const orders = await ctx.first('fact_order');
  // item prices are in their order's (shop's) currency
  const { rate: usd, join: fx } = orderUsd(ctx);
  return [
    {
      name: 'monthly_gmv_by_top_category',
      sql: `SELECT date_trunc('month', local_ts(o.order_time)) AS month, coalesce(c.parent_id, c.category_id) AS top, sum(i.qty * i.item_price_cents * ${usd}) / 100.0 AS gmv_usd
        FROM ${items} i JOIN ${orders} o USING (order_id) ${fx} JOIN dim_listing l USING (listing_id) JOIN dim_category c ON c.category_id = l.category_id
        WHERE date_trunc('month', local_ts(o.order_time)) IN (${monthsOf(ctx)}) GROUP BY ALL`,
      bound: 'each of the last 12 full months (or all, if fewer) has GMV > 0 in all 10 top-level categories',
      check(rows) {
        const want = recent(ctx);
        const months = [...new Set(rows.map((r) => String(r.month)))].sort().slice(-want);
        if (months.length < want) return `${months.length} of the last ${want} full months with GMV`;
        const thin = months.filter((m) => rows.filter((r) => String(r.month) === m && num(r.gmv_usd) > 0).length < 10);
        return thin.length ? `months with fewer than 10 categories selling: ${thin.join(', ')}` : null;
      },
    },
    {
      name: 'top_categories_by_gmv',
      sql: `SELECT l.category_id, sum(i.qty * i.item_price_cents * ${usd}) / 100.0 AS gmv_usd
        FROM ${items} i JOIN ${orders} o USING (order_id) ${fx} JOIN dim_listing l USING (listing_id) GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
      bound: '10 leaf categories; the top one < 50% of the top-10 GMV',
      check(rows) {
        if (rows.length < 10) return `${rows.length} categories with GMV`;
        const total = rows.reduce((a, r) => a + num(r.gmv_usd), 0);
        return num(rows[0].gmv_usd) / total >= 0.5 ? `top category has ${((100 * num(rows[0].gmv_usd)) / total).toFixed(1)}%` : null;
      },
    },
    {
      name: 'active_buyers_trend',
      sql: `SELECT date_trunc('month', local_ts(order_time)) AS month, count(DISTINCT buyer_id) AS active, count(*) AS orders
        FROM ${orders} WHERE buyer_id IS NOT NULL AND date_trunc('month', local_ts(order_time)) IN (${monthsOf(ctx)}) GROUP BY 1 ORDER BY 1`,
      bound: 'every full month has active buyers; 1–2 orders per ordering buyer; active buyers month over month within ±50% after month 3',
      check(rows) {
        if (rows.length < ctx.manifest.months - 1) return `${rows.length} months with active buyers`;
        const bad = rows.find((r) => num(r.orders) / num(r.active) < 1 || num(r.orders) / num(r.active) > 2);
        if (bad) return `orders per active buyer ${(num(bad.orders) / num(bad.active)).toFixed(2)} in ${String(bad.month)}`;
        const jumps = rows.slice(3).filter((r, i) => Math.abs(num(r.active) / num(rows[i + 2].active) - 1) > 0.5);
        return jumps.length ? `active buyers month-over-month jump at ${String(jumps[0].month)}` : null;
      },
      summary(rows) {
        const per = rows.map((r) => num(r.orders) / num(r.active));
        return `${rows.length} months; orders per active buyer ${Math.min(...per).toFixed(2)}–${Math.max(...per).toFixed(2)}; active buyers ${num(rows[0].active)} → ${num(rows.at(-1)?.active)}`;
      },
    },
    {
      name: 'items_per_order_mix',
      sql: `SELECT least(lines, 3) AS lines, count(*) AS orders FROM (SELECT order_id, count(*) AS lines FROM ${items} GROUP BY 1) GROUP BY 1 ORDER BY 1`,
      bound: '1 / 2 / 3–5 line orders ≈ 70 / 20 / 10% (± 8 pp)',
      check(rows) {
        const total = rows.reduce((a, r) => a + num(r.orders), 0);
        const want = [0.7, 0.2, 0.1];
        const bad = rows.filter((r) => Math.abs(num(r.orders) / total - want[num(r.lines) - 1]) > 0.08);
        return rows.length !== 3 ? `${rows.length} size classes` : bad.length ? `size ${bad[0].lines}: ${((100 * num(bad[0].orders)) / total).toFixed(1)}%` : null;
      },
    },
  ];
}

/** A short set of golden KPI queries per archetype: each must return meaningful, non-empty results within sanity bands. */
export const goldenKpiGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx) {
    const rows: GateRow[] = [];
    for (const g of ctx.archetype === 'neobank' ? await neobankQueries(ctx) : await marketplaceQueries(ctx)) {
      try {
        const result = await ctx.q(g.sql);
        const problem = result.length === 0 ? 'empty result' : g.check(result);
        const passed = problem === null ? (g.summary?.(result) ?? `${result.length} rows`) : problem;
        rows.push(checkRow(FAMILY, g.name, problem === null, passed, g.bound));
      } catch (error: unknown) {
        rows.push(checkRow(FAMILY, g.name, false, 'query failed', g.bound, error instanceof Error ? error.message.split('\n')[0] : String(error)));
      }
    }
    return rows;
  },
};

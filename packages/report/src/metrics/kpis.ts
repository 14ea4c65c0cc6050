import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlIdent, sqlString, type Archetype } from '@dnr/core';
import { FACT_TABLES } from '../tables.js';
import { round } from './health.js';
import { addDays, type ReportWindow } from './window.js';

/** KPIs count each business key once (earliest loaded_at) and only captured/approved money (docs/report-schemas.md). */
export async function createDedupViews(connection: DuckDBConnection, archetype: Archetype): Promise<void> {
  for (const t of FACT_TABLES[archetype]) {
    await connection.run(`CREATE OR REPLACE VIEW ${sqlIdent(`dd_${t.name}`)} AS
      SELECT * FROM ${sqlIdent(`ev_${t.name}`)}
      WHERE _copy = 1 AND ${t.key.map((k) => `${sqlIdent(k)} IS NOT NULL`).join(' AND ')}`);
  }
}

const between = (expr: string, from: string, to: string) => `${expr} BETWEEN DATE ${sqlString(from)} AND DATE ${sqlString(to)}`;

/** SQL CASE converting an order currency to USD at the configured fixed rates. */
export const usdRate = (rates: Record<string, number>, column: string) =>
  `CASE ${Object.entries(rates)
    .map(([c, r]) => `WHEN ${column} = ${sqlString(c)} THEN ${r}`)
    .join(' ')} ELSE 1.0 END`;

export const NEOBANK_KPI_SQL = (w: ReportWindow) => {
  const last30 = addDays(w.end, -29);
  return `
WITH txn AS (SELECT * FROM dd_fact_card_transaction WHERE auth_result = 'approved'),
inv AS (SELECT * FROM dd_fact_subscription_invoice WHERE paid_at IS NOT NULL)
SELECT
  (SELECT count(DISTINCT a.customer_id) FROM txn t JOIN dim_card c ON c.card_id = t.card_id JOIN dim_account a ON a.account_id = c.account_id
    WHERE ${between('t._day', last30, w.end)}) AS active_customers_30d,
  (SELECT count(*) FROM dim_account WHERE ${between('local_day(created_at)', w.start, w.end)}) AS new_account_opens,
  (SELECT coalesce(sum(amount_cents), 0) / 100.0 FROM txn WHERE ${between('_day', w.start, w.end)}) AS card_spend_usd,
  (SELECT coalesce(sum(_rev), 0) FROM txn WHERE ${between('_day', w.start, w.end)}) AS interchange_revenue_usd,
  (SELECT coalesce(sum(amount_cents), 0) / 100.0 FROM inv WHERE ${between('local_day(paid_at)', w.start, w.end)}) AS subscription_revenue_usd,
  (SELECT count(*) FROM txn WHERE ${between('_day', w.start, w.end)}) AS approved_transactions`;
};

/** Monthly revenue (interchange + subscription), local months. */
export const NEOBANK_MONTHLY_SQL = `
WITH m AS (
  SELECT strftime(_day, '%Y-%m') AS month, _day AS day, _rev AS interchange, 0.0 AS subscription
  FROM dd_fact_card_transaction WHERE auth_result = 'approved' AND _day IS NOT NULL
  UNION ALL
  SELECT strftime(local_day(paid_at), '%Y-%m'), NULL::DATE, 0.0, amount_cents / 100.0
  FROM dd_fact_subscription_invoice WHERE paid_at IS NOT NULL
)
SELECT month, sum(interchange) AS interchange_usd, sum(subscription) AS subscription_usd, sum(interchange + subscription) AS revenue_usd,
       count(DISTINCT day) FILTER (WHERE interchange > 0) AS days
FROM m GROUP BY month ORDER BY month`;

export const MARKETPLACE_KPI_SQL = (w: ReportWindow, rates: Record<string, number>) => {
  const last30 = addDays(w.end, -29);
  return `
WITH cap AS (
  SELECT o.order_id, o.buyer_id, o.subtotal_cents * ${usdRate(rates, 'o.currency')} / 100.0 AS gmv_usd,
         p.platform_fee_cents * ${usdRate(rates, 'o.currency')} / 100.0 AS fee_usd, p._day AS day
  FROM dd_fact_payment p JOIN dd_fact_order o ON o.order_id = p.order_id
  WHERE p.captured_at IS NOT NULL
)
SELECT
  (SELECT coalesce(sum(gmv_usd), 0) FROM cap WHERE ${between('day', w.start, w.end)}) AS gmv_usd,
  (SELECT coalesce(sum(fee_usd), 0) FROM cap WHERE ${between('day', w.start, w.end)}) AS net_revenue_usd,
  (SELECT count(*) FROM cap WHERE ${between('day', w.start, w.end)}) AS orders,
  (SELECT count(DISTINCT buyer_id) FROM cap WHERE ${between('day', last30, w.end)}) AS active_buyers_30d,
  (SELECT count(DISTINCT i.seller_id) FROM cap c JOIN dd_fact_order_item i ON i.order_id = c.order_id WHERE ${between('c.day', w.start, w.end)}) AS active_sellers,
  (SELECT count(*) FROM snapshot_listing_daily WHERE ds = DATE ${sqlString(w.end)} AND status = 'active') AS live_listings`;
};

export const MARKETPLACE_MONTHLY_SQL = (rates: Record<string, number>) => `
SELECT strftime(p._day, '%Y-%m') AS month,
       sum(o.subtotal_cents * ${usdRate(rates, 'o.currency')}) / 100.0 AS gmv_usd,
       sum(p.platform_fee_cents * ${usdRate(rates, 'o.currency')}) / 100.0 AS revenue_usd, count(DISTINCT p._day) AS days
FROM dd_fact_payment p JOIN dd_fact_order o ON o.order_id = p.order_id
WHERE p.captured_at IS NOT NULL AND p._day IS NOT NULL
GROUP BY month ORDER BY month`;

export interface MonthlyRevenue {
  month: string;
  revenue_usd: number;
  gmv_usd: number | null;
  /** Neobank split. */
  interchange_usd: number | null;
  subscription_usd: number | null;
  /** Local days of the month with captured/approved activity (partial edge months have few). */
  days_with_data: number;
}

export interface KpiResult {
  values: Record<string, number | null>;
  monthly: MonthlyRevenue[];
  /** Trailing 3-month median monthly revenue (RevenueImpact denominator) and the months used. */
  revenue_norm: { months: string[]; median_monthly_revenue_usd: number };
}

const num = (v: unknown): number | null => (v == null ? null : Number(v));

export async function computeKpis(connection: DuckDBConnection, archetype: Archetype, w: ReportWindow, rates: Record<string, number>): Promise<KpiResult> {
  const values: Record<string, number | null> = {};
  let monthly: MonthlyRevenue[];
  if (archetype === 'neobank') {
    const [r] = await queryRows<Record<string, unknown>>(connection, NEOBANK_KPI_SQL(w));
    for (const [k, v] of Object.entries(r)) values[k] = num(v);
    values.card_spend_usd = round(values.card_spend_usd ?? 0, 2);
    values.interchange_revenue_usd = round(values.interchange_revenue_usd ?? 0, 2);
    values.subscription_revenue_usd = round(values.subscription_revenue_usd ?? 0, 2);
    values.total_revenue_usd = round((values.interchange_revenue_usd ?? 0) + (values.subscription_revenue_usd ?? 0), 2);
    const rows = await queryRows<{ month: string; interchange_usd: number; subscription_usd: number; revenue_usd: number; days: bigint }>(connection, NEOBANK_MONTHLY_SQL);
    monthly = rows.map((m) => ({
      month: m.month,
      revenue_usd: round(m.revenue_usd, 2),
      gmv_usd: null,
      interchange_usd: round(m.interchange_usd, 2),
      subscription_usd: round(m.subscription_usd, 2),
      days_with_data: Number(m.days),
    }));
  } else {
    const [r] = await queryRows<Record<string, unknown>>(connection, MARKETPLACE_KPI_SQL(w, rates));
    for (const [k, v] of Object.entries(r)) values[k] = num(v);
    const gmv = values.gmv_usd ?? 0;
    const net = values.net_revenue_usd ?? 0;
    const orders = values.orders ?? 0;
    values.gmv_usd = round(gmv, 2);
    values.net_revenue_usd = round(net, 2);
    values.take_rate_pct = gmv > 0 ? round((100 * net) / gmv, 3) : null;
    values.aov_usd = orders > 0 ? round(gmv / orders, 2) : null;
    const rows = await queryRows<{ month: string; gmv_usd: number; revenue_usd: number; days: bigint }>(connection, MARKETPLACE_MONTHLY_SQL(rates));
    monthly = rows.map((m) => ({
      month: m.month,
      revenue_usd: round(m.revenue_usd, 2),
      gmv_usd: round(m.gmv_usd, 2),
      interchange_usd: null,
      subscription_usd: null,
      days_with_data: Number(m.days),
    }));
  }
  return { values, monthly, revenue_norm: revenueNorm(monthly, w.end) };
}

/** Median of the three latest complete local months ending at or before the window end. */
export function revenueNorm(monthly: MonthlyRevenue[], windowEnd: string): KpiResult['revenue_norm'] {
  const endMonth = windowEnd.slice(0, 7);
  const monthComplete = addDays(windowEnd, 1).slice(0, 7) !== endMonth;
  const eligible = monthly.filter((m) => (monthComplete ? m.month <= endMonth : m.month < endMonth));
  const last = eligible.slice(-3);
  const sorted = last.map((m) => m.revenue_usd).sort((a, b) => a - b);
  const median = sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { months: last.map((m) => m.month), median_monthly_revenue_usd: round(median, 2) };
}

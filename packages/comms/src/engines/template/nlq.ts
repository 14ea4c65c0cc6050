import type { Archetype, Theme } from '@dnr/core';
import type { NlqPlan } from '../../plan.js';
import { hasColumn } from '../../warehouse-dictionary.js';
import { fillSlot, type ThreadContext } from './context.js';
import { expand, type Rand } from './grammar.js';

/**
 * Natural-language BI queries and the SQL an NLQ tool would generate for them, over the archetype's
 * real tables (docs/warehouse.md). The question carries the theme; the SQL is plain DuckDB.
 */
interface NlqTemplate {
  q: string;
  sql: (v: SqlVars) => string;
  /** Probability the NLQ tool answered (questions about fields we lack mostly fail). */
  success: number;
}

interface SqlVars {
  asof: string;
  table: string;
  ts: string;
  key: string;
  jfact: string;
  jts: string;
  jkey: string;
  dim: string;
  dimCreated: string | null;
  col: string;
  metricSql: string;
}

const TS: Record<string, string> = {
  fact_card_transaction: 'event_time',
  fact_subscription_invoice: 'period_start',
  dim_account: 'created_at',
  dim_card: 'activated_at',
  fact_order: 'order_time',
  fact_order_item: 'loaded_at',
  fact_payment: 'captured_at',
  dim_listing: 'created_at',
};
const DIM_CREATED: Record<string, string> = {
  dim_customer: 'created_at',
  dim_account: 'created_at',
  dim_card: 'activated_at',
  dim_buyer: 'created_at',
  dim_seller: 'created_at',
  dim_listing: 'created_at',
  fact_order: 'order_time',
};

const last30 = (col: string, asof: string) => `${col} >= TIMESTAMP '${asof}' - INTERVAL 30 DAY AND ${col} < TIMESTAMP '${asof}' + INTERVAL 1 DAY`;

/** SQL of the metrics an NLQ can ask for, per archetype (question wording → query). */
export const METRIC_SQL: Record<Archetype, Record<string, (asof: string) => string>> = {
  neobank: {
    'active customers': (a) =>
      `SELECT count(DISTINCT a.customer_id) AS active_customers FROM fact_card_transaction t JOIN dim_card c ON t.card_id = c.card_id JOIN dim_account a ON c.account_id = a.account_id WHERE t.auth_result = 'approved' AND ${last30('t.event_time', a)}`,
    'card spend': (a) => `SELECT sum(amount_cents) / 100.0 AS card_spend_usd FROM fact_card_transaction WHERE auth_result = 'approved' AND ${last30('event_time', a)}`,
    'interchange revenue': (a) =>
      `SELECT sum(amount_cents * interchange_bps) / 1000000.0 AS interchange_usd FROM fact_card_transaction WHERE auth_result = 'approved' AND ${last30('event_time', a)}`,
    'subscription revenue': (a) =>
      `SELECT sum(amount_cents) / 100.0 AS subscription_usd FROM fact_subscription_invoice WHERE paid_at IS NOT NULL AND period_start >= DATE '${a}' - INTERVAL 30 DAY`,
    'new account opens': (a) => `SELECT count(*) AS new_accounts FROM dim_account WHERE ${last30('created_at', a)}`,
    'approval rate': (a) => `SELECT avg(CASE WHEN auth_result = 'approved' THEN 1.0 ELSE 0.0 END) AS approval_rate FROM fact_card_transaction WHERE ${last30('event_time', a)}`,
  },
  marketplace: {
    GMV: (a) => `SELECT sum(subtotal_cents) / 100.0 AS gmv_usd FROM fact_order WHERE ${last30('order_time', a)}`,
    'take rate': (a) =>
      `SELECT sum(p.platform_fee_cents) * 1.0 / sum(o.subtotal_cents) AS take_rate FROM fact_payment p JOIN fact_order o ON p.order_id = o.order_id WHERE ${last30('o.order_time', a)}`,
    'net revenue': (a) => `SELECT sum(platform_fee_cents) / 100.0 AS net_revenue_usd FROM fact_payment WHERE ${last30('captured_at', a)}`,
    AOV: (a) => `SELECT avg(subtotal_cents) / 100.0 AS aov_usd FROM fact_order WHERE ${last30('order_time', a)}`,
    'active buyers': (a) => `SELECT count(DISTINCT buyer_id) AS active_buyers FROM fact_order WHERE ${last30('order_time', a)}`,
    'live listings': (a) => `SELECT count(*) AS live_listings FROM snapshot_listing_daily WHERE ds = DATE '${a}' AND status = 'active'`,
  },
};

const PERSON: Record<Archetype, { table: string; id: string; attr: string }> = {
  neobank: { table: 'dim_customer', id: 'customer_id', attr: 'kyc_status' },
  marketplace: { table: 'dim_buyer', id: 'buyer_id', attr: 'country' },
};

const SHARED: Partial<Record<Theme, NlqTemplate[]>> = {
  metric_definition_mismatch: [
    { q: '{metric} last 30 days (using the finance definition|net of refunds|approved only|official number)', sql: (v) => v.metricSql, success: 0.9 },
    { q: '(how is|how do we calculate|definition of) {metric} (on|in) the {dash}', sql: (v) => v.metricSql, success: 0.8 },
    { q: '{metric} (calendar month vs trailing 30 days|trailing 30d vs calendar month)', sql: (v) => v.metricSql, success: 0.8 },
    { q: 'why is {metric} different (in|between) {dash} and (the finance report|finance)', sql: (v) => v.metricSql, success: 0.7 },
    { q: '(agreed|official|source of truth) {metric} (number|figure) for last month', sql: (v) => v.metricSql, success: 0.85 },
  ],
  join_keys_orphans: [
    { q: '{table} rows with no matching {dim} (last week|this month|yesterday|)', sql: (v) => `SELECT count(*) AS orphans FROM ${v.jfact} f LEFT JOIN ${v.dim} d ON f.${v.jkey} = d.${v.jkey} WHERE d.${v.jkey} IS NULL`, success: 0.95 },
    { q: 'how many {table} rows have a null {key}', sql: (v) => `SELECT count(*) AS null_keys FROM ${v.jfact} WHERE ${v.jkey} IS NULL`, success: 0.95 },
    {
      q: '(orphan|unmatched) {key}s in {table} by day',
      sql: (v) => `SELECT CAST(f.${v.jts} AS DATE) AS day, count(*) AS orphans FROM ${v.jfact} f LEFT JOIN ${v.dim} d ON f.${v.jkey} = d.${v.jkey} WHERE d.${v.jkey} IS NULL GROUP BY 1 ORDER BY 1`,
      success: 0.9,
    },
    {
      q: '{table} (records|rows) (whose|with a) {key} (is not in|missing from) {dim}',
      sql: (v) => `SELECT f.* FROM ${v.jfact} f WHERE f.${v.jkey} NOT IN (SELECT ${v.jkey} FROM ${v.dim}) LIMIT 100`,
      success: 0.9,
    },
    {
      q: '{table} (dated|rows) before the (linked|joined) {dim} row was created',
      sql: (v) =>
        v.dimCreated
          ? `SELECT count(*) AS temporal_mismatch FROM ${v.jfact} f JOIN ${v.dim} d ON f.${v.jkey} = d.${v.jkey} WHERE f.${v.jts} < d.${v.dimCreated}`
          : `SELECT count(*) AS orphans FROM ${v.jfact} f LEFT JOIN ${v.dim} d ON f.${v.jkey} = d.${v.jkey} WHERE d.${v.jkey} IS NULL`,
      success: 0.85,
    },
  ],
  freshness_ingest_lag: [
    { q: 'when was {table} last (loaded|refreshed|updated)', sql: (v) => `SELECT max(loaded_at) AS last_loaded_at FROM ${v.table}`, success: 0.97 },
    {
      q: 'p95 (ingest|load) lag (for|on) {table} (yesterday|today|this week)',
      sql: (v) => `SELECT quantile_cont(date_diff('minute', ${v.ts}, loaded_at), 0.95) AS p95_lag_min FROM ${v.table} WHERE ${v.ts} >= TIMESTAMP '${v.asof}' - INTERVAL 7 DAY`,
      success: 0.9,
    },
    { q: 'is (the|) {dash} (data|) (up to date|fresh|stale) (today|right now|)', sql: (v) => `SELECT max(loaded_at) AS last_loaded_at, max(${v.ts}) AS last_event FROM ${v.table}`, success: 0.9 },
    {
      q: '{table} rows loaded more than 4 hours late (this week|yesterday|by day)',
      sql: (v) => `SELECT CAST(${v.ts} AS DATE) AS day, count(*) AS late_rows FROM ${v.table} WHERE loaded_at > ${v.ts} + INTERVAL 4 HOUR GROUP BY 1 ORDER BY 1`,
      success: 0.9,
    },
    { q: '(hourly|per hour) rows loaded into {table} (today|yesterday)', sql: (v) => `SELECT date_trunc('hour', loaded_at) AS hour, count(*) AS rows_loaded FROM ${v.table} WHERE loaded_at >= TIMESTAMP '${v.asof}' - INTERVAL 1 DAY GROUP BY 1 ORDER BY 1`, success: 0.9 },
  ],
  duplicates_dedup: [
    { q: 'duplicate {key}s in {table} (last 7 days|yesterday|this month|)', sql: (v) => `SELECT ${v.key}, count(*) AS copies FROM ${v.table} GROUP BY ${v.key} HAVING count(*) > 1`, success: 0.95 },
    { q: '(row count vs distinct|count vs count distinct) {key} in {table}', sql: (v) => `SELECT count(*) AS total_rows, count(DISTINCT (${v.key})) AS distinct_keys FROM ${v.table}`, success: 0.95 },
    { q: '{table} rows loaded twice (by day|this week|)', sql: (v) => `SELECT CAST(${v.ts} AS DATE) AS day, count(*) - count(DISTINCT (${v.key})) AS duplicates FROM ${v.table} GROUP BY 1 ORDER BY 1`, success: 0.9 },
    { q: 'is {metric} double counted (this week|yesterday|last month)', sql: (v) => `SELECT count(*) - count(DISTINCT (${v.key})) AS extra_rows FROM ${v.table} WHERE ${v.ts} >= TIMESTAMP '${v.asof}' - INTERVAL 7 DAY`, success: 0.85 },
    { q: 'dedupe {table} keeping the earliest load', sql: (v) => `SELECT * FROM ${v.table} QUALIFY row_number() OVER (PARTITION BY ${v.key} ORDER BY loaded_at) = 1`, success: 0.9 },
  ],
  new_field_schema_request: [
    { q: '{metric} by {field} (last month|this quarter|last 90 days)', sql: (v) => `SELECT date_trunc('month', ${v.ts}) AS month, count(*) AS n FROM ${v.table} GROUP BY 1 ORDER BY 1`, success: 0.3 },
    { q: '(is there a|do we have a) {field} (column|field) (in|on) {table}', sql: (v) => `SELECT * FROM ${v.table} LIMIT 1`, success: 0.4 },
    {
      q: '{col} null rate by day (since the release|last 2 weeks|this month)',
      sql: (v) => `SELECT CAST(${v.ts} AS DATE) AS day, avg(CASE WHEN ${v.col} IS NULL THEN 1.0 ELSE 0.0 END) AS null_rate FROM ${v.table} GROUP BY 1 ORDER BY 1`,
      success: 0.9,
    },
    { q: '(split|break down) {table} by {field}', sql: (v) => `SELECT count(*) AS n FROM ${v.table}`, success: 0.25 },
    { q: 'why is {col} (empty|null) (since|after) the (schema change|migration|release)', sql: (v) => `SELECT count(*) FILTER (WHERE ${v.col} IS NULL) AS null_rows, count(*) AS total FROM ${v.table} WHERE ${v.ts} >= TIMESTAMP '${v.asof}' - INTERVAL 14 DAY`, success: 0.8 },
  ],
};

const ACCESS: Record<Archetype, NlqTemplate[]> = Object.fromEntries(
  (['neobank', 'marketplace'] as const).map((a) => {
    const p = PERSON[a];
    return [
      a,
      [
        { q: '(show|list|export) {pii} for (churned|top|new|all) (customers|users)', sql: () => `SELECT ${p.id}, ${p.attr} FROM ${p.table} LIMIT 100`, success: 0.2 },
        { q: 'why (do I get|am I getting) permission denied on {table}', sql: (v) => `SELECT * FROM ${v.table} LIMIT 10`, success: 0.2 },
        { q: '(unmasked|raw) {pii} for (customer|user) {big}', sql: () => `SELECT * FROM ${p.table} WHERE ${p.id} = 1042`, success: 0.15 },
        { q: '(can I|do I have) access to {pii} (in|from) {table}', sql: (v) => `SELECT * FROM ${v.table} LIMIT 5`, success: 0.3 },
        { q: '(which|what) (PII|personal data) columns (are in|does) {table} (have|contain|)', sql: (v) => `SELECT * FROM ${v.table} LIMIT 0`, success: 0.5 },
      ] satisfies NlqTemplate[],
    ];
  }),
) as Record<Archetype, NlqTemplate[]>;

const REVENUE: Record<Archetype, NlqTemplate[]> = {
  neobank: [
    {
      q: 'interchange revenue by (MCC|merchant category|mcc) (last quarter|last month|this year)',
      sql: (v) =>
        `SELECT m.mcc, sum(t.amount_cents * t.interchange_bps) / 1000000.0 AS interchange_usd FROM fact_card_transaction t LEFT JOIN dim_merchant m ON t.merchant_id = m.merchant_id WHERE t.event_time >= TIMESTAMP '${v.asof}' - INTERVAL 90 DAY GROUP BY 1 ORDER BY 2 DESC`,
      success: 0.9,
    },
    {
      q: '(unmapped|unattributed) interchange (share|revenue) (last month|this quarter)',
      sql: () =>
        `SELECT sum(CASE WHEN m.merchant_id IS NULL THEN t.amount_cents * t.interchange_bps ELSE 0 END) * 1.0 / sum(t.amount_cents * t.interchange_bps) AS unmapped_share FROM fact_card_transaction t LEFT JOIN dim_merchant m ON t.merchant_id = m.merchant_id`,
      success: 0.85,
    },
    {
      q: 'subscription revenue by plan (last month|this year|by month)',
      sql: () => `SELECT p.name, date_trunc('month', i.period_start) AS month, sum(i.amount_cents) / 100.0 AS revenue_usd FROM fact_subscription_invoice i LEFT JOIN dim_plan p ON i.plan_id = p.plan_id GROUP BY 1, 2 ORDER BY 2, 1`,
      success: 0.9,
    },
    {
      q: 'revenue coverage by merchant sector (last month|)',
      sql: () => `SELECT m.mcc // 100 AS sector, sum(t.amount_cents * t.interchange_bps) / 1000000.0 AS interchange_usd FROM fact_card_transaction t JOIN dim_merchant m ON t.merchant_id = m.merchant_id GROUP BY 1 ORDER BY 1`,
      success: 0.8,
    },
    {
      q: '(total revenue|interchange plus subscription revenue) (this month|last month) (reconciled to the ledger|vs ledger)',
      sql: (v) =>
        `SELECT (SELECT sum(amount_cents * interchange_bps) / 1000000.0 FROM fact_card_transaction WHERE auth_result = 'approved' AND ${last30('event_time', v.asof)}) + (SELECT sum(amount_cents) / 100.0 FROM fact_subscription_invoice WHERE paid_at IS NOT NULL AND ${last30('paid_at', v.asof)}) AS revenue_usd`,
      success: 0.6,
    },
  ],
  marketplace: [
    {
      q: 'net revenue by category (last month|last quarter|this year)',
      sql: () =>
        `SELECT c.name AS category, sum(i.qty * i.item_price_cents) * 0.12 / 100.0 AS net_revenue_usd FROM fact_order_item i LEFT JOIN dim_listing l ON i.listing_id = l.listing_id LEFT JOIN dim_category c ON l.category_id = c.category_id GROUP BY 1 ORDER BY 2 DESC`,
      success: 0.85,
    },
    {
      q: 'take rate by (top-level|leaf|parent) category',
      sql: () =>
        `SELECT c.parent_id, sum(i.qty * i.item_price_cents) AS subtotal_cents FROM fact_order_item i JOIN dim_listing l ON i.listing_id = l.listing_id JOIN dim_category c ON l.category_id = c.category_id GROUP BY 1 ORDER BY 2 DESC`,
      success: 0.8,
    },
    { q: '(GMV|revenue) by currency (converted to USD|last month|)', sql: () => `SELECT currency, sum(subtotal_cents) / 100.0 AS gmv FROM fact_order GROUP BY 1 ORDER BY 2 DESC`, success: 0.85 },
    {
      q: '(unmapped|uncategorized) (category|listing) revenue share',
      sql: () =>
        `SELECT avg(CASE WHEN c.category_id IS NULL THEN 1.0 ELSE 0.0 END) AS unmapped_share FROM fact_order_item i LEFT JOIN dim_listing l ON i.listing_id = l.listing_id LEFT JOIN dim_category c ON l.category_id = c.category_id`,
      success: 0.85,
    },
    { q: 'platform fees (vs|reconciled to) payments (this month|last month)', sql: (v) => `SELECT sum(platform_fee_cents) / 100.0 AS fees_usd, sum(buyer_paid_cents) / 100.0 AS paid_usd FROM fact_payment WHERE captured_at >= TIMESTAMP '${v.asof}' - INTERVAL 30 DAY`, success: 0.85 },
  ],
};

const ATTRIBUTION: Record<Archetype, NlqTemplate[]> = {
  neobank: [
    {
      q: 'signup to (card activation|first transaction) conversion by (week|month|cohort)',
      sql: () =>
        `SELECT date_trunc('month', c.created_at) AS cohort, count(DISTINCT c.customer_id) AS signups, count(DISTINCT CASE WHEN k.activated_at IS NOT NULL THEN c.customer_id END) AS activated FROM dim_customer c LEFT JOIN dim_account a ON a.customer_id = c.customer_id LEFT JOIN dim_card k ON k.account_id = a.account_id GROUP BY 1 ORDER BY 1`,
      success: 0.8,
    },
    { q: 'new customers by (acquisition channel|utm source|campaign|referral source) last month', sql: (v) => `SELECT date_trunc('week', created_at) AS week, count(*) AS new_customers FROM dim_customer WHERE created_at >= TIMESTAMP '${v.asof}' - INTERVAL 30 DAY GROUP BY 1 ORDER BY 1`, success: 0.25 },
    {
      q: '(free to premium|upgrade) (funnel|conversion rate) by month',
      sql: () => `SELECT date_trunc('month', i.period_start) AS month, count(DISTINCT i.customer_id) AS paying FROM fact_subscription_invoice i WHERE i.plan_id <> 1 GROUP BY 1 ORDER BY 1`,
      success: 0.7,
    },
    { q: '(KYC verified|signup) to first card swipe (time|days) by (cohort|week)', sql: () => `SELECT kyc_status, count(*) AS customers FROM dim_customer GROUP BY 1`, success: 0.5 },
    { q: 'which campaign drove (the most|most) (signups|new accounts) (last quarter|this month)', sql: () => `SELECT count(*) AS new_accounts FROM dim_account`, success: 0.2 },
  ],
  marketplace: [
    {
      q: 'signup to first order conversion by (week|cohort|month)',
      sql: () =>
        `SELECT date_trunc('month', b.created_at) AS cohort, count(DISTINCT b.buyer_id) AS signups, count(DISTINCT o.buyer_id) AS ordered FROM dim_buyer b LEFT JOIN fact_order o ON o.buyer_id = b.buyer_id GROUP BY 1 ORDER BY 1`,
      success: 0.85,
    },
    { q: 'orders by (utm source|marketing channel|campaign|traffic source) (last month|this week)', sql: (v) => `SELECT date_trunc('day', order_time) AS day, count(*) AS orders FROM fact_order WHERE order_time >= TIMESTAMP '${v.asof}' - INTERVAL 30 DAY GROUP BY 1 ORDER BY 1`, success: 0.2 },
    { q: '(checkout funnel|cart to purchase) conversion (this week|by day|by channel)', sql: () => `SELECT count(*) AS orders, count(DISTINCT buyer_id) AS buyers FROM fact_order`, success: 0.3 },
    {
      q: 'repeat buyer rate by (signup month|cohort)',
      sql: () => `SELECT date_trunc('month', b.created_at) AS cohort, avg(CASE WHEN n >= 2 THEN 1.0 ELSE 0.0 END) AS repeat_rate FROM dim_buyer b JOIN (SELECT buyer_id, count(*) AS n FROM fact_order GROUP BY 1) o ON o.buyer_id = b.buyer_id GROUP BY 1 ORDER BY 1`,
      success: 0.85,
    },
    { q: 'which (campaign|channel) (drove|brought) (the most|most) new buyers (last quarter|this month)', sql: () => `SELECT country, count(*) AS buyers FROM dim_buyer GROUP BY 1 ORDER BY 2 DESC`, success: 0.2 },
  ],
};

// How people type into a BI assistant: an optional opener and an optional shape of the answer.
const NLQ_OPENERS = '(show me|can you pull|pls|give me|quick:|I need|chart of|list|find|get)';
const NLQ_CLOSERS = '(for the {dash}|by week|as a table|for {team}|please|asap|?|for the WBR|split by day)';
const QUESTION_START = /^(why|how|is|are|when|which|what|who|can|do|does|dedupe|list|show|export|unmasked|raw|split|break)\b/i;

function templatesFor(archetype: Archetype, theme: Theme): NlqTemplate[] {
  if (theme === 'access_permissions_pii') return ACCESS[archetype];
  if (theme === 'revenue_coverage_mapping') return REVENUE[archetype];
  if (theme === 'attribution_funnel_gaps') return ATTRIBUTION[archetype];
  return SHARED[theme] ?? [];
}

export interface NlqItem {
  query_text: string;
  generated_sql: string;
  success_flag: boolean;
  latency_ms: number;
  result_rows: number;
}

/** One NLQ: question, SQL and the tool's outcome. */
export function nlqItem(plan: NlqPlan, ctx: ThreadContext, asof: string, rand: Rand): NlqItem {
  const list = templatesFor(ctx.archetype, plan.theme);
  const t = list[Math.floor(rand() * list.length)];
  const metrics = METRIC_SQL[ctx.archetype];
  const metricName = Object.keys(metrics)[Math.floor(rand() * Object.keys(metrics).length)];
  // freshness/dup questions need a real event-time column
  const fact = plan.theme === 'freshness_ingest_lag' && ctx.fact.ts === 'loaded_at' ? { ...ctx.fact, table: ctx.archetype === 'neobank' ? 'fact_card_transaction' : 'fact_order', ts: ctx.archetype === 'neobank' ? 'event_time' : 'order_time' } : ctx.fact;
  const local: ThreadContext = { ...ctx, metric: metricName, fact };
  const fill = (name: string) => {
    if (name === 'table') return plan.theme === 'join_keys_orphans' ? ctx.join.fact : fact.table;
    if (name === 'key' && plan.theme !== 'join_keys_orphans') return fact.key.split(',')[0].trim();
    if (name === 'col') return ctx.col;
    return fillSlot(name, local, rand);
  };
  let query = expand(t.q, rand, fill);
  // Openers only in front of noun phrases ("show me why is…" is not how anyone types).
  if (!QUESTION_START.test(query) && rand() < 0.55) query = `${expand(NLQ_OPENERS, rand, fill)} ${query}`;
  if (rand() < 0.45) {
    const closer = expand(NLQ_CLOSERS, rand, fill);
    if (!(/\bby\b/.test(query) && /\bby\b/.test(closer))) query = closer === '?' ? `${query}?` : `${query} ${closer}`;
  }
  if (rand() < 0.35) query = query.toLowerCase();
  const col = plan.theme === 'new_field_schema_request' && !hasColumn(ctx.archetype, fact.table, ctx.col) ? fact.ts : ctx.col;
  const v: SqlVars = {
    asof,
    table: fact.table,
    ts: fact.ts,
    key: fact.key,
    jfact: ctx.join.fact,
    jts: TS[ctx.join.fact] ?? 'loaded_at',
    jkey: ctx.join.key,
    dim: ctx.join.dim,
    dimCreated: DIM_CREATED[ctx.join.dim] ?? null,
    col,
    metricSql: metrics[metricName](asof),
  };
  const success = rand() < t.success;
  const latency = Math.round(180 + Math.exp(6.4 + 0.7 * gaussian(rand)));
  const rows = success ? Math.max(1, Math.round(Math.exp(1.5 + 1.6 * Math.abs(gaussian(rand))))) : 0;
  return { query_text: query, generated_sql: t.sql(v), success_flag: success, latency_ms: latency, result_rows: rows };
}

function gaussian(rand: Rand): number {
  return Math.sqrt(-2 * Math.log(Math.max(1e-12, rand()))) * Math.cos(2 * Math.PI * rand());
}


import type { Role, Theme } from '@dnr/core';

/**
 * The one owner of human names for the report's internal ids (themes, tables, columns, metrics,
 * guardrails, KPIs, roles, sources). JSON keeps the ids; every reader-facing text goes through here.
 */

export const THEME_NAMES: Record<Theme, string> = {
  metric_definition_mismatch: 'conflicting metric definitions',
  join_keys_orphans: 'broken joins (missing or unmatched keys)',
  freshness_ingest_lag: 'late data',
  duplicates_dedup: 'duplicate records',
  access_permissions_pii: 'data access and personal data',
  new_field_schema_request: 'missing fields and schema changes',
  revenue_coverage_mapping: 'revenue that is not mapped',
  attribution_funnel_gaps: 'attribution and funnel gaps',
};

const TABLE_NAMES: Record<string, string> = {
  fact_card_transaction: 'card transactions',
  fact_subscription_invoice: 'subscription invoices',
  fact_order: 'orders',
  fact_order_item: 'order items',
  fact_payment: 'payments',
  dim_customer: 'customers',
  dim_account: 'accounts',
  dim_card: 'cards',
  dim_merchant: 'merchants',
  dim_plan: 'plans',
  dim_buyer: 'buyers',
  dim_seller: 'sellers',
  dim_category: 'categories',
  dim_listing: 'listings',
  snapshot_listing_daily: 'daily listing snapshots',
};

const COLUMN_NAMES: Record<string, string> = {
  interchange_bps: 'interchange rate',
  amount_cents: 'amount',
  subtotal_cents: 'subtotal',
  shipping_cents: 'shipping amount',
  discount_cents: 'discount',
  tax_cents: 'tax',
  item_price_cents: 'item price',
  platform_fee_cents: 'platform fee',
  paid_at: 'payment time',
  qty: 'quantity',
};

/** "card transaction" for "fact_card_transaction": the table name as a noun before "row(s)". */
export const tableRowName = (id: string): string => tableName(id).replace(/ies$/, 'y').replace(/s$/, '');

/** "a" or "an" before a word. */
export const article = (word: string): string => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);

/** "fact_card_transaction" → "card transactions"; unknown tables lose their prefix and underscores. */
export const tableName = (id: string): string => TABLE_NAMES[id] ?? id.replace(/^(fact|dim|snapshot)_/, '').replace(/_/g, ' ');

/** "card_id" → "card ID", "interchange_bps" → "interchange rate". */
export const columnName = (id: string): string => COLUMN_NAMES[id] ?? (/_id$/.test(id) ? `${id.slice(0, -3).replace(/_/g, ' ')} ID` : id.replace(/_(cents|bps|at)$/, '').replace(/_/g, ' '));

export const themeName = (t: Theme): string => THEME_NAMES[t];

/** Capitalised first letter, for names that start a sentence or a heading. */
export const cap = (s: string): string => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** Health metrics (per table) and invoice / evening-window guardrail metrics. */
const METRIC_NAMES: Record<string, string> = {
  key_null_pct: 'missing keys',
  orphan_pct: 'keys that match no record',
  dup_key_pct: 'duplicate records',
  p95_ingest_lag_min: 'loading delay (95th percentile)',
  revenue_null_pct: 'rows with no revenue amount',
  null_spike_days: 'days with a spike of empty values',
  missing_pct: 'months with no invoice',
  on_time_pct: 'invoices paid on time',
  p95_payment_lag_min: 'payment delay (95th percentile)',
  overall_share_pct: 'share of payments in the evening',
  days_pct: 'days meeting the evening minimum',
};
export const metricName = (id: string): string => METRIC_NAMES[id] ?? id.replace(/_(pct|min|usd)$/, '').replace(/_/g, ' ');

/** Guardrail scope (table, "overall", "evening_window") in words. */
export const scopeName = (scope: string): string => (scope === 'overall' ? 'all tables' : scope === 'evening_window' ? 'evening payments' : tableName(scope));

/** A KPI in words: the contract's `label`, else its id in words (the built-in contracts' labels carry their wording). */
export const kpiName = (id: string, label?: string): string => label ?? id.replace(/_/g, ' ');

const ROLE_NAMES: Record<Role, [string, string]> = {
  exec: ['executive', 'executives'],
  data_eng: ['data engineer', 'data engineers'],
  analytics_eng: 'analytics engineer/analytics engineers'.split('/') as [string, string],
  bi: ['BI analyst', 'BI analysts'],
  product_analytics: ['product analyst', 'product analysts'],
  eng_platform: ['platform engineer', 'platform engineers'],
  pm: ['product manager', 'product managers'],
  finance: ['finance colleague', 'finance'],
  other: ['colleague', 'other colleagues'],
};
/** One person of the role ("a finance colleague") or the group ("finance"). */
export const roleName = (r: Role, plural = false): string => ROLE_NAMES[r][plural ? 1 : 0];

const SOURCE_NAMES: Record<string, string> = { slack: 'Slack', email: 'e-mail', nlq: 'BI question' };
export const sourceName = (s: string): string => SOURCE_NAMES[s] ?? s;
/** A comms source as a whole: "Slack", "e-mail", "BI questions". */
export const sourceGroupName = (s: string): string => (s === 'nlq' ? 'BI questions' : sourceName(s));

export const archetypeName = (a: string): string => (a === 'neobank' ? 'Neobank' : a === 'marketplace' ? 'Marketplace' : cap(a));

/** Invoice guardrails measure over the full history and on (customer, period): named apart from the per-table window metrics. */
const INVOICE_METRIC_NAMES: Record<string, string> = {
  missing_pct: 'months with no invoice inside a customer’s subscription',
  on_time_pct: 'invoices paid within 3 days',
  dup_key_pct: 'customers invoiced twice for the same period',
  p95_payment_lag_min: 'time to payment (95th percentile)',
};

/** A guardrail from its id alone ("slo.fact_order.key_null_pct", "invoice.on_time_pct", "null_spikes.in_window") in words. */
export function guardrailIdName(id: string): string {
  const parts = id.split('.');
  const metric = parts.at(-1) ?? id;
  const scope = parts[0] === 'slo' && parts.length === 3 ? parts[1] : parts[0] === 'invoice' ? 'fact_subscription_invoice' : parts[0];
  return guardrailName({ name: id, scope, metric });
}

/** A guardrail id (slo.fact_order.key_null_pct, invoice.on_time_pct, evening_window.days_pct, null_spikes.in_window) in words. */
export function guardrailName(g: { name: string; scope: string; metric: string }): string {
  if (g.name.startsWith('invoice.')) return cap(INVOICE_METRIC_NAMES[g.metric] ?? metricName(g.metric));
  if (g.name.startsWith('evening_window.')) return cap(metricName(g.metric));
  if (g.name === 'null_spikes.in_window') return 'Days with a spike of empty values in the window';
  return `${cap(metricName(g.metric))} in ${scopeName(g.scope)}`;
}

import { MARKET_CATEGORY_KEYS } from '@dnr/core';
import type { ProfileSource } from '../source.js';
import { num, round, usdRate } from '../sql.js';

/** Days before the window end an order must be placed for its cancellation / refund to be observable. */
export const CANCEL_SETTLE_DAYS = 45;
export const REFUND_SETTLE_DAYS = 120;

/** Failed payment attempts: first-attempt failure rate, retries, reasons, and the cross-border share they depend on. */
export interface FailedPaymentsProfile {
  /** Orders with attempts whose buyer and shop countries are known. */
  orders: number;
  first_attempt_failed: number;
  first_attempt_failure_rate: number | null;
  /** Share of those orders whose buyer and shop are in different countries. */
  cross_border_share: number | null;
  /** First-attempt failure rate of domestic and of cross-border orders. */
  domestic_failure_rate: number | null;
  cross_border_failure_rate: number | null;
  /** Mean attempts of orders whose first attempt failed. */
  attempts_per_failed_order: number | null;
  /** Failure reasons → share of failed attempts. */
  reasons: Record<string, number>;
}

/** Cancellations and refunds of settled orders (placed long enough before the window end). */
export interface RefundsProfile {
  /** Orders placed ≥ CANCEL_SETTLE_DAYS before the window end, and those cancelled. */
  cancel_base: number;
  cancelled: number;
  cancellation_rate: number | null;
  /** Paid orders placed ≥ REFUND_SETTLE_DAYS before the window end with a known first-line category and countries. */
  refund_base: number;
  full: number;
  partial: number;
  full_refund_rate: number | null;
  partial_refund_rate: number | null;
  /** Σ over the refund base of the declared per-order odds multipliers (category × month × cross-border for full, category × month for partial), for the gates. */
  full_weight: number;
  partial_weight: number;
  /** Refunded item value ÷ subtotal of the window's orders (all kinds), and fee reversed ÷ fee. */
  refunded_gmv_share: number | null;
  fee_reversed_share: number | null;
  by_reason: Record<string, number>;
}

/**
 * The declared per-order refund odds multipliers: by the first line's top-level category key, for
 * cross-border full refunds, and by the order's local month (January first; missing = 1).
 */
export interface RefundOdds {
  categoryMultiplier: Record<string, number>;
  crossBorder: number;
  monthMultiplier?: readonly number[];
}

/** Orders with the buyer's and the first line's shop country and the first line's top-level category key index (0–9). */
function orderFacts(orders: string, items: string): string {
  return `SELECT o.order_id, o.order_time, b.country <> s.country AS intl, coalesce(c.parent_id, c.category_id) - 1 AS top
    FROM ${orders} o JOIN dim_buyer b USING (buyer_id)
    JOIN ${items} i ON i.order_id = o.order_id AND i.line_id = 1
    JOIN dim_seller s ON s.seller_id = i.seller_id
    LEFT JOIN dim_listing l ON l.listing_id = i.listing_id LEFT JOIN dim_category c ON c.category_id = l.category_id`;
}

export async function failedPayments(src: ProfileSource, orders: string, items: string): Promise<FailedPaymentsProfile> {
  const [r] = await src.q<Record<string, number | bigint | null>>(`
    WITH f AS (${orderFacts(orders, items)}),
    a AS (SELECT order_id, count(*) AS attempts, bool_or(attempt = 1 AND status = 'failed') AS first_failed FROM fact_payment_attempt GROUP BY 1)
    SELECT count(*) AS n, count(*) FILTER (WHERE first_failed) AS failed, avg(intl::INTEGER) AS intl,
      avg(first_failed::INTEGER) FILTER (WHERE NOT intl) AS dom_rate, avg(first_failed::INTEGER) FILTER (WHERE intl) AS intl_rate,
      avg(attempts) FILTER (WHERE first_failed) AS attempts
    FROM f JOIN a USING (order_id)`);
  const reasons = await src.q<{ reason: string; n: bigint }>(`SELECT failure_reason AS reason, count(*) AS n FROM fact_payment_attempt WHERE status = 'failed' GROUP BY 1`);
  const failedTotal = reasons.reduce((a, x) => a + num(x.n), 0);
  const n = num(r.n);
  return {
    orders: n,
    first_attempt_failed: num(r.failed),
    first_attempt_failure_rate: n ? round(num(r.failed) / n) : null,
    cross_border_share: round(r.intl as number | null),
    domestic_failure_rate: round(r.dom_rate as number | null),
    cross_border_failure_rate: round(r.intl_rate as number | null),
    attempts_per_failed_order: round(r.attempts as number | null, 3),
    reasons: Object.fromEntries(reasons.map((x) => [x.reason, round(num(x.n) / failedTotal) ?? 0])),
  };
}

/**
 * Refund rates of settled paid orders (an order the buyer never paid cannot be refunded; the declared
 * rates are shares of paid orders) and the declared-odds weights the gates compare them with:
 * `categoryMultiplier` (top-level key → ×), `crossBorder` (× for cross-border full refunds) and
 * `monthMultiplier` (× by the order's local month) come from the behaviour truth when it is there (else 1). Refunded GMV and fee shares are USD over USD (`rates`: USD
 * per unit of each currency, from the warehouse manifest), so no currency's cents outweigh another's.
 */
export async function refunds(
  src: ProfileSource,
  orders: string,
  items: string,
  declared: RefundOdds = { categoryMultiplier: {}, crossBorder: 1 },
  rates: Record<string, number> = {},
): Promise<RefundsProfile> {
  const usd = (currency: string) => usdRate(currency, rates);
  const months = declared.monthMultiplier ?? [];
  const mm = months.length === 12 ? `[${months.join(', ')}][month(day)]` : '1';
  const cm = `(CASE top ${MARKET_CATEGORY_KEYS.map((k, j) => `WHEN ${j} THEN ${declared.categoryMultiplier[k] ?? 1}`).join(' ')} ELSE 1 END) * ${mm}`;
  const end = `DATE '${src.window.end}'`;
  const [r] = await src.q<Record<string, number | bigint | null>>(`
    WITH f AS (${orderFacts(orders, items)}),
    r AS (SELECT order_id, any_value(kind) AS kind FROM fact_refund GROUP BY 1),
    paid AS (SELECT DISTINCT order_id FROM fact_payment),
    fr AS (SELECT f.*, r.kind, local_ts(f.order_time)::DATE AS day FROM f SEMI JOIN paid USING (order_id) LEFT JOIN r USING (order_id)),
    c AS (SELECT o.order_id, r.kind FROM ${orders} o SEMI JOIN paid USING (order_id) LEFT JOIN r USING (order_id) WHERE local_ts(o.order_time)::DATE <= ${end} - ${CANCEL_SETTLE_DAYS})
    SELECT (SELECT count(*) FROM c) AS cancel_base, (SELECT count(*) FILTER (WHERE kind = 'cancellation') FROM c) AS cancelled,
      count(*) AS refund_base, count(*) FILTER (WHERE kind = 'full') AS full, count(*) FILTER (WHERE kind = 'partial') AS partial,
      sum(${cm} * CASE WHEN intl THEN ${declared.crossBorder} ELSE 1 END) AS full_weight, sum(${cm}) AS partial_weight
    FROM fr WHERE day <= ${end} - ${REFUND_SETTLE_DAYS} AND top IS NOT NULL`);
  // amounts are in each order's currency: both sides of a share in USD at the configured rates
  const [g] = await src.q<Record<string, number | bigint | null>>(`
    WITH cur AS (SELECT order_id, any_value(currency) AS currency FROM ${orders} GROUP BY 1)
    SELECT (SELECT sum(subtotal_cents * ${usd('currency')}) FROM fact_refund) / nullif((SELECT sum(subtotal_cents * ${usd('currency')}) FROM ${orders}), 0) AS gmv,
      (SELECT sum(platform_fee_reversed_cents * ${usd('currency')}) FROM fact_refund)
        / nullif((SELECT sum(p.platform_fee_cents * ${usd('c.currency')}) FROM fact_payment p LEFT JOIN cur c USING (order_id)), 0) AS fee`);
  const reasons = await src.q<{ reason: string; n: bigint }>(`SELECT reason, count(*) AS n FROM fact_refund GROUP BY 1 ORDER BY 1`);
  const base = num(r.refund_base);
  const cancelBase = num(r.cancel_base);
  return {
    cancel_base: cancelBase,
    cancelled: num(r.cancelled),
    cancellation_rate: cancelBase ? round(num(r.cancelled) / cancelBase) : null,
    refund_base: base,
    full: num(r.full),
    partial: num(r.partial),
    full_refund_rate: base ? round(num(r.full) / base) : null,
    partial_refund_rate: base ? round(num(r.partial) / base) : null,
    full_weight: num(r.full_weight),
    partial_weight: num(r.partial_weight),
    refunded_gmv_share: round(g.gmv as number | null),
    fee_reversed_share: round(g.fee as number | null),
    by_reason: Object.fromEntries(reasons.map((x) => [x.reason, num(x.n)])),
  };
}

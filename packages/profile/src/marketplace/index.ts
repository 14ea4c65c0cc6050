import { calendarProfile, type CalendarRow, type NamedDay } from '../calendar.js';
import { hasTables, type ProfileSource } from '../source.js';
import { num, round, usdRate } from '../sql.js';
import { marketingProfile, type MarketingProfile } from './marketing.js';
import { failedPayments, refunds, type FailedPaymentsProfile, type RefundOdds, type RefundsProfile } from './money.js';

export type { FailedPaymentsProfile, RefundsProfile } from './money.js';
export type { MarketingProfile } from './marketing.js';

/** A section that needs tables the warehouse does not have. */
export interface Unavailable {
  section: string;
  needs: string[];
}

export interface MarketplaceProfile {
  concentration: { sellers: number; sellers_with_sales: number; top1pct_gmv_share: number | null; gini: number | null; gmv_usd: number } | null;
  /** Listings created in the first half of the window that had no order line in the window. */
  never_sold: { listings: number; never_sold: number; share: number | null } | null;
  consistency: {
    lines: number;
    /**
     * Order lines whose listing was `active` neither at the end of the previous local day nor at the end
     * of the order's local day (the snapshot is end-of-day: the sale that sells a listing out is on a
     * day that ends `sold_out`, after a day that ended `active`). The first window day has no previous
     * snapshot: its lines are not counted (the listing is taken as active the evening before).
     */
    lines_on_unavailable_listing: number;
    /**
     * Listings `sold_out` at the window end without an order line naming them in the window (not
     * counting those already sold out on its first day). Lines whose listing_id is a key null hide
     * sales, so on a warehouse with key nulls a few are expected: see the next count.
     */
    sold_out_never_sold: number;
    /**
     * Of those, the ones no hidden sale explains: no order line of the listing's shop (or with a null
     * seller_id too) whose listing_id is null on a local day the listing sold out (its snapshot ends the
     * day `sold_out` after a day that did not).
     */
    sold_out_never_sold_unexplained: number;
    sold_out: number;
    /** Closed shops with an order line in the last 30 window days. */
    closed_shops_selling_late: number;
    closed_shops: number;
  } | null;
  /** Orders without a payment row, and payments per order. */
  payments: { orders: number; unpaid_orders: number; unpaid_share: number | null } | null;
  /** Cancellations, full and partial refunds of settled orders (fact_refund). */
  refunds: RefundsProfile | null;
  /** Failed payment attempts and retries (fact_payment_attempt). */
  failed_payments: FailedPaymentsProfile | null;
  /** Order attribution (first touch, last touch, linear), sign-ups, sessions and spend per channel. */
  marketing: MarketingProfile | null;
  cohorts: Array<{ year: number; buyers: number; orders_per_buyer: number | null; active_first_month: number | null; active_last_month: number | null }> | null;
  calendar: CalendarRow[];
  unavailable: Unavailable[];
}

/** Sections of the marketplace profile and the tables each needs. */
const NEEDS: Record<string, string[]> = {
  concentration: ['fact_order_item', 'fact_order', 'dim_seller'],
  never_sold: ['dim_listing', 'fact_order_item'],
  consistency: ['fact_order_item', 'fact_order', 'snapshot_listing_daily', 'dim_listing', 'dim_seller'],
  payments: ['fact_order', 'fact_payment'],
  cohorts: ['dim_buyer', 'fact_order'],
  refunds: ['fact_refund', 'fact_order', 'fact_order_item', 'fact_payment', 'dim_buyer', 'dim_seller', 'dim_listing', 'dim_category'],
  failed_payments: ['fact_payment_attempt', 'fact_order', 'fact_order_item', 'dim_buyer', 'dim_seller'],
  marketing: ['fact_touchpoint', 'fact_channel_daily', 'fact_order'],
};

/** USD per unit of each order currency, from the warehouse manifest's rates. */
const usd = (rates: Record<string, number>) => usdRate('o.currency', rates);

/**
 * Demand concentration, never-sold listings, status consistency, payments, buyer cohorts and named
 * days of a marketplace warehouse. Each section needing tables the warehouse lacks is null and
 * listed in `unavailable`.
 */
export async function marketplaceProfile(src: ProfileSource, rates: Record<string, number>, days: NamedDay[]): Promise<MarketplaceProfile> {
  const can = (section: string) => hasTables(src, ...NEEDS[section]);
  const items = can('concentration') ? await src.first('fact_order_item') : '';
  const orders = src.tables.has('fact_order') ? await src.first('fact_order') : '';
  const out: MarketplaceProfile = {
    concentration: can('concentration') ? await concentration(src, items, orders, rates) : null,
    never_sold: can('never_sold') ? await neverSold(src, await src.first('fact_order_item')) : null,
    consistency: can('consistency') ? await consistency(src, items, orders) : null,
    payments: can('payments') ? await payments(src, orders) : null,
    refunds: can('refunds') ? await refunds(src, orders, await src.first('fact_order_item'), declaredRefundOdds(src), rates) : null,
    failed_payments: can('failed_payments') ? await failedPayments(src, orders, await src.first('fact_order_item')) : null,
    marketing: can('marketing') ? await marketingProfile(src, orders) : null,
    cohorts: can('cohorts') ? await cohorts(src, orders) : null,
    calendar: orders ? await calendarProfile(src, `(SELECT local_ts(order_time)::DATE AS day, '*' AS key, count(*) AS n FROM ${orders} GROUP BY 1)`, days) : [],
    unavailable: Object.entries(NEEDS)
      .filter(([, t]) => !hasTables(src, ...t))
      .map(([section, needs]) => ({ section, needs: needs.filter((x) => !src.tables.has(x)) })),
  };
  return out;
}

/** The declared refund odds multipliers (category, cross-border, order month) from the behaviour truth; 1 without it. */
function declaredRefundOdds(src: ProfileSource): RefundOdds {
  const p = (
    src.truth?.behaviour as { payments?: { category_refund_multiplier?: Record<string, number>; international_multiplier?: number; refund_month_of_year?: number[] } } | undefined
  )?.payments;
  return { categoryMultiplier: p?.category_refund_multiplier ?? {}, crossBorder: p?.international_multiplier ?? 1, monthMultiplier: p?.refund_month_of_year ?? [] };
}

async function concentration(src: ProfileSource, items: string, orders: string, rates: Record<string, number>): Promise<MarketplaceProfile['concentration']> {
  const [r] = await src.q<Record<string, number | bigint | null>>(`
    WITH g AS (SELECT i.seller_id, sum(i.qty * i.item_price_cents * ${usd(rates)}) / 100 AS gmv
               FROM ${items} i JOIN ${orders} o USING (order_id) GROUP BY 1),
    s AS (SELECT d.seller_id, coalesce(g.gmv, 0) AS gmv FROM dim_seller d LEFT JOIN g USING (seller_id)),
    r AS (SELECT gmv, row_number() OVER (ORDER BY gmv DESC) AS k, row_number() OVER (ORDER BY gmv) AS i, count(*) OVER () AS n, sum(gmv) OVER () AS tot FROM s)
    SELECT max(n) AS sellers, count(*) FILTER (WHERE gmv > 0) AS with_sales, max(tot) AS gmv,
      sum(gmv) FILTER (WHERE k <= greatest(1, ceil(n * 0.01))) / nullif(max(tot), 0) AS top1,
      (2 * sum(i * gmv) / nullif(max(n) * max(tot), 0)) - (max(n) + 1) / max(n) AS gini
    FROM r`);
  return { sellers: num(r.sellers), sellers_with_sales: num(r.with_sales), top1pct_gmv_share: round(r.top1 as number | null), gini: round(r.gini as number | null), gmv_usd: round(num(r.gmv), 2) ?? 0 };
}

async function neverSold(src: ProfileSource, items: string): Promise<MarketplaceProfile['never_sold']> {
  const [r] = await src.q<{ listings: bigint; never: bigint }>(`
    WITH l AS (SELECT listing_id FROM dim_listing WHERE local_ts(created_at)::DATE BETWEEN DATE '${src.window.start}'
               AND DATE '${src.window.start}' + CAST((DATE '${src.window.end}' - DATE '${src.window.start}') // 2 AS INTEGER))
    SELECT count(*) AS listings, count(*) FILTER (WHERE listing_id NOT IN (SELECT listing_id FROM ${items} WHERE listing_id IS NOT NULL)) AS never FROM l`);
  return { listings: num(r.listings), never_sold: num(r.never), share: num(r.listings) ? round(num(r.never) / num(r.listings)) : null };
}

/**
 * Status consistency of lines and listings. The snapshot (tens of millions of rows) is read once, kept
 * only at the lines' (listing, day) and (listing, day − 1) keys, before the two look-ups join it; the
 * sold-out listings without a sale are looked up in it apart (a few hundred listings' days).
 */
async function consistency(src: ProfileSource, items: string, orders: string): Promise<MarketplaceProfile['consistency']> {
  const [r] = await src.q<Record<string, bigint>>(`
    WITH l AS (SELECT i.listing_id, i.seller_id, local_ts(o.order_time)::DATE AS day FROM ${items} i JOIN ${orders} o USING (order_id)),
    sold AS (SELECT DISTINCT listing_id FROM l WHERE listing_id IS NOT NULL),
    keys AS (SELECT listing_id, day AS ds FROM l UNION SELECT listing_id, day - 1 FROM l),
    snap AS (SELECT s.listing_id, s.ds, s.status FROM snapshot_listing_daily s SEMI JOIN keys USING (listing_id, ds)),
    never AS (SELECT d.listing_id, d.seller_id FROM dim_listing d WHERE d.status = 'sold_out' AND NOT EXISTS (SELECT 1 FROM sold WHERE sold.listing_id = d.listing_id)
      AND NOT EXISTS (SELECT 1 FROM snapshot_listing_daily s WHERE s.ds = DATE '${src.window.start}' AND s.status = 'sold_out' AND s.listing_id = d.listing_id)),
    sellout AS (SELECT listing_id, ds FROM (
        SELECT s.listing_id, s.ds, s.status, lag(s.status) OVER (PARTITION BY s.listing_id ORDER BY s.ds) AS before FROM snapshot_listing_daily s SEMI JOIN never USING (listing_id))
      WHERE status = 'sold_out' AND before IS DISTINCT FROM 'sold_out'),
    hidden AS (SELECT seller_id, day FROM l WHERE listing_id IS NULL),
    explained AS (SELECT DISTINCT n.listing_id FROM never n JOIN sellout o USING (listing_id) JOIN hidden h ON h.day = o.ds AND coalesce(h.seller_id, n.seller_id) = n.seller_id)
    SELECT (SELECT count(*) FROM l) AS lines,
      (SELECT count(*) FROM l JOIN snap s ON s.listing_id = l.listing_id AND s.ds = l.day
         LEFT JOIN snap p ON p.listing_id = l.listing_id AND p.ds = l.day - 1
       WHERE s.status <> 'active' AND coalesce(p.status, CASE WHEN l.day = DATE '${src.window.start}' THEN 'active' END, s.status) <> 'active') AS lines_on_unavailable_listing,
      (SELECT count(*) FROM never) AS sold_out_never_sold,
      (SELECT count(*) FROM never ANTI JOIN explained USING (listing_id)) AS sold_out_never_sold_unexplained,
      (SELECT count(*) FROM dim_listing WHERE status = 'sold_out') AS sold_out,
      (SELECT count(DISTINCT d.seller_id) FROM dim_seller d JOIN l USING (seller_id) WHERE d.shop_status = 'closed' AND l.day > DATE '${src.window.end}' - 30) AS closed_shops_selling_late,
      (SELECT count(*) FROM dim_seller WHERE shop_status = 'closed') AS closed_shops`);
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, num(v)])) as unknown as NonNullable<MarketplaceProfile['consistency']>;
}

async function payments(src: ProfileSource, orders: string): Promise<MarketplaceProfile['payments']> {
  const [r] = await src.q<{ orders: bigint; unpaid: bigint }>(`
    SELECT count(*) AS orders, count(*) FILTER (WHERE order_id NOT IN (SELECT order_id FROM fact_payment)) AS unpaid FROM ${orders}`);
  return { orders: num(r.orders), unpaid_orders: num(r.unpaid), unpaid_share: num(r.orders) ? round(num(r.unpaid) / num(r.orders)) : null };
}

async function cohorts(src: ProfileSource, orders: string): Promise<MarketplaceProfile['cohorts']> {
  const rows = await src.q<{ year: number; buyers: bigint; orders: bigint; first_m: bigint; last_m: bigint }>(`
    WITH b AS (SELECT buyer_id, year(local_ts(created_at))::INTEGER AS year, local_ts(created_at) AS signup FROM dim_buyer),
    o AS (SELECT buyer_id, strftime(local_ts(order_time), '%Y-%m') AS m FROM ${orders} WHERE buyer_id IS NOT NULL)
    SELECT year, count(DISTINCT b.buyer_id) AS buyers,
      count(o.buyer_id) AS orders,
      count(DISTINCT o.buyer_id) FILTER (WHERE o.m = '${src.window.start.slice(0, 7)}') AS first_m,
      count(DISTINCT o.buyer_id) FILTER (WHERE o.m = '${src.window.end.slice(0, 7)}') AS last_m,
      count(DISTINCT b.buyer_id) FILTER (WHERE signup < DATE '${src.window.start}' + INTERVAL 1 MONTH) AS eligible_first
    FROM b LEFT JOIN o USING (buyer_id) GROUP BY 1 ORDER BY 1`);
  return rows.map((r) => {
    const buyers = num(r.buyers);
    const eligibleFirst = num((r as unknown as { eligible_first: bigint }).eligible_first);
    return {
      year: num(r.year),
      buyers,
      orders_per_buyer: buyers ? round(num(r.orders) / buyers, 3) : null,
      active_first_month: eligibleFirst ? round(num(r.first_m) / eligibleFirst) : null,
      active_last_month: buyers ? round(num(r.last_m) / buyers) : null,
    };
  });
}

import type { ProfileSource } from '../source.js';
import { num, round } from '../sql.js';

/**
 * One buyer segment (behaviour truth) of a marketplace: how often its buyers order, how big their
 * baskets are and how cheaply they buy.
 */
export interface MarketSegmentRow {
  segment: string;
  /** Buyers of the segment in dim_buyer, and those with ≥ 1 order in the window. */
  buyers: number;
  ordering: number;
  /** Orders per ordering buyer per month of exposure (from max(sign-up, window start) to the window end). */
  frequency: number | null;
  /** Window orders and mean order lines per order. */
  orders: number;
  lines_per_order: number | null;
  /**
   * Price discount of the first line: −mean of ln(item price) − mean ln(listing price) of the line's leaf
   * category (dim_listing), so 0.1 = bought ~10% below the leaf's typical price. Higher = more price-sensitive.
   */
  price_discount: number | null;
  /** Its standard error (sd ÷ √lines) and the lines measured. */
  price_discount_se: number | null;
  price_lines: number;
}

/**
 * Per buyer segment of the truth: frequency, basket size and price discount, from the deduplicated
 * orders and lines joined to the truth's buyer → segment assignment. Needs the behaviour truth.
 */
export async function marketSegmentProfile(src: ProfileSource): Promise<MarketSegmentRow[]> {
  const orders = await src.first('fact_order');
  const items = await src.first('fact_order_item');
  const rows = await src.q<Record<string, string | number | bigint | null>>(`
    WITH b AS (SELECT d.buyer_id, e.segment, greatest(d.created_at, timezone('UTC', timezone(${sqlTz(src)}, DATE '${src.window.start}'::TIMESTAMP))) AS f
               FROM dim_buyer d JOIN behaviour_entities e ON e.entity = 'buyer' AND e.id = d.buyer_id),
    o AS (SELECT buyer_id, count(*) AS n FROM ${orders} WHERE buyer_id IS NOT NULL GROUP BY 1),
    lines AS (SELECT o.buyer_id, count(*) AS lines, count(DISTINCT i.order_id) AS orders FROM ${items} i JOIN ${orders} o USING (order_id) GROUP BY 1),
    leaf AS (SELECT category_id, avg(ln(price_cents)) AS lm FROM dim_listing WHERE price_cents > 0 GROUP BY 1),
    pr AS (SELECT o.buyer_id, ln(i.item_price_cents) - leaf.lm AS r FROM ${items} i JOIN ${orders} o USING (order_id)
           JOIN dim_listing l ON l.listing_id = i.listing_id JOIN leaf ON leaf.category_id = l.category_id WHERE i.line_id = 1 AND i.item_price_cents > 0),
    prs AS (SELECT b.segment, -avg(r) AS disc, stddev_samp(r) / sqrt(count(*)) AS se, count(*) AS k FROM pr JOIN b USING (buyer_id) GROUP BY 1)
    SELECT b.segment, count(*) AS buyers, count(o.buyer_id) AS ordering, coalesce(sum(o.n), 0) AS orders,
      sum(o.n) / nullif(sum(date_diff('second', b.f, timezone('UTC', timezone(${sqlTz(src)}, (DATE '${src.window.end}' + 1)::TIMESTAMP))) / 86400.0 / 30.44) FILTER (WHERE o.n > 0), 0) AS freq,
      sum(lines.lines) / nullif(sum(lines.orders), 0) AS lpo, any_value(prs.disc) AS disc, any_value(prs.se) AS se, coalesce(any_value(prs.k), 0) AS k
    FROM b LEFT JOIN o USING (buyer_id) LEFT JOIN lines USING (buyer_id) LEFT JOIN prs USING (segment) GROUP BY 1 ORDER BY 1`);
  return rows.map((r) => ({
    segment: String(r.segment),
    buyers: num(r.buyers as bigint),
    ordering: num(r.ordering as bigint),
    frequency: round(r.freq as number | null),
    orders: num(r.orders as bigint),
    lines_per_order: round(r.lpo as number | null),
    price_discount: round(r.disc as number | null),
    price_discount_se: round(r.se as number | null, 5),
    price_lines: num(r.k as bigint),
  }));
}

const sqlTz = (src: ProfileSource) => `'${src.tz.replace(/'/g, "''")}'`;

/** Repeat orders of one buyer segment and how many went back to a shop the buyer had bought from. */
export interface LoyaltyRow {
  segment: string;
  repeat_orders: number;
  to_known_shop: number;
}

/**
 * Repeat-to-same-shop: buyers whose first order ever (truth `first_order_at`) is inside the window,
 * so their whole purchase history is visible; each later order counts, and it returns when its first
 * line's shop sold to the buyer in an earlier order. Per buyer segment of the truth. Only later orders
 * whose first line's shop is its listing's shop in dim_listing are counted (a broken key — null,
 * orphan or another shop's id — would read as a new shop); an earlier order knows both its line's
 * shop and its listing's shop, so one broken key there does not hide the visit.
 */
export async function loyaltyProfile(src: ProfileSource): Promise<LoyaltyRow[]> {
  const orders = await src.first('fact_order');
  const items = await src.first('fact_order_item');
  const rows = await src.q<{ segment: string; repeat: bigint; known: bigint }>(`
    WITH b AS (SELECT id AS buyer_id, segment FROM behaviour_entities WHERE entity = 'buyer' AND first_order_at >= (SELECT min(order_time) FROM ${orders})),
    o AS (SELECT o.buyer_id, o.order_id, o.order_time, i.seller_id AS s1, l.seller_id AS s2 FROM ${orders} o
          JOIN ${items} i ON i.order_id = o.order_id AND i.line_id = 1 LEFT JOIN dim_listing l ON l.listing_id = i.listing_id),
    k AS (SELECT o.*, row_number() OVER (PARTITION BY buyer_id ORDER BY order_time, order_id) AS n FROM o JOIN b USING (buyer_id)),
    seen AS (SELECT buyer_id, shop, min(n) AS first_n FROM (SELECT buyer_id, n, s1 AS shop FROM k UNION ALL SELECT buyer_id, n, s2 FROM k) WHERE shop IS NOT NULL GROUP BY 1, 2),
    r AS (SELECT k.buyer_id, k.n, seen.first_n < k.n AS known FROM k JOIN seen ON seen.buyer_id = k.buyer_id AND seen.shop = k.s1 WHERE k.s1 = k.s2)
    SELECT b.segment, count(*) AS repeat, count(*) FILTER (WHERE known) AS known FROM r JOIN b USING (buyer_id) WHERE r.n > 1 GROUP BY 1 ORDER BY 1`);
  return rows.map((r) => ({ segment: r.segment, repeat_orders: num(r.repeat), to_known_shop: num(r.known) }));
}

/** Orders of buyers in two countries to shops in those two countries (first line's shop). */
export interface CountryPair {
  home: string;
  other: string;
  /** [buyer country][shop country] order counts: home→home, home→other, other→home, other→other. */
  hh: number;
  ho: number;
  oh: number;
  oo: number;
}

/**
 * For the largest buyer country and every other: the 2×2 table of orders by buyer country × shop
 * country restricted to those two countries. Under home-country odds b for domestic shops, the odds
 * ratio of the table is b² whatever the two countries' supply (each side favours its own shops).
 * First lines whose shop is not their listing's shop in dim_listing are left out (a broken key reads
 * as a random shop and would dilute the ratio).
 */
export async function countryPairs(src: ProfileSource): Promise<CountryPair[]> {
  const orders = await src.first('fact_order');
  const items = await src.first('fact_order_item');
  const rows = await src.q<{ bc: string; sc: string; n: bigint }>(`
    SELECT b.country AS bc, s.country AS sc, count(*) AS n FROM ${orders} o JOIN dim_buyer b USING (buyer_id)
    JOIN ${items} i ON i.order_id = o.order_id AND i.line_id = 1 JOIN dim_listing l ON l.listing_id = i.listing_id AND l.seller_id = i.seller_id
    JOIN dim_seller s ON s.seller_id = i.seller_id GROUP BY 1, 2`);
  const count = (bc: string, sc: string) => num(rows.find((r) => r.bc === bc && r.sc === sc)?.n ?? 0n);
  const byBuyers = new Map<string, number>();
  for (const r of rows) byBuyers.set(r.bc, (byBuyers.get(r.bc) ?? 0) + num(r.n));
  const [home] = [...byBuyers.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (!home) return [];
  return [...byBuyers.keys()]
    .filter((c) => c !== home)
    .sort()
    .map((other) => ({ home, other, hh: count(home, home), ho: count(home, other), oh: count(other, home), oo: count(other, other) }));
}

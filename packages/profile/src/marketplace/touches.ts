import type { ProfileSource } from '../source.js';
import { num, round } from '../sql.js';

/** Touch order of the marketing paths: touches after their conversion, and first- vs last-touch per channel. */
export interface TouchOrderProfile {
  signup_touches: number;
  /** Sign-up touches later than their buyer's dim_buyer.created_at. */
  signup_touches_late: number;
  order_touches: number;
  /** Order touches later than their order's order_time (orders found in fact_order). */
  order_touches_late: number;
  /** Orders with ≥ 2 touches (the only ones whose first and last touch can differ). */
  multi_touch_orders: number;
  channels: Array<{
    channel: string;
    /** Share of multi-touch orders whose first (last) touch is the channel. */
    first_share: number;
    last_share: number;
    /** Standard error of first_share − last_share (paired: each order adds 1, 0 or −1). */
    diff_se: number | null;
  }>;
}

/**
 * From fact_touchpoint: sign-up touches against dim_buyer.created_at and order touches against
 * fact_order.order_time (both must come first); for orders with at least two touches, each channel's
 * share of first touches and of last touches (time order, touchpoint_id breaking ties).
 */
export async function touchOrderProfile(src: ProfileSource): Promise<TouchOrderProfile> {
  const orders = await src.first('fact_order');
  // equi-joins only (a side condition in a LEFT JOIN's ON makes DuckDB fall back to a nested-loop join)
  const [c] = await src.q<Record<string, bigint>>(`
    WITH s AS (SELECT count(*) AS st, count(*) FILTER (WHERE t.touch_time > b.created_at) AS sl
               FROM fact_touchpoint t LEFT JOIN dim_buyer b ON b.buyer_id = t.buyer_id WHERE t.conversion = 'signup'),
    o AS (SELECT count(*) AS ot, count(*) FILTER (WHERE t.touch_time > o.order_time) AS ol
          FROM fact_touchpoint t JOIN ${orders} o ON o.order_id = t.order_id WHERE t.conversion = 'order')
    SELECT * FROM s, o`);
  const rows = await src.q<{ channel: string; f: bigint; l: bigint; n: bigint; both: bigint }>(`
    WITH t AS (SELECT order_id, channel, row_number() OVER (PARTITION BY order_id ORDER BY touch_time, touchpoint_id) AS k, count(*) OVER (PARTITION BY order_id) AS n
               FROM fact_touchpoint WHERE conversion = 'order' AND order_id IS NOT NULL),
    p AS (SELECT order_id, max(channel) FILTER (WHERE k = 1) AS first, max(channel) FILTER (WHERE k = n) AS last FROM t WHERE n >= 2 GROUP BY 1),
    ch AS (SELECT DISTINCT channel FROM fact_touchpoint)
    SELECT ch.channel, count(*) FILTER (WHERE p.first = ch.channel) AS f, count(*) FILTER (WHERE p.last = ch.channel) AS l,
      count(*) FILTER (WHERE p.first = ch.channel AND p.last = ch.channel) AS both, (SELECT count(*) FROM p) AS n
    FROM ch CROSS JOIN p GROUP BY 1 ORDER BY 1`);
  const n = num(rows[0]?.n ?? 0n);
  return {
    signup_touches: num(c.st),
    signup_touches_late: num(c.sl),
    order_touches: num(c.ot),
    order_touches_late: num(c.ol),
    multi_touch_orders: n,
    channels: rows.map((r) => {
      const [f, l] = [num(r.f) / n, num(r.l) / n];
      // paired difference d ∈ {1 (first only), −1 (last only), 0}: var = E[d²] − E[d]²
      const e2 = (num(r.f) + num(r.l) - 2 * num(r.both)) / n;
      return { channel: r.channel, first_share: round(f) ?? 0, last_share: round(l) ?? 0, diff_se: n > 1 ? round(Math.sqrt(Math.max(e2 - (f - l) ** 2, 0) / n), 5) : null };
    }),
  };
}

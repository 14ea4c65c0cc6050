import type { ProfileSource } from '../source.js';
import { num, round } from '../sql.js';

/** Per channel: order attribution shares under three models, sign-ups it acquired (first touch), sessions, spend. */
export interface MarketingChannelRow {
  channel: string;
  /** Share of attributed orders credited to the channel: first touch, last touch, linear (equal credit per touch). */
  first_touch: number | null;
  last_touch: number | null;
  linear: number | null;
  /** Sign-ups in the window whose first touch is the channel. */
  signups: number;
  sessions: number;
  spend_usd: number;
  /** spend ÷ (sign-ups credited by first touch + orders credited by last touch); null without spend or conversions. */
  cost_per_conversion_usd: number | null;
}

export interface MarketingProfile {
  /** Orders with at least one tracked touch, and all orders. */
  attributed_orders: number;
  orders: number;
  channels: MarketingChannelRow[];
}

/**
 * Multi-touch attribution and the channel funnel from fact_touchpoint and fact_channel_daily: each
 * order's touches in time order; first touch credits the earliest, last touch the latest, linear 1/n
 * to each. Sign-ups are credited to their first touch (the acquiring channel); cost per conversion
 * divides a channel's spend by its first-touch sign-ups plus its last-touch orders.
 */
export async function marketingProfile(src: ProfileSource, orders: string): Promise<MarketingProfile> {
  const rows = await src.q<Record<string, string | number | bigint | null>>(`
    WITH t AS (SELECT order_id, channel, row_number() OVER (PARTITION BY order_id ORDER BY touch_time, touchpoint_id) AS k, count(*) OVER (PARTITION BY order_id) AS n
               FROM fact_touchpoint WHERE conversion = 'order' AND order_id IS NOT NULL),
    a AS (SELECT channel, sum((k = 1)::INT) AS first, sum((k = n)::INT) AS last, sum(1.0 / n) AS linear FROM t GROUP BY 1),
    s AS (SELECT arg_min(channel, touch_time) AS channel FROM fact_touchpoint WHERE conversion = 'signup' GROUP BY buyer_id),
    su AS (SELECT channel, count(*) AS signups FROM s GROUP BY 1),
    d AS (SELECT channel, sum(sessions) AS sessions, sum(spend_cents) / 100.0 AS spend FROM fact_channel_daily GROUP BY 1),
    ch AS (SELECT channel FROM a UNION SELECT channel FROM su UNION SELECT channel FROM d)
    SELECT ch.channel, coalesce(a.first, 0) AS first, coalesce(a.last, 0) AS last, coalesce(a.linear, 0) AS linear,
      coalesce(su.signups, 0) AS signups, coalesce(d.sessions, 0) AS sessions, coalesce(d.spend, 0) AS spend
    FROM ch LEFT JOIN a USING (channel) LEFT JOIN su USING (channel) LEFT JOIN d USING (channel) ORDER BY ch.channel`);
  const [c] = await src.q<{ attributed: bigint; orders: bigint }>(`
    SELECT (SELECT count(DISTINCT order_id) FROM fact_touchpoint WHERE conversion = 'order') AS attributed, (SELECT count(*) FROM ${orders}) AS orders`);
  const total = (key: string) => rows.reduce((s, r) => s + num(r[key] as number), 0);
  const [tf, tl, tn] = [total('first'), total('last'), total('linear')];
  return {
    attributed_orders: num(c.attributed),
    orders: num(c.orders),
    channels: rows.map((r) => {
      const spend = num(r.spend as number);
      const signups = num(r.signups as bigint);
      const conversions = signups + num(r.last as bigint);
      return {
        channel: String(r.channel),
        first_touch: tf ? round(num(r.first as bigint) / tf) : null,
        last_touch: tl ? round(num(r.last as bigint) / tl) : null,
        linear: tn ? round(num(r.linear as number) / tn) : null,
        signups,
        sessions: num(r.sessions as bigint),
        spend_usd: round(spend, 2) ?? 0,
        cost_per_conversion_usd: spend > 0 && conversions > 0 ? round(spend / conversions, 2) : null,
      };
    }),
  };
}

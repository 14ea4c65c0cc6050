import { rangeRow } from '../rows.js';
import type { GateFamily, GateRow } from '../types.js';

const FAMILY = 'monetization';

/**
 * Monetization sanity bands (SPEC §4.4). Facts are de-duplicated by business key (earliest
 * loaded_at) and only captured transactions count, as in the report's KPIs.
 */
export const monetizationGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx) {
    const b = ctx.config.validate.monetization;
    const rows: GateRow[] = [];
    if (ctx.archetype === 'neobank') {
      const [ic] = await ctx.q<{ pct: number | null; approved: number | null }>(`
        WITH t AS (SELECT * FROM fact_card_transaction QUALIFY row_number() OVER (PARTITION BY txn_id ORDER BY loaded_at) = 1)
        SELECT 100.0 * sum(amount_cents * interchange_bps / 10000.0) FILTER (WHERE auth_result = 'approved' AND interchange_bps IS NOT NULL)
                 / nullif(sum(amount_cents) FILTER (WHERE auth_result = 'approved' AND interchange_bps IS NOT NULL), 0) AS pct,
               100.0 * avg((auth_result = 'approved')::INT) AS approved
        FROM t`);
      rows.push(rangeRow(FAMILY, 'interchange_pct', ic.pct, b.interchange_pct, { unit: '%', detail: 'interchange revenue ÷ approved spend' }));
      rows.push(rangeRow(FAMILY, 'approved_pct', ic.approved, { min: 90, max: 97 }, { unit: '%', detail: 'auth mix ≈ 94% approved (SPEC §4.4)' }));
      // Premium share: customers paying for a plan in the last full month, over customers that exist by then and have not churned.
      const [ps] = await ctx.q<{ pct: number | null; paying: bigint; customers: bigint }>(`
        WITH last_month AS (SELECT date_trunc('month', DATE '${ctx.manifest.end_date}') AS m),
        paying AS (
          SELECT DISTINCT i.customer_id FROM fact_subscription_invoice i, last_month
          WHERE i.amount_cents > 0 AND i.period_start <= last_month.m + INTERVAL 1 MONTH - INTERVAL 1 DAY AND i.period_end > last_month.m
        ),
        active AS (
          SELECT DISTINCT a.customer_id FROM dim_account a, last_month
          WHERE a.status <> 'closed' AND local_ts(a.created_at) < last_month.m + INTERVAL 1 MONTH
        )
        SELECT 100.0 * (SELECT count(*) FROM paying) / nullif((SELECT count(*) FROM active), 0) AS pct,
               (SELECT count(*) FROM paying) AS paying, (SELECT count(*) FROM active) AS customers`);
      rows.push(
        rangeRow(FAMILY, 'premium_share_pct', ps.pct, b.premium_share_pct, {
          unit: '%',
          detail: `${ps.paying} paying ÷ ${ps.customers} customers with an open account in the last month`,
        }),
      );
    } else {
      const [m] = await ctx.q<{ take: number | null; aov: number | null; identity: number | null }>(`
        WITH o AS (SELECT * FROM fact_order QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY loaded_at) = 1),
        p AS (SELECT * FROM fact_payment QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY loaded_at) = 1)
        SELECT 100.0 * sum(p.platform_fee_cents) / nullif(sum(o.subtotal_cents), 0) AS take,
               avg(p.buyer_paid_cents) / 100.0 AS aov,
               100.0 * avg((p.buyer_paid_cents = o.subtotal_cents + coalesce(o.tax_cents, 0) + coalesce(o.shipping_cents, 0) - coalesce(o.discount_cents, 0))::INT) AS identity
        FROM p JOIN o USING (order_id)`);
      rows.push(rangeRow(FAMILY, 'take_rate_pct', m.take, b.take_rate_pct, { unit: '%', detail: 'platform fees ÷ subtotal of paid orders' }));
      rows.push(rangeRow(FAMILY, 'aov_usd', m.aov, b.aov_usd, { unit: 'USD', detail: 'mean buyer_paid per captured order' }));
      rows.push(
        rangeRow(FAMILY, 'buyer_paid_identity_pct', m.identity, { min: 99 }, {
          unit: '%',
          detail: 'buyer_paid = subtotal + tax + shipping − discount (shipping may be NULL in the schema gap)',
        }),
      );
    }
    return rows;
  },
};

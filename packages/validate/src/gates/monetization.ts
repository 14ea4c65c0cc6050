import { rangeRow } from '../rows.js';
import { orderUsd } from './usd.js';
import type { GateFamily, GateRow } from '../types.js';

const FAMILY = 'monetization';

/**
 * Monetization sanity bands (docs/behaviour.md). Facts are de-duplicated by business key (earliest
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
        WITH t AS (SELECT * FROM ${await ctx.first('fact_card_transaction')})
        SELECT 100.0 * sum(amount_cents * interchange_bps / 10000.0) FILTER (WHERE auth_result = 'approved' AND interchange_bps IS NOT NULL)
                 / nullif(sum(amount_cents) FILTER (WHERE auth_result = 'approved' AND interchange_bps IS NOT NULL), 0) AS pct,
               100.0 * avg((auth_result = 'approved')::INT) AS approved
        FROM t`);
      rows.push(rangeRow(FAMILY, 'interchange_pct', ic.pct, b.interchange_pct, { unit: '%', detail: 'interchange revenue ÷ approved spend' }));
      rows.push(rangeRow(FAMILY, 'approved_pct', ic.approved, { min: 90, max: 97 }, { unit: '%', detail: 'auth mix ≈ 94% approved' }));
      // Premium share: customers who ever paid for a plan, over all customers (docs/behaviour.md "8% of customers on a paid plan");
      // a point-in-time share drifts with the trajectory's churn, the lifetime share does not.
      const [ps] = await ctx.q<{ pct: number | null; paying: bigint; customers: bigint }>(`
        SELECT 100.0 * (SELECT count(DISTINCT customer_id) FROM fact_subscription_invoice WHERE amount_cents > 0) / nullif((SELECT count(*) FROM dim_customer), 0) AS pct,
               (SELECT count(DISTINCT customer_id) FROM fact_subscription_invoice WHERE amount_cents > 0) AS paying, (SELECT count(*) FROM dim_customer) AS customers`);
      rows.push(rangeRow(FAMILY, 'premium_share_pct', ps.pct, b.premium_share_pct, { unit: '%', detail: `${ps.paying} customers with a paid invoice ÷ ${ps.customers} customers` }));
    } else {
      const { rate: usd, join, via } = orderUsd(ctx);
      const [m] = await ctx.q<{ take: number | null; aov: number | null; identity: number | null }>(`
        WITH o AS (SELECT * FROM ${await ctx.first('fact_order')}),
        p AS (SELECT * FROM ${await ctx.first('fact_payment')})
        SELECT 100.0 * sum(p.platform_fee_cents * ${usd}) / nullif(sum(o.subtotal_cents * ${usd}), 0) AS take,
               avg(p.buyer_paid_cents * ${usd}) / 100.0 AS aov,
               100.0 * avg((p.buyer_paid_cents = o.subtotal_cents + coalesce(o.tax_cents, 0) + coalesce(o.shipping_cents, 0) - coalesce(o.discount_cents, 0))::INT) AS identity
        FROM p JOIN o USING (order_id)
        ${join}`);
      rows.push(rangeRow(FAMILY, 'take_rate_pct', m.take, b.take_rate_pct, { unit: '%', detail: `platform fees ÷ subtotal of paid orders${via}` }));
      rows.push(rangeRow(FAMILY, 'aov_usd', m.aov, b.aov_usd, { unit: 'USD', detail: `mean buyer_paid per captured order${via}` }));
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

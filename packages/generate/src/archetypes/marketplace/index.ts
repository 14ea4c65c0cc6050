import { step, type GenContext } from '../../context.js';
import { writeMarketplaceDims } from './dims.js';
import { writeOrders } from './orders.js';
import { writeListingSnapshot } from './snapshot.js';
import { writeMarketplaceTruth } from './truth.js';
import { simulateMarketplace } from './world.js';


/**
 * The marketplace: simulate buyers, shops, listings and the market day by day from the behaviour
 * config (JS), then write the dimensions, the facts (SQL, with defects), the daily listing snapshot
 * and the behaviour truth.
 */
export async function generateMarketplace(ctx: GenContext): Promise<void> {
  const orderTarget = ctx.targets.fact_order / (1 + ctx.plan.rates.duplicate);
  const world = await step(ctx, 'simulate buyers, shops, listings and orders', async () => simulateMarketplace(ctx.config, ctx.window, ctx.targets, orderTarget));
  await step(ctx, 'dimensions', () => writeMarketplaceDims(ctx, world));
  if (['fact_order', 'fact_order_item', 'fact_payment', 'fact_payment_attempt', 'fact_refund', 'fact_dispute', 'dim_campaign', 'fact_touchpoint', 'fact_channel_daily', 'dim_fx_rate'].some((t) => ctx.want(t))) await step(ctx, 'orders, items, payments, refunds, marketing', (h) => writeOrders(ctx, world, h));
  if (ctx.want('snapshot_listing_daily')) await step(ctx, 'snapshot_listing_daily', (h) => writeListingSnapshot(ctx, world, h));
  await step(ctx, 'behaviour truth', () => writeMarketplaceTruth(ctx, world));
}

import { step, type GenContext } from '../../context.js';
import { writeMarketplaceDims } from './dims.js';
import { writeOrders } from './orders.js';
import { writePartyDims } from './key-failures.js';
import { writeShopStatus } from './shop-status.js';
import { finishListingSnapshot, startListingSnapshot } from './snapshot.js';
import { writeMarketplaceTruth } from './truth.js';
import { simulateMarket, simulateMoneyAndMarketing } from './world.js';

/**
 * Tables written from the orders, money and marketing simulation; dim_buyer / dim_seller / dim_listing follow
 * the facts (their FK failures are whole parties chosen from the written rows: left out or re-stamped).
 */
const ORDER_TABLES = ['fact_order', 'fact_order_item', 'fact_payment', 'fact_payment_attempt', 'fact_refund', 'fact_dispute', 'dim_campaign', 'fact_touchpoint', 'fact_channel_daily', 'dim_fx_rate', 'dim_buyer', 'dim_seller', 'dim_listing'];


/**
 * The marketplace: simulate buyers, shops, listings and the market day by day from the behaviour
 * config (JS); start the daily listing snapshot (SQL on a second connection, in the background);
 * write the dimensions; simulate money and marketing (JS); write the facts (SQL, with defects) and
 * the behaviour truth; then wait for the snapshot.
 */
export async function generateMarketplace(ctx: GenContext): Promise<void> {
  const orderTarget = ctx.targets.fact_order / (1 + ctx.plan.rates.duplicate);
  const sim = await step(ctx, 'simulate buyers, shops, listings and the market', async () => simulateMarket(ctx.config, ctx.window, ctx.targets, orderTarget));
  const snapshot = ctx.want('snapshot_listing_daily') ? startListingSnapshot(ctx, sim) : null;
  try {
    await step(ctx, 'dimensions', () => writeMarketplaceDims(ctx, sim));
    if (ctx.want('fact_shop_status')) await step(ctx, 'shop status spells', () => writeShopStatus(ctx, sim));
    const world = await step(ctx, 'simulate payments, refunds and marketing', async () => simulateMoneyAndMarketing(sim));
    if (ORDER_TABLES.some((t) => ctx.want(t))) await step(ctx, 'orders, items, payments, refunds, marketing', async (h) => writePartyDims(ctx, await writeOrders(ctx, world, h)));
    await step(ctx, 'behaviour truth', () => writeMarketplaceTruth(ctx, world));
  } catch (error) {
    // never close the database under the second connection's running statements
    await snapshot?.finished.catch(() => undefined);
    throw error;
  }
  if (snapshot) await step(ctx, 'snapshot_listing_daily', (h) => finishListingSnapshot(snapshot, h));
}

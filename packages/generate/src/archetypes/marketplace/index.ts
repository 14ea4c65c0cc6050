import { step, type GenContext } from '../../context.js';
import { buildMarketplaceDims } from './dims.js';
import { writeOrders } from './orders.js';
import { writeListingSnapshot } from './snapshot.js';

export { TAKE_RATE } from './orders.js';
export { BUYER_CHURN, SELLER_CHURN } from './dims.js';

export async function generateMarketplace(ctx: GenContext): Promise<void> {
  await step(ctx, 'dimensions', () => buildMarketplaceDims(ctx));
  if (ctx.want('fact_order') || ctx.want('fact_order_item') || ctx.want('fact_payment')) await step(ctx, 'orders, items, payments', () => writeOrders(ctx));
  if (ctx.want('snapshot_listing_daily')) await step(ctx, 'snapshot_listing_daily', () => writeListingSnapshot(ctx));
}

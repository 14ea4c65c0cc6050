import { step, type GenContext } from '../../context.js';
import { writeMarketplaceDims } from './dims.js';
import { writeOrders } from './orders.js';
import { writePartyDims } from './key-failures.js';
import { writeShopStatus } from './shop-status.js';
import { finishListingSnapshot, startListingSnapshot, type SnapshotJob } from './snapshot.js';
import { MarketingJob } from './marketing-job.js';
import { writeMarketplaceTruth } from './truth.js';
import { simulateMarket, simulateMarketMoney, simulateMarketSplit } from './world.js';

/**
 * Tables written from the orders and money simulation; dim_buyer / dim_seller / dim_listing follow
 * the facts (their FK failures are whole parties chosen from the written rows: left out or re-stamped).
 */
const ORDER_TABLES = ['fact_order', 'fact_order_item', 'fact_payment', 'fact_payment_attempt', 'fact_refund', 'fact_dispute', 'dim_fx_rate', 'dim_buyer', 'dim_seller', 'dim_listing'];

/**
 * The marketplace: simulate buyers, shops, listings and the market day by day from the behaviour
 * config (JS, half of the per-buyer demand work in a worker thread); start the daily listing snapshot (SQL on a second connection, in the background) and
 * the marketing simulation with its tables (a worker thread with its own DuckDB: marketing-job.ts);
 * write the dimensions; simulate money (JS); write the facts (SQL, with defects) and the behaviour
 * truth; then wait for the marketing tables and the snapshot.
 */
export async function generateMarketplace(ctx: GenContext): Promise<void> {
  const orderTarget = ctx.targets.fact_order / (1 + ctx.plan.rates.duplicate);
  // started first: the worker rebuilds the market model while this thread simulates the buyers, then
  // takes half of the buyers' demand work
  const marketing = new MarketingJob(ctx);
  let snapshot: SnapshotJob | null = null;
  try {
    const sim = await step(ctx, 'simulate buyers, shops, listings and the market', async () => {
      const demand = marketing.demand();
      return demand ? simulateMarketSplit(ctx.config, ctx.window, ctx.targets, orderTarget, demand) : simulateMarket(ctx.config, ctx.window, ctx.targets, orderTarget);
    });
    marketing.run(sim);
    snapshot = ctx.want('snapshot_listing_daily') ? startListingSnapshot(ctx, sim) : null;
    await step(ctx, 'dimensions', () => writeMarketplaceDims(ctx, sim));
    if (ctx.want('fact_shop_status')) await step(ctx, 'shop status spells', () => writeShopStatus(ctx, sim));
    const world = await step(ctx, 'simulate payments, refunds and marketing', async () => {
      const money = simulateMarketMoney(sim);
      return { ...sim, money, marketing: await marketing.summary() };
    });
    if (ORDER_TABLES.some((t) => ctx.want(t))) await step(ctx, 'orders, items, payments, refunds', async (h) => writePartyDims(ctx, await writeOrders(ctx, world, h)));
    await step(ctx, 'behaviour truth', () => writeMarketplaceTruth(ctx, world));
    await step(ctx, 'marketing touches, campaigns and spend', () => marketing.finish());
  } catch (error) {
    // never close the database under the other connection's running statements or the worker's
    await snapshot?.finished.catch(() => undefined);
    await marketing.abandon();
    throw error;
  }
  if (snapshot) await step(ctx, 'snapshot_listing_daily', (h) => finishListingSnapshot(snapshot!, h));
}

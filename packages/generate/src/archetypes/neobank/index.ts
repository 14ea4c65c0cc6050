import { step, type GenContext } from '../../context.js';
import { writeCardMerchantDims, writeNeobankDims } from './dims.js';
import { writeNeobankHistory } from './history.js';
import { writeInvoices } from './invoices.js';
import { writeCardTransactions } from './transactions.js';
import { writeNeobankTruth } from './truth.js';
import { simulateNeobank } from './world.js';

export { PLANS } from './dims.js';
export { NEOBANK_HISTORY_TABLES } from './history.js';

/**
 * The neobank: simulate every entity from the behaviour config (JS), then write the dimensions, the
 * history tables, card transactions, the card and merchant dimensions and invoices (SQL, with
 * defects), and the behaviour truth.
 */
export async function generateNeobank(ctx: GenContext): Promise<void> {
  const world = await step(ctx, 'simulate customers, accounts, cards, subscriptions', async () => simulateNeobank(ctx.config, ctx.window, ctx.targets));
  await step(ctx, 'dimensions', () => writeNeobankDims(ctx, world));
  await step(ctx, 'history tables', () => writeNeobankHistory(ctx, world));
  // dim_card / dim_merchant follow the transactions: their FK failures are whole cards and merchants
  // chosen from the written rows (left out of the dimension or mis-dated)
  // (also generated when only a card or merchant dimension is asked for: the choice needs the rows)
  if (['fact_card_transaction', 'fact_authorization_decline', 'fact_card_refund', 'dim_card', 'dim_merchant'].some((t) => ctx.want(t))) await step(ctx, 'fact_card_transaction', async (h) => writeCardMerchantDims(ctx, world, await writeCardTransactions(ctx, world, h)));
  if (ctx.want('fact_subscription_invoice')) await step(ctx, 'fact_subscription_invoice', () => writeInvoices(ctx, world));
  await step(ctx, 'behaviour truth', () => writeNeobankTruth(ctx, world));
}

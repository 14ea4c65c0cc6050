import { step, type GenContext } from '../../context.js';
import { writeNeobankDims } from './dims.js';
import { writeNeobankHistory } from './history.js';
import { writeInvoices } from './invoices.js';
import { writeCardTransactions } from './transactions.js';
import { writeNeobankTruth } from './truth.js';
import { simulateNeobank } from './world.js';

export { PLANS } from './dims.js';
export { NEOBANK_HISTORY_TABLES } from './history.js';

/**
 * The neobank: simulate every entity from the behaviour config (JS), then write the dimensions, the
 * history tables, card transactions and invoices (SQL, with defects), and the behaviour truth.
 */
export async function generateNeobank(ctx: GenContext): Promise<void> {
  const world = await step(ctx, 'simulate customers, accounts, cards, subscriptions', async () => simulateNeobank(ctx.config, ctx.window, ctx.targets));
  await step(ctx, 'dimensions', () => writeNeobankDims(ctx, world));
  await step(ctx, 'history tables', () => writeNeobankHistory(ctx, world));
  if (ctx.want('fact_card_transaction')) await step(ctx, 'fact_card_transaction', (h) => writeCardTransactions(ctx, world, h));
  if (ctx.want('fact_subscription_invoice')) await step(ctx, 'fact_subscription_invoice', () => writeInvoices(ctx, world));
  await step(ctx, 'behaviour truth', () => writeNeobankTruth(ctx, world));
}

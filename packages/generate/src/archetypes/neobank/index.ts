import { step, type GenContext } from '../../context.js';
import { buildNeobankDims } from './dims.js';
import { writeInvoices } from './invoices.js';
import { writeCardTransactions } from './transactions.js';

export { PLANS, NEOBANK_CHURN, PREMIUM_SHARE } from './dims.js';

export async function generateNeobank(ctx: GenContext): Promise<void> {
  await step(ctx, 'dimensions', () => buildNeobankDims(ctx));
  if (ctx.want('fact_card_transaction')) await step(ctx, 'fact_card_transaction', () => writeCardTransactions(ctx));
  if (ctx.want('fact_subscription_invoice')) await step(ctx, 'fact_subscription_invoice', () => writeInvoices(ctx));
}

import type { Archetype } from '@dnr/core';
import { builtinContract, requiredColumns } from '@dnr/contract';

/** A warehouse table as people refer to it. */
export interface TableEntry {
  table: string;
  columns: string[];
  /** Everyday names of the table (lower-case, singular and plural forms). */
  aliases: string[];
}

/**
 * Everyday names of each table: how analysts and finance refer to them in chat. Longer, more
 * specific aliases win over shorter ones during matching (e.g. "order items" before "orders").
 */
const ALIASES: Record<string, string[]> = {
  dim_customer: ['customers?', 'customer table', 'kyc', 'users? table', 'members?'],
  dim_account: ['accounts?', 'checking accounts?', 'savings accounts?', 'account (?:opens?|table)'],
  dim_card: ['cards?', 'card table', 'debit cards?', 'card activations?'],
  dim_merchant: ['merchants?', 'mccs?', 'merchant category codes?', 'merchant (?:names?|table|dim)'],
  dim_plan: ['plans?', 'premium plans?', 'pricing plans?', 'plan table'],
  fact_card_transaction: ['card transactions?', 'transactions?', 'txns?', 'card spend', 'interchange', 'swipes?', 'authorizations?'],
  fact_subscription_invoice: ['invoices?', 'subscriptions?', 'subscription (?:revenue|invoices?|billing)', 'billing', 'renewals?'],
  dim_buyer: ['buyers?', 'shoppers?', 'buyer table'],
  dim_seller: ['sellers?', 'shops?', 'seller table', 'vendors?'],
  dim_category: ['categor(?:y|ies)', 'taxonomy', 'category tree'],
  dim_listing: ['listings?', 'products?', 'items? for sale', 'listing table'],
  fact_order: ['orders?', 'checkouts?', 'gmv', 'aov', 'average order value', 'order table'],
  fact_order_item: ['order items?', 'line items?', 'order lines?', 'cart items?'],
  fact_payment: ['payments?', 'captures?', 'payouts?', 'seller earnings', 'platform fees?', 'take rate'],
  snapshot_listing_daily: ['listing snapshots?', 'daily snapshots?', 'snapshot table', 'live listings', 'listing status history'],
};

export function tableDictionary(archetype: Archetype): TableEntry[] {
  return Object.entries(requiredColumns(builtinContract(archetype))).map(([table, columns]) => ({ table, columns, aliases: ALIASES[table] ?? [] }));
}

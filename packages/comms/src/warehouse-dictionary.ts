import type { Archetype } from '@dnr/core';

/**
 * The archetypes' tables and columns with DuckDB types, exactly as docs/warehouse.md defines them: NLQ SQL is
 * written against them and `--nlq-parse-only` binds it against empty tables created from them.
 */
export const WAREHOUSE_TABLES: Record<Archetype, Record<string, Record<string, string>>> = {
  neobank: {
    dim_customer: { customer_id: 'BIGINT', created_at: 'TIMESTAMP', kyc_status: 'VARCHAR' },
    dim_account: { account_id: 'BIGINT', customer_id: 'BIGINT', type: 'VARCHAR', created_at: 'TIMESTAMP', status: 'VARCHAR' },
    dim_card: { card_id: 'BIGINT', account_id: 'BIGINT', status: 'VARCHAR', activated_at: 'TIMESTAMP' },
    dim_merchant: { merchant_id: 'BIGINT', mcc: 'INTEGER', name: 'VARCHAR' },
    dim_plan: { plan_id: 'INTEGER', name: 'VARCHAR', price_cents: 'BIGINT', cadence: 'VARCHAR' },
    fact_card_transaction: {
      txn_id: 'BIGINT',
      card_id: 'BIGINT',
      merchant_id: 'BIGINT',
      event_time: 'TIMESTAMP',
      amount_cents: 'BIGINT',
      interchange_bps: 'INTEGER',
      channel: 'VARCHAR',
      auth_result: 'VARCHAR',
      loaded_at: 'TIMESTAMP',
    },
    fact_subscription_invoice: {
      invoice_id: 'BIGINT',
      customer_id: 'BIGINT',
      plan_id: 'INTEGER',
      period_start: 'DATE',
      period_end: 'DATE',
      paid_at: 'TIMESTAMP',
      amount_cents: 'BIGINT',
      loaded_at: 'TIMESTAMP',
    },
  },
  marketplace: {
    dim_buyer: { buyer_id: 'BIGINT', created_at: 'TIMESTAMP', country: 'VARCHAR' },
    dim_seller: { seller_id: 'BIGINT', created_at: 'TIMESTAMP', country: 'VARCHAR', shop_status: 'VARCHAR' },
    dim_category: { category_id: 'INTEGER', name: 'VARCHAR', parent_id: 'INTEGER' },
    dim_listing: { listing_id: 'BIGINT', seller_id: 'BIGINT', category_id: 'INTEGER', created_at: 'TIMESTAMP', status: 'VARCHAR', price_cents: 'BIGINT' },
    fact_order: {
      order_id: 'BIGINT',
      buyer_id: 'BIGINT',
      order_time: 'TIMESTAMP',
      currency: 'VARCHAR',
      subtotal_cents: 'BIGINT',
      tax_cents: 'BIGINT',
      shipping_cents: 'BIGINT',
      discount_cents: 'BIGINT',
      loaded_at: 'TIMESTAMP',
    },
    fact_order_item: { order_id: 'BIGINT', line_id: 'INTEGER', listing_id: 'BIGINT', seller_id: 'BIGINT', qty: 'INTEGER', item_price_cents: 'BIGINT', loaded_at: 'TIMESTAMP' },
    fact_payment: { order_id: 'BIGINT', captured_at: 'TIMESTAMP', buyer_paid_cents: 'BIGINT', seller_earnings_cents: 'BIGINT', platform_fee_cents: 'BIGINT', loaded_at: 'TIMESTAMP' },
    snapshot_listing_daily: { ds: 'DATE', listing_id: 'BIGINT', status: 'VARCHAR' },
  },
};

export function hasColumn(archetype: Archetype, table: string, column: string): boolean {
  return column in (WAREHOUSE_TABLES[archetype][table] ?? {});
}

/** Non-key attribute columns of a table (what a schema change or a field request is about). */
export function attributeColumns(archetype: Archetype, table: string): string[] {
  return Object.keys(WAREHOUSE_TABLES[archetype][table] ?? {}).filter((c) => !c.endsWith('_id') && c !== 'loaded_at');
}

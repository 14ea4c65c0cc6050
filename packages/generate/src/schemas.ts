import type { Archetype } from '@dnr/core';

export interface ColumnSpec {
  name: string;
  /** DuckDB type, exactly as DESCRIBE reports it. */
  type: string;
}

const col = (spec: string): ColumnSpec[] =>
  spec.split(',').map((s) => {
    const [name, type] = s.trim().split(/\s+/);
    return { name, type };
  });

/** docs/warehouse.md: exact column names and DuckDB types of the 15 warehouse tables. */
export const WAREHOUSE_SCHEMAS: Record<Archetype, Record<string, ColumnSpec[]>> = {
  neobank: {
    dim_customer: col('customer_id BIGINT, created_at TIMESTAMP, kyc_status VARCHAR'),
    dim_account: col('account_id BIGINT, customer_id BIGINT, type VARCHAR, created_at TIMESTAMP, status VARCHAR'),
    dim_card: col('card_id BIGINT, account_id BIGINT, status VARCHAR, activated_at TIMESTAMP'),
    dim_merchant: col('merchant_id BIGINT, mcc INTEGER, name VARCHAR'),
    dim_plan: col('plan_id INTEGER, name VARCHAR, price_cents BIGINT, cadence VARCHAR'),
    fact_card_transaction: col(
      'txn_id BIGINT, card_id BIGINT, merchant_id BIGINT, event_time TIMESTAMP, amount_cents BIGINT, interchange_bps INTEGER, channel VARCHAR, auth_result VARCHAR, loaded_at TIMESTAMP',
    ),
    fact_subscription_invoice: col(
      'invoice_id BIGINT, customer_id BIGINT, plan_id INTEGER, period_start DATE, period_end DATE, paid_at TIMESTAMP, amount_cents BIGINT, loaded_at TIMESTAMP',
    ),
  },
  marketplace: {
    dim_buyer: col('buyer_id BIGINT, created_at TIMESTAMP, country VARCHAR'),
    dim_seller: col('seller_id BIGINT, created_at TIMESTAMP, country VARCHAR, shop_status VARCHAR'),
    dim_category: col('category_id INTEGER, name VARCHAR, parent_id INTEGER'),
    dim_listing: col('listing_id BIGINT, seller_id BIGINT, category_id INTEGER, created_at TIMESTAMP, status VARCHAR, price_cents BIGINT'),
    fact_order: col(
      'order_id BIGINT, buyer_id BIGINT, order_time TIMESTAMP, currency VARCHAR, subtotal_cents BIGINT, tax_cents BIGINT, shipping_cents BIGINT, discount_cents BIGINT, loaded_at TIMESTAMP',
    ),
    fact_order_item: col('order_id BIGINT, line_id INTEGER, listing_id BIGINT, seller_id BIGINT, qty INTEGER, item_price_cents BIGINT, loaded_at TIMESTAMP'),
    fact_payment: col('order_id BIGINT, captured_at TIMESTAMP, buyer_paid_cents BIGINT, seller_earnings_cents BIGINT, platform_fee_cents BIGINT, loaded_at TIMESTAMP'),
    snapshot_listing_daily: col('ds DATE, listing_id BIGINT, status VARCHAR'),
  },
};

export interface ForeignKey {
  column: string;
  dimTable: string;
  dimKey: string;
  /** The dim's creation time for the temporal rule (fact time ≥ dim time); absent when the dim has none. */
  dimTimeColumn?: string;
}

export interface FactKeys {
  table: string;
  businessKey: string[];
  /** Event time of the row (ingest lag = loaded_at − event time). */
  timeColumn: string;
  /** When the event time lives in another table (fact_order_item → fact_order.order_time). */
  timeFrom?: { table: string; key: string; column: string };
  /** FK columns that receive key-null and FK-failure injection. */
  fks: ForeignKey[];
}

/** Business keys, event times and injected FK columns of every fact table (docs/warehouse.md). */
export const FACT_KEYS: Record<Archetype, FactKeys[]> = {
  neobank: [
    {
      table: 'fact_card_transaction',
      businessKey: ['txn_id'],
      timeColumn: 'event_time',
      fks: [
        { column: 'card_id', dimTable: 'dim_card', dimKey: 'card_id', dimTimeColumn: 'activated_at' },
        { column: 'merchant_id', dimTable: 'dim_merchant', dimKey: 'merchant_id' },
      ],
    },
    {
      table: 'fact_subscription_invoice',
      businessKey: ['invoice_id'],
      timeColumn: 'paid_at',
      // customer_id is left intact on purpose: rewriting it would punch holes in each customer's
      // invoice months and break the invoice-aggregate SLOs the typical profile must pass.
      fks: [{ column: 'plan_id', dimTable: 'dim_plan', dimKey: 'plan_id' }],
    },
  ],
  marketplace: [
    {
      table: 'fact_order',
      businessKey: ['order_id'],
      timeColumn: 'order_time',
      fks: [{ column: 'buyer_id', dimTable: 'dim_buyer', dimKey: 'buyer_id', dimTimeColumn: 'created_at' }],
    },
    {
      table: 'fact_order_item',
      businessKey: ['order_id', 'line_id'],
      timeColumn: 'order_time',
      timeFrom: { table: 'fact_order', key: 'order_id', column: 'order_time' },
      fks: [
        { column: 'listing_id', dimTable: 'dim_listing', dimKey: 'listing_id', dimTimeColumn: 'created_at' },
        { column: 'seller_id', dimTable: 'dim_seller', dimKey: 'seller_id', dimTimeColumn: 'created_at' },
      ],
    },
    { table: 'fact_payment', businessKey: ['order_id'], timeColumn: 'captured_at', fks: [] },
  ],
};

/**
 * Tables added beyond the core set so the behaviour can be analysed (funnels, lifecycles, subscriptions);
 * docs/behaviour.md describes each. They carry no injected defects.
 */
export const ADDED_SCHEMAS: Record<Archetype, Record<string, ColumnSpec[]>> = {
  neobank: {
    fact_onboarding_event: col('customer_id BIGINT, stage VARCHAR, event_time TIMESTAMP, account_id BIGINT, card_id BIGINT'),
    dim_account_status_history: col('account_id BIGINT, status VARCHAR, valid_from TIMESTAMP, valid_to TIMESTAMP'),
    dim_card_status_history: col('card_id BIGINT, status VARCHAR, valid_from TIMESTAMP, valid_to TIMESTAMP'),
    fact_subscription_event: col('customer_id BIGINT, event_time TIMESTAMP, event_type VARCHAR, plan_id INTEGER, previous_plan_id INTEGER'),
  },
  marketplace: {},
};

/** Every table a warehouse holds: the core tables, then the additions. */
export const ALL_SCHEMAS: Record<Archetype, Record<string, ColumnSpec[]>> = {
  neobank: { ...WAREHOUSE_SCHEMAS.neobank, ...ADDED_SCHEMAS.neobank },
  marketplace: { ...WAREHOUSE_SCHEMAS.marketplace, ...ADDED_SCHEMAS.marketplace },
};

export const TABLES: Record<Archetype, string[]> = {
  neobank: Object.keys(ALL_SCHEMAS.neobank),
  marketplace: Object.keys(ALL_SCHEMAS.marketplace),
};

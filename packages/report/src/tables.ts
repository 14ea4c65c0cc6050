import type { Archetype } from '@dnr/core';
import { WAREHOUSE_SCHEMAS } from '@dnr/generate';

/**
 * What the report needs to know about each warehouse table (docs/warehouse.md): the columns it must find,
 * and for fact tables the business key, the foreign keys (with the dim timestamp used by the
 * temporal rule `fact_ts >= dim.created_at`), the event time, and the revenue a row carries.
 */
export interface ForeignKey {
  column: string;
  dim: string;
  dimKey: string;
  /** Dim column the fact time must not precede; absent when the dim has no creation time. */
  dimTs?: string;
}

export interface FactTable {
  name: string;
  /** Business key columns; duplicates are rows sharing them. */
  key: string[];
  foreignKeys: ForeignKey[];
  /** SQL over the fact row (alias `f`) giving its UTC event time. */
  eventTs: string;
  /** Raw columns of this table that bound its event times (for the local-day offset table). */
  timeColumns: string[];
  /** Extra FROM clause needed by eventTs (joined as `o`). */
  eventJoin?: string;
  /** SQL over `f` giving the revenue (USD) the row carries, used for revenue at risk. */
  revenueUsd: string;
  /** Columns that are NULL by design and so are not scanned for null spikes. */
  nullableByDesign: string[];
}

/** The columns the report must find: exactly the generator's docs/warehouse.md schemas (one source of truth). */
export const REQUIRED_COLUMNS: Record<Archetype, Record<string, string[]>> = Object.fromEntries(
  Object.entries(WAREHOUSE_SCHEMAS).map(([arch, tables]) => [arch, Object.fromEntries(Object.entries(tables).map(([t, cols]) => [t, cols.map((c) => c.name)]))]),
) as Record<Archetype, Record<string, string[]>>;

/** Interchange of a transaction row; a NULL rate (schema gap) falls back to the 150 bps mean of docs/behaviour.md. */
const INTERCHANGE_USD = `f.amount_cents * coalesce(f.interchange_bps, 150) / 1e6`;
/** Platform fee is 12% of subtotal (docs/behaviour.md). */
const TAKE_RATE = 0.12;

export const FACT_TABLES: Record<Archetype, FactTable[]> = {
  neobank: [
    {
      name: 'fact_card_transaction',
      key: ['txn_id'],
      foreignKeys: [
        { column: 'card_id', dim: 'dim_card', dimKey: 'card_id', dimTs: 'activated_at' },
        { column: 'merchant_id', dim: 'dim_merchant', dimKey: 'merchant_id' },
      ],
      eventTs: 'f.event_time',
      timeColumns: ['event_time'],
      revenueUsd: `CASE WHEN f.auth_result = 'approved' THEN ${INTERCHANGE_USD} ELSE 0 END`,
      nullableByDesign: [],
    },
    {
      name: 'fact_subscription_invoice',
      key: ['invoice_id'],
      // customer_id is not a checked FK (as in @dnr/generate FACT_KEYS): invoices are dated by billing
      // period, whose start may precede the customer's created_at within the signup month.
      foreignKeys: [{ column: 'plan_id', dim: 'dim_plan', dimKey: 'plan_id' }],
      // An invoice is issued at the start of its period (local midnight); loaded_at follows that.
      eventTs: `coalesce(f.paid_at, utc_of_local_midnight(f.period_start))`,
      timeColumns: ['paid_at', 'period_start'],
      revenueUsd: `CASE WHEN f.paid_at IS NOT NULL THEN f.amount_cents / 100.0 ELSE 0 END`,
      nullableByDesign: ['paid_at'],
    },
  ],
  marketplace: [
    {
      name: 'fact_order',
      key: ['order_id'],
      foreignKeys: [{ column: 'buyer_id', dim: 'dim_buyer', dimKey: 'buyer_id', dimTs: 'created_at' }],
      eventTs: 'f.order_time',
      timeColumns: ['order_time'],
      revenueUsd: `${TAKE_RATE} * f.subtotal_cents / 100.0`,
      nullableByDesign: [],
    },
    {
      name: 'fact_order_item',
      key: ['order_id', 'line_id'],
      foreignKeys: [
        { column: 'listing_id', dim: 'dim_listing', dimKey: 'listing_id', dimTs: 'created_at' },
        { column: 'seller_id', dim: 'dim_seller', dimKey: 'seller_id', dimTs: 'created_at' },
      ],
      eventTs: 'o.order_time',
      timeColumns: [],
      eventJoin: 'LEFT JOIN (SELECT order_id, min(order_time) AS order_time FROM fact_order GROUP BY order_id) o ON o.order_id = f.order_id',
      revenueUsd: `${TAKE_RATE} * f.qty * f.item_price_cents / 100.0`,
      nullableByDesign: [],
    },
    {
      name: 'fact_payment',
      key: ['order_id'],
      foreignKeys: [],
      eventTs: 'f.captured_at',
      timeColumns: ['captured_at'],
      revenueUsd: `f.platform_fee_cents / 100.0`,
      nullableByDesign: [],
    },
  ],
};

export function factTable(archetype: Archetype, name: string): FactTable | undefined {
  return FACT_TABLES[archetype].find((t) => t.name === name);
}

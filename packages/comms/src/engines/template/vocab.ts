import type { Archetype } from '@dnr/core';

/** A foreign key people join on: fact.key → dim.key. */
export interface JoinPath {
  fact: string;
  key: string;
  dim: string;
  /** How people call the dimension ("merchants"). */
  dimHuman: string;
}

export interface FactTable {
  table: string;
  human: string[];
  /** Event-time column (or loaded_at when the table has none). */
  ts: string;
  /** Business key column(s) as written in SQL. */
  key: string;
}

/** The words people of one archetype use about its warehouse (table names are the real docs/warehouse.md ones). */
export interface ArchetypeVocab {
  facts: FactTable[];
  joins: JoinPath[];
  metrics: string[];
  dashboards: string[];
  models: string[];
  pii: string[];
  newFields: string[];
  /** Revenue streams with the unit they are mapped by and the items that go unmapped (kept coherent). */
  revenue: { rev: string[]; unit: string[]; items: string[] }[];
  funnelSteps: [string, string][];
  sources: string[];
  segments: string[];
  teams: string[];
  product: string[];
}

export const VOCAB: Record<Archetype, ArchetypeVocab> = {
  neobank: {
    facts: [
      { table: 'fact_card_transaction', human: ['card txns', 'the transactions table', 'card transactions', 'txn data', 'the card spend table'], ts: 'event_time', key: 'txn_id' },
      { table: 'fact_subscription_invoice', human: ['invoices', 'the invoice table', 'subscription invoices', 'billing data'], ts: 'paid_at', key: 'invoice_id' },
    ],
    joins: [
      { fact: 'fact_card_transaction', key: 'merchant_id', dim: 'dim_merchant', dimHuman: 'merchants' },
      { fact: 'fact_card_transaction', key: 'card_id', dim: 'dim_card', dimHuman: 'cards' },
      { fact: 'fact_subscription_invoice', key: 'customer_id', dim: 'dim_customer', dimHuman: 'customers' },
      { fact: 'fact_subscription_invoice', key: 'plan_id', dim: 'dim_plan', dimHuman: 'plans' },
      { fact: 'dim_account', key: 'customer_id', dim: 'dim_customer', dimHuman: 'customers' },
      { fact: 'dim_card', key: 'account_id', dim: 'dim_account', dimHuman: 'accounts' },
    ],
    metrics: ['active customers', 'card spend', 'interchange revenue', 'subscription revenue', 'new account opens', '30d actives', 'premium conversion', 'approval rate', 'spend per active card', 'MRR'],
    dashboards: ['Exec KPI dashboard', 'Card Spend Overview', 'Weekly Business Review', 'Premium Subscriptions', 'Growth Daily', 'Risk & Auth board', 'Finance monthly close'],
    models: ['fct_card_transactions', 'stg_card_txn', 'int_interchange', 'dim_customers', 'fct_invoices', 'mart_kpi_daily', 'stg_merchants'],
    pii: ['customer emails', 'date of birth', 'home addresses', 'KYC documents', 'phone numbers', 'full card PAN', 'legal names'],
    newFields: ['card network', 'device type', 'referral code', 'merchant country', 'decline reason code', 'wallet type (apple/google pay)', 'customer segment', 'plan change reason'],
    revenue: [
      { rev: ['interchange', 'interchange revenue', 'interchange fees'], unit: ['MCC', 'merchant sector', 'merchant category'], items: ['MCC 5812', 'MCC 5411', 'the travel MCCs', 'the gambling sector', 'MCC 4121', 'the "other" sector bucket', 'new merchants onboarded this month'] },
      { rev: ['subscription revenue', 'premium revenue', 'MRR'], unit: ['plan', 'billing cadence'], items: ['premium_annual', 'the legacy premium plan', 'plan_id 3', 'the annual upgrades', 'refunded invoices'] },
    ],
    funnelSteps: [['signup', 'KYC verified'], ['KYC verified', 'card activated'], ['card activated', 'first transaction'], ['free', 'premium upgrade'], ['app install', 'account open']],
    sources: ['paid social', 'referral', 'organic search', 'the influencer campaign', 'app store ads', 'partner offers'],
    segments: ['premium customers', 'new customers', 'frozen accounts', 'savings-only customers', 'the under-25 cohort'],
    teams: ['finance', 'risk', 'growth', 'cards', 'ops', 'compliance'],
    product: ['the card', 'premium', 'the savings pot', 'instant transfers'],
  },
  marketplace: {
    facts: [
      { table: 'fact_order', human: ['orders', 'the orders table', 'order data', 'fact_order'], ts: 'order_time', key: 'order_id' },
      { table: 'fact_order_item', human: ['order items', 'line items', 'the order_item table'], ts: 'loaded_at', key: 'order_id, line_id' },
      { table: 'fact_payment', human: ['payments', 'the payments table', 'payment captures'], ts: 'captured_at', key: 'order_id' },
    ],
    joins: [
      { fact: 'fact_order', key: 'buyer_id', dim: 'dim_buyer', dimHuman: 'buyers' },
      { fact: 'fact_order_item', key: 'listing_id', dim: 'dim_listing', dimHuman: 'listings' },
      { fact: 'fact_order_item', key: 'seller_id', dim: 'dim_seller', dimHuman: 'sellers' },
      { fact: 'dim_listing', key: 'category_id', dim: 'dim_category', dimHuman: 'categories' },
      { fact: 'fact_payment', key: 'order_id', dim: 'fact_order', dimHuman: 'orders' },
      { fact: 'fact_order_item', key: 'order_id', dim: 'fact_order', dimHuman: 'orders' },
    ],
    metrics: ['GMV', 'take rate', 'net revenue', 'AOV', 'active buyers', 'active sellers', 'live listings', 'orders per buyer', 'conversion rate', 'seller earnings'],
    dashboards: ['Marketplace Health', 'Exec KPI dashboard', 'Seller Success', 'Weekly Business Review', 'Category Performance', 'Buyer Growth', 'Finance monthly close'],
    models: ['fct_orders', 'stg_order_items', 'int_payments', 'dim_listings', 'mart_gmv_daily', 'fct_seller_payouts', 'stg_buyers'],
    pii: ['buyer emails', 'shipping addresses', 'seller bank details', 'phone numbers', 'legal names', 'tax ids of sellers'],
    newFields: ['shipping carrier', 'listing color attribute', 'promo code', 'gift flag', 'seller tier', 'return reason', 'device type', 'delivery estimate'],
    revenue: [
      { rev: ['take-rate fees', 'net revenue', 'platform fees'], unit: ['category', 'leaf category', 'top-level category'], items: ['the Jewelry > Rings leaf', 'vintage clothing', 'home decor', 'the craft supplies tree', 'the "uncategorized" bucket', 'listings moved between categories'] },
      { rev: ['GMV', 'net revenue', 'seller earnings'], unit: ['currency', 'FX rate'], items: ['the EUR orders', 'GBP payments', 'CAD orders', 'the AUD listings'] },
    ],
    funnelSteps: [['visit', 'add to cart'], ['add to cart', 'checkout'], ['checkout', 'payment captured'], ['signup', 'first order'], ['listing view', 'purchase']],
    sources: ['paid social', 'referral', 'organic search', 'email campaigns', 'the holiday promo', 'affiliate links'],
    segments: ['new buyers', 'top sellers', 'vacation-mode shops', 'international buyers', 'repeat buyers'],
    teams: ['finance', 'trust & safety', 'growth', 'seller success', 'ops', 'payments'],
    product: ['checkout', 'search', 'the seller app', 'gift cards'],
  },
};

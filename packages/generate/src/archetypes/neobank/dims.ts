import { MCCS } from '@dnr/core';
import { loadColumns } from '../../behaviour/load.js';
import type { GenContext } from '../../context.js';
import { KYC } from './customers.js';
import { PLAN_ANNUAL, PLAN_FREE, PLAN_PREMIUM } from './subscriptions.js';
import type { NeobankWorld } from './world.js';
import type { CardKeyFailures } from './transactions.js';
import { noEntityFailures } from '../../defects/entity.js';

export const PLANS = [
  { plan_id: PLAN_FREE, name: 'free', price_cents: 0, cadence: 'monthly' },
  { plan_id: PLAN_PREMIUM, name: 'premium', price_cents: 999, cadence: 'monthly' },
  { plan_id: PLAN_ANNUAL, name: 'premium_annual', price_cents: 9990, cadence: 'annual' },
];

const ts = (col: string) => `make_timestamp((${col}) * 1000000)`;

/** Status of an account at the window end: closed, frozen (a freeze still running) or open. */
export function accountStatusAtEnd(world: NeobankWorld, j: number): 'open' | 'frozen' | 'closed' {
  const a = world.ac.accounts[j];
  const end = world.m.endUtc;
  if (a.closed < end) return 'closed';
  const checking = a.type === 'checking' ? a : world.ac.accounts[world.ac.checkingOf[a.customer]];
  return checking.freezes.some(([f, t]) => f < end && t >= end) ? 'frozen' : 'open';
}

/** Status of a card at the window end: never activated or on a closed account → inactive; replaced → lost/expired. */
export function cardStatusAtEnd(world: NeobankWorld, k: number): 'active' | 'inactive' | 'lost' | 'expired' {
  const c = world.ac.cards[k];
  if (Number.isNaN(c.activated)) return 'inactive';
  if (c.ended >= world.m.endUtc) return 'active';
  return c.endReason === 'lost' ? 'lost' : c.endReason === 'expired' ? 'expired' : 'inactive';
}

/** dim_customer, dim_account and dim_plan of the neobank, from the simulated world. */
export async function writeNeobankDims(ctx: GenContext, world: NeobankWorld): Promise<void> {
  const { conn, writer } = ctx;
  const { customers: c, ac, ids } = world;
  if (ctx.want('dim_customer')) {
    await loadColumns(conn, 'out_customer', [
      ['customer_id', 'BIGINT', ids.customer],
      ['created', 'BIGINT', c.signup.map(Math.floor)],
      ['kyc_status', 'VARCHAR', Array.from(c.kyc, (k) => KYC[k])],
    ]);
    await writer.single('dim_customer', `SELECT customer_id, ${ts('created')} AS created_at, kyc_status FROM out_customer ORDER BY customer_id`);
  }
  if (ctx.want('dim_account')) {
    await loadColumns(conn, 'out_account', [
      ['account_id', 'BIGINT', ids.account],
      ['customer_id', 'BIGINT', ac.accounts.map((a) => ids.customer[a.customer])],
      ['type', 'VARCHAR', ac.accounts.map((a) => a.type)],
      ['created', 'BIGINT', ac.accounts.map((a) => Math.floor(a.opened))],
      ['status', 'VARCHAR', ac.accounts.map((_, j) => accountStatusAtEnd(world, j))],
    ]);
    await writer.single('dim_account', `SELECT account_id, customer_id, type, ${ts('created')} AS created_at, status FROM out_account ORDER BY account_id`);
  }
  if (ctx.want('dim_plan'))
    await writer.single(
      'dim_plan',
      `SELECT plan_id::INTEGER AS plan_id, name, price_cents::BIGINT AS price_cents, cadence FROM (VALUES ${PLANS.map((p) => `(${p.plan_id}, '${p.name}', ${p.price_cents}, '${p.cadence}')`).join(', ')}) t(plan_id, name, price_cents, cadence)`,
    );
}

/** SQL WHERE leaving out the given ids ('' when none). */
const notIn = (column: string, ids: number[]) => (ids.length ? `WHERE ${column} NOT IN (SELECT unnest([${ids.join(', ')}]::BIGINT[]))` : '');

/**
 * dim_card and dim_merchant, written after the card transactions: the rows of the entities whose FK
 * failures were chosen there are left out (never loaded), and mis-dated cards get their recorded
 * activated_at (defects/entity.ts), re-stamped ones the update job's (defects/incidents.ts).
 */
export async function writeCardMerchantDims(ctx: GenContext, world: NeobankWorld, failures: CardKeyFailures = { card: noEntityFailures(), merchant: noEntityFailures() }): Promise<void> {
  const { conn, writer } = ctx;
  const { ac, merchants, ids } = world;
  if (ctx.want('dim_card')) {
    await loadColumns(conn, 'out_card', [
      ['card_id', 'BIGINT', ids.card],
      ['account_id', 'BIGINT', ac.cards.map((x) => ids.account[x.account])],
      ['status', 'VARCHAR', ac.cards.map((_, k) => cardStatusAtEnd(world, k))],
      ['activated', 'BIGINT', ac.cards.map((x, k) => failures.card.late.get(ids.card[k]) ?? failures.card.restamped?.get(ids.card[k]) ?? Math.floor(x.activated))],
    ]);
    await writer.single('dim_card', `SELECT card_id, account_id, status, ${ts('activated')} AS activated_at FROM out_card ${notIn('card_id', failures.card.missing)} ORDER BY card_id`);
  }
  if (ctx.want('dim_merchant')) {
    await loadColumns(conn, 'out_merchant', [
      ['merchant_id', 'BIGINT', merchants.id],
      ['mcc', 'INTEGER', Array.from(merchants.mcc, (j) => MCCS[j].mcc)],
      ['name', 'VARCHAR', merchants.name],
    ]);
    await writer.single('dim_merchant', `SELECT merchant_id, mcc, name FROM out_merchant ${notIn('merchant_id', failures.merchant.missing)} ORDER BY merchant_id`);
  }
}

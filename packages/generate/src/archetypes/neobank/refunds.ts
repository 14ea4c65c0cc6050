import { MCCS } from '@dnr/core';
import type { DuckDBConnection } from '@duckdb/node-api';
import { permuteIdSql } from '../../behaviour/ids.js';
import { loadColumns } from '../../behaviour/load.js';
import type { SqlRandom } from '../../behaviour/sql.js';
import type { Companion } from '../../defects/apply.js';
import type { NeobankWorld } from './world.js';

/** Merchant refunds of approved card payments, written beside fact_card_transaction (an addition to the core tables). */
export const REFUND_TABLE = 'fact_card_refund';
/** Lookup of each merchant's refund share (refundRatesTable). */
const RATES = 'nb_mrefund';

/** Refund share of an MCC (index into MCCS): refunds.mcc_rate when set, else its sector's rate. */
export function refundRate(world: NeobankWorld, mi: number): number {
  const r = world.m.b.refunds;
  const x = MCCS[mi];
  return r.mcc_rate[String(x.mcc)] ?? r.sector_rate[x.sector];
}

/** Loads nb_mrefund(merchant_id, p): every merchant's refund share of an approved card-present payment. */
export async function installRefundRates(conn: DuckDBConnection, world: NeobankWorld): Promise<void> {
  const { merchants } = world;
  const byMcc = MCCS.map((_, mi) => refundRate(world, mi));
  await loadColumns(conn, RATES, [
    ['merchant_id', 'BIGINT', merchants.id],
    ['p', 'DOUBLE', Float64Array.from(merchants.mcc, (mi) => byMcc[mi])],
  ]);
}

/**
 * The fact_card_refund companion of a card-transaction chunk: an approved payment (first copy) is
 * refunded with its merchant's share (× ecommerce_multiplier online, at most 0.9), a lognormal lag
 * later (refunds.lag); a share partial_share of refunds is for part of the amount (uniform fraction,
 * to the cent). Refunds after the window end are not written. Columns: refund_id (a permutation of the
 * txn_id space with its own salt: distinct, and unrelated to the payment's id), txn_id of the payment,
 * its card_id and merchant_id (the true ones: the refund feed is not the broken load), event_time,
 * amount_cents (> 0, the amount credited back), refund_type (full, partial).
 */
export function refundCompanion(world: NeobankWorld, r: SqlRandom, idBits: number, write: boolean): Companion {
  const { m } = world;
  const rf = m.b.refunds;
  const share = `least(0.9, rr.p * CASE WHEN o_channel = 'ecommerce' THEN ${rf.ecommerce_multiplier} ELSE 1 END)`;
  const lag = `greatest(3600, round(${rf.lag.median_hours * 3600} * exp(${rf.lag.sigma} * ${r.z(`${REFUND_TABLE}.lag`, 'rid')})))::BIGINT`;
  const at = `(epoch(o_event_time)::BIGINT + ${lag})`;
  const partial = `${r.u(`${REFUND_TABLE}.partial`, 'rid')} < ${rf.partial_share}`;
  const fraction = `(${rf.partial_fraction.min} + ${rf.partial_fraction.max - rf.partial_fraction.min} * ${r.u(`${REFUND_TABLE}.fraction`, 'rid')})`;
  return {
    table: REFUND_TABLE,
    stored: [
      ['card', 'true_card::BIGINT'],
      ['merchant', 'true_merchant::BIGINT'],
    ],
    from: `cx JOIN ${RATES} rr ON rr.merchant_id = cx.c_merchant`,
    select: [
      `${permuteIdSql('rid', idBits, m.seed, 23)}::BIGINT AS refund_id`,
      'o_txn_id AS txn_id',
      'c_card AS card_id',
      'c_merchant AS merchant_id',
      `make_timestamp(${at} * 1000000)::TIMESTAMP AS event_time`,
      `(CASE WHEN ${partial} THEN greatest(1, least(o_amount_cents - 1, round(o_amount_cents * ${fraction}))) ELSE o_amount_cents END)::BIGINT AS amount_cents`,
      `CASE WHEN ${partial} AND o_amount_cents > 1 THEN 'partial' ELSE 'full' END AS refund_type`,
    ],
    where: `o_auth_result = 'approved' AND ${r.u(`${REFUND_TABLE}.pick`, 'rid')} < ${share} AND ${at} < ${m.endUtc}`,
    write,
  };
}

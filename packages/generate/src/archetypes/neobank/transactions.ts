import { queryRows } from '@dnr/core';
import { expectedEvents, tenureDecaySql } from '../../behaviour/intensity.js';
import { activeWeeksSql, offsetCaseSql, poissonSql, utcFromLocal } from '../../behaviour/sql.js';
import { emptyStats, prepareSpikeRows, writeFactChunk } from '../../defects/apply.js';
import type { FkInjection } from '../../defects/inject.js';
import { defectEntries } from '../../defects/record.js';
import { idRanges } from '../../writer.js';
import type { GenContext } from '../../context.js';

const TABLE = 'fact_card_transaction';
/** SPEC §4.4 auth mix. */
const APPROVED = 0.94;
const DECLINED = 0.05;

/**
 * Transaction ids (txn_id, card_id, d, wk) of spend-eligible cards (verified customers) on all their
 * active days or only the listed ones: Poisson candidates per card-week at the week's peak rate, each
 * on a uniform day of the week, kept with probability W(day)/W_max (thinning) — the day-level
 * non-homogeneous process at a seventh of the rows. Candidates depend only on (card, week).
 */
function txnIdsSql(ctx: GenContext, base: number, where: string, days?: number[]): string {
  const { r } = ctx;
  const cw = 'card_id * 1024 + w';
  const active = `SELECT card_id, act, cust_cls, greatest(0, floor(als / 86400)::BIGINT + 1) AS a, least(${ctx.window.days}, floor(stop_ls / 86400)::BIGINT) AS b
    FROM card WHERE kyc = 'verified' AND ${where}`;
  const weeks = activeWeeksSql(active, days);
  return `
    WITH cw AS (${weeks}), lam AS (
      SELECT cw.*, ${base} * act * ${tenureDecaySql('w * 7 + 3.5 - cust_cls / 86400.0')} * 7 * k.wmax AS lam, ${r.u('txn.count', cw)} AS uu
      FROM cw JOIN calw k USING (w)
    ), cnt AS (
      SELECT *, least(${poissonSql('lam', 'uu', r.z('txn.count_z', cw))}, 63) AS n FROM lam
    ), cand AS (
      SELECT card_id, a, b, w, (card_id * 65536 + w * 64 + unnest(range(n)))::BIGINT AS txn_id FROM cnt WHERE n > 0
    ), ev AS (
      SELECT cand.*, w * 7 + floor(${r.u('txn.day', 'txn_id')} * 7)::BIGINT AS d FROM cand
    )
    SELECT ev.txn_id, ev.card_id, ev.d, cal.wk
    FROM ev JOIN cal ON cal.d = ev.d JOIN calw k ON k.w = ev.w
    WHERE ev.d >= ev.a AND ev.d < ev.b AND ${r.u('txn.accept', 'ev.txn_id')} < cal.dow_w * cal.season / k.wmax${days ? ` AND ev.d IN (${days.join(', ')})` : ''}`;
}

/**
 * Non-homogeneous Poisson spend: each card-day draws Poisson(base · activity · tenure decay ·
 * day-of-week · month), each transaction an hour from the weekday/weekend curve, an MCC by weight,
 * a merchant (popularity-skewed within the MCC) and a lognormal amount.
 */
export async function writeCardTransactions(ctx: GenContext): Promise<void> {
  const { conn, r, plan, window } = ctx;
  const target = ctx.targets[TABLE] / (1 + plan.rates.duplicate);
  const days = `least(${window.days}, floor(stop_ls / 86400)::BIGINT)`;
  const first = `least(${window.days}, greatest(0, floor(als / 86400)::BIGINT + 1))`;
  const total = await expectedEvents(conn, "card WHERE kyc = 'verified'", 'act', 'cust_cls / 86400.0', first, days);
  const base = target / total;
  const [{ ncards }] = await queryRows<{ ncards: bigint }>(conn, 'SELECT max(card_id) AS ncards FROM card');
  const nMerchants = ctx.targets.dim_merchant;
  const fks: FkInjection[] = [
    // dim_card's time is activated_at, not created_at: a checker that only knows created_at sees the
    // temporal failures as valid rows, so this column leans on missing ids (4.3% + 1.1% temporal)
    // to stay within 5% ± 1 under either reading.
    { table: TABLE, column: 'card_id', trueColumn: 'true_card', dimN: Number(ncards), dim: 'card', temporal: true, missingShare: 0.8, failScale: 1.08 },
    { table: TABLE, column: 'merchant_id', trueColumn: 'true_merchant', dimN: nMerchants, dim: 'merchant', temporal: false },
  ];
  const id = 'txn_id';
  /** Materialises the chunk's transaction ids (table tev) and returns the SQL of its clean rows. */
  const txnSql = async (cards: string, days?: number[]) => {
    await conn.run(`CREATE OR REPLACE TABLE tev AS ${txnIdsSql(ctx, base, cards, days)}`);
    return `
    WITH ev AS (SELECT * FROM tev), tx AS (
      SELECT ev.*, hq.h, m.idx, m.m_off, m.m_cnt, m.median, m.sigma, m.bps, m.ecom,
        floor(${r.u('txn.second', id)} * 3600)::BIGINT AS sec
      FROM ev
      JOIN hour_q hq ON hq.wk = ev.wk AND hq.b = floor(${r.u('txn.hour', id)} * 1024)::INTEGER
      JOIN mcc_b m ON m.b = floor(${r.u('txn.mcc', id)} * 1024)::INTEGER
    )
    SELECT txn_id AS rid, tx.d, card_id AS true_card,
      (m_off + 1 + floor(pow(${r.u('txn.merchant', id)}, 2.2) * m_cnt))::BIGINT AS true_merchant,
      ${utcFromLocal(window, 'tx.d * 86400 + h * 3600 + sec', offsetCaseSql(window, 'tx.d * 24 + h'))}::TIMESTAMP AS ev,
      greatest(50, round(median * exp(sigma * ${r.z('txn.amount', id)})))::BIGINT AS amount_cents,
      CASE WHEN ${r.u('txn.channel', id)} < ecom THEN 'ecommerce' WHEN ${r.u('txn.contactless', id)} < 0.45 THEN 'contactless' ELSE 'card_present' END AS channel,
      CASE WHEN ${r.u('txn.auth', id)} < ${APPROVED} THEN 'approved' WHEN ${r.u('txn.auth', id)} < ${APPROVED + DECLINED} THEN 'declined' ELSE 'reversed' END AS auth_result,
      bps AS bps0
    FROM tx`;
  };
  await prepareSpikeRows(conn, r, plan, TABLE, async (days) => `SELECT rid, d FROM (${await txnSql('true', days)})`);
  const stats = emptyStats();
  const ranges = idRanges(Number(ncards), Math.ceil(ctx.targets[TABLE] / ctx.chunkRows));
  for (const [part, [lo, hi]] of ranges.entries()) {
    const baseSql = await txnSql(`card_id BETWEEN ${lo} AND ${hi}`);
    await writeFactChunk(
      conn,
      r,
      plan,
      ctx.writer,
      {
        table: TABLE,
        part,
        // card-not-present pays 10 bps more
        baseSql: `SELECT *, (bps0 + CASE WHEN channel = 'ecommerce' THEN 10 ELSE 0 END)::INTEGER AS bps FROM (${baseSql})`,
        fks,
        gapColumn: ['interchange_bps', 'bps'],
        columns: [
          ['txn_id', 'rid::BIGINT'],
          ['card_id', 'v_card_id::BIGINT'],
          ['merchant_id', 'v_merchant_id::BIGINT'],
          ['event_time', 'ev::TIMESTAMP'],
          ['amount_cents', 'amount_cents::BIGINT'],
          ['interchange_bps', 'gv::INTEGER'],
          ['channel', 'channel::VARCHAR'],
          ['auth_result', 'auth_result::VARCHAR'],
          ['loaded_at', 'loaded_at::TIMESTAMP'],
        ],
      },
      stats,
    );
  }
  ctx.defects.push(...defectEntries(TABLE, fks, stats, plan, window));
}

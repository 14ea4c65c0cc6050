import { queryRows } from '@dnr/core';
import { expectedEvents, tenureDecaySql } from '../../behaviour/intensity.js';
import { offsetCaseSql, poissonSql, utcFromLocal } from '../../behaviour/sql.js';
import { emptyStats, prepareSpikeRows, writeFactChunk } from '../../defects/apply.js';
import type { FkInjection } from '../../defects/inject.js';
import { defectEntries } from '../../defects/record.js';
import { idRanges } from '../../writer.js';
import type { GenContext } from '../../context.js';

const TABLE = 'fact_card_transaction';
/** SPEC §4.4 auth mix. */
const APPROVED = 0.94;
const DECLINED = 0.05;

/** Card-days of spend-eligible cards (verified customers), all active days or only the listed ones. */
function cardDaysSql(ctx: GenContext, where: string, days?: number[]): string {
  const first = 'floor(als / 86400)::BIGINT + 1';
  const end = `least(${ctx.window.days}, floor(stop_ls / 86400)::BIGINT)`;
  const spend = `FROM card WHERE kyc = 'verified' AND ${where}`;
  const active = days
    ? `SELECT card_id, act, cust_cls, s.d FROM (SELECT * ${spend}) c JOIN (SELECT unnest([${days.join(', ')}])::BIGINT AS d) s ON s.d >= ${first} AND s.d < ${end}`
    : `SELECT card_id, act, cust_cls, unnest(range(greatest(0, ${first}), ${end})) AS d ${spend}`;
  return `SELECT cd.card_id, cd.d, cal.wk,
      cd.act * ${tenureDecaySql('cd.d - cd.cust_cls / 86400.0')} * cal.dow_w * cal.season AS w
    FROM (${active}) cd
    JOIN cal ON cal.d = cd.d`;
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
  const cdId = 'card_id * 4096 + d';
  const id = 'txn_id';
  /** Materialises the chunk's transaction ids (table tev) and returns the SQL of its clean rows. */
  const txnSql = async (cards: string, days?: number[]) => {
    await conn.run(`CREATE OR REPLACE TABLE tev AS
      WITH lam AS (
        SELECT card_id, d, wk, ${base} * w AS lam, ${r.u('txn.count', cdId)} AS uu FROM (${cardDaysSql(ctx, cards, days)})
      ), cnt AS (
        SELECT card_id, d, wk, least(${poissonSql('lam', 'uu', r.z('txn.count_z', cdId))}, 31) AS n FROM lam
      )
      SELECT card_id, d, wk, (card_id * 131072 + d * 32 + unnest(range(n)))::BIGINT AS txn_id FROM cnt WHERE n > 0`);
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

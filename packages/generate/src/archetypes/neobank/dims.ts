import { MCCS, NAME_A, NAME_B, merchantsPerMcc } from '../../behaviour/mcc.js';
import { createdDaysSql, churnDaysSql, type LifecycleParams } from '../../behaviour/lifecycle.js';
import { quantileBuckets } from '../../behaviour/curves.js';
import { utcFromLocal, valuesTable } from '../../behaviour/sql.js';
import { installRankTables } from '../../defects/inject.js';
import type { GenContext } from '../../context.js';

/** SPEC §4.4: 1.8% monthly churn; 8% of customers on a paid plan, a few of them annual. */
export const NEOBANK_CHURN = 0.018;
export const PREMIUM_SHARE = 0.08;
export const ANNUAL_SHARE_OF_PREMIUM = 0.04;
const VERIFIED = 0.92;

export const PLANS = [
  { plan_id: 1, name: 'free', price_cents: 0, cadence: 'monthly' },
  { plan_id: 2, name: 'premium', price_cents: 999, cadence: 'monthly' },
  { plan_id: 3, name: 'premium_annual', price_cents: 9990, cadence: 'annual' },
];

const utc = (ctx: GenContext, ls: string, alias: string) => utcFromLocal(ctx.window, ls, `${alias}.off_min`);

/**
 * Customers → accounts → cards (working tables cust, acct, card with local-second times), merchants and
 * plans; writes the five neobank dims. Ids follow creation order.
 */
export async function buildNeobankDims(ctx: GenContext): Promise<void> {
  const { conn, r, window } = ctx;
  const dsec = window.days * 86400;
  const life: LifecycleParams = { stream: 'customer', churn: NEOBANK_CHURN, trajectory: ctx.config.warehouse.trajectory };
  const created = createdDaysSql(r, life, window, 'i');
  // An exact quota (the verified customers with the lowest draws), not a coin per customer: at small scale
  // a Bernoulli 8% of 2,000 swings the paid base, and with it the invoice volume, by ±8%.
  const premiumQuota = Math.round(PREMIUM_SHARE * ctx.targets.dim_customer);
  await conn.run(`CREATE OR REPLACE TABLE cust0 AS
    SELECT i, cd, ${churnDaysSql(r, life, window, 'i', 'cd')} AS chd, exp(0.6 * ${r.z('customer.act', 'i')} - 0.18) AS act,
      ${r.u('customer.kyc', 'i')} AS ukyc, ${r.u('customer.premium', 'i')} AS uprem, ${r.u('customer.annual', 'i')} AS uann
    FROM (SELECT i, ${created} AS cd FROM range(${ctx.targets.dim_customer}) t(i))`);
  await conn.run(`CREATE OR REPLACE TABLE cust AS
    SELECT row_number() OVER (ORDER BY cls, i)::BIGINT AS customer_id, cls, least(floor(chd * 86400), 9e15)::BIGINT AS churn_ls, act,
      CASE WHEN ukyc < ${VERIFIED} THEN 'verified' WHEN ukyc < 0.97 THEN 'pending' ELSE 'rejected' END AS kyc,
      (ukyc < ${VERIFIED} AND prem_rank <= ${premiumQuota}) AS premium, (uann < ${ANNUAL_SHARE_OF_PREMIUM}) AS annual
    FROM (SELECT *, floor(cd * 86400)::BIGINT AS cls, row_number() OVER (PARTITION BY ukyc < ${VERIFIED} ORDER BY uprem, i) AS prem_rank FROM cust0)`);

  await conn.run(`CREATE OR REPLACE TABLE acct AS
    SELECT row_number() OVER (ORDER BY als, customer_id, type)::BIGINT AS account_id, *,
      CASE WHEN churn_ls < ${dsec} THEN 'closed' WHEN ${r.u('account.frozen', 'customer_id * 2 + (type = \'savings\')::INT')} < 0.015 THEN 'frozen' ELSE 'open' END AS status
    FROM (
      SELECT customer_id, 'checking' AS type, cls + 600 + floor(${r.u('account.open', 'customer_id')} * 2 * 86400)::BIGINT AS als, churn_ls, kyc, act, cls FROM cust WHERE kyc <> 'rejected'
      UNION ALL
      SELECT customer_id, 'savings', cls + 86400 + floor(${r.u('account.savings_open', 'customer_id')} * 120 * 86400)::BIGINT, churn_ls, kyc, act, cls
      FROM cust WHERE kyc = 'verified' AND ${r.u('account.savings', 'customer_id')} < 0.3
    ) WHERE als < least(churn_ls, ${dsec})`);

  // One card per checking account; 12% get a replacement (the first becomes lost/expired).
  await conn.run(`CREATE OR REPLACE TABLE card0 AS
    SELECT *, (urepl < 0.12 AND end_ls - act1 > 60 * 86400) AS has_repl, act1 + 30 * 86400 + floor(vrepl * (end_ls - act1 - 60 * 86400))::BIGINT AS repl_ls
    FROM (SELECT account_id, customer_id, kyc, act, cls AS cust_cls, churn_ls, status AS acct_status,
        als + 86400 + floor(${r.u('card.activate', 'account_id')} * 6 * 86400)::BIGINT AS act1, least(churn_ls, ${dsec}) AS end_ls,
        ${r.u('card.replace', 'account_id')} AS urepl, ${r.u('card.replace_at', 'account_id')} AS vrepl
      FROM acct WHERE type = 'checking')`);
  const finalStatus = `CASE WHEN kyc = 'pending' OR churn_ls < ${dsec} THEN 'inactive' ELSE 'active' END`;
  await conn.run(`CREATE OR REPLACE TABLE card AS
    SELECT row_number() OVER (ORDER BY als, account_id, seq)::BIGINT AS card_id, * FROM (
      SELECT account_id, customer_id, kyc, act, cust_cls, 1 AS seq, act1 AS als, CASE WHEN has_repl THEN repl_ls ELSE end_ls END AS stop_ls,
        CASE WHEN has_repl THEN (CASE WHEN ${r.u('card.lost', 'account_id')} < 0.4 THEN 'lost' ELSE 'expired' END) ELSE ${finalStatus} END AS status
      FROM card0
      UNION ALL
      SELECT account_id, customer_id, kyc, act, cust_cls, 2, repl_ls, end_ls, ${finalStatus} FROM card0 WHERE has_repl
    ) WHERE als < ${dsec}`);
  await installRankTables(conn, 'card', 'card', 'card_id', 'als', window.days);

  const counts = merchantsPerMcc(ctx.targets.dim_merchant);
  let off = 0;
  const mccRows = MCCS.map((m, idx) => {
    const row = [idx, m.mcc, m.name, m.medianCents, m.sigma, m.interchangeBps, m.ecommerceShare, off, counts[idx]];
    off += counts[idx];
    return row;
  });
  await valuesTable(conn, 'mcc_info', ['idx', 'mcc', 'mname', 'median', 'sigma', 'bps', 'ecom', 'm_off', 'm_cnt'], mccRows);
  const q = quantileBuckets(MCCS.map((m) => m.weight));
  await valuesTable(conn, 'mcc_q', ['b', 'idx'], Array.from(q, (idx, b) => [b, idx]));
  // one lookup per transaction: quantile bucket → MCC and its parameters
  await conn.run('CREATE OR REPLACE TABLE mcc_b AS SELECT q.b, m.* FROM mcc_q q JOIN mcc_info m USING (idx)');

  const { writer } = ctx;
  const nameA = `[${NAME_A.map((s) => `'${s}'`).join(', ')}]`;
  const nameB = `[${NAME_B.map((s) => `'${s}'`).join(', ')}]`;
  if (ctx.want('dim_customer'))
    await writer.single(
      'dim_customer',
      `SELECT customer_id, ${utc(ctx, 'cls', 'z')}::TIMESTAMP AS created_at, kyc AS kyc_status FROM cust JOIN tzh z ON z.lh = floor(cls / 3600)::BIGINT ORDER BY customer_id`,
    );
  if (ctx.want('dim_account'))
    await writer.single(
      'dim_account',
      `SELECT account_id, customer_id, type, ${utc(ctx, 'als', 'z')}::TIMESTAMP AS created_at, status FROM acct JOIN tzh z ON z.lh = floor(als / 3600)::BIGINT ORDER BY account_id`,
    );
  if (ctx.want('dim_card'))
    await writer.single(
      'dim_card',
      `SELECT card_id, account_id, status, ${utc(ctx, 'als', 'z')}::TIMESTAMP AS activated_at FROM card JOIN tzh z ON z.lh = floor(als / 3600)::BIGINT ORDER BY card_id`,
    );
  if (ctx.want('dim_merchant'))
    await writer.single(
      'dim_merchant',
      `SELECT (m_off + j + 1)::BIGINT AS merchant_id, mcc::INTEGER AS mcc,
        list_extract(${nameA}, ((m_off + j + 1) * 7 + idx) % ${NAME_A.length} + 1) || ' ' || list_extract(${nameB}, ((m_off + j + 1) // ${NAME_A.length}) % ${NAME_B.length} + 1)
          || ' ' || mname || ' #' || lpad(CAST(m_off + j + 1 AS VARCHAR), 4, '0') AS name
       FROM mcc_info, range(m_cnt) r(j) ORDER BY merchant_id`,
    );
  if (ctx.want('dim_plan'))
    await writer.single(
      'dim_plan',
      `SELECT plan_id::INTEGER AS plan_id, name, price_cents::BIGINT AS price_cents, cadence FROM (VALUES ${PLANS.map((p) => `(${p.plan_id}, '${p.name}', ${p.price_cents}, '${p.cadence}')`).join(', ')}) t(plan_id, name, price_cents, cadence)`,
    );
}

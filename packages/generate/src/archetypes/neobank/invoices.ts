import { utcFromLocal } from '../../behaviour/sql.js';
import { emptyStats, writeFactChunk } from '../../defects/apply.js';
import type { FkInjection } from '../../defects/inject.js';
import { defectEntries } from '../../defects/record.js';
import type { GenContext } from '../../context.js';

const TABLE = 'fact_subscription_invoice';
/** Auto-charge succeeds on the period start for most; a few pay 3.5–10 days late, a few never. */
const ON_TIME = 0.955;
const LATE = 0.03;

/**
 * One invoice per paid-plan period from the subscription anchor (signup day) until churn: monthly
 * for premium, yearly for premium_annual.
 */
export async function writeInvoices(ctx: GenContext): Promise<void> {
  const { conn, r, plan, window } = ctx;
  const start = `DATE '${window.startDate}'`;
  const kMax = window.months + 64;
  const id = 'rid';
  const baseSql = `
    WITH per AS (
      SELECT customer_id, annual, churn_ls,
        (anchor + to_months((k * CASE WHEN annual THEN 12 ELSE 1 END)::INTEGER))::DATE AS ps
      FROM (SELECT customer_id, annual, churn_ls, ${start} + floor(cls / 86400)::INTEGER AS anchor FROM cust WHERE premium), range(${kMax}) t(k)
    ), inv AS (
      SELECT *, (ps - ${start})::BIGINT AS d, (customer_id * 8192 + (ps - ${start}))::BIGINT AS rid FROM per
      WHERE ps >= ${start} AND ps <= DATE '${window.endDate}' AND (ps - ${start}) * 86400 < churn_ls
    ), pay AS (
      SELECT *, CASE WHEN ${r.u('invoice.pay', id)} < ${ON_TIME} THEN d * 86400 + 7200 + floor(${r.u('invoice.pay_at', id)} * 6 * 3600)::BIGINT
                     WHEN ${r.u('invoice.pay', id)} < ${ON_TIME + LATE} THEN d * 86400 + floor((3.5 + 6.5 * ${r.u('invoice.pay_at', id)}) * 86400)::BIGINT END AS pls
      FROM inv
    )
    SELECT row_number() OVER (ORDER BY ps, customer_id)::BIGINT AS invoice_id, pay.rid, pay.d, customer_id, ps,
      CASE WHEN annual THEN 3 ELSE 2 END AS true_plan,
      (ps + to_months(CASE WHEN annual THEN 12 ELSE 1 END) - INTERVAL 1 DAY)::DATE AS pe,
      CASE WHEN pls IS NOT NULL THEN ${utcFromLocal(window, 'pls', 'zp.off_min')} END::TIMESTAMP AS paid_at,
      CASE WHEN annual THEN 9990 ELSE 999 END AS amount_cents,
      coalesce(CASE WHEN pls IS NOT NULL THEN ${utcFromLocal(window, 'pls', 'zp.off_min')} END, ${utcFromLocal(window, 'd * 86400', 'zd.off_min')})::TIMESTAMP AS ev
    FROM pay JOIN tzh zd ON zd.lh = d * 24 LEFT JOIN tzh zp ON zp.lh = floor(pls / 3600)::BIGINT`;
  const fks: FkInjection[] = [{ table: TABLE, column: 'plan_id', trueColumn: 'true_plan', dimN: 3, dim: 'plan', temporal: false }];
  const stats = emptyStats();
  await writeFactChunk(
    conn,
    r,
    plan,
    ctx.writer,
    {
      table: TABLE,
      part: 0,
      baseSql,
      fks,
      columns: [
        ['invoice_id', 'invoice_id::BIGINT'],
        ['customer_id', 'customer_id::BIGINT'],
        ['plan_id', 'v_plan_id::INTEGER'],
        ['period_start', 'ps::DATE'],
        ['period_end', 'pe::DATE'],
        ['paid_at', 'paid_at::TIMESTAMP'],
        ['amount_cents', 'amount_cents::BIGINT'],
        ['loaded_at', 'loaded_at::TIMESTAMP'],
      ],
    },
    stats,
  );
  ctx.defects.push(...defectEntries(TABLE, fks, stats, plan, window));
}

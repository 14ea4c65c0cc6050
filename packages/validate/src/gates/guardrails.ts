import { sqlIdent } from '@dnr/core';
import { contractFacts } from '../facts.js';
import { binomialAllowance, rangeRow } from '../rows.js';
import type { GateFamily, GateRow, ValidateContext } from '../types.js';

const FAMILY = 'guardrails';

/**
 * docs/report-schemas.md invoice aggregates over fact_subscription_invoice. Months covered by an invoice are
 * those in [period_start, period_end), so annual invoices cover their twelve months; a customer's
 * span runs from the first covered month to the last. on_time and p95 lag use invoices
 * de-duplicated by invoice_id (earliest loaded_at), paid_at in local time against period_start
 * (a local date); invoices due in the last 3 days of the window are not yet late.
 */
export async function invoiceAggregates(ctx: ValidateContext): Promise<{ missing_pct: number | null; on_time_pct: number | null; dup_key_pct: number | null; p95_payment_lag_min: number | null }> {
  const [dup] = await ctx.q<{ dup_key_pct: number | null }>(`
    SELECT 100.0 * (count(*) - count(DISTINCT (customer_id, period_start))) / nullif(count(*), 0) AS dup_key_pct
    FROM fact_subscription_invoice WHERE customer_id IS NOT NULL AND period_start IS NOT NULL`);
  const [missing] = await ctx.q<{ missing_pct: number | null }>(`
    WITH covered AS (
      SELECT DISTINCT customer_id, unnest(generate_series(date_trunc('month', period_start), date_trunc('month', greatest(period_end - 1, period_start)), INTERVAL 1 MONTH)) AS m
      FROM fact_subscription_invoice WHERE customer_id IS NOT NULL AND period_start IS NOT NULL AND period_end IS NOT NULL
    ), spans AS (
      SELECT customer_id, count(*) AS present, datediff('month', min(m), max(m)) + 1 AS span FROM covered GROUP BY customer_id
    )
    SELECT 100.0 * sum(span - present) / nullif(sum(span), 0) AS missing_pct FROM spans`);
  const [timing] = await ctx.q<{ on_time_pct: number | null; p95: number | null }>(`
    WITH inv AS (SELECT * FROM ${await ctx.first('fact_subscription_invoice')}), due AS (
      SELECT period_start, local_ts(paid_at) AS paid_local FROM inv
      WHERE period_start IS NOT NULL AND period_start <= DATE '${ctx.manifest.end_date}' - INTERVAL 3 DAY
    )
    SELECT 100.0 * avg(CASE WHEN paid_local IS NOT NULL AND paid_local <= period_start::TIMESTAMP + INTERVAL 3 DAY THEN 1 ELSE 0 END) AS on_time_pct,
           quantile_cont(date_diff('second', period_start::TIMESTAMP, paid_local) / 60.0, 0.95) AS p95
    FROM due`);
  return { missing_pct: missing.missing_pct, on_time_pct: timing.on_time_pct, dup_key_pct: dup.dup_key_pct, p95_payment_lag_min: timing.p95 };
}

/** docs/report-schemas.md evening window over captured payments (one per order_id, earliest loaded_at), local time. */
export async function eveningWindow(ctx: ValidateContext): Promise<{ overall_share_pct: number | null; days_pct: number | null; days: number }> {
  const ew = ctx.config.report.marketplace.evening_window;
  const [r] = await ctx.q<{ overall: number | null; days_pct: number | null; days: bigint }>(`
    WITH pay AS (
      SELECT local_ts(captured_at) AS t FROM ${await ctx.first('fact_payment')} WHERE captured_at IS NOT NULL
    ), daily AS (
      SELECT t::DATE AS d, 100.0 * avg(CASE WHEN hour(t) >= ${ew.start_hour} AND hour(t) < ${ew.end_hour} THEN 1 ELSE 0 END) AS share, count(*) AS n
      FROM pay GROUP BY 1
    )
    SELECT (SELECT 100.0 * avg(CASE WHEN hour(t) >= ${ew.start_hour} AND hour(t) < ${ew.end_hour} THEN 1 ELSE 0 END) FROM pay) AS overall,
           100.0 * avg(CASE WHEN share >= ${ew.min_share_pct} THEN 1 ELSE 0 END) AS days_pct, count(*) AS days
    FROM daily`);
  return { overall_share_pct: r.overall, days_pct: r.days_pct, days: Number(r.days) };
}

/**
 * Defect levels a typical warehouse tolerates (docs/warehouse.md: key nulls 2% ± 0.5, FK failures 5% ± 1,
 * duplicates 0.7% ± 0.2, 5% late loads): per fact table the worst measured share must stay under
 * the typical target × (1 + tolerance) plus three binomial standard errors. `clean` passes with
 * zeros; `messy` (≈ 2.5×) fails by design.
 */
async function defectLevelRows(ctx: ValidateContext): Promise<GateRow[]> {
  const d = ctx.config.warehouse.defects;
  const tol = ctx.config.validate.defect_rate_tolerance;
  const rows: GateRow[] = [];
  const upper = (target: number, rel: number, n: number) => ({ max: Number((target * (1 + rel) + binomialAllowance(target, n)).toFixed(6)) });
  for (const fk of contractFacts(ctx.archetype)) {
    const t = fk.name;
    const key = fk.key.map(sqlIdent).join(', ');
    const nullCols = fk.foreignKeys.map((f) => `avg((${f.column} IS NULL)::INT) AS "null_${f.column}"`);
    const failCols = fk.foreignKeys.map(
      (f) => `avg((${f.column} IS NOT NULL AND ${f.column} NOT IN (SELECT ${f.key} FROM ${f.references}))::INT) AS "miss_${f.column}"`,
    );
    const [m] = await ctx.q<Record<string, number | bigint | null>>(
      `SELECT count(*) AS n, 1 - count(DISTINCT (${key}))::DOUBLE / nullif(count(*), 0) AS dup${[...nullCols, ...failCols].map((c) => `, ${c}`).join('')} FROM ${t}`,
    );
    const n = Number(m.n);
    for (const f of fk.foreignKeys) {
      rows.push(rangeRow(FAMILY, `defect_level.${t}.${f.column}.key_null`, Number(m[`null_${f.column}`]), upper(d.key_null_pct / 100, tol.key_null, n), { detail: 'NULL share (spike days included) ≤ typical' }));
      rows.push(
        rangeRow(FAMILY, `defect_level.${t}.${f.column}.fk_missing`, Number(m[`miss_${f.column}`]), upper(d.fk_fail_pct / 100, tol.fk_missing, n), {
          // Absent ids are a part of all FK failures (5% ± 1 typical), so the whole band's top bounds them; messy (≈ 2.5×) still fails.
          detail: 'ids absent from the dimension ≤ typical FK-failure rate',
        }),
      );
    }
    rows.push(rangeRow(FAMILY, `defect_level.${t}.duplicate`, Number(m.dup), upper(d.duplicate_pct / 100, tol.duplicate, n), { detail: `extra rows on (${fk.key.join(', ')}) ≤ typical` }));
  }
  return rows;
}

/** Invoice-aggregate SLOs (neobank), the marketplace evening-window guardrail (config report.*) and typical defect levels. */
export const guardrailGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx) {
    const rows: GateRow[] = [];
    if (ctx.archetype === 'neobank') {
      const m = await invoiceAggregates(ctx);
      const slos = ctx.config.report.invoice_aggregates.slos;
      for (const key of ['missing_pct', 'on_time_pct', 'dup_key_pct', 'p95_payment_lag_min'] as const) {
        rows.push(rangeRow(FAMILY, `invoice.${key}`, m[key], slos[key], { unit: key.endsWith('_min') ? 'min' : '%' }));
      }
    } else {
      const ew = ctx.config.report.marketplace.evening_window;
      const m = await eveningWindow(ctx);
      rows.push(
        rangeRow(FAMILY, 'evening_window.days_pct', m.days_pct, { min: ew.min_days_pct }, {
          unit: '%',
          detail: `share of ${m.days} local days with ≥ ${ew.min_share_pct}% of captured payments in [${ew.start_hour}:00, ${ew.end_hour}:00)`,
        }),
        rangeRow(FAMILY, 'evening_window.overall_share_pct', m.overall_share_pct, { min: ew.min_share_pct }, { unit: '%' }),
      );
    }
    rows.push(...(await defectLevelRows(ctx)));
    return rows;
  },
};

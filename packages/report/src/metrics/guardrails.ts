import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlIdent, sqlString, type Config } from '@dnr/core';
import type { Contract } from '@dnr/contract';
import { round } from './health.js';
import { isoDay, type ReportWindow } from './window.js';

export interface GuardrailCheck {
  metric: string;
  value: number | null;
  min: number | null;
  max: number | null;
  passed: boolean;
}

export function check(metric: string, value: number | null, bound: { min?: number; max?: number }): GuardrailCheck {
  const passed = value != null && (bound.min === undefined || value >= bound.min) && (bound.max === undefined || value <= bound.max);
  return { metric, value, min: bound.min ?? null, max: bound.max ?? null, passed };
}

/**
 * Neobank invoice aggregates over the full invoice history (missing months need each customer's
 * whole first→last span). An invoice covers the months of [period_start, period_end), so annual
 * invoices cover twelve; missing = months inside a customer's span that no invoice covers.
 * on_time and the payment lag count each invoice once and leave out invoices due within the last 3
 * days before the warehouse end (not yet late): when the table is a fact of the contract, each key once
 * (its earliest load); otherwise each (customer, period_start) billing period once, paid at its earliest
 * payment. The duplicate rate looks at
 * raw rows, since repeated (customer_id, period_start) is exactly what it measures.
 */
export type InvoiceSpec = NonNullable<Contract['guardrails']['invoice_aggregates']>;
export type EveningSpec = NonNullable<Contract['guardrails']['evening_window']>;

export const INVOICE_AGGREGATES_SQL = (g: InvoiceSpec, endDay: string, deduped: boolean) => {
  const [t, cust, start, end, paid] = [g.table, g.customer, g.period_start, g.period_end, g.paid_at].map(sqlIdent);
  return `
WITH covered AS (
  SELECT DISTINCT ${cust} AS customer_id,
         unnest(generate_series(date_trunc('month', ${start}), date_trunc('month', greatest(${end} - 1, ${start})), INTERVAL 1 MONTH)) AS m
  FROM ${t}
  WHERE ${cust} IS NOT NULL AND ${start} IS NOT NULL AND ${end} IS NOT NULL
),
spans AS (
  SELECT customer_id, count(*) AS present, date_diff('month', min(m), max(m)) + 1 AS expected FROM covered GROUP BY customer_id
),
keyed AS (
  SELECT ${cust} AS customer_id, ${start} AS period_start FROM ${t} WHERE ${cust} IS NOT NULL AND ${start} IS NOT NULL
),
periods AS (
  ${deduped ? `SELECT ${start} AS period_start, ${paid} AS paid_at FROM ${sqlIdent(`dd_${g.table}`)}` : `SELECT ${start} AS period_start, min(${paid}) AS paid_at FROM ${t} WHERE ${cust} IS NOT NULL GROUP BY ${cust}, ${start}`}
),
due AS (
  SELECT paid_at, date_diff('second', utc_of_local_midnight(period_start), paid_at) / 60.0 AS lag_min
  FROM periods
  WHERE period_start IS NOT NULL AND period_start <= DATE ${sqlString(endDay)} - INTERVAL 3 DAY
)
SELECT
  (SELECT sum(expected) FROM spans) AS expected_periods,
  (SELECT sum(expected - present) FROM spans) AS missing_periods,
  (SELECT count(*) FROM due) AS invoices,
  (SELECT count(*) FILTER (WHERE paid_at IS NOT NULL AND lag_min <= 3 * 24 * 60) FROM due) AS on_time,
  (SELECT count(*) FROM keyed) AS keyed_rows,
  (SELECT count(*) FROM (SELECT DISTINCT customer_id, period_start FROM keyed)) AS distinct_keys,
  (SELECT quantile_cont(lag_min, 0.95) FROM due WHERE paid_at IS NOT NULL) AS p95_payment_lag_min`;
};

export interface InvoiceAggregates {
  metrics: { missing_pct: number | null; on_time_pct: number | null; dup_key_pct: number | null; p95_payment_lag_min: number | null };
  counts: { expected_periods: number; missing_periods: number; invoices: number; on_time: number; keyed_rows: number; distinct_keys: number };
  checks: GuardrailCheck[];
  passed: boolean;
}

/** `deduped`: the table is a fact of the contract (each invoice counts once, at its earliest load). */
export async function computeInvoiceAggregates(connection: DuckDBConnection, g: InvoiceSpec, deduped: boolean, endDay: string, config: Config): Promise<InvoiceAggregates> {
  const [r] = await queryRows<Record<string, bigint | number | null>>(connection, INVOICE_AGGREGATES_SQL(g, endDay, deduped));
  const n = (k: string) => Number(r[k] ?? 0);
  const pct = (a: number, b: number) => (b > 0 ? round((100 * a) / b, 4) : null);
  const metrics = {
    missing_pct: pct(n('missing_periods'), n('expected_periods')),
    on_time_pct: pct(n('on_time'), n('invoices')),
    dup_key_pct: pct(n('keyed_rows') - n('distinct_keys'), n('keyed_rows')),
    p95_payment_lag_min: r.p95_payment_lag_min == null ? null : round(Number(r.p95_payment_lag_min), 2),
  };
  const slos = config.report.invoice_aggregates.slos;
  const checks = (Object.keys(metrics) as Array<keyof typeof metrics>).map((m) => check(m, metrics[m], slos[m]));
  return {
    metrics,
    counts: {
      expected_periods: n('expected_periods'),
      missing_periods: n('missing_periods'),
      invoices: n('invoices'),
      on_time: n('on_time'),
      keyed_rows: n('keyed_rows'),
      distinct_keys: n('distinct_keys'),
    },
    checks,
    passed: checks.every((c) => c.passed),
  };
}

/** Share of the fact's money rows (each key once) whose local hour of `time` is in [start_hour, end_hour). */
export const EVENING_WINDOW_SQL = (g: EveningSpec, w: ReportWindow, startHour: number, endHour: number) => `
WITH p AS (
  SELECT _day AS day, local_hour(${sqlIdent(g.time)}) AS h
  FROM ${sqlIdent(`cap_${g.table}`)}
  WHERE ${sqlIdent(g.time)} IS NOT NULL AND _day BETWEEN DATE ${sqlString(w.start)} AND DATE ${sqlString(w.end)}
)
SELECT day, count(*) AS n, count(*) FILTER (WHERE h >= ${startHour} AND h < ${endHour}) AS evening
FROM p GROUP BY GROUPING SETS ((day), ()) ORDER BY day NULLS LAST`;

export interface EveningWindow {
  start_hour: number;
  end_hour: number;
  daily_share_pct: Array<{ day: string; payments: number; share_pct: number; passed: boolean }>;
  overall_share_pct: number | null;
  days_pct: number | null;
  checks: GuardrailCheck[];
  passed: boolean;
}

export async function computeEveningWindow(connection: DuckDBConnection, g: EveningSpec, w: ReportWindow, config: Config): Promise<EveningWindow> {
  const ew = config.report.marketplace.evening_window;
  const rows = await queryRows<{ day: unknown; n: bigint; evening: bigint }>(connection, EVENING_WINDOW_SQL(g, w, ew.start_hour, ew.end_hour));
  const daily = rows
    .filter((r) => r.day != null && Number(r.n) > 0)
    .map((r) => {
      const share = round((100 * Number(r.evening)) / Number(r.n), 4);
      return { day: isoDay(r.day), payments: Number(r.n), share_pct: share, passed: share >= ew.min_share_pct };
    });
  const total = rows.find((r) => r.day == null);
  const overall = total && Number(total.n) > 0 ? round((100 * Number(total.evening)) / Number(total.n), 4) : null;
  const daysPct = daily.length ? round((100 * daily.filter((d) => d.passed).length) / daily.length, 4) : null;
  const checks = [check('overall_share_pct', overall, { min: ew.min_share_pct }), check('days_pct', daysPct, { min: ew.min_days_pct })];
  return { start_hour: ew.start_hour, end_hour: ew.end_hour, daily_share_pct: daily, overall_share_pct: overall, days_pct: daysPct, checks, passed: checks.every((c) => c.passed) };
}

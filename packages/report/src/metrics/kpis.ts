import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, errorMessage, queryRows, sqlIdent } from '@dnr/core';
import { expandSql, type Contract, type SqlPlaceholders, type UsdRates } from '@dnr/contract';
import { round } from './health.js';
import { addDays, type ReportWindow } from './window.js';

/**
 * KPIs are the contract's: each a scalar query over the warehouse views (`dd_{fact}` counts each business
 * key once, at its earliest loaded_at; `cap_{fact}` keeps only the rows that count as money), or a formula
 * over the KPIs listed before it. All of them run as one DuckDB query; JS only rounds.
 */
export function kpiSql(contract: Contract, p: SqlPlaceholders): string {
  const base = contract.kpis.filter((k) => k.sql !== undefined);
  let sql = `SELECT ${base.length ? base.map((k) => `(${expandSql(k.sql as string, p)}) AS ${sqlIdent(k.name)}`).join(',\n  ') : '1 AS __none'}`;
  for (const k of contract.kpis) if (k.formula !== undefined) sql = `SELECT *, (${expandSql(k.formula, p)}) AS ${sqlIdent(k.name)} FROM (${sql})`;
  return sql;
}

export interface MonthlyRevenue {
  month: string;
  revenue_usd: number;
  gmv_usd: number | null;
  /** Neobank split. */
  interchange_usd: number | null;
  subscription_usd: number | null;
  /** Local days of the month with captured/approved activity (partial edge months have few). */
  days_with_data: number;
}

export interface KpiResult {
  values: Record<string, number | null>;
  monthly: MonthlyRevenue[];
  /** Trailing 3-month median monthly revenue (RevenueImpact denominator) and the months used. */
  revenue_norm: { months: string[]; median_monthly_revenue_usd: number };
}


const num = (v: unknown): number | null => (v == null ? null : Number(v));

/** A contract query that does not run is bad input naming the contract file and key (the warehouse lacks what it reads). */
async function contractQuery<T>(connection: DuckDBConnection, what: string, sql: string): Promise<T[]> {
  try {
    return await queryRows<T>(connection, sql);
  } catch (error: unknown) {
    throw new InputError(`contract ${what} does not run on this warehouse: ${errorMessage(error).split('\n')[0]}`, {
      suggestion: 'Fix the SQL in the contract (docs/contract.md lists the tables and views it can read).',
      cause: error,
    });
  }
}

/**
 * The KPIs of one window. `source` names the contract in messages (its file, or `built-in:{name}`). Errors:
 * InputError (exit 2) naming the contract, the first KPI whose SQL or formula does not run, and DuckDB's message;
 * or `monthly_revenue` and the required output column it lacks. Money converts to USD with `usd` (the
 * warehouse's dated rate table when it has one, else the configured rates).
 */
export async function computeKpis(connection: DuckDBConnection, contract: Contract, w: ReportWindow, usd: UsdRates, source: string = contract.name): Promise<KpiResult> {
  const p: SqlPlaceholders = { start: w.start, end: w.end, last30_start: addDays(w.end, -29), ...usd };
  let r: Record<string, unknown>;
  try {
    [r] = await queryRows<Record<string, unknown>>(connection, kpiSql(contract, p));
  } catch (error: unknown) {
    throw await failingKpi(connection, contract, p, source, error);
  }
  const values: Record<string, number | null> = {};
  for (const k of contract.kpis) {
    const v = num(r[k.name]);
    values[k.name] = v == null || k.round === undefined ? v : round(v, k.round);
  }
  const monthly = contract.monthly_revenue ? await monthlyRevenue(connection, source, expandSql(contract.monthly_revenue.sql, usd)) : [];
  return { values, monthly, revenue_norm: revenueNorm(monthly, w.end) };
}

/** The first KPI (in contract order) whose query fails when the KPIs up to it run, as an InputError. */
async function failingKpi(connection: DuckDBConnection, contract: Contract, p: SqlPlaceholders, source: string, error: unknown): Promise<InputError> {
  let name: string | undefined;
  for (let i = 0; i < contract.kpis.length && name === undefined; i++) {
    const head = { ...contract, kpis: contract.kpis.slice(0, i + 1) };
    try {
      await queryRows(connection, `SELECT * FROM (${kpiSql(head, p)}) LIMIT 0`);
    } catch (e: unknown) {
      name = contract.kpis[i].name;
      error = e;
    }
  }
  const what = name === undefined ? 'kpis' : `kpis: ${name} (the ${contract.kpis.find((k) => k.name === name)?.sql === undefined ? 'formula' : 'sql'})`;
  return new InputError(`contract ${source}: ${what} does not run on this warehouse: ${errorMessage(error).split('\n')[0]}`, {
    suggestion: 'Fix the KPI in the contract (a formula may name only KPIs listed before it; docs/contract.md lists the tables and views SQL can read).',
    cause: error,
  });
}

/** Output columns the monthly_revenue query must return. */
const MONTHLY_REQUIRED = ['month', 'revenue_usd', 'days'] as const;

/**
 * The contract's monthly revenue query, mapped to MonthlyRevenue (absent optional columns are null). Errors:
 * InputError naming the contract and each required column (month, revenue_usd, days) the query does not return.
 */
async function monthlyRevenue(connection: DuckDBConnection, source: string, sql: string): Promise<MonthlyRevenue[]> {
  const cols = await contractQuery<{ column_name: string }>(connection, `${source}: monthly_revenue.sql`, `SELECT column_name FROM (DESCRIBE (${sql}))`);
  const have = new Set(cols.map((c) => c.column_name));
  const missing = MONTHLY_REQUIRED.filter((c) => !have.has(c));
  if (missing.length) {
    throw new InputError(`contract ${source}: monthly_revenue.sql returns no column ${missing.join(', ')} (it returns ${[...have].join(', ') || 'nothing'}).`, {
      suggestion: `Name the outputs month (YYYY-MM), revenue_usd and days, e.g. SELECT strftime(_day, '%Y-%m') AS month, sum(amount) AS revenue_usd, count(DISTINCT _day) AS days … (docs/contract.md).`,
    });
  }
  const rows = await contractQuery<Record<string, unknown>>(connection, `${source}: monthly_revenue.sql`, sql);
  const opt = (v: unknown) => (v == null ? null : round(Number(v), 2));
  return rows.map((m) => ({
    month: String(m.month),
    revenue_usd: round(Number(m.revenue_usd ?? 0), 2),
    gmv_usd: opt(m.gmv_usd),
    interchange_usd: opt(m.interchange_usd),
    subscription_usd: opt(m.subscription_usd),
    days_with_data: Number(m.days ?? 0),
  }));
}

/** Median of the three latest complete local months ending at or before the window end. */
export function revenueNorm(monthly: MonthlyRevenue[], windowEnd: string): KpiResult['revenue_norm'] {
  const endMonth = windowEnd.slice(0, 7);
  const monthComplete = addDays(windowEnd, 1).slice(0, 7) !== endMonth;
  const eligible = monthly.filter((m) => (monthComplete ? m.month <= endMonth : m.month < endMonth));
  const last = eligible.slice(-3);
  const sorted = last.map((m) => m.revenue_usd).sort((a, b) => a - b);
  const median = sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { months: last.map((m) => m.month), median_monthly_revenue_usd: round(median, 2) };
}

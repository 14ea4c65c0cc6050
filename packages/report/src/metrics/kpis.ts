import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, errorMessage, queryRows, sqlIdent } from '@dnr/core';
import { expandSql, type Contract, type SqlPlaceholders } from '@dnr/contract';
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

/** A contract query that does not run is bad input naming the contract key (the warehouse lacks what it reads). */
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

export async function computeKpis(connection: DuckDBConnection, contract: Contract, w: ReportWindow, rates: Record<string, number>): Promise<KpiResult> {
  const p: SqlPlaceholders = { start: w.start, end: w.end, last30_start: addDays(w.end, -29), rates };
  const [r] = await contractQuery<Record<string, unknown>>(connection, `kpis of ${contract.name}`, kpiSql(contract, p));
  const values: Record<string, number | null> = {};
  for (const k of contract.kpis) {
    const v = num(r[k.name]);
    values[k.name] = v == null || k.round === undefined ? v : round(v, k.round);
  }
  const monthly = contract.monthly_revenue ? await monthlyRevenue(connection, contract, expandSql(contract.monthly_revenue.sql, { rates })) : [];
  return { values, monthly, revenue_norm: revenueNorm(monthly, w.end) };
}

/** The contract's monthly revenue query, mapped to MonthlyRevenue (absent optional columns are null). */
async function monthlyRevenue(connection: DuckDBConnection, contract: Contract, sql: string): Promise<MonthlyRevenue[]> {
  const rows = await contractQuery<Record<string, unknown>>(connection, `monthly_revenue of ${contract.name}`, sql);
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

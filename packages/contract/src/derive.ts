import { sqlString } from '@dnr/core';
import type { Contract, EventTimeSpec, ForeignKeySpec, TableSpec } from './schema.js';

/** A column and its DuckDB type, as the contract lists it. */
export interface ColumnSpec {
  name: string;
  type: string;
}

/** A fact table of a contract with its defaults filled in (what the report measures). */
export interface FactSpec {
  name: string;
  key: string[];
  foreignKeys: ForeignKeySpec[];
  eventTime: EventTimeSpec;
  loadedAt: string;
  /** SQL filter of the rows that count as money ('true' when the contract gives none). */
  captured: string;
  /** SQL expression of the USD revenue a row carries ('0' when the contract gives none). */
  revenueUsd: string;
  /** Columns whose NULL leaves the revenue unknown. */
  revenueColumns: string[];
  nullableByDesign: string[];
}

/** The listed columns of a table, in contract order (empty when the contract leaves them to the data). */
export function tableColumns(table: TableSpec): ColumnSpec[] {
  return Object.entries(table.columns ?? {}).map(([name, type]) => ({ name, type }));
}

/** Fact tables in contract order. */
export function factTables(contract: Contract): FactSpec[] {
  return Object.entries(contract.tables)
    .filter(([, t]) => t.role === 'fact')
    .map(([name, t]) => ({
      name,
      key: t.key ?? [],
      foreignKeys: t.foreign_keys,
      // Facts are refined to carry these (schema superRefine).
      eventTime: t.event_time as EventTimeSpec,
      loadedAt: t.loaded_at as string,
      captured: t.captured ?? 'true',
      revenueUsd: t.revenue_usd ?? '0',
      revenueColumns: t.revenue_columns,
      nullableByDesign: t.nullable_by_design,
    }));
}

/** The fact table named `name`, or undefined. */
export function factTable(contract: Contract, name: string): FactSpec | undefined {
  return factTables(contract).find((f) => f.name === name);
}

/** The columns of the table itself that an event time reads (empty when it lives in another table). */
export function eventTimeColumns(e: EventTimeSpec): string[] {
  if (typeof e === 'string') return [e];
  return 'sql' in e ? e.columns : [];
}

/** Every column of `table` that the contract's keys, FKs and times name (the minimum a warehouse must hold). */
export function referencedColumns(contract: Contract, name: string): string[] {
  const t = contract.tables[name];
  const cols = new Set<string>([...Object.keys(t.columns ?? {}), ...(t.key ?? []), ...t.foreign_keys.map((f) => f.column), ...t.nullable_by_design, ...t.revenue_columns]);
  if (t.loaded_at) cols.add(t.loaded_at);
  if (t.event_time) for (const c of eventTimeColumns(t.event_time)) cols.add(c);
  for (const [other, o] of Object.entries(contract.tables)) {
    for (const fk of o.foreign_keys) {
      if (fk.references !== name) continue;
      cols.add(fk.key);
      if (fk.valid_from) cols.add(fk.valid_from);
    }
    if (o.event_time && typeof o.event_time === 'object' && 'from' in o.event_time && o.event_time.from.table === name && other !== name) {
      cols.add(o.event_time.from.key);
      cols.add(o.event_time.from.column);
    }
  }
  for (const g of Object.values(contract.guardrails)) {
    if (!g || g.table !== name) continue;
    for (const [k, v] of Object.entries(g)) if (k !== 'table') cols.add(v);
  }
  return [...cols];
}

/**
 * A dated USD rate table read into memory (e.g. the warehouse's dim_fx_rate): per currency, the USD per unit of
 * each day from `start` on (index 0 = start; null for a day the table lacks). A few currencies × a few hundred
 * days: small enough to inline as SQL list literals, which DuckDB indexes per row far faster than a join.
 */
export interface FxRates {
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Currency code → rate per day from `start` (USD per unit; null = no rate that day). */
  byCurrency: Record<string, Array<number | null>>;
}

/** How {usd(…)} converts money: the configured rates, and the dated rates when the warehouse has a rate table. */
export interface UsdRates {
  /** Currency → USD rate (the fallback, and the only rate of {usd(expr)} without a date). */
  rates: Record<string, number>;
  /**
   * Dated rates that {usd(expr, day)} reads first: in memory ({@link FxRates}), or the name of a relation
   * (rate_date DATE, currency VARCHAR, usd_rate DOUBLE) for a table too large to inline (read by a subquery
   * per row: correct, much slower).
   */
  fx?: FxRates | string;
}

/** Window placeholders of KPI SQL: DATE literals, plus the rates of {usd(…)}. */
export interface SqlPlaceholders extends UsdRates {
  start?: string;
  end?: string;
  last30_start?: string;
}

/** Split `a, b` at its top-level comma (commas inside parentheses or quotes stay). */
function usdArgs(args: string): string[] {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < args.length; i++) {
    const ch = args[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && ch === ',') return [args.slice(0, i).trim(), args.slice(i + 1).trim()];
  }
  return [args.trim()];
}

/**
 * SQL of the USD rate of currency `cur` (on day `day` when given): the configured rate as a CASE (1.0 for
 * unknown currencies); with a date and dated rates, that currency's rate of the day (a list literal indexed
 * by the day's offset from the table's first day), else — a currency or a day the table lacks — the
 * configured one.
 */
function usdSql(cur: string, day: string | undefined, p: UsdRates): string {
  const cases = Object.entries(p.rates).map(([c, r]) => `WHEN ${cur} = ${sqlString(c)} THEN ${r}`);
  const fixed = cases.length ? `CASE ${cases.join(' ')} ELSE 1.0 END` : '1.0';
  if (day === undefined || !p.fx) return fixed;
  if (typeof p.fx === 'string') {
    // renamed columns, so that `cur` and `day` keep naming the outer query's columns (e.g. a fact's own `currency`)
    const fx = `(SELECT rate_date AS __fx_day, currency AS __fx_cur, usd_rate AS __fx_rate FROM ${p.fx})`;
    return `coalesce((SELECT max(__fx_rate) FROM ${fx} WHERE __fx_cur = ${cur} AND __fx_day = CAST(${day} AS DATE)), ${fixed})`;
  }
  const dated = Object.entries(p.fx.byCurrency);
  if (!dated.length) return fixed;
  // index 1 = the first day; an index ≤ 0 (clamped to 0) or past the end reads NULL, so the configured rate applies
  const index = `greatest(date_diff('day', DATE ${sqlString(p.fx.start)}, CAST(${day} AS DATE)) + 1, 0)`;
  const lists = dated.map(([c, days]) => `WHEN ${cur} = ${sqlString(c)} THEN list_extract([${days.map((v) => (v === null ? 'NULL' : String(v))).join(', ')}]::DOUBLE[], ${index})`);
  return `coalesce(CASE ${lists.join(' ')} END, ${fixed})`;
}

/**
 * Expand the placeholders of a contract SQL fragment: {start} {end} {last30_start} become DATE literals;
 * {usd(cur)} the configured USD rate of the currency code in `cur` (1.0 for unknown codes); {usd(cur, day)}
 * the rate of that currency on that day from the dated rate table when there is one (else, or on a day it
 * lacks, the configured rate).
 * Throws Error on a placeholder the caller did not provide (the contract loader reports it with its key).
 */
export function expandSql(sql: string, p: SqlPlaceholders): string {
  return sql.replace(/\{(start|end|last30_start|usd\(([^{}]+)\))\}/g, (whole: string, name: string, expr: string | undefined) => {
    if (expr !== undefined) {
      const [cur, day] = usdArgs(expr);
      return usdSql(cur, day, p);
    }
    const v = p[name as 'start' | 'end' | 'last30_start'];
    if (v === undefined) throw new Error(`placeholder ${whole} is not available here`);
    return `DATE ${sqlString(v)}`;
  });
}

/** Column names of each required table (the tables a report needs), in contract order. */
export function requiredColumns(contract: Contract): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(contract.tables)
      .filter(([, t]) => t.required)
      .map(([name, t]) => [name, Object.keys(t.columns ?? {})]),
  );
}

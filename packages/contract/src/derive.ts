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

/** Window placeholders of KPI SQL: DATE literals. */
export interface SqlPlaceholders {
  start?: string;
  end?: string;
  last30_start?: string;
  /** Currency → USD rate for {usd(expr)}. */
  rates: Record<string, number>;
}

/**
 * Expand the placeholders of a contract SQL fragment: {start} {end} {last30_start} become DATE literals,
 * {usd(expr)} a CASE giving the USD rate of the currency in expr (1.0 for unknown currencies).
 * Throws Error on a placeholder the caller did not provide (the contract loader reports it with its key).
 */
export function expandSql(sql: string, p: SqlPlaceholders): string {
  return sql.replace(/\{(start|end|last30_start|usd\(([^{}]+)\))\}/g, (whole: string, name: string, expr: string | undefined) => {
    if (expr !== undefined) {
      const cases = Object.entries(p.rates).map(([c, r]) => `WHEN ${expr} = ${sqlString(c)} THEN ${r}`);
      return cases.length ? `CASE ${cases.join(' ')} ELSE 1.0 END` : '1.0';
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

import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlIdent } from '@dnr/core';
import type { FactSpec } from '@dnr/contract';

export interface ReportWindow {
  /** First local day, inclusive (YYYY-MM-DD). */
  start: string;
  /** Last local day, inclusive. */
  end: string;
  days: number;
  tz: string;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Turn a DuckDB DATE/TIMESTAMP value (JS Date at UTC midnight, or string) into YYYY-MM-DD. */
export function isoDay(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/**
 * The report window ends on the warehouse's last local day (manifest end_date, else the latest
 * event day found) so a report never depends on today's date.
 */
export async function resolveWindow(connection: DuckDBConnection, facts: FactSpec[], days: number, tz: string, endDate?: string): Promise<ReportWindow> {
  let end = endDate;
  if (!end) {
    const parts = facts.map((t) => `SELECT max(_day) AS d FROM ${sqlIdent(`ev_${t.name}`)}`).join(' UNION ALL ');
    const rows = parts ? await queryRows<{ d: unknown }>(connection, `SELECT max(d) AS d FROM (${parts})`) : [];
    if (rows[0]?.d == null) end = '1970-01-01';
    else end = isoDay(rows[0].d);
  }
  return { start: addDays(end, -(days - 1)), end, days, tz };
}

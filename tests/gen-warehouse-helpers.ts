import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlString } from '../packages/core/src/index.js';
import { builtinContract, factTables } from '../packages/contract/src/index.js';
import { warehouseTableGlob } from '../packages/generate/src/index.js';

type Archetype = 'neobank' | 'marketplace';

export const rel = (dir: string, table: string) => `read_parquet(${sqlString(warehouseTableGlob(dir, table))})`;

export async function one<T = Record<string, number>>(conn: DuckDBConnection, sql: string): Promise<T> {
  const [row] = await queryRows<Record<string, unknown>>(conn, sql);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as T;
}

export interface FkMeasure {
  table: string;
  column: string;
  rows: number;
  nullPct: number;
  missingPct: number;
  temporalPct: number;
  failPct: number;
}

/** Key nulls and FK failures per injected FK column, measured independently over the Parquet (the built-in contract drives which). */
export async function measureFks(conn: DuckDBConnection, dir: string, archetype: Archetype): Promise<FkMeasure[]> {
  const out: FkMeasure[] = [];
  for (const fact of factTables(builtinContract(archetype))) {
    for (const fk of fact.foreignKeys) {
      const e = fact.eventTime;
      // Paid invoices: their payment time (unpaid ones have no FK time to compare).
      const time =
        typeof e === 'string' ? `f.${e}` : 'from' in e ? `(SELECT min(${e.from.column}) FROM ${rel(dir, e.from.table)} x WHERE x.${e.from.key} = f.${e.from.key})` : `f.${e.columns[0]}`;
      const temporal = fk.valid_from ? `d.${fk.key} IS NOT NULL AND d.${fk.valid_from} > ${time}` : 'false';
      const m = await one<{ n: number; nul: number; miss: number; temp: number }>(
        conn,
        `SELECT count(*) AS n, count(*) FILTER (f.${fk.column} IS NULL) AS nul,
           count(*) FILTER (f.${fk.column} IS NOT NULL AND d.${fk.key} IS NULL) AS miss,
           count(*) FILTER (f.${fk.column} IS NOT NULL AND ${temporal}) AS temp
         FROM ${rel(dir, fact.name)} f LEFT JOIN ${rel(dir, fk.references)} d ON d.${fk.key} = f.${fk.column}`,
      );
      const nonNull = m.n - m.nul;
      out.push({
        table: fact.name,
        column: fk.column,
        rows: m.n,
        nullPct: (100 * m.nul) / m.n,
        missingPct: (100 * m.miss) / nonNull,
        temporalPct: (100 * m.temp) / nonNull,
        failPct: (100 * (m.miss + m.temp)) / nonNull,
      });
    }
  }
  return out;
}

/** Duplicate business keys, % of rows, per fact table. */
export async function measureDuplicates(conn: DuckDBConnection, dir: string, archetype: Archetype): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const fact of factTables(builtinContract(archetype))) {
    const key = fact.key.join(', ');
    const m = await one<{ n: number; k: number }>(conn, `SELECT count(*) AS n, (SELECT count(*) FROM (SELECT DISTINCT ${key} FROM ${rel(dir, fact.name)})) AS k FROM ${rel(dir, fact.name)}`);
    out[fact.name] = (100 * (m.n - m.k)) / m.n;
  }
  return out;
}

/** Share of rows by ingest lag band (loaded_at − event time), first copy of each key only. */
export async function measureLag(
  conn: DuckDBConnection,
  dir: string,
  table: string,
  timeColumn: string,
): Promise<{ usual: number; late: number; min: number; atMin: number; atOldCap: number; nearOldCap: number; p50: number; p90: number; afterBoundary: number }> {
  return one(
    conn,
    `SELECT avg((lag BETWEEN 0.5 AND 180)::INT) * 100 AS usual, avg((lag >= 240)::INT) * 100 AS late, min(lag) AS min,
       count(*) FILTER (lag = (SELECT min(date_diff('second', ${timeColumn}, loaded_at) / 60.0) FROM ${rel(dir, table)})) AS "atMin",
       count(*) FILTER (lag = 180) AS "atOldCap", count(*) FILTER (lag BETWEEN 170 AND 190) AS "nearOldCap",
       median(lag) FILTER (lag < 240) AS p50, quantile_cont(lag, 0.9) FILTER (lag < 240) AS p90,
       avg((minute(loaded_at) % 15 < 5)::INT) FILTER (lag < 240) * 100 AS "afterBoundary"
     FROM (SELECT loaded_at, date_diff('second', ${timeColumn}, loaded_at) / 60.0 AS lag FROM ${rel(dir, table)} WHERE ${timeColumn} IS NOT NULL)`,
  );
}

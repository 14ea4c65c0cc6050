import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { InputError, queryRows, sqlIdent, sqlString, withDuckDB, type Archetype } from '@dnr/core';
import { WAREHOUSE_TABLES } from './warehouse-dictionary.js';

export interface SqlCheckResult {
  total: number;
  ok: number;
  rate: number;
  /** The first few failures: query id and DuckDB's message. */
  failures: { id: string; error: string }[];
  /** Rows returned in total (execute only). */
  rows?: number;
}

function createEmptyTables(archetype: Archetype): string {
  return Object.entries(WAREHOUSE_TABLES[archetype])
    .map(([t, cols]) => `CREATE TABLE ${sqlIdent(t)} (${Object.entries(cols).map(([c, ty]) => `${sqlIdent(c)} ${ty}`).join(', ')});`)
    .join('\n');
}

/**
 * Parse and bind every statement with DuckDB (`EXPLAIN` against empty tables created from the docs/warehouse.md
 * schemas): catches syntax errors and unknown tables/columns without needing a warehouse.
 */
export async function parseNlqSql(archetype: Archetype, items: { id: string; sql: string }[]): Promise<SqlCheckResult> {
  return withDuckDB({ timeZone: 'UTC', threads: 1 }, async (conn) => {
    await conn.run(createEmptyTables(archetype));
    let ok = 0;
    const failures: { id: string; error: string }[] = [];
    for (const { id, sql } of items) {
      try {
        await conn.run(`EXPLAIN ${sql}`);
        ok++;
      } catch (error: unknown) {
        if (failures.length < 5) failures.push({ id, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
      }
    }
    return { total: items.length, ok, rate: items.length ? ok / items.length : 1, failures };
  });
}

/** The Parquet relation of a warehouse table: one file or a folder of part files. */
function tableRelation(dir: string, table: string): string | undefined {
  const file = path.join(dir, 'parquet', `${table}.parquet`);
  if (existsSync(file)) return `read_parquet(${sqlString(file)})`;
  const folder = path.join(dir, 'parquet', table);
  if (existsSync(folder) && readdirSync(folder).some((f) => f.endsWith('.parquet'))) return `read_parquet(${sqlString(path.join(folder, '*.parquet'))})`;
  return undefined;
}

/** Run every statement on the synthetic warehouse (views over its Parquet); InputError when a table is missing. */
export async function executeNlqSql(archetype: Archetype, warehouseDir: string, tz: string, items: { id: string; sql: string }[]): Promise<SqlCheckResult> {
  if (!existsSync(warehouseDir)) {
    throw new InputError(`--warehouse ${warehouseDir} does not exist: --nlq-execute runs the NLQ SQL on the synthetic warehouse.`, {
      suggestion: `Run \`dnr gen-warehouse --archetype ${archetype}\` first or pass --warehouse DIR.`,
    });
  }
  const views: string[] = [];
  for (const table of Object.keys(WAREHOUSE_TABLES[archetype])) {
    const rel = tableRelation(warehouseDir, table);
    if (!rel) throw new InputError(`Warehouse ${warehouseDir} has no table ${table} (expected parquet/${table}.parquet or parquet/${table}/*.parquet).`);
    views.push(`CREATE VIEW ${sqlIdent(table)} AS SELECT * FROM ${rel};`);
  }
  return withDuckDB({ timeZone: tz }, async (conn) => {
    await conn.run(views.join('\n'));
    let ok = 0;
    let rows = 0;
    const failures: { id: string; error: string }[] = [];
    for (const { id, sql } of items) {
      try {
        const r = await queryRows<{ n: bigint }>(conn, `SELECT count(*) AS n FROM (${sql}) AS q`);
        rows += Number(r[0].n);
        ok++;
      } catch (error: unknown) {
        if (failures.length < 5) failures.push({ id, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
      }
    }
    return { total: items.length, ok, rate: items.length ? ok / items.length : 1, failures, rows };
  });
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, isDnrError, errorMessage, queryRows, readParquetAs, sqlIdent, sqlString, type Archetype } from '@dnr/core';
import { WAREHOUSE_SCHEMAS } from '@dnr/generate';
import { FACT_TABLES, REQUIRED_COLUMNS } from '../tables.js';

export interface WarehouseManifestInfo {
  archetype?: Archetype;
  tz?: string;
  end_date?: string;
  scale?: string;
  quality?: string;
  seed?: number;
  tables?: Record<string, { rows?: number; checksum?: string }>;
}

export interface LoadedWarehouse {
  dir: string;
  archetype: Archetype;
  manifest: WarehouseManifestInfo;
  /** Parquet files per table. */
  files: Record<string, string[]>;
  tz: string;
}

/** `DIR/parquet/{table}.parquet` or `DIR/parquet/{table}/*.parquet` (docs/outputs.md). */
export function tableFiles(dir: string, table: string): string[] {
  const single = path.join(dir, 'parquet', `${table}.parquet`);
  if (existsSync(single) && statSync(single).isFile()) return [single];
  const folder = path.join(dir, 'parquet', table);
  if (existsSync(folder) && statSync(folder).isDirectory()) {
    return readdirSync(folder)
      .filter((f) => f.endsWith('.parquet'))
      .sort()
      .map((f) => path.join(folder, f));
  }
  return [];
}

export function readWarehouseManifest(dir: string): WarehouseManifestInfo {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WarehouseManifestInfo;
  } catch (error: unknown) {
    throw new InputError(`${file} is not valid JSON (${errorMessage(error)}).`, { suggestion: 'Regenerate the warehouse with dnr gen-warehouse.' });
  }
}

/** Decide the archetype: from the manifest, else from which fact tables exist. */
export function detectArchetype(dir: string, manifest: WarehouseManifestInfo): Archetype {
  if (manifest.archetype === 'neobank' || manifest.archetype === 'marketplace') return manifest.archetype;
  if (tableFiles(dir, 'fact_card_transaction').length) return 'neobank';
  if (tableFiles(dir, 'fact_order').length) return 'marketplace';
  throw new InputError(`--warehouse ${dir} holds no warehouse: neither manifest.json nor parquet/fact_card_transaction or parquet/fact_order was found.`, {
    suggestion: 'Generate one with `dnr gen-warehouse --archetype neobank --out ' + dir + '`.',
  });
}

/**
 * Find every table the report needs, check its columns, and create one view per table plus
 * `ev_{fact}` views carrying `_ts` (UTC event time), `_day` (local day) and `_rev` (USD revenue).
 * `_copy` numbers the rows of one business key by loaded_at (1 = first load).
 * Every failure names the file, table or column (docs/exit-codes.md).
 */
export async function attachWarehouse(connection: DuckDBConnection, dir: string, defaultTz: string): Promise<LoadedWarehouse> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`--warehouse ${dir} does not exist or is not a folder.`, { suggestion: 'Run dnr gen-warehouse first or pass the right --warehouse.' });
  }
  const manifest = readWarehouseManifest(dir);
  const archetype = detectArchetype(dir, manifest);
  // The warehouse's own business time zone wins over the config default.
  const tz = manifest.tz ?? defaultTz;
  const files: Record<string, string[]> = {};
  for (const [table, columns] of Object.entries(REQUIRED_COLUMNS[archetype])) {
    const found = tableFiles(dir, table);
    if (!found.length) {
      throw new InputError(`warehouse ${dir} (${archetype}) is missing table ${table}: expected ${path.join(dir, 'parquet', `${table}.parquet`)} or ${path.join(dir, 'parquet', table, '*.parquet')}.`, {
        suggestion: 'Regenerate the warehouse with dnr gen-warehouse.',
      });
    }
    files[table] = found;
    const expected = Object.fromEntries(WAREHOUSE_SCHEMAS[archetype][table].map((c) => [c.name, c.type]));
    let relation: string;
    try {
      // Foreign writers' types (TIMESTAMPTZ, ns timestamps, BLOB text…) become the generator's, or exit 2.
      const read = await readParquetAs(connection, { label: `table ${table}`, files: found, columns: expected });
      relation = read.sql;
      const missing = columns.filter((c) => !read.found.has(c));
      if (missing.length) {
        throw new InputError(`table ${table} (${found[0]}) is missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; expected ${columns.join(', ')}.`, {
          suggestion: 'Regenerate the warehouse with the current dnr gen-warehouse.',
        });
      }
      // Touch the data too: a truncated file can have a readable footer-less header.
      await queryRows(connection, `SELECT count(*) FROM read_parquet([${found.map(sqlString).join(', ')}])`);
    } catch (error: unknown) {
      if (isDnrError(error)) throw error;
      throw new InputError(`cannot read table ${table} from ${found.join(', ')}: ${errorMessage(error).split('\n')[0]}`, {
        suggestion: 'The Parquet file is missing or corrupt; regenerate the warehouse.',
        cause: error,
      });
    }
    await connection.run(`CREATE OR REPLACE VIEW ${sqlIdent(table)} AS SELECT * FROM ${relation}`);
  }
  await defineTimeMacros(connection, tz);
  await createOffsetTable(connection, archetype, tz);
  // Materialised once: the time-zone conversion and the per-key copy number are the costly parts,
  // and every metric family reads them.
  for (const fact of FACT_TABLES[archetype]) {
    await materialise(connection, files, fact.name, `CREATE OR REPLACE TEMP TABLE ${sqlIdent(`ev_${fact.name}`)} AS
      WITH base AS (
        SELECT f.*, ${fact.eventTs} AS _ts, ${fact.revenueUsd} AS _rev,
               row_number() OVER (PARTITION BY ${fact.key.map((k) => `f.${sqlIdent(k)}`).join(', ')} ORDER BY f.loaded_at, ${fact.eventTs}) AS _copy
        FROM ${sqlIdent(fact.name)} f ${fact.eventJoin ?? ''}
      )
      SELECT b.*, CASE WHEN z.off IS NULL THEN local_day(b._ts) ELSE CAST(b._ts + z.off AS DATE) END AS _day
      FROM base b LEFT JOIN tz_offsets z ON z.bucket = time_bucket(INTERVAL 15 MINUTE, b._ts)`);
  }
  return { dir, archetype, manifest, files, tz };
}

/** Local-time helpers over naive UTC timestamps, DST-correct through ICU. */
export async function defineTimeMacros(connection: DuckDBConnection, tz: string): Promise<void> {
  const z = sqlString(tz);
  await connection.run(`CREATE OR REPLACE MACRO local_ts(ts) AS timezone(${z}, timezone('UTC', ts))`);
  await connection.run(`CREATE OR REPLACE MACRO local_day(ts) AS CAST(local_ts(ts) AS DATE)`);
  await connection.run(`CREATE OR REPLACE MACRO local_hour(ts) AS hour(local_ts(ts))`);
  await connection.run(`CREATE OR REPLACE MACRO utc_of_local_midnight(d) AS timezone('UTC', timezone(${z}, CAST(d AS TIMESTAMP)))`);
}

/**
 * UTC→local offsets per 15-minute UTC bucket over the warehouse's time span, from ICU once.
 * Looking a row's offset up is ~6× cheaper than an ICU conversion per row and exactly as
 * DST-correct: real zone transitions fall on 15-minute boundaries. Rows outside the span fall back to ICU.
 */
async function createOffsetTable(connection: DuckDBConnection, archetype: Archetype, tz: string): Promise<void> {
  const bounds = FACT_TABLES[archetype].flatMap((t) => t.timeColumns.map((c) => `SELECT min(${sqlIdent(c)})::TIMESTAMP AS lo, max(${sqlIdent(c)})::TIMESTAMP AS hi FROM ${sqlIdent(t.name)}`));
  const [r] = await queryRows<{ lo: Date | null; hi: Date | null }>(connection, `SELECT min(lo) AS lo, max(hi) AS hi FROM (${bounds.join(' UNION ALL ')})`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE tz_offsets (bucket TIMESTAMP, off INTERVAL)`);
  if (!r?.lo || !r.hi) return;
  await connection.run(`INSERT INTO tz_offsets
    SELECT b, CAST(timezone(${sqlString(tz)}, timezone('UTC', b)) AS TIMESTAMP) - b
    FROM range(date_trunc('day', TIMESTAMP '${r.lo.toISOString().slice(0, 19).replace('T', ' ')}') - INTERVAL 2 DAY,
               date_trunc('day', TIMESTAMP '${r.hi.toISOString().slice(0, 19).replace('T', ' ')}') + INTERVAL 3 DAY, INTERVAL 15 MINUTE) t(b)`);
}

/** Run a statement that scans a table's pages; a corrupt page is bad input naming the files, not a bug. */
async function materialise(connection: DuckDBConnection, files: Record<string, string[]>, table: string, sql: string): Promise<void> {
  try {
    await connection.run(sql);
  } catch (error: unknown) {
    const msg = errorMessage(error).split('\n')[0];
    const involved = Object.entries(files).filter(([t]) => msg.includes(t) || t === table);
    throw new InputError(`cannot read table ${table} (${involved.flatMap(([, f]) => f).join(', ')}): ${msg}`, {
      suggestion: 'A Parquet file is corrupt or truncated; regenerate the warehouse.',
      cause: error,
    });
  }
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage, InputError, isDnrError, queryRows, readParquetAs, resolveTruth, sqlIdent, sqlString, type Archetype } from '@dnr/core';
import { builtinContract, factTables } from '@dnr/contract';
import { ALL_SCHEMAS, BEHAVIOUR_TRUTH_FILES, readWarehouseManifest } from '@dnr/generate';
import { defineTimeMacros, tableFiles } from '@dnr/report';
import type { BehaviourSummary } from './truth.js';

/**
 * What every profile measurement reads: a DuckDB connection with one view per warehouse table that
 * exists (named as the table), the macro `local_ts(ts)` (UTC TIMESTAMP → wall-clock time in `tz`) and,
 * when the behaviour ground truth was found, the view `behaviour_entities` and its summary.
 * Both `dnr profile` (openWarehouse) and validate's behaviour gates provide one.
 */
export interface ProfileSource {
  archetype: Archetype;
  /** Business time zone of the warehouse. */
  tz: string;
  /** First and last local day of the fact window (YYYY-MM-DD, inclusive). */
  window: { start: string; end: string };
  /** Tables that have a view. */
  tables: Set<string>;
  q<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** A fact table with later copies of a business key removed (first load kept): a relation usable in FROM. */
  first(table: string): Promise<string>;
  /** The behaviour ground truth (behaviour.json); the `behaviour_entities` view exists exactly when it is set. */
  truth?: BehaviourSummary;
  /** Where the truth came from, for notes. */
  truthFile?: string;
}

/** `true` when every table exists in the source. */
export const hasTables = (src: ProfileSource, ...tables: string[]): boolean => tables.every((t) => src.tables.has(t));

/**
 * Open a warehouse folder written by `dnr gen-warehouse` (or Parquet in the same layout) for profiling:
 * views of every table found, local time macros, deduplicated facts and the behaviour truth when the
 * warehouse carries it. Errors are input errors naming `--warehouse` (exit 2).
 */
export async function openWarehouse(conn: DuckDBConnection, dir: string): Promise<ProfileSource> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`--warehouse ${dir} does not exist or is not a folder.`, { suggestion: 'Pass a folder written by `dnr gen-warehouse`.' });
  }
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new InputError(`--warehouse ${dir} holds no manifest.json: it is not a warehouse written by dnr gen-warehouse.`, { suggestion: 'Pass a folder written by `dnr gen-warehouse`.' });
  }
  const manifest = readManifestOrExit(dir);
  const archetype = manifest.archetype;
  const tables = new Set<string>();
  for (const [table, cols] of Object.entries(ALL_SCHEMAS[archetype])) {
    const files = tableFiles(dir, table);
    if (!files.length) continue;
    try {
      const read = await readParquetAs(conn, { label: `--warehouse ${dir}: table ${table}`, files, columns: Object.fromEntries(cols.map((c) => [c.name, c.type])) });
      await conn.run(`CREATE OR REPLACE VIEW ${sqlIdent(table)} AS SELECT * FROM ${read.sql}`);
    } catch (error: unknown) {
      if (isDnrError(error)) throw error;
      throw new InputError(`--warehouse ${dir}: cannot read table ${table} (${files[0]}): ${errorMessage(error).split('\n')[0]}`, { cause: error });
    }
    tables.add(table);
  }
  if (!tables.size) throw new InputError(`--warehouse ${dir} holds no Parquet tables under parquet/.`, { suggestion: 'Regenerate the warehouse with `dnr gen-warehouse`.' });
  await defineTimeMacros(conn, manifest.tz);
  const q = <T>(sql: string) => queryRows<T>(conn, sql);
  const src: ProfileSource = { archetype, tz: manifest.tz, window: { start: manifest.start_date, end: manifest.end_date }, tables, q, first: firstCopies(conn, archetype) };
  await attachBehaviourTruth(conn, src, dir);
  return src;
}

function readManifestOrExit(dir: string): ReturnType<typeof readWarehouseManifest> {
  try {
    return readWarehouseManifest(dir);
  } catch (error: unknown) {
    if (isDnrError(error)) throw error;
    throw new InputError(`--warehouse ${dir}: manifest.json is not a dnr warehouse manifest (${errorMessage(error).split('\n')[0]}).`, { cause: error });
  }
}

/** `first(table)`: a temp table per fact with one row per business key (the earliest loaded_at), made once. */
export function firstCopies(conn: DuckDBConnection, archetype: Archetype): (table: string) => Promise<string> {
  const made = new Map<string, Promise<string>>();
  return (table) => {
    let rel = made.get(table);
    if (!rel) {
      const keys = factTables(builtinContract(archetype)).find((f) => f.name === table)?.key;
      if (!keys) return Promise.resolve(sqlIdent(table));
      const name = `_first_${table}`;
      rel = conn
        .run(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(name)} AS SELECT * FROM ${sqlIdent(table)} QUALIFY row_number() OVER (PARTITION BY ${keys.map(sqlIdent).join(', ')} ORDER BY loaded_at) = 1`)
        .then(() => sqlIdent(name));
      made.set(table, rel);
    }
    return rel;
  };
}

/**
 * Find the behaviour truth the warehouse links (manifest.truth, sha256-checked) and, when present,
 * define the `behaviour_entities` view and set `src.truth`. Absent truth is not an error: the
 * declared-vs-observed columns are left out.
 */
export async function attachBehaviourTruth(conn: DuckDBConnection, src: ProfileSource, warehouseDir: string): Promise<void> {
  const summary = resolveTruth({ dataDir: warehouseDir, dataFlag: '--warehouse', name: 'behaviour', fileName: BEHAVIOUR_TRUTH_FILES.summary });
  const entities = resolveTruth({ dataDir: warehouseDir, dataFlag: '--warehouse', name: 'behaviour_entities', fileName: BEHAVIOUR_TRUTH_FILES.entities });
  if (!summary || !entities) return;
  let parsed: BehaviourSummary;
  try {
    parsed = JSON.parse(readFileSync(summary.file, 'utf8')) as BehaviourSummary;
  } catch (error: unknown) {
    throw new InputError(`--warehouse ${warehouseDir}: ${summary.file} is not readable JSON.`, { cause: error });
  }
  await conn.run(`CREATE OR REPLACE VIEW behaviour_entities AS SELECT * FROM read_parquet(${sqlString(entities.file)})`);
  src.truth = parsed;
  src.truthFile = summary.file;
}

/** The archetype a warehouse folder's manifest names (to derive a default output folder); exit 2 naming the folder otherwise. */
export function warehouseArchetype(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`--warehouse ${dir} does not exist or is not a folder.`, { suggestion: 'Pass a folder written by `dnr gen-warehouse`.' });
  }
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new InputError(`--warehouse ${dir} holds no manifest.json: it is not a warehouse written by dnr gen-warehouse.`, { suggestion: 'Pass a folder written by `dnr gen-warehouse`.' });
  }
  return readManifestOrExit(dir).archetype;
}

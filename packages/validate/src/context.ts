import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, errorMessage, queryRows, sqlIdent, sqlString, type Config } from '@dnr/core';
import { ALL_SCHEMAS, FACT_KEYS } from '@dnr/generate';
import { readDefects, readManifest, type DefectsManifest } from './manifest.js';
import type { CommsInput, ValidateContext } from './types.js';

export const COMMS_FILES = ['slack_messages', 'email_messages', 'comms_users', 'nlq'] as const;
export const LABEL_FILES = ['labels_slack', 'labels_email', 'labels_nlq'] as const;

/** `DIR/parquet/{table}.parquet`, or the part files of `DIR/parquet/{table}/`. */
export function tableSource(warehouseDir: string, table: string): string | undefined {
  const single = path.join(warehouseDir, 'parquet', `${table}.parquet`);
  if (existsSync(single)) return single;
  const folder = path.join(warehouseDir, 'parquet', table);
  if (existsSync(folder) && statSync(folder).isDirectory() && readdirSync(folder).some((f) => f.endsWith('.parquet'))) return path.join(folder, '*.parquet');
  return undefined;
}

/**
 * `local_ts(ts)` as plain arithmetic: the UTC offsets of `tz` and the instants they change (DST),
 * found once with ICU over the warehouse window ± 2 years, become a CASE over `ts`. ICU per row
 * costs ~3 s per 5M rows; this costs nothing. Transitions are located to the minute.
 */
export async function localTimeSql(conn: DuckDBConnection, tz: string, endDate: string, months: number): Promise<string> {
  const zone = sqlString(tz);
  const off = (expr: string) => `epoch(timezone(${zone}, timezone('UTC', ${expr}))) - epoch(${expr})`;
  const hours = await queryRows<{ h: string; off: number }>(
    conn,
    `SELECT h::VARCHAR AS h, ${off('h')} AS off FROM (SELECT unnest(generate_series(DATE '${endDate}' - INTERVAL ${months + 24} MONTH, DATE '${endDate}' + INTERVAL 24 MONTH, INTERVAL 1 HOUR)) AS h) ORDER BY h`,
  );
  const cases: string[] = [];
  for (let i = 1; i < hours.length; i++) {
    if (hours[i].off === hours[i - 1].off) continue;
    const [first] = await queryRows<{ m: string }>(
      conn,
      `SELECT min(m)::VARCHAR AS m FROM (SELECT unnest(generate_series(TIMESTAMP '${hours[i - 1].h}', TIMESTAMP '${hours[i].h}', INTERVAL 1 MINUTE)) AS m) WHERE ${off('m')} = ${hours[i].off}`,
    );
    cases.push(`WHEN ts < TIMESTAMP '${first.m}' THEN ts + to_seconds(${Math.round(hours[i - 1].off)})`);
  }
  const last = Math.round(hours[hours.length - 1].off);
  return cases.length ? `CASE ${cases.join(' ')} ELSE ts + to_seconds(${last}) END` : `ts + to_seconds(${last})`;
}

/** A view over Parquet; an unreadable file is an input error naming it (exit 2). */
async function viewOf(conn: DuckDBConnection, name: string, file: string, flag: string): Promise<void> {
  try {
    await conn.run(`CREATE VIEW ${sqlIdent(name)} AS SELECT * FROM read_parquet(${sqlString(file)})`);
  } catch (error: unknown) {
    throw new InputError(`${flag}: ${file} is not readable Parquet (${errorMessage(error).split('\n')[0]}).`, {
      suggestion: 'Regenerate it, or point the flag at an intact folder.',
      cause: error,
    });
  }
}

export interface OpenOptions {
  warehouseDir: string;
  commsDir?: string;
  /** Whether --comms was given explicitly (a missing folder is then an input error). */
  commsExplicit: boolean;
  metaDir?: string;
  config: Config;
  tmpDir: string;
}

/**
 * Define one view per warehouse table, comms file and label file found, plus `local_ts(ts)`
 * (a UTC TIMESTAMP as wall-clock time in the warehouse tz). Missing tables get no view: the
 * schema gate names them, and gates that need them fail with the DuckDB message.
 */
export async function buildContext(conn: DuckDBConnection, options: OpenOptions): Promise<ValidateContext> {
  const { warehouseDir, config } = options;
  if (!existsSync(warehouseDir) || !statSync(warehouseDir).isDirectory()) {
    throw new InputError(`--warehouse ${warehouseDir} is not a folder.`, { suggestion: 'Run `dnr gen-warehouse` first.' });
  }
  const manifest = readManifest(warehouseDir);
  const archetype = manifest.archetype;
  const tz = manifest.tz;
  await conn.run(`CREATE MACRO local_ts(ts) AS ${await localTimeSql(conn, tz, manifest.end_date, manifest.months)}`);

  const tables = new Set<string>();
  // the SPEC tables and the behaviour tables the generator adds (absent ones get no view)
  for (const table of Object.keys(ALL_SCHEMAS[archetype])) {
    const src = tableSource(warehouseDir, table);
    if (!src) continue;
    await viewOf(conn, table, src, '--warehouse');
    tables.add(table);
  }

  const metaDir =
    options.metaDir ?? (manifest.defects_path ? path.dirname(path.resolve(warehouseDir, manifest.defects_path)) : path.join(config.paths.meta, archetype));
  if (options.metaDir !== undefined && !existsSync(options.metaDir)) {
    throw new InputError(`--meta ${options.metaDir} does not exist.`, { suggestion: 'Pass the --meta folder given to gen-warehouse (default meta/{archetype}).' });
  }
  const defectsFile = path.join(metaDir, 'defects.json');
  const defects: DefectsManifest | undefined = existsSync(defectsFile) ? readDefects(defectsFile) : undefined;
  if (defects && defects.archetype !== archetype) {
    throw new InputError(`--meta: ${defectsFile} is for archetype ${defects.archetype} but the warehouse is ${archetype}.`);
  }
  const labels = new Set<string>();
  for (const name of LABEL_FILES) {
    const file = path.join(metaDir, `${name}.parquet`);
    if (!existsSync(file)) continue;
    await viewOf(conn, name, file, '--meta');
    labels.add(name);
  }

  let comms: CommsInput | undefined;
  if (options.commsDir !== undefined) {
    const dir = options.commsDir;
    const exists = existsSync(dir) && statSync(dir).isDirectory();
    if (!exists && options.commsExplicit) {
      throw new InputError(`--comms ${dir} is not a folder.`, { suggestion: 'Run `dnr gen-comms` first, or leave out --comms to validate the warehouse only.' });
    }
    if (exists) {
      const files = Object.fromEntries(COMMS_FILES.map((f) => [f, existsSync(path.join(dir, `${f}.parquet`))])) as CommsInput['files'];
      for (const f of COMMS_FILES) {
        if (files[f]) await viewOf(conn, f, path.join(dir, `${f}.parquet`), '--comms');
      }
      const manifestFile = path.join(dir, 'manifest.json');
      let commsManifest: Record<string, unknown> | undefined;
      if (existsSync(manifestFile)) {
        try {
          commsManifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
        } catch (error: unknown) {
          throw new InputError(`--comms: ${manifestFile} is not readable JSON.`, { cause: error });
        }
      }
      comms = { dir, files, manifest: commsManifest };
    }
  }

  // Later copies of duplicated keys are few (≈0.7%): collect them once per table and anti-join,
  // instead of a window over every row in every query.
  const firsts = new Map<string, Promise<string>>();
  const first = (table: string): Promise<string> => {
    let rel = firsts.get(table);
    if (!rel) {
      const keys = FACT_KEYS[archetype].find((f) => f.table === table)?.businessKey;
      if (!keys) throw new Error(`${table} is not a fact table of ${archetype}`);
      const k = keys.map(sqlIdent).join(', ');
      const later = `_later_${table}`;
      rel = conn
        .run(
          `CREATE TEMP TABLE ${later} AS SELECT ${k}, loaded_at FROM (
             SELECT ${k}, loaded_at, row_number() OVER (PARTITION BY ${k} ORDER BY loaded_at) AS rn FROM ${sqlIdent(table)}
             WHERE (${k}) IN (SELECT ${k} FROM ${sqlIdent(table)} GROUP BY ALL HAVING count(*) > 1)
           ) WHERE rn > 1`,
        )
        .then(() => `(SELECT * FROM ${sqlIdent(table)} ANTI JOIN ${later} USING (${k}, loaded_at))`);
      firsts.set(table, rel);
    }
    return rel;
  };

  return {
    first,
    archetype,
    config,
    tz,
    warehouseDir,
    manifest,
    tables,
    metaDir,
    defects,
    labels,
    comms,
    conn,
    tmpDir: options.tmpDir,
    q: <T>(sql: string) => queryRows<T>(conn, sql),
  };
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { COMMS_SCHEMAS } from '@dnr/comms';
import { InputError, queryRows, readParquetAs, recoverInput, resolveTruth, sqlIdent, sqlString, verifyCommitted, type Config } from '@dnr/core';
import { contractFacts, contractSchemas } from './facts.js';
import { readDefects, readManifest, type DefectsManifest, type WarehouseManifest } from './manifest.js';
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

/**
 * A view over Parquet with the column types dnr writes (foreign writers' types converted exactly, or
 * exit 2 naming file, column and types); an unreadable file is an input error naming it (exit 2).
 */
async function viewOf(conn: DuckDBConnection, name: string, file: string, flag: string, columns: Record<string, string>): Promise<void> {
  const files = file.includes('*') ? await globFiles(conn, file) : [file];
  const read = await readParquetAs(conn, { label: flag, files, columns });
  await conn.run(`CREATE VIEW ${sqlIdent(name)} AS SELECT * FROM ${read.sql}`);
}

async function globFiles(conn: DuckDBConnection, pattern: string): Promise<string[]> {
  return (await queryRows<{ file: string }>(conn, `SELECT file FROM glob(${sqlString(pattern)}) ORDER BY file`)).map((r) => r.file);
}

const warehouseTypes = (archetype: WarehouseManifest['archetype'], table: string) => Object.fromEntries(contractSchemas(archetype)[table].map((c) => [c.name, c.type]));

interface FoundTruth {
  defects?: string;
  /** labels_slack/labels_email/labels_nlq → file. */
  labels: Record<string, string>;
  /** Folder named in messages and searched for spend ledgers. */
  metaDir: string;
}

/**
 * The ground truth of the data being validated, found through the data's own manifests: defects.json
 * linked by the warehouse, labels linked by the comms folder. `--meta DIR` overrides, but only with files
 * that hash the same as the linked ones (exit 2 otherwise); data written before dnr linked its truth falls
 * back to the manifest's defects_path, then {paths.meta}/{archetype}.
 */
function findTruth(options: OpenOptions, manifest: WarehouseManifest): FoundTruth {
  const legacyMeta = options.metaDir ?? (manifest.defects_path && path.isAbsolute(manifest.defects_path) ? path.dirname(manifest.defects_path) : path.join(options.config.paths.meta, manifest.archetype));
  if (options.metaDir !== undefined && !existsSync(options.metaDir)) {
    throw new InputError(`--meta ${options.metaDir} does not exist.`, { suggestion: 'Leave out --meta to use the ground truth the warehouse and comms folders carry.' });
  }
  const override = (file: string) => (options.metaDir && existsSync(path.join(options.metaDir, file)) ? { flag: '--meta', dir: options.metaDir } : undefined);
  const defects = resolveTruth({
    dataDir: options.warehouseDir,
    dataFlag: '--warehouse',
    name: 'defects',
    fileName: 'defects.json',
    override: override('defects.json'),
    legacy: [path.join(legacyMeta, 'defects.json')],
  });
  const labels: Record<string, string> = {};
  const commsDir = options.commsDir && existsSync(options.commsDir) ? options.commsDir : undefined;
  for (const name of LABEL_FILES) {
    const file = `${name}.parquet`;
    const found = commsDir
      ? resolveTruth({ dataDir: commsDir, dataFlag: '--comms', name, fileName: file, override: override(file), legacy: [path.join(legacyMeta, file)] })
      : resolveTruth({ dataDir: legacyMeta, dataFlag: '--meta', name, fileName: file, legacy: [path.join(legacyMeta, file)] });
    if (found) labels[name] = found.file;
  }
  return { defects: defects?.file, labels, metaDir: options.metaDir ?? (defects ? path.dirname(defects.file) : legacyMeta) };
}

export interface OpenOptions {
  warehouseDir: string;
  commsDir?: string;
  /** Whether --comms was given explicitly (a missing folder is then an input error). */
  commsExplicit: boolean;
  metaDir?: string;
  config: Config;
  tmpDir: string;
  /** Checksum every table against the manifest before the gates (default: only tables whose files look touched). */
  verify?: boolean;
}

/**
 * Define one view per warehouse table, comms file and label file found, plus `local_ts(ts)`
 * (a UTC TIMESTAMP as wall-clock time in the warehouse tz). Missing tables get no view: the
 * schema gate names them, and gates that need them fail with the DuckDB message.
 */
export async function buildContext(conn: DuckDBConnection, options: OpenOptions): Promise<ValidateContext> {
  const { warehouseDir, config } = options;
  recoverInput(warehouseDir, '--warehouse');
  if (options.commsDir) recoverInput(options.commsDir, '--comms');
  if (!existsSync(warehouseDir) || !statSync(warehouseDir).isDirectory()) {
    throw new InputError(`--warehouse ${warehouseDir} is not a folder.`, { suggestion: 'Run `dnr gen-warehouse` first.' });
  }
  const manifest = readManifest(warehouseDir);
  // Verify on read: a table changed after gen-warehouse wrote it is exit 2 naming it, before any gate runs.
  const committed = Object.fromEntries(
    Object.entries(manifest.tables)
      .filter(([, e]) => Array.isArray(e.files))
      .map(([t, e]) => [t, { rows: e.rows, checksum: e.checksum, files: (e.files as string[]).map((f) => path.join('parquet', f)) }]),
  );
  const verified = await verifyCommitted(conn, { dir: warehouseDir, flag: '--warehouse', tables: committed, full: options.verify ?? false });
  const archetype = manifest.archetype;
  const tz = manifest.tz;
  await conn.run(`CREATE MACRO local_ts(ts) AS ${await localTimeSql(conn, tz, manifest.end_date, manifest.months)}`);
  // Contract event-time expressions may date a row by the local midnight of a DATE.
  await conn.run(`CREATE MACRO utc_of_local_midnight(d) AS timezone('UTC', timezone(${sqlString(tz)}, CAST(d AS TIMESTAMP)))`);

  const tables = new Set<string>();
  // the core tables and the behaviour tables the generator adds (absent ones get no view)
  for (const table of Object.keys(contractSchemas(archetype))) {
    const src = tableSource(warehouseDir, table);
    if (!src) continue;
    await viewOf(conn, table, src, '--warehouse', warehouseTypes(archetype, table));
    tables.add(table);
  }

  const truth = findTruth(options, manifest);
  const defects: DefectsManifest | undefined = truth.defects ? readDefects(truth.defects) : undefined;
  if (defects && defects.archetype !== archetype) {
    throw new InputError(`--meta: ${truth.defects} is for archetype ${defects.archetype} but the warehouse is ${archetype}.`);
  }
  const labels = new Set<string>();
  for (const [name, file] of Object.entries(truth.labels)) {
    await viewOf(conn, name, file, options.metaDir ? '--meta' : '--comms', COMMS_SCHEMAS[name as (typeof LABEL_FILES)[number]]);
    labels.add(name);
  }
  const metaDir = truth.metaDir;

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
        if (files[f]) await viewOf(conn, f, path.join(dir, `${f}.parquet`), '--comms', COMMS_SCHEMAS[f]);
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
      const committed = Object.fromEntries(
        Object.entries((commsManifest?.files ?? {}) as Record<string, { rows?: number; checksum?: string }>)
          .filter(([name, e]) => typeof e.rows === 'number' && typeof e.checksum === 'string' && existsSync(path.join(dir, `${name}.parquet`)))
          .map(([name, e]) => [name, { rows: e.rows as number, checksum: e.checksum as string, files: [`${name}.parquet`] }]),
      );
      await verifyCommitted(conn, { dir, flag: '--comms', tables: committed, full: options.verify ?? false });
      comms = { dir, files, manifest: commsManifest };
    }
  }

  // Later copies of duplicated keys are few (≈0.7%): collect them once per table and anti-join,
  // instead of a window over every row in every query.
  const firsts = new Map<string, Promise<string>>();
  const first = (table: string): Promise<string> => {
    let rel = firsts.get(table);
    if (!rel) {
      const keys = contractFacts(archetype).find((f) => f.name === table)?.key;
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
    committed: Object.fromEntries([...verified.stamped, ...verified.checksummed].map((t) => [t, committed[t]])),
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

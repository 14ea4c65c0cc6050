import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, isDnrError, errorMessage, queryRows, readParquetAs, sqlIdent, sqlString } from '@dnr/core';
import { eventTimeColumns, expandSql, factTables, referencedColumns, tableColumns, type Contract, type FactSpec, type FxRates, type UsdRates } from '@dnr/contract';
import type { WarehouseManifestInfo, WarehouseSource } from './contract.js';

export { readWarehouseManifest, resolveWarehouse, type WarehouseManifestInfo, type WarehouseSource } from './contract.js';

export interface LoadedWarehouse {
  /** --warehouse as given (a folder, or a .duckdb file). */
  dir: string;
  /** The contract's name (the archetype for the built-in contracts). */
  archetype: string;
  contract: Contract;
  /** Where the contract came from (a file path, or `built-in:{name}`), for messages. */
  contractSource: string;
  /** The contract's fact tables: what the health metrics measure (revenue_usd with {usd(…)} expanded). */
  facts: FactSpec[];
  /** How the contract's {usd(…)} converts money here: the configured rates, and FX_TABLE when the warehouse has it. */
  usd: UsdRates;
  manifest: WarehouseManifestInfo;
  /** Source files (Parquet) or relation (DuckDB) per table read. */
  files: Record<string, string[]>;
  /** Columns of each table read, in contract order then file order. */
  columns: Record<string, string[]>;
  tz: string;
}

/**
 * The Parquet files of a table, sorted: the contract's `file` (a file, a folder of *.parquet, or a name
 * pattern with * and ? in its last part), else `parquet/{t}.parquet`, `parquet/{t}/*.parquet`, `{t}.parquet`, `{t}/*.parquet`.
 */
export function tableFiles(dir: string, table: string, file?: string): string[] {
  const candidates = file ? [file] : [path.join('parquet', `${table}.parquet`), path.join('parquet', table), `${table}.parquet`, table];
  for (const c of candidates) {
    const p = path.resolve(dir, c);
    if (/[*?]/.test(path.basename(c))) return globFiles(p);
    if (!existsSync(p)) continue;
    if (statSync(p).isFile()) return [p];
    const parts = readdirSync(p).filter((f) => f.endsWith('.parquet')).sort();
    if (parts.length) return parts.map((f) => path.join(p, f));
  }
  return [];
}

/** Files matching a pattern with * and ? in its last part (the folder part is literal). */
function globFiles(pattern: string): string[] {
  const folder = path.dirname(pattern);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  const re = new RegExp(`^${path.basename(pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return readdirSync(folder)
    .filter((f) => re.test(f) && statSync(path.join(folder, f)).isFile())
    .sort()
    .map((f) => path.join(folder, f));
}

/** A type dnr computes with: instants as naive UTC TIMESTAMP, money as DOUBLE; others as they are. */
function canonicalType(found: string): string {
  if (found === 'TIMESTAMP WITH TIME ZONE' || /^TIMESTAMP_(NS|MS|S)$/.test(found)) return 'TIMESTAMP';
  if (/^DECIMAL\(\d+,\d+\)$/.test(found)) return 'DOUBLE';
  return found;
}

/** Where one table of the contract is read from, or null when an optional table is absent. */
async function locateTable(connection: DuckDBConnection, src: WarehouseSource, name: string): Promise<{ files: string[]; relation?: string } | null> {
  const spec = src.contract.tables[name];
  if (src.kind === 'duckdb') {
    const rel = spec.relation ?? name;
    const rows = await queryRows<{ n: bigint }>(connection, `SELECT count(*) AS n FROM (SELECT table_name FROM duckdb_tables() WHERE database_name = 'wh' AND table_name = ${sqlString(rel)} UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = 'wh' AND view_name = ${sqlString(rel)})`);
    if (Number(rows[0].n) > 0) return { files: [`${src.path}:${rel}`], relation: `wh.${sqlIdent(rel)}` };
    if (!spec.required) return null;
    throw new InputError(`DuckDB file ${src.path} is missing table ${name} named by contract ${src.contractSource}: it has no table or view ${rel}.`, {
      suggestion: `Create it, or set tables.${name}.relation to the right name in the contract.`,
    });
  }
  const files = tableFiles(src.path, name, spec.file);
  if (files.length) return { files };
  if (!spec.required) return null;
  const expected = spec.file ? path.join(src.path, spec.file) : `${path.join(src.path, 'parquet', `${name}.parquet`)} or ${path.join(src.path, 'parquet', name, '*.parquet')}`;
  throw new InputError(`warehouse ${src.path} is missing table ${name} named by contract ${src.contractSource}: expected ${expected}.`, {
    suggestion: src.archetype && !spec.file ? 'Regenerate the warehouse with dnr gen-warehouse.' : `Set tables.${name}.file in the contract to where the table is.`,
  });
}

/** Read one table as a view with dnr's types; exit 2 naming the table and column a contract needs but the data lacks. */
async function readTable(connection: DuckDBConnection, src: WarehouseSource, name: string, at: { files: string[]; relation?: string }): Promise<string[]> {
  const spec = src.contract.tables[name];
  const listed = Object.fromEntries(tableColumns(spec).map((c) => [c.name, c.type]));
  try {
    const probe = await readParquetAs(connection, { label: `table ${name}`, files: at.files, relation: at.relation, columns: {} });
    const want: Record<string, string> = {};
    for (const [col, type] of probe.found) want[col] = listed[col] ?? canonicalType(type);
    const read = await readParquetAs(connection, { label: `table ${name}`, files: at.files, relation: at.relation, columns: want });
    const needed = referencedColumns(src.contract, name);
    const missing = needed.filter((c) => !read.found.has(c));
    if (missing.length) {
      throw new InputError(`table ${name} (${at.files[0]}) is missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} named by contract ${src.contractSource} (it has ${[...read.found.keys()].join(', ')}).`, {
        suggestion: src.archetype && !src.contractSource.endsWith('.yaml') ? 'Regenerate the warehouse with the current dnr gen-warehouse.' : 'Fix the column names in the contract or the data.',
      });
    }
    // Touch the data too: a truncated file can have a readable footer-less header.
    await queryRows(connection, `SELECT count(*) FROM ${at.relation ?? `read_parquet([${at.files.map(sqlString).join(', ')}])`}`);
    await connection.run(`CREATE OR REPLACE VIEW ${sqlIdent(name)} AS SELECT * FROM ${read.sql}`);
    const order = [...Object.keys(listed), ...[...read.found.keys()].filter((c) => !(c in listed))];
    return order;
  } catch (error: unknown) {
    if (isDnrError(error)) throw error;
    throw new InputError(`cannot read table ${name} from ${at.files.join(', ')}: ${errorMessage(error).split('\n')[0]}`, {
      suggestion: 'The file is missing or corrupt; regenerate or re-export it.',
      cause: error,
    });
  }
}

/** The contract table of dated USD rates (rate_date, currency, usd_rate) that {usd(currency, day)} reads when present. */
export const FX_TABLE = 'dim_fx_rate';

/** Rate-table cells (currencies × days) inlined as SQL lists; a larger table is read per row by a subquery. */
const FX_INLINE_MAX = 200_000;

/**
 * The dated USD rates of `table` (rate_date, currency, usd_rate; the largest rate of a day listed twice) in
 * memory, for {usd(cur, day)}: per currency a list by day from the table's first day. Returns the table's
 * name instead when currencies × days exceed FX_INLINE_MAX (decades of many currencies).
 */
async function readFxRates(connection: DuckDBConnection, table: string): Promise<FxRates | string> {
  const t = sqlIdent(table);
  const rows = await queryRows<{ currency: string; d: number; r: number }>(
    connection,
    `WITH f AS (SELECT CAST(currency AS VARCHAR) AS currency, CAST(rate_date AS DATE) AS day, CAST(usd_rate AS DOUBLE) AS r FROM ${t} WHERE currency IS NOT NULL AND rate_date IS NOT NULL AND usd_rate IS NOT NULL)
     SELECT currency, date_diff('day', (SELECT min(day) FROM f), day)::INTEGER AS d, max(r) AS r FROM f GROUP BY currency, day`,
  );
  if (!rows.length) return { start: '1970-01-01', byCurrency: {} };
  const days = Math.max(...rows.map((x) => x.d)) + 1;
  const currencies = [...new Set(rows.map((x) => x.currency))];
  if (days * currencies.length > FX_INLINE_MAX) return t;
  const [{ start }] = await queryRows<{ start: string }>(connection, `SELECT CAST(min(CAST(rate_date AS DATE)) AS VARCHAR) AS start FROM ${t} WHERE currency IS NOT NULL AND usd_rate IS NOT NULL`);
  const byCurrency: Record<string, Array<number | null>> = Object.fromEntries(currencies.map((c) => [c, new Array<number | null>(days).fill(null)]));
  for (const x of rows) byCurrency[x.currency][x.d] = Number(x.r);
  return { start, byCurrency };
}

/**
 * Read every table the contract lists, check the columns it names, and create one view per table plus
 * `ev_{fact}` tables carrying `_ts` (UTC event time), `_day` (local day), `_rev` (USD revenue) and `_copy`
 * (1 = first load of its business key), `dd_{fact}` (first loads only) and `cap_{fact}` (first loads
 * that count as money), then the contract's views. Every failure names the file, table or column (exit 2).
 */
export async function attachWarehouse(connection: DuckDBConnection, src: WarehouseSource, o: { defaultTz: string; rates: Record<string, number> }): Promise<LoadedWarehouse> {
  if (src.kind === 'duckdb') await connection.run(`ATTACH ${sqlString(path.resolve(src.path))} AS wh (READ_ONLY)`);
  // The contract's zone, else the warehouse's own business zone, else the config default.
  const tz = src.contract.time_zone ?? src.manifest.tz ?? o.defaultTz;
  const files: Record<string, string[]> = {};
  const columns: Record<string, string[]> = {};
  for (const name of Object.keys(src.contract.tables)) {
    const at = await locateTable(connection, src, name);
    if (!at) continue;
    files[name] = at.files;
    columns[name] = await readTable(connection, src, name, at);
  }
  const usd: UsdRates = { rates: o.rates, fx: files[FX_TABLE] ? await readFxRates(connection, FX_TABLE) : undefined };
  const facts = factTables(src.contract).map((f) => ({ ...f, revenueUsd: expandSql(f.revenueUsd, usd) }));
  await defineTimeMacros(connection, tz);
  await createOffsetTable(connection, facts, tz);
  for (const fact of facts) {
    await checkExpressions(connection, fact, src.contractSource);
    for (const sql of eventTableSql(fact)) await materialise(connection, files, fact.name, sql, src.contractSource);
  }
  for (const [name, sql] of Object.entries(src.contract.views)) {
    await materialise(connection, files, name, `CREATE OR REPLACE VIEW ${sqlIdent(name)} AS ${expandSql(sql, usd)}`, src.contractSource);
  }
  return { dir: src.path, archetype: src.contract.name, contract: src.contract, contractSource: src.contractSource, facts, usd, manifest: src.manifest, files, columns, tz };
}

/** SQL of the event time of a fact's own rows (for `from` times: the joined other table's); a DATE column is the local day's start. */
function eventExpr(fact: FactSpec): string {
  const e = fact.eventTime;
  if (typeof e === 'string') return `event_ts(${sqlIdent(e)})`;
  return 'sql' in e ? `(${e.sql})` : 'NULL::TIMESTAMP';
}

/**
 * Materialised once: the time-zone conversion and the per-key copy number are the costly parts, and
 * every metric family reads them. The contract's SQL sees only the table's own columns.
 */
function eventTableSql(fact: FactSpec): string[] {
  const e = fact.eventTime;
  const from = typeof e === 'object' && 'from' in e ? e.from : null;
  const ts = from ? 'o.__t' : 'f.__ts';
  const join = from
    ? `LEFT JOIN (SELECT ${sqlIdent(from.key)} AS __k, min(event_ts(${sqlIdent(from.column)})) AS __t FROM ${sqlIdent(from.table)} GROUP BY 1) o ON o.__k = f.${sqlIdent(from.key)}`
    : '';
  const key = fact.key.map((k) => `f.${sqlIdent(k)}`).join(', ');
  return [
    `CREATE OR REPLACE TEMP TABLE ${sqlIdent(`ev_${fact.name}`)} AS
      WITH src AS (SELECT *, CAST(${eventExpr(fact)} AS TIMESTAMP) AS __ts, (${fact.revenueUsd}) AS __rev FROM ${sqlIdent(fact.name)}),
      base AS (
        SELECT f.* EXCLUDE (__ts, __rev), ${ts} AS _ts, f.__rev AS _rev,
               row_number() OVER (PARTITION BY ${key} ORDER BY f.${sqlIdent(fact.loadedAt)}, ${ts}) AS _copy
        FROM src f ${join}
      )
      SELECT b.*, CASE WHEN z.off IS NULL THEN local_day(b._ts) ELSE CAST(b._ts + z.off AS DATE) END AS _day
      FROM base b LEFT JOIN tz_offsets z ON z.bucket = time_bucket(INTERVAL 15 MINUTE, b._ts)`,
    `CREATE OR REPLACE VIEW ${sqlIdent(`dd_${fact.name}`)} AS
      SELECT * FROM ${sqlIdent(`ev_${fact.name}`)} WHERE _copy = 1 AND ${fact.key.map((k) => `${sqlIdent(k)} IS NOT NULL`).join(' AND ')}`,
    `CREATE OR REPLACE VIEW ${sqlIdent(`cap_${fact.name}`)} AS SELECT * FROM ${sqlIdent(`dd_${fact.name}`)} WHERE ${fact.captured}`,
  ];
}

/** Local-time helpers over naive UTC timestamps, DST-correct through ICU. */
export async function defineTimeMacros(connection: DuckDBConnection, tz: string): Promise<void> {
  const z = sqlString(tz);
  await connection.run(`CREATE OR REPLACE MACRO local_ts(ts) AS timezone(${z}, timezone('UTC', ts))`);
  await connection.run(`CREATE OR REPLACE MACRO local_day(ts) AS CAST(local_ts(ts) AS DATE)`);
  await connection.run(`CREATE OR REPLACE MACRO local_hour(ts) AS hour(local_ts(ts))`);
  await connection.run(`CREATE OR REPLACE MACRO utc_of_local_midnight(d) AS timezone('UTC', timezone(${z}, CAST(d AS TIMESTAMP)))`);
  // An event-time column typed DATE carries a local day, not a UTC instant: it starts at that day's local midnight.
  await connection.run(`CREATE OR REPLACE MACRO event_ts(x) AS CASE WHEN typeof(x) = 'DATE' THEN utc_of_local_midnight(x) ELSE CAST(x AS TIMESTAMP) END`);
}

/**
 * UTC→local offsets per 15-minute UTC bucket over the warehouse's time span, from ICU once.
 * Looking a row's offset up is ~6× cheaper than an ICU conversion per row and exactly as
 * DST-correct: real zone transitions fall on 15-minute boundaries. Rows outside the span fall back to ICU.
 */
async function createOffsetTable(connection: DuckDBConnection, facts: FactSpec[], tz: string): Promise<void> {
  const bounds = facts.flatMap((t) => eventTimeColumns(t.eventTime).map((c) => `SELECT min(${sqlIdent(c)})::TIMESTAMP AS lo, max(${sqlIdent(c)})::TIMESTAMP AS hi FROM ${sqlIdent(t.name)}`));
  await connection.run(`CREATE OR REPLACE TEMP TABLE tz_offsets (bucket TIMESTAMP, off INTERVAL)`);
  if (!bounds.length) return;
  const [r] = await queryRows<{ lo: Date | null; hi: Date | null }>(connection, `SELECT min(lo) AS lo, max(hi) AS hi FROM (${bounds.join(' UNION ALL ')})`);
  if (!r?.lo || !r.hi) return;
  await connection.run(`INSERT INTO tz_offsets
    SELECT b, CAST(timezone(${sqlString(tz)}, timezone('UTC', b)) AS TIMESTAMP) - b
    FROM range(date_trunc('day', TIMESTAMP '${r.lo.toISOString().slice(0, 19).replace('T', ' ')}') - INTERVAL 2 DAY,
               date_trunc('day', TIMESTAMP '${r.hi.toISOString().slice(0, 19).replace('T', ' ')}') + INTERVAL 3 DAY, INTERVAL 15 MINUTE) t(b)`);
}

/**
 * Bind each SQL expression the contract gives a fact on its own (no rows are read), so one that does not run is
 * exit 2 naming its key (`tables.{fact}.captured`, `.revenue_usd`, `.event_time`) and DuckDB's message.
 */
async function checkExpressions(connection: DuckDBConnection, fact: FactSpec, contract: string): Promise<void> {
  const e = fact.eventTime;
  const probes: Array<[string, string]> = [
    ['captured', `SELECT 1 FROM ${sqlIdent(fact.name)} WHERE ${fact.captured} LIMIT 0`],
    ['revenue_usd', `SELECT (${fact.revenueUsd}) FROM ${sqlIdent(fact.name)} LIMIT 0`],
  ];
  if (typeof e === 'object' && 'sql' in e) probes.push(['event_time', `SELECT CAST((${e.sql}) AS TIMESTAMP) FROM ${sqlIdent(fact.name)} LIMIT 0`]);
  for (const [key, sql] of probes) {
    try {
      await connection.run(sql);
    } catch (error: unknown) {
      throw new InputError(`contract ${contract}: tables.${fact.name}.${key} does not run on this warehouse: ${errorMessage(error).split('\n')[0]}`, {
        suggestion: `Fix tables.${fact.name}.${key} in the contract (docs/contract.md lists what each expression sees).`,
        cause: error,
      });
    }
  }
}

/** Run a statement that scans a table's pages; a corrupt page is bad input naming the files, not a bug. */
async function materialise(connection: DuckDBConnection, files: Record<string, string[]>, table: string, sql: string, contract: string): Promise<void> {
  try {
    await connection.run(sql);
  } catch (error: unknown) {
    const msg = errorMessage(error).split('\n')[0];
    const involved = Object.entries(files).filter(([t]) => msg.includes(t) || t === table);
    const binder = /Binder Error|Parser Error|Catalog Error|Conversion Error/.test(msg);
    throw new InputError(binder ? `contract ${contract}: the SQL of ${table} does not run on this warehouse: ${msg}` : `cannot read table ${table} (${involved.flatMap(([, f]) => f).join(', ')}): ${msg}`, {
      suggestion: binder ? `Fix the SQL of ${table} in the contract (docs/contract.md lists what each expression sees).` : 'A file is corrupt or truncated; regenerate or re-export it.',
      cause: error,
    });
  }
}

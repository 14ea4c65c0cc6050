#!/usr/bin/env node
/**
 * `node scripts/bench-baseline.mjs WAREHOUSE_DIR OUT_DIR [--json]`
 *
 * The plain DuckDB-SQL baseline of the generation benchmark: for every table of a generated warehouse,
 * write the same number of rows with the same column names and types as ZSTD Parquet, each column a
 * hash of the row number (no behaviour, no joins, no defects). `pnpm bench` runs it after
 * gen-warehouse and reports gen-warehouse's wall time as a multiple of this one (target ≤ 2×).
 * Prints {rows, tables, wall_s} as JSON.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [dir, out] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!dir || !out) {
  process.stderr.write('usage: bench-baseline.mjs WAREHOUSE_DIR OUT_DIR\n');
  process.exitCode = 2;
} else {
  await baseline(dir, out);
}

async function baseline(dir, out) {
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const rowGroup = Number(manifest.config?.row_group_rows ?? 122_880);
const chunkRows = Number(manifest.config?.chunk_rows ?? 500_000);
const quote = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** A hash-based value of the column's type, from row number i and the column's position k. */
function valueSql(type, k) {
  const h = `hash(i + ${k * 1_000_003})`;
  switch (type) {
    case 'BIGINT':
      return `(${h} >> 20::UBIGINT)::BIGINT`;
    case 'INTEGER':
      return `(${h} % 100000::UBIGINT)::INTEGER`;
    case 'DOUBLE':
      return `(${h} >> 11::UBIGINT)::DOUBLE / 9007199254740992.0`;
    case 'DATE':
      return `DATE '2025-01-01' + (${h} % 546::UBIGINT)::INTEGER`;
    case 'TIMESTAMP':
      return `make_timestamp(1735689600000000 + (${h} % 47174400000000::UBIGINT)::BIGINT)`;
    case 'BOOLEAN':
      return `(${h} & 1::UBIGINT) = 1`;
    default:
      return `['a', 'b', 'c', 'd'][(${h} % 4::UBIGINT)::BIGINT + 1]`;
  }
}

const t0 = performance.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
let rows = 0;
for (const [table, entry] of Object.entries(manifest.tables)) {
  const first = path.join(dir, 'parquet', entry.files[0]);
  const cols = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quote(first)})`)).getRowObjects();
  const select = cols.map((c, k) => `${valueSql(String(c.column_type), k)} AS "${c.column_name}"`).join(', ');
  // the same part-file layout as the generator: one file per chunk of rows
  const parts = Math.max(1, entry.files.length > 1 ? Math.ceil(entry.rows / chunkRows) : 1);
  for (let p = 0; p < parts; p++) {
    const lo = Math.floor((p * entry.rows) / parts);
    const hi = Math.floor(((p + 1) * entry.rows) / parts);
    const file = parts > 1 ? path.join(out, table, `part-${String(p).padStart(4, '0')}.parquet`) : path.join(out, `${table}.parquet`);
    if (parts > 1 && !existsSync(path.dirname(file))) mkdirSync(path.dirname(file), { recursive: true });
    await conn.run(`COPY (SELECT ${select} FROM range(${lo}, ${hi}) t(i)) TO ${quote(file)} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE ${rowGroup})`);
  }
  rows += entry.rows;
}
conn.closeSync();
db.closeSync();
process.stdout.write(`${JSON.stringify({ rows, tables: Object.keys(manifest.tables).length, wall_s: (performance.now() - t0) / 1000 })}\n`);
}

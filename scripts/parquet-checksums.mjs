#!/usr/bin/env node
// Value checksums of every Parquet table under a warehouse folder: row count and an
// order-independent sum of row hashes per table (DuckDB hash() of every column).
// Usage: node scripts/parquet-checksums.mjs WAREHOUSE_DIR  → one "table rows checksum" line per table.
// Used to prove that a generator refactor leaves every value unchanged (compare two runs with diff).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
// resolve DuckDB from the repository this script lives in, whatever the working directory
const require = createRequire(join(fileURLToPath(new URL('..', import.meta.url)), 'packages/core/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const root = process.argv[2];
if (!root) throw new Error('usage: node scripts/parquet-checksums.mjs WAREHOUSE_DIR');
const tables = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (readdirSync(p).some((f) => /^part-.*\.parquet$/.test(f) || f.includes('='))) tables.push([relative(root, p), `${p}/**/*.parquet`]);
      else walk(p);
    } else if (name.endsWith('.parquet')) tables.push([relative(root, p), p]);
  }
};
walk(root);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
for (const [name, glob] of tables) {
  const src = `read_parquet('${glob}', hive_partitioning=false)`;
  const n = (await con.runAndReadAll(`SELECT count(*)::VARCHAR FROM ${src}`)).getRows()[0][0];
  const r = await con.runAndReadAll(`SELECT coalesce(sum(hash(COLUMNS(*))::HUGEINT), 0)::VARCHAR FROM ${src}`);
  const cols = r.columnNames();
  const row = r.getRows()[0];
  console.log(`${name} rows=${n}`);
  for (let i = 0; i < cols.length; i++) console.log(`${name}.${cols[i]} ${row[i]}`);
}

import { cpSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { sqlString, withDuckDB } from '../../packages/core/src/index.js';

/** A table of a generated warehouse folder as a DuckDB relation: its single file, or its partition files. */
export function parquetTable(dir: string, t: string): string {
  const single = path.join(dir, 'parquet', `${t}.parquet`);
  return `read_parquet(${sqlString(existsSync(single) ? single : path.join(dir, 'parquet', t, '*.parquet'))})`;
}

/** A SELECT over `self` (the table being rewritten); `t(name)` reads another table of the original warehouse. */
export type Rewrite = (self: string, t: (x: string) => string) => string;

/**
 * Copy the warehouse folder `from` to `dir` (without its output marker, so the copy is a foreign folder) and
 * replace each named table by its rewrite, in the original layout: the single file, or the one part file of a
 * partitioned table (a table of several parts fails the test). Returns `dir`.
 */
export async function copyWithRewrites(from: string, dir: string, rewrites: Record<string, Rewrite>): Promise<string> {
  cpSync(from, dir, { recursive: true });
  rmSync(path.join(dir, '.dnr-output.json'));
  for (const [target, select] of Object.entries(rewrites)) {
    const single = path.join(dir, 'parquet', `${target}.parquet`);
    const folder = path.join(dir, 'parquet', target);
    const parts = existsSync(single) ? [] : readdirSync(folder).filter((f) => f.endsWith('.parquet'));
    expect(parts.length).toBeLessThanOrEqual(1);
    const dest = parts.length ? path.join(folder, parts[0]!) : single;
    const file = path.join(dir, `${target}.rewritten.parquet`);
    await withDuckDB({ timeZone: 'UTC' }, (conn) => conn.run(`COPY (${select(parquetTable(from, target), (x) => parquetTable(from, x))}) TO ${sqlString(file)} (FORMAT parquet)`));
    renameSync(file, dest);
  }
  return dir;
}

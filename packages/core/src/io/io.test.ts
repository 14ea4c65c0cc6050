import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, withAtomicDir } from './atomic.js';
import { contentChecksum, queryRows, sqlString, withDuckDB } from './duckdb.js';
import { writeParquetFile } from './parquet.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dnr-io-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('atomic writes', () => {
  it('replaces a file and leaves no temp files', () => {
    const f = path.join(dir, 'a', 'x.json');
    writeFileAtomic(f, 'one');
    writeFileAtomic(f, 'two');
    expect(readFileSync(f, 'utf8')).toBe('two');
    expect(readdirSync(path.dirname(f))).toEqual(['x.json']);
  });

  it('a failed folder build keeps the previous folder intact', async () => {
    const out = path.join(dir, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'keep.txt'), 'previous');
    await expect(
      withAtomicDir(out, '--out', async (tmp) => {
        writeFileSync(path.join(tmp, 'half.txt'), 'partial');
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(readdirSync(out)).toEqual(['keep.txt']);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('a successful folder build swaps in the new content', async () => {
    const out = path.join(dir, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'old.txt'), 'previous');
    await withAtomicDir(out, '--out', async (tmp) => writeFileSync(path.join(tmp, 'new.txt'), 'fresh'));
    expect(readdirSync(out)).toEqual(['new.txt']);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('keeps the named entries another command wrote into the folder', async () => {
    const out = path.join(dir, 'report');
    mkdirSync(path.join(out, 'qc'), { recursive: true });
    writeFileSync(path.join(out, 'qc', 'validate.json'), '{}');
    writeFileSync(path.join(out, 'stale.md'), 'old');
    await withAtomicDir(out, '--out', async (tmp) => writeFileSync(path.join(tmp, 'summary.md'), 'new'), { keep: ['qc'] });
    expect(readdirSync(out).sort()).toEqual(['qc', 'summary.md']);
    expect(readFileSync(path.join(out, 'qc', 'validate.json'), 'utf8')).toBe('{}');
  });

  it('an unwritable parent is an input error naming the flag', async () => {
    const file = path.join(dir, 'file');
    writeFileSync(file, '');
    await expect(withAtomicDir(path.join(file, 'out'), '--out', async () => 1)).rejects.toThrow(/--out .* is not a writable folder/);
    expect(existsSync(path.join(file, 'out'))).toBe(false);
  });
});

describe('parquet + duckdb', () => {
  it('round-trips Arrow → Parquet → DuckDB with types, and checksums ignore row order', async () => {
    const ids = BigInt64Array.from([1n, 2n, 3n, 4n]);
    const a = path.join(dir, 'a.parquet');
    const b = path.join(dir, 'b.parquet');
    const c = path.join(dir, 'c.parquet');
    await writeParquetFile(a, tableFromArrays({ id: ids, v: Int32Array.from([10, 20, 30, 40]) }));
    await writeParquetFile(b, tableFromArrays({ id: ids.slice().reverse(), v: Int32Array.from([40, 30, 20, 10]) }), { rowGroupRows: 2000 });
    await writeParquetFile(c, tableFromArrays({ id: ids, v: Int32Array.from([10, 20, 30, 41]) }));
    await withDuckDB({ timeZone: 'UTC' }, async (conn) => {
      const types = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE SELECT * FROM read_parquet(${sqlString(a)})`);
      expect(types.map((t) => [t.column_name, t.column_type])).toEqual([
        ['id', 'BIGINT'],
        ['v', 'INTEGER'],
      ]);
      const ca = await contentChecksum(conn, `read_parquet(${sqlString(a)})`);
      const cb = await contentChecksum(conn, `read_parquet(${sqlString(b)})`);
      const cc = await contentChecksum(conn, `read_parquet(${sqlString(c)})`);
      expect(ca.rows).toBe(4);
      expect(ca.checksum).toMatch(/^[0-9a-f]{16}$/);
      expect(cb.checksum).toBe(ca.checksum);
      expect(cc.checksum).not.toBe(ca.checksum);
    });
  });
});

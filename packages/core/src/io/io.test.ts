import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic.js';
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

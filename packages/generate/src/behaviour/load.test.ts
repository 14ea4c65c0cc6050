import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDuckDB, openDuckDB, queryRows, type DuckDBSession } from '@dnr/core';
import { loadColumns } from './load.js';

let db: DuckDBSession;
beforeAll(async () => {
  db = await openDuckDB({ timeZone: 'UTC', threads: 1 });
});
afterAll(() => closeDuckDB(db));

describe('loadColumns', () => {
  it('loads every type exactly across chunk boundaries, with NULL for null and non-finite numbers', async () => {
    // 5,000 rows: two full 2,048-row chunks and a partial one; values chosen per row so each row checks itself
    const n = 5000;
    const big = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : (i % 2 ? -1 : 1) * (2 ** 52 - 1 - i * 1e9) + 0.4));
    const int = Int32Array.from({ length: n }, (_, i) => (i % 3 ? -i : i * 1000));
    const dbl = Float64Array.from({ length: n }, (_, i) => (i % 101 === 0 ? Infinity : i / 7));
    const str = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `s${i}é`));
    const bool = Uint8Array.from({ length: n }, (_, i) => i % 4);
    await loadColumns(db.connection, 't_load', [
      ['i', 'INTEGER', Int32Array.from({ length: n }, (_, i) => i)],
      ['big', 'BIGINT', big],
      ['int', 'INTEGER', int],
      ['dbl', 'DOUBLE', dbl],
      ['str', 'VARCHAR', str],
      ['bool', 'BOOLEAN', bool],
    ]);
    const rows = await queryRows<{ i: number; big: bigint | null; int: number; dbl: number | null; str: string | null; bool: boolean }>(db.connection, 'SELECT * FROM t_load ORDER BY i');
    expect(rows).toHaveLength(n);
    for (const r of rows) {
      const i = r.i;
      expect(r.big).toBe(Number.isFinite(big[i]) ? BigInt(Math.round(big[i])) : null);
      expect(r.int).toBe(int[i]);
      expect(r.dbl).toBe(Number.isFinite(dbl[i]) ? dbl[i] : null);
      expect(r.str).toBe(str[i]);
      expect(r.bool).toBe(bool[i] !== 0);
    }
  });

  it('copies an Int32Array view (non-zero byte offset) into INTEGER whole, chunk by chunk', async () => {
    const base = Int32Array.from({ length: 5003 }, (_, i) => i * 7 - 9000);
    const view = base.subarray(3);
    await loadColumns(db.connection, 't_view', [
      ['i', 'INTEGER', Int32Array.from({ length: view.length }, (_, i) => i)],
      ['v', 'INTEGER', view],
    ]);
    const rows = await queryRows<{ i: number; v: number }>(db.connection, 'SELECT i, v FROM t_view ORDER BY i');
    expect(rows.map((r) => r.v)).toEqual(Array.from(view));
  });

  it('loads the rows in a given order (a gather per chunk), every type', async () => {
    const n = 4500;
    const rows = Uint32Array.from({ length: n }, (_, r) => (r * 2029) % n);
    const int = Int32Array.from({ length: n }, (_, i) => i * 3 - 7);
    const small = Uint8Array.from({ length: n }, (_, i) => i % 251);
    const big = Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? NaN : i * 1e9));
    const str = Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : `v${i}`));
    await loadColumns(
      db.connection,
      't_rows',
      [
        ['int', 'INTEGER', int],
        ['small', 'INTEGER', small],
        ['big', 'BIGINT', big],
        ['str', 'VARCHAR', str],
        ['bool', 'BOOLEAN', small],
      ],
      { rows },
    );
    const got = await queryRows<{ r: bigint; int: number; small: number; big: bigint | null; str: string | null; bool: boolean }>(db.connection, 'SELECT rowid AS r, * FROM t_rows ORDER BY rowid');
    expect(got).toHaveLength(n);
    for (const g of got) {
      const i = rows[Number(g.r)];
      expect([g.int, g.small, g.big, g.str, g.bool]).toEqual([int[i], small[i], Number.isFinite(big[i]) ? BigInt(big[i]) : null, str[i], small[i] !== 0]);
    }
  });

  it('creates an empty table for no rows and refuses columns of different lengths', async () => {
    await loadColumns(db.connection, 't_empty', [['x', 'BIGINT', new Float64Array(0)]]);
    expect((await queryRows<{ n: bigint }>(db.connection, 'SELECT count(*) AS n FROM t_empty'))[0].n).toBe(0n);
    await expect(loadColumns(db.connection, 't_bad', [['x', 'BIGINT', [1, 2]], ['y', 'INTEGER', [1]]])).rejects.toThrow('t_bad.y: 1 values, expected 2');
  });
});

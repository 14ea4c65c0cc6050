import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDuckDB, openDuckDB, queryRows, type DuckDBSession } from '@dnr/core';
import { hashKey, H, permuteId, roundSql, saltOf, u16Of, z16Of } from './hash64.js';
import { idPermutation, permuteIdSql } from './ids.js';
import { installMacros } from './sql.js';

let db: DuckDBSession;
beforeAll(async () => {
  db = await openDuckDB({ timeZone: 'UTC', threads: 1 });
  await installMacros(db.connection);
});
afterAll(() => closeDuckDB(db));

/** SQL: a VALUES list of (i, x) rows, x as `cast`, to read back in order i. */
const values = (xs: number[], cast = '') => `(VALUES ${xs.map((x, i) => `(${i}, ${x}${cast})`).join(', ')}) v(i, k)`;

// keys of every kind the generators hash: small, near 2^32, up to 2^48, negative (a day before the window)
const KEYS = [0, 1, 7, 4095, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 123456789012, 2 ** 47 + 12345, 2 ** 48 - 1, -1, -4097, -(2 ** 33) + 3];
const SALT = (1n << 61n) ^ (123456789n << 30n) ^ 987654321n;

describe('DuckDB hash in JavaScript', () => {
  it('hashKey equals DuckDB hash(xor(key, salt)) for keys up to 2^48 and negative keys', async () => {
    const s = saltOf(SALT);
    const rows = await queryRows<{ h: string }>(db.connection, `SELECT hash(xor(k::BIGINT, ${SALT}::BIGINT))::VARCHAR AS h FROM ${values(KEYS)} ORDER BY i`);
    KEYS.forEach((k, i) => {
      hashKey(k, s);
      const js = (BigInt(H[0]) << 32n) | BigInt(H[1]);
      expect(js.toString(), `key ${k}`).toBe(rows[i].h);
    });
  });

  it('u16Of and z16Of equal the u16 and z16 macros of the same hash', async () => {
    const s = saltOf(SALT);
    const rows = await queryRows<{ a: number; b: number; c: number; d: number; z: number; z2: number }>(
      db.connection,
      `SELECT u16(h, 0) AS a, u16(h, 1) AS b, u16(h, 2) AS c, u16(h, 3) AS d, z16(h, 0) AS z, z16(h, 2) AS z2
       FROM (SELECT hash(xor(k::BIGINT, ${SALT}::BIGINT)) AS h, i FROM ${values(KEYS)}) ORDER BY i`,
    );
    KEYS.forEach((k, i) => {
      hashKey(k, s);
      const [hi, lo] = [H[0], H[1]];
      expect([u16Of(hi, lo, 0), u16Of(hi, lo, 1), u16Of(hi, lo, 2), u16Of(hi, lo, 3)]).toEqual([rows[i].a, rows[i].b, rows[i].c, rows[i].d]);
      expect(z16Of(hi, lo, 0)).toBeCloseTo(rows[i].z, 12);
      expect(z16Of(hi, lo, 2)).toBeCloseTo(rows[i].z2, 12);
    });
  });

  it('permuteId equals permuteIdSql for domains of 32 to 48 bits, and is a bijection on a sample', async () => {
    for (const bits of [32, 38, 44, 48]) {
      const p = idPermutation(bits, 42, 11);
      const keys = [0, 1, 2, 3, 1000, 2 ** 20 + 7, 2 ** (bits - 1), 2 ** bits - 2, 2 ** bits - 1];
      const rows = await queryRows<{ id: bigint }>(db.connection, `SELECT ${permuteIdSql('k', bits, 42, 11)} AS id FROM ${values(keys, '::BIGINT')} ORDER BY i`);
      keys.forEach((k, i) => expect(permuteId(k, p), `${bits} bits, key ${k}`).toBe(Number(rows[i].id)));
      const ids = new Set(Array.from({ length: 5000 }, (_, k) => permuteId(k * 9973, p)));
      expect(ids.size).toBe(5000);
    }
  });

  it('roundSql rounds half away from zero, as DuckDB round()', async () => {
    const xs = [2.5, -2.5, 0.5, -0.5, 1.4999999999999998, 3.5, -3.5, 1e15 + 0.5];
    const rows = await queryRows<{ r: number }>(db.connection, `SELECT round(k::DOUBLE) AS r FROM ${values(xs)} ORDER BY i`);
    xs.forEach((x, i) => expect(roundSql(x), String(x)).toBe(rows[i].r));
  });
});

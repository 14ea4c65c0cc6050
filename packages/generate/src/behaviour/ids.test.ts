import { describe, expect, it } from 'vitest';
import { RandomStream } from '@dnr/core';
import { withDuckDB, queryRows } from '@dnr/core';
import { gappedIds, idBits, permuteIdSql } from './ids.js';

describe('gappedIds', () => {
  it('increases in creation order, leaves ~gapRate/(1−gapRate) gaps and reports them', () => {
    const rs = new RandomStream(1, 'ids');
    const { ids, gaps } = gappedIds(10000, 0.03, (i) => rs.uniform(i), 1);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
    const all = new Set([...ids, ...gaps]);
    expect(all.size).toBe(ids.length + gaps.length);
    expect(Math.max(...all)).toBe(all.size); // ids and gaps tile 1..max exactly
    expect(gaps.length / ids.length).toBeGreaterThan(0.02);
    expect(gaps.length / ids.length).toBeLessThan(0.042);
  });
});

describe('permuteIdSql', () => {
  it('is a bijection that scrambles structured keys', async () => {
    const bits = idBits(2 ** 33);
    expect(bits).toBe(34);
    await withDuckDB({}, async (conn) => {
      const [r] = await queryRows<{ n: bigint; distinct: bigint; lo: bigint; hi: bigint; monotone: bigint; low_bits_equal: bigint }>(
        conn,
        `WITH k AS (SELECT ((c * 1024 + w) * 128 + j) * 4 AS key FROM range(200) a(c), range(80) b(w), range(8) d(j)),
              p AS (SELECT key, ${permuteIdSql('key', bits, 42, 11)} AS id FROM k)
         SELECT count(*) AS n, count(DISTINCT id) AS distinct, min(id) AS lo, max(id) AS hi,
                count(*) FILTER (id > lag_id) AS monotone, count(*) FILTER (id % 4 = key % 4) AS low_bits_equal
         FROM (SELECT *, lag(id) OVER (ORDER BY key) AS lag_id FROM p)`,
      );
      expect(r.distinct).toBe(r.n);
      expect(Number(r.lo)).toBeGreaterThanOrEqual(0);
      expect(Number(r.hi)).toBeLessThan(2 ** bits);
      // no order leaks: about half of consecutive keys map to increasing ids; the key's low bits do not survive
      expect(Number(r.monotone) / Number(r.n)).toBeGreaterThan(0.45);
      expect(Number(r.monotone) / Number(r.n)).toBeLessThan(0.55);
      expect(Number(r.low_bits_equal) / Number(r.n)).toBeLessThan(0.3);
    });
  });
});

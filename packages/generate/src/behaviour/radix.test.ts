import { describe, expect, it } from 'vitest';
import { orderByKeys, orderByTime, rankByKeys } from './radix.js';

describe('rankByKeys', () => {
  it('orders by the keys, most significant first, then by row index', () => {
    const a = [3, 1, 3, 1, 2];
    const b = [0, 5, 0, 2, 7];
    // (1,2)#3 < (1,5)#1 < (2,7)#4 < (3,0)#0 < (3,0)#2
    expect(Array.from(rankByKeys(5, [a, b]))).toEqual([4, 2, 5, 1, 3]);
  });

  it('matches a comparison sort on keys wider than one 16-bit digit', () => {
    const n = 5000;
    let x = 12345;
    const rnd = (m: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % m);
    const t = Float64Array.from({ length: n }, () => 1.7e9 + rnd(200));
    const u = Float64Array.from({ length: n }, () => rnd(3));
    const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => t[i] - t[j] || u[i] - u[j] || i - j);
    const rank = rankByKeys(n, [t, u]);
    expect(order.map((i) => rank[i])).toEqual(Array.from({ length: n }, (_, r) => r + 1));
  });

  it('rejects keys of 2^32 and more', () => {
    expect(() => rankByKeys(1, [[2 ** 32]])).toThrow(RangeError);
  });
});

describe('orderByTime', () => {
  it('matches orderByKeys on time then tie keys then row index', () => {
    const n = 20000;
    let x = 987;
    const rnd = (m: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % m);
    // a span over 2^26 s (three radix passes) with many equal times
    const t = Float64Array.from({ length: n }, () => 1.7e9 + (rnd(4) === 0 ? rnd(50) : rnd(2 ** 27)));
    const u = Float64Array.from({ length: n }, () => rnd(3));
    const v = Float64Array.from({ length: n }, () => rnd(2));
    const expected = orderByKeys(n, [t, u, v]);
    const got = orderByTime(n, t, (i, j) => u[i] - u[j] || v[i] - v[j]);
    expect(Array.from(got)).toEqual(Array.from(expected));
  });

  it('handles one row, equal times and rejects fractions', () => {
    expect(Array.from(orderByTime(1, [5], () => 0))).toEqual([0]);
    expect(Array.from(orderByTime(3, [7, 7, 7], (i, j) => j - i))).toEqual([2, 1, 0]);
    expect(() => orderByTime(1, [1.5], () => 0)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { RandomStream } from '@dnr/core';
import { WeightTree } from './fenwick.js';

describe('WeightTree', () => {
  it('samples inside a range in proportion to the weights, following updates', () => {
    const t = new WeightTree(10);
    [1, 0, 3, 0, 0, 6, 2, 0, 8, 0].forEach((w, i) => t.set(i, w));
    expect(t.range(0, 10)).toBe(20);
    expect(t.range(2, 6)).toBe(9);
    const rs = new RandomStream(7, 'fenwick');
    const counts = new Array(10).fill(0);
    for (let k = 0; k < 30000; k++) counts[t.sample(2, 7, rs.uniform(k))]++;
    // only positive weights inside [2, 7): 3, 6, 2 of 11
    expect(counts.map((c, i) => (i >= 2 && i < 7 ? 0 : c))).toEqual(new Array(10).fill(0));
    expect(counts[3] + counts[4]).toBe(0);
    expect(counts[2] / 30000).toBeCloseTo(3 / 11, 1);
    expect(counts[5] / 30000).toBeCloseTo(6 / 11, 1);
    t.set(5, 0);
    t.set(6, 0);
    for (let k = 0; k < 100; k++) expect(t.sample(2, 7, rs.uniform(k, 1))).toBe(2);
    t.set(2, 0);
    expect(t.sample(2, 7, 0.5)).toBe(-1);
    expect(t.sample(0, 10, 0.01)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { MARKET_HOUR_WEEKDAY, quantileBuckets } from './curves.js';
import { MCCS, SECTORS } from '@dnr/core';
import { merchantsPerMcc } from '../archetypes/neobank/merchants.js';
import { CATEGORIES, LEAF_CATEGORIES } from './taxonomy.js';

describe('quantileBuckets', () => {
  it('reproduces the weights within one bucket', () => {
    const q = quantileBuckets(MARKET_HOUR_WEEKDAY);
    const total = MARKET_HOUR_WEEKDAY.reduce((s, x) => s + x, 0);
    MARKET_HOUR_WEEKDAY.forEach((w, h) => {
      const share = q.filter((x) => x === h).length / q.length;
      expect(Math.abs(share - w / total)).toBeLessThanOrEqual(1 / q.length + 1e-9);
    });
  });

  it('marketplace evening (17–22) carries over a third of the weekday weight', () => {
    const total = MARKET_HOUR_WEEKDAY.reduce((s, x) => s + x, 0);
    expect(MARKET_HOUR_WEEKDAY.slice(17, 22).reduce((s, x) => s + x, 0) / total).toBeGreaterThan(0.33);
  });
});

describe('reference tables', () => {
  it('40 MCCs in 8 sectors, interchange mean ≈150 bps by spend', () => {
    expect(MCCS).toHaveLength(40);
    expect(new Set(MCCS.map((m) => m.mcc)).size).toBe(40);
    expect(new Set(MCCS.map((m) => m.sector))).toEqual(new Set(SECTORS));
    // expected spend share ∝ weight · lognormal mean
    const spend = MCCS.map((m) => m.weight * m.medianCents * Math.exp((m.sigma * m.sigma) / 2));
    const bps = MCCS.reduce((s, m, j) => s + m.interchangeBps * spend[j], 0) / spend.reduce((s, x) => s + x, 0);
    expect(bps).toBeGreaterThan(130);
    expect(bps).toBeLessThan(175);
  });

  it('merchantsPerMcc splits exactly, at least one per MCC', () => {
    for (const n of [40, 45, 600, 6000, 60000]) {
      const c = merchantsPerMcc(n);
      expect(c.reduce((s, x) => s + x, 0)).toBe(n);
      expect(Math.min(...c)).toBeGreaterThanOrEqual(1);
    }
  });

  it('taxonomy: 10 top-level categories with 5–12 leaves each (80 leaves), positive price medians', () => {
    expect(CATEGORIES.filter((c) => c.parentId === null)).toHaveLength(10);
    expect(LEAF_CATEGORIES).toHaveLength(80);
    expect(new Set(CATEGORIES.map((c) => c.categoryId)).size).toBe(90);
    const perTop = [...Array(10).keys()].map((t) => LEAF_CATEGORIES.filter((c) => c.parentId === t + 1).length);
    expect(Math.min(...perTop)).toBe(5);
    expect(Math.max(...perTop)).toBe(12);
    expect(LEAF_CATEGORIES.every((c) => c.medianCents > 0)).toBe(true);
  });
});

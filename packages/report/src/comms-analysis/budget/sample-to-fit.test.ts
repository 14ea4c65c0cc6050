import { describe, expect, it } from 'vitest';
import { allocate, p90, sampleToFit, type BudgetItem } from './sample-to-fit.js';

const items = (n: number, source: BudgetItem['source'], days: number, tokens: (i: number) => number): BudgetItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${source}-${i}`, source, day: `2026-05-${String(1 + (i % days)).padStart(2, '0')}`, category: i % 3 === 0 ? 'platform' : 'analytics', inputTokens: tokens(i) }));

const base = { safetyMargin: 0.25, coverageFloorPct: 20, inputPerMtok: 0.15, outputPerMtok: 0.6, maxOutputTokens: 64, seed: 7 };

describe('sampleToFit', () => {
  it('p90 is the nearest-rank 90th percentile', () => {
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(9);
    expect(p90([5])).toBe(5);
    expect(p90([])).toBe(0);
  });

  it('keeps everything when the estimate fits cap × (1 − margin)', () => {
    const all = [...items(100, 'slack', 5, () => 300), ...items(50, 'nlq', 5, () => 80)];
    const r = sampleToFit(all, { ...base, capUsd: 1 });
    // estimate = Σ count × (p90 × in + out × 64) / 1e6
    expect(r.estimateUsd).toBeCloseTo((100 * (300 * 0.15 + 64 * 0.6) + 50 * (80 * 0.15 + 64 * 0.6)) / 1e6, 9);
    expect(r.sampled).toBe(false);
    expect(r.selected.size).toBe(150);
    expect([...r.weights.values()].every((w) => w === 1)).toBe(true);
  });

  it('samples to fit a small cap with bucket minimums, seeded, and post-stratification weights', () => {
    const all = [...items(2000, 'slack', 30, (i) => 200 + (i % 50)), ...items(800, 'email', 30, () => 400), ...items(1000, 'nlq', 30, () => 60)];
    const cap = 0.1;
    const r = sampleToFit(all, { ...base, capUsd: cap });
    expect(r.sampled).toBe(true);
    expect(r.sampledEstimateUsd).toBeLessThanOrEqual(cap * 0.75 + 1e-9);
    expect(r.sampledEstimateUsd).toBeGreaterThan(cap * 0.6);
    // every day×category bucket got at least one item
    for (const b of r.perBucket) expect(b.sampled).toBeGreaterThanOrEqual(1);
    // weights: items ÷ sampled per bucket, so weighted counts reproduce bucket sizes
    for (const b of r.perBucket) expect(b.sampled * b.weight).toBeCloseTo(b.items, 2);
    const again = sampleToFit([...all].reverse(), { ...base, capUsd: cap });
    expect([...again.selected].sort()).toEqual([...r.selected].sort());
    const other = sampleToFit(all, { ...base, capUsd: cap, seed: 8 });
    expect([...other.selected].sort()).not.toEqual([...r.selected].sort());
    for (const s of ['slack', 'email', 'nlq'] as const) {
      expect(r.perSource[s].coveragePct).toBeCloseTo((100 * r.perSource[s].sampled) / r.perSource[s].items, 1);
    }
  });

  it('flags a source below the coverage floor', () => {
    const all = items(5000, 'slack', 60, () => 900);
    const r = sampleToFit(all, { ...base, capUsd: 0.05 });
    expect(r.perSource.slack.coveragePct).toBeLessThan(20);
    expect(r.perSource.slack.belowFloor).toBe(true);
  });

  it('allocate honours the minimum, the quota and bucket sizes', () => {
    expect(allocate([10, 10, 10], 6, 1)).toEqual([2, 2, 2]);
    expect(allocate([1, 100], 20, 1)).toEqual([1, 19]);
    expect(allocate([5, 5, 5], 2, 1)).toEqual([1, 1, 0]);
    const a = allocate([3, 7, 90], 50, 1);
    expect(a.reduce((x, y) => x + y, 0)).toBe(50);
    a.forEach((v, i) => expect(v).toBeLessThanOrEqual([3, 7, 90][i]));
  });
});

import { describe, expect, it } from 'vitest';
import { RandomStream, cumulativeWeights } from './stream.js';

const N = 200_000;

function moments(f: (i: number) => number, n = N) {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = f(i);
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

describe('RandomStream determinism', () => {
  it('same (seed, stream, index) gives the same value whatever the chunking', () => {
    const a = new RandomStream(42, 'fact_card_transaction.amount');
    const whole = Array.from({ length: 10_000 }, (_, i) => a.uniform(i));
    for (const chunk of [1, 7, 333, 4096]) {
      const b = new RandomStream(42, 'fact_card_transaction.amount');
      const got: number[] = [];
      // walk chunks in reverse to prove order does not matter either
      const starts = Array.from({ length: Math.ceil(10_000 / chunk) }, (_, c) => c * chunk).reverse();
      const parts = starts.map((s) => Array.from({ length: Math.min(chunk, 10_000 - s) }, (_, j) => b.uniform(s + j)));
      for (const p of parts.reverse()) got.push(...p);
      expect(got).toEqual(whole);
    }
  });

  it('differs across seeds, streams, indexes and draws', () => {
    const a = new RandomStream(42, 's');
    expect(new RandomStream(43, 's').uniform(5)).not.toBe(a.uniform(5));
    expect(new RandomStream(42, 't').uniform(5)).not.toBe(a.uniform(5));
    expect(a.uniform(6)).not.toBe(a.uniform(5));
    expect(a.uniform(5, 1)).not.toBe(a.uniform(5, 0));
    expect(a.child('x').uniform(5)).toBe(new RandomStream(42, 's/x').uniform(5));
  });

  it('handles indexes beyond 2^32', () => {
    const a = new RandomStream(1, 'big');
    expect(a.uniform(2 ** 32 + 5)).not.toBe(a.uniform(5));
    expect(a.uniform(2 ** 40)).toBe(new RandomStream(1, 'big').uniform(2 ** 40));
  });
});

describe('RandomStream distributions', () => {
  const s = new RandomStream(7, 'moments');

  it('uniform is on (0,1) with mean 1/2 and variance 1/12', () => {
    let min = 1;
    let max = 0;
    const m = moments((i) => {
      const u = s.uniform(i);
      min = Math.min(min, u);
      max = Math.max(max, u);
      return u;
    });
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    expect(m.mean).toBeCloseTo(0.5, 2);
    expect(m.variance).toBeCloseTo(1 / 12, 3);
  });

  it('normal has the requested mean and sd', () => {
    const m = moments((i) => s.normal(i, 10, 3));
    expect(m.mean).toBeCloseTo(10, 1);
    expect(Math.sqrt(m.variance)).toBeCloseTo(3, 1);
  });

  it('lognormal matches exp(mu + sigma²/2)', () => {
    const m = moments((i) => s.lognormal(i, 1, 0.5));
    expect(m.mean / Math.exp(1 + 0.125)).toBeCloseTo(1, 1);
  });

  it('exponential has mean 1/rate', () => {
    const m = moments((i) => s.exponential(i, 4));
    expect(m.mean).toBeCloseTo(0.25, 2);
    expect(m.variance).toBeCloseTo(1 / 16, 2);
  });

  it.each([0.3, 3.5, 25, 120])('poisson(%d) has mean and variance lambda', (lambda) => {
    const m = moments((i) => s.poisson(i, lambda), 100_000);
    expect(Math.abs(m.mean - lambda) / lambda).toBeLessThan(0.02);
    expect(Math.abs(m.variance - lambda) / lambda).toBeLessThan(0.05);
  });

  it('categorical follows the weights', () => {
    const w = [0.94, 0.05, 0.01];
    const cum = cumulativeWeights(w);
    const counts = [0, 0, 0];
    for (let i = 0; i < N; i++) counts[s.categorical(i, cum)]++;
    counts.forEach((c, j) => expect(Math.abs(c / N - w[j])).toBeLessThan(0.003));
  });

  it('int covers both ends uniformly', () => {
    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const v = s.int(i, 3, 8);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([3, 4, 5, 6, 7, 8]);
    for (const c of counts.values()) expect(Math.abs(c / 60_000 - 1 / 6)).toBeLessThan(0.01);
  });

  it('rejects weights that cannot be sampled', () => {
    expect(() => cumulativeWeights([0, 0])).toThrow(/positive sum/);
    expect(() => cumulativeWeights([1, -1])).toThrow(/≥ 0/);
  });
});

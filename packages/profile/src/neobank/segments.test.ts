import { describe, expect, it } from 'vitest';
import { effectiveBase } from './segments.js';

/** Sums of (d, n) pairs per cluster, as the profile's SQL aggregates them. */
function sums(pairs: Array<[number, number]>) {
  let sd = 0, sn = 0, sdd = 0, sdn = 0, snn = 0;
  for (const [d, n] of pairs) {
    sd += d;
    sn += n;
    sdd += d * d;
    sdn += d * n;
    snn += n * n;
  }
  return [pairs.length, sd, sn, sdd, sdn, snn] as const;
}

describe('effectiveBase (cluster-robust base of a decline rate)', () => {
  it('is about the number of attempts when customers decline alike, far fewer when declines pile up on a few', () => {
    // 100 customers × 100 attempts, 5 declines each: no spread between customers beyond the binomial's
    // (here none at all: the cluster variance is 0, so the whole base counts)
    const even = sums(Array.from({ length: 100 }, () => [5, 100] as [number, number]));
    expect(effectiveBase(...even)).toBe(10_000);
    // the same 500 declines held by 10 customers (50 each): the rate is as uncertain as ~1,000 attempts
    const piled = sums(Array.from({ length: 100 }, (_, i) => [i < 10 ? 50 : 0, 100] as [number, number]));
    const nEff = effectiveBase(...piled);
    // var = k/(k−1) · Σ(d − r n)² / N² = 100/99 · (10 · 45² + 90 · 5²) / 10⁴²; r(1 − r) = 0.0475
    const variance = ((100 / 99) * (10 * 45 ** 2 + 90 * 5 ** 2)) / 1e8;
    expect(nEff).toBe(Math.floor(0.0475 / variance));
    expect(nEff).toBeLessThan(300);
  });
  it('falls back to the attempts with fewer than two customers or a rate of 0 or 1', () => {
    expect(effectiveBase(...sums([[3, 40]]))).toBe(40);
    expect(effectiveBase(...sums([[0, 40], [0, 60]]))).toBe(100);
    expect(effectiveBase(...sums([[40, 40], [60, 60]]))).toBe(100);
  });
});

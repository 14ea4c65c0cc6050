import { RandomStream } from '@dnr/core';
import { describe, expect, it } from 'vitest';
import { gammaDraw } from './gamma.js';

function sample(shape: number, n: number): number[] {
  const rs = new RandomStream(7, 'gamma-test');
  return Array.from({ length: n }, (_, i) => gammaDraw(shape, (j) => rs.standardNormal(i, 2 * j), (j) => rs.uniform(i, 2 * j + 1)));
}

describe('gammaDraw', () => {
  it.each([0.55, 1, 3])('has mean shape and variance shape (shape %s, 40k draws)', (shape) => {
    const xs = sample(shape, 40_000);
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
    // standard errors: mean sqrt(k/n), variance about sqrt((2k² + 6k)/n) for Gamma(k)
    expect(Math.abs(mean - shape)).toBeLessThan(4 * Math.sqrt(shape / xs.length));
    expect(Math.abs(variance - shape)).toBeLessThan(4 * Math.sqrt((2 * shape * shape + 6 * shape) / xs.length));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
  });

  it('puts Gamma(0.55) mass near zero: P(X < 0.1) matches the CDF (0.306)', () => {
    const xs = sample(0.55, 40_000);
    // regularised lower incomplete gamma P(0.55, 0.1) ≈ 0.3062 (series γ(s,x) = x^s e^−x Σ x^n / (s(s+1)…(s+n)))
    let term = 1 / 0.55;
    let sum = term;
    for (let n = 1; n < 60; n++) sum += term *= 0.1 / (0.55 + n);
    const gammaFn = Math.exp(lgamma(0.55));
    const p = (Math.pow(0.1, 0.55) * Math.exp(-0.1) * sum) / gammaFn;
    const seen = xs.filter((x) => x < 0.1).length / xs.length;
    expect(Math.abs(seen - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / xs.length));
  });

  it('rejects a non-positive shape', () => {
    expect(() => gammaDraw(0, () => 0, () => 0.5)).toThrow(RangeError);
  });
});

/** ln Γ(x) by the Lanczos approximation (g = 7, n = 9; Numerical Recipes coefficients). */
function lgamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  const y = x - 1;
  let a = g[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += g[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

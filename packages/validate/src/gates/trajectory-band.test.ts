import { describe, expect, it } from 'vitest';
import { NeobankBehaviourSchema } from '@dnr/core';
import { olsSlope, steadyInflowBand } from './trajectory-band.js';

describe('olsSlope', () => {
  it('recovers an exact line and its standard error from per-point variances', () => {
    const y = [1, 3, 5, 7, 9];
    const { slope, se } = olsSlope(y, [0.04, 0.04, 0.04, 0.04, 0.04]);
    expect(slope).toBeCloseTo(2, 12);
    // Σ(x − x̄)² = 10 for x = 1…5: se = √(0.04 · 10) / 10 = 0.0632…
    expect(se).toBeCloseTo(Math.sqrt(0.4) / 10, 12);
  });
});

describe('steadyInflowBand', () => {
  const b = NeobankBehaviourSchema.parse({});
  const months = ['2025-04-01', '2025-05-01', '2025-06-01', '2025-07-01', '2025-08-01', '2025-09-01', '2025-10-01', '2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01'].map((month) => ({ month, n: 500 }));
  it('is centred on the declared trend: flat month-of-year and weekday curves give about the configured %/month', () => {
    const flat = { ...b, inflow: { ...b.inflow, month_of_year: Array(12).fill(1), day_of_week: Array(7).fill(1) }, calendar: {} };
    const band = steadyInflowBand(flat, 3, '2025-01-01', months, 3);
    // monthly sums of a daily exp(g · t) curve grow 3 % per 30.4375 days; month lengths differ (a 28-day
    // February late in the fit pulls the line down: 2.86 % here), so the fit is near, not exactly, 3 %
    expect(band.declaredPct).toBeGreaterThan(2.8);
    expect(band.declaredPct).toBeLessThan(3.1);
    expect(band.min).toBeLessThan(band.declaredPct);
    expect(band.max).toBeGreaterThan(band.declaredPct);
  });
  it('widens with the configured noise and with fewer sign-ups, narrows with fewer standard errors', () => {
    const base = steadyInflowBand(b, 0.4, '2025-01-01', months, 3);
    const noisy = steadyInflowBand({ ...b, inflow: { ...b.inflow, counts: { ...b.inflow.counts, month_sigma: 0.1 } } }, 0.4, '2025-01-01', months, 3);
    const few = steadyInflowBand(b, 0.4, '2025-01-01', months.map((m) => ({ ...m, n: 50 })), 3);
    const two = steadyInflowBand(b, 0.4, '2025-01-01', months, 2);
    expect(noisy.se).toBeGreaterThan(base.se);
    expect(few.se).toBeGreaterThan(base.se);
    expect(two.max - two.min).toBeLessThan(base.max - base.min);
    expect(two.declaredPct).toBe(base.declaredPct);
  });
});

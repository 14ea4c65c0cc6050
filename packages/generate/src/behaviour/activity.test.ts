import { describe, expect, it } from 'vitest';
import { activityAt, activityWeightedSum } from './activity.js';

/** The direct sum activityWeightedSum replaces. */
function direct(c: Parameters<typeof activityAt>[0], w: number[], from: number, to: number, tau0: number): number {
  let acc = 0;
  for (let i = from; i < to; i++) acc += w[i] * activityAt(c, tau0 + (i - from));
  return acc;
}

describe('activityWeightedSum', () => {
  // day weights with a weekly and a seasonal swing, 600 days
  const w = Array.from({ length: 600 }, (_, d) => (1 + 0.3 * Math.sin((2 * Math.PI * d) / 7)) * (1 + 0.5 * Math.cos((2 * Math.PI * d) / 365)));
  const curves = [
    { ramp_days: 14, long_run: 0.4, half_life_days: 120 },
    { ramp_days: 3, long_run: 1.8, half_life_days: 400 },
    { ramp_days: 0.2, long_run: 0, half_life_days: 2 },
    { ramp_days: 400, long_run: 1, half_life_days: 30 },
  ];
  it('equals the day-by-day sum of activityAt for decaying, growing, fast and slow curves', () => {
    for (const c of curves)
      for (const [from, to, tau0] of [
        [0, 600, 0.5],
        [37, 548, 0.03],
        [100, 101, 12.7],
        [5, 400, -3.4],
        [0, 600, 250.5],
      ]) {
        const want = direct(c, w, from, to, tau0);
        expect(want).toBeGreaterThan(0);
        expect(Math.abs(activityWeightedSum(c, w, from, to, tau0) - want) / want).toBeLessThan(1e-12);
      }
  });
  it('is 0 over an empty range and over days before the first use', () => {
    expect(activityWeightedSum(curves[0], w, 10, 10, 1)).toBe(0);
    expect(activityWeightedSum(curves[0], w, 10, 14, -5)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigSchema, RandomStream } from '@dnr/core';
import { LocalClock } from './clock.js';
import { creationInstants } from './inflow.js';
import { eventWindow } from './window.js';

const window = eventWindow('2026-06-30', 12, 'America/Chicago');
const clock = new LocalClock(window, -1, window.days + 2);
const base = ConfigSchema.parse({}).behaviour.neobank.inflow;

/** Dispersion index (variance / mean) of daily counts of n creations over flat day weights. */
function dispersion(counts: Partial<typeof base.counts>, n = 73_000): number {
  const inflow = { ...base, counts: { ...base.counts, ...counts } };
  const rs = new RandomStream(7, 'inflow-test');
  const t = creationInstants(n, new Float64Array(window.days).fill(1), 0, inflow, window.startDate, clock, (i, k) => rs.uniform(i, k));
  const perDay = new Float64Array(window.days + 2);
  for (const x of t) perDay[Math.floor(clock.localOf(x) / 86400)]++;
  const days = Array.from(perDay.subarray(0, window.days));
  const mean = days.reduce((a, b) => a + b, 0) / days.length;
  return days.reduce((a, b) => a + (b - mean) ** 2, 0) / (days.length - 1) / mean;
}

describe('creationInstants: daily counts drawn or allocated', () => {
  it('allocated counts are smoother than chance (a quota), drawn ones carry Poisson noise', () => {
    expect(dispersion({ mode: 'allocated' })).toBeLessThan(0.2);
    const poisson = dispersion({ mode: 'drawn', day_sigma: 0, month_sigma: 0 });
    expect(poisson).toBeGreaterThan(0.75);
    expect(poisson).toBeLessThan(1.3);
  });

  it('day and month shocks make counts over-dispersed (variance ≈ mean + mean² σ²)', () => {
    // 200/day: a 0.15 day shock adds ≈ 200 × 0.0225 = 4.5 to the dispersion index
    const d = dispersion({ mode: 'drawn', day_sigma: 0.15, month_sigma: 0 });
    expect(d).toBeGreaterThan(3);
    expect(d).toBeLessThan(8);
  });

  it('the neobank default draws its sign-ups', () => {
    expect(base.counts).toEqual({ mode: 'drawn', day_sigma: 0.15, month_sigma: 0.05 });
    expect(ConfigSchema.parse({}).behaviour.marketplace.buyers.inflow.counts.mode).toBe('allocated');
  });
});

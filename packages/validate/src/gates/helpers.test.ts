import { describe, expect, it } from 'vitest';
import { binomialAllowance, inRange, rangeRow, rangeText } from '../rows.js';
import { mixDeviation } from './comms-volumes.js';
import { coveredShare } from './event-correlation.js';

describe('gate helpers', () => {
  it('rangeRow: inclusive bounds, readable bound text, NaN/null fail', () => {
    expect(rangeRow('f', 'g', 1.8, { min: 1.2, max: 1.8 })).toMatchObject({ gate: 'f.g', verdict: 'pass', bound: '[1.2, 1.8]' });
    expect(rangeRow('f', 'g', 1.81, { max: 1.8 })).toMatchObject({ verdict: 'fail', bound: '≤ 1.8' });
    expect(rangeRow('f', 'g', null, { min: 0 }).verdict).toBe('fail');
    expect(inRange(Number.NaN, {})).toBe(false);
    expect(rangeText({ min: 0.95 })).toBe('≥ 0.95');
  });

  it('binomial allowance shrinks with n', () => {
    expect(binomialAllowance(0.02, 2000)).toBeCloseTo(3 * Math.sqrt((0.02 * 0.98) / 2000), 12);
    expect(binomialAllowance(0.02, 200_000)).toBeLessThan(binomialAllowance(0.02, 2000));
  });

  it('mixDeviation: largest |share − target| in pp over normalised weights; unknown keys fail hard', () => {
    const d = mixDeviation(new Map([['a', 55], ['b', 30], ['c', 15]]), { a: 4, b: 4, c: 2 });
    expect(d.maxPp).toBeCloseTo(15, 10);
    expect(d.worst).toBe('a');
    expect(mixDeviation(new Map([['a', 1], ['zzz', 1]]), { a: 1 }).maxPp).toBe(100);
  });

  it('coveredShare: union of ±h windows around local days, clipped to the range', () => {
    const lo = Date.parse('2026-01-01T00:00:00Z');
    const hi = Date.parse('2026-01-11T00:00:00Z');
    // one day ± 24 h = 3 days of 10; two overlapping days ± 24 h = 4 days
    expect(coveredShare(['2026-01-05'], 24, lo, hi)).toBeCloseTo(0.3, 12);
    expect(coveredShare(['2026-01-05', '2026-01-06'], 24, lo, hi)).toBeCloseTo(0.4, 12);
    expect(coveredShare(['2026-01-01'], 24, lo, hi)).toBeCloseTo(0.2, 12);
  });
});

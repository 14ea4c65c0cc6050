import { describe, expect, it } from 'vitest';
import { change, count, date, minutes, outOf100, pct, points, ratio, share, usd } from './format.js';

describe('format (numbers for people)', () => {
  it('percentages with one decimal, shares as percentages, signed changes', () => {
    expect(pct(2.0483)).toBe('2.0%');
    expect(pct(96.1331)).toBe('96.1%');
    expect(share(0.159081)).toBe('15.9%');
    expect(change(15.04)).toBe('+15.0%');
    expect(change(-1.93)).toBe('−1.9%');
    expect(change(0.01)).toBe('0.0%');
    expect(pct(null)).toBe('n/a');
  });

  it('money with thousands separators and sensible rounding', () => {
    expect(usd(9.99)).toBe('$9.99');
    expect(usd(19.98)).toBe('$20');
    expect(usd(495626.05)).toBe('$495,626');
    expect(usd(12_345_678)).toBe('$12.3M');
  });

  it('durations in h/min, counts, multiples, scores and dates', () => {
    expect(minutes(45.2)).toBe('45 min');
    expect(minutes(306.02)).toBe('5 h 6 min');
    expect(minutes(4320)).toBe('3.0 days');
    expect(count(10024)).toBe('10,024');
    expect(ratio(2.634)).toBe('2.6×');
    expect(points(0.3915)).toBe('39 pts');
    expect(outOf100(0.952)).toBe('95/100');
    expect(date('2026-06-01')).toBe('1 Jun 2026');
  });
});

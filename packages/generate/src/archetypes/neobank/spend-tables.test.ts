import { describe, expect, it } from 'vitest';
import { MCCS, NeobankBehaviourSchema } from '@dnr/core';
import { hourCurves, subscriptionProviders, tiltedHourCurve } from './spend-tables.js';

describe('subscriptionProviders', () => {
  it('gives each recurring service of an MCC its own slice of providers (a fifth of the merchants, one per service at least) and leaves ordinary merchants', () => {
    // MCC 0: 20 merchants, two services; MCC 1: 3 merchants, one service; MCC 2: no service
    const p = subscriptionProviders([20, 3, 9], [0, 1, 0]);
    expect(p.perMcc).toEqual([4, 1, 0]);
    expect(p.services).toEqual([
      { offset: 0, count: 2 },
      { offset: 0, count: 1 },
      { offset: 2, count: 2 },
    ]);
  });

  it('an odd provider count goes to the first service; too few merchants means no providers (shared with purchases)', () => {
    const p = subscriptionProviders([30, 2, 1], [0, 0, 1, 1, 2]);
    expect(p.perMcc).toEqual([6, 0, 0]);
    expect(subscriptionProviders([13], [0, 0]).services).toEqual([
      { offset: 0, count: 2 },
      { offset: 2, count: 1 },
    ]);
    expect(p.services.slice(2)).toEqual([
      { offset: 0, count: 0 },
      { offset: 0, count: 0 },
      { offset: 0, count: 0 },
    ]);
  });
});

describe('tiltedHourCurve', () => {
  it('leans a night owl towards the evening and the small hours without opening closed hours', () => {
    const flat = Array.from({ length: 24 }, (_, h) => (h >= 6 && h < 22 ? 1 : 0));
    const owl = tiltedHourCurve(flat, 2, 0.05);
    // 21 h (lateness 4.5) over 9 h (lateness −7.5): exp(0.05 · 2 · 12)
    expect(owl[21] / owl[9]).toBeCloseTo(Math.exp(1.2), 9);
    expect(owl[3]).toBe(0);
    const lark = tiltedHourCurve(flat, -2, 0.05);
    expect(lark[9]).toBeGreaterThan(lark[21]);
    expect(tiltedHourCurve(flat, 3, 0)).toEqual(flat);
  });
});

describe('hourCurves', () => {
  it('restaurants, bakeries and bars follow their own curves; other dining MCCs share the sector curve', () => {
    const b = NeobankBehaviourSchema.parse({});
    const { curves, ofMcc } = hourCurves(b);
    const curveOf = (mcc: number) => curves[ofMcc[ofMccIndex(mcc)]];
    const peak = (xs: readonly number[]) => xs.indexOf(Math.max(...xs));
    expect([12, 13, 18, 19]).toContain(peak(curveOf(5812).weekday));
    expect(peak(curveOf(5813).weekday)).toBeGreaterThanOrEqual(19);
    expect(peak(curveOf(5462).weekday)).toBeLessThanOrEqual(9);
    expect(ofMcc[ofMccIndex(5814)]).toBe(ofMcc[ofMccIndex(5811)]);
  });
});

function ofMccIndex(mcc: number): number {
  return MCCS.findIndex((x) => x.mcc === mcc);
}

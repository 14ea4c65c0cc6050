import { describe, expect, it } from 'vitest';
import { RandomStream } from '@dnr/core';
import { cumulativeTenureHazard, invertTenureHazard, sampleHazardTime, tenureHazardRate } from './hazard.js';
import { DAYS_PER_MONTH } from './window.js';

const h = { monthly: 0.02, early_multiplier: 3, early_months: 3 };

describe('tenure hazard', () => {
  it('starts at monthly × early_multiplier and relaxes to monthly', () => {
    expect(tenureHazardRate(h, 0)).toBeCloseTo(0.06, 12);
    expect(tenureHazardRate(h, 60)).toBeCloseTo(0.02, 6);
  });

  it('inversion of the cumulative hazard is exact, and sampled survival follows exp(−H)', () => {
    for (const e of [0.01, 0.3, 2]) expect(cumulativeTenureHazard(h, invertTenureHazard(h, e))).toBeCloseTo(e, 9);
    const rs = new RandomStream(7, 'hazard-test');
    const n = 20000;
    let alive12 = 0;
    let numeric = 0;
    for (let i = 0; i < n; i++) {
      const e = -Math.log(rs.uniform(i));
      if (invertTenureHazard(h, e) > 12) alive12++;
      const days = sampleHazardTime(e, (t) => tenureHazardRate(h, t / DAYS_PER_MONTH), 400, 5);
      if (Math.abs(days / DAYS_PER_MONTH - invertTenureHazard(h, e)) < 0.05 || (!Number.isFinite(days) && invertTenureHazard(h, e) * DAYS_PER_MONTH > 400)) numeric++;
    }
    expect(alive12 / n).toBeCloseTo(Math.exp(-cumulativeTenureHazard(h, 12)), 2);
    expect(numeric / n).toBeGreaterThan(0.99); // the stepwise integral agrees with the closed form
  });
});

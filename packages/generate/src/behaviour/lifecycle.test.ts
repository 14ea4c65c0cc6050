import { describe, expect, it } from 'vitest';
import { stationaryPreShare } from './lifecycle.js';

describe('stationaryPreShare', () => {
  it('keeps a steady base: pre-window share = 1 / (1 + churn · months) for T1/T3', () => {
    expect(stationaryPreShare(0.018, 18, 'T1')).toBeCloseTo(1 / (1 + 0.018 * 18), 10);
    expect(stationaryPreShare(0.018, 18, 'T3')).toBe(stationaryPreShare(0.018, 18, 'T1'));
  });

  it('T2 growth adds more in-window entities', () => {
    expect(stationaryPreShare(0.018, 18, 'T2')).toBeLessThan(stationaryPreShare(0.018, 18, 'T1'));
  });
});

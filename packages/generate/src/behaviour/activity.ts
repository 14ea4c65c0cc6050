import type { ActivityCurve } from '@dnr/core';

/**
 * Activity at tenure t (days since first use): a ramp 1 − exp(−t/ramp_days) times a level moving from
 * 1 to `long_run` with half-life `half_life_days`. 0 before first use.
 */
export function activityAt(c: ActivityCurve, tenureDays: number): number {
  if (tenureDays <= 0) return 0;
  const ramp = 1 - Math.exp(-tenureDays / c.ramp_days);
  return ramp * (c.long_run + (1 - c.long_run) * Math.pow(0.5, tenureDays / c.half_life_days));
}

/** The same curve as SQL over a tenure expression in days and per-row curve columns. */
export function activitySql(tenureDays: string, ramp: string, longRun: string, halfLife: string): string {
  return `(CASE WHEN ${tenureDays} <= 0 THEN 0.0 ELSE (1 - exp(-(${tenureDays}) / ${ramp})) * (${longRun} + (1 - ${longRun}) * pow(0.5, (${tenureDays}) / ${halfLife})) END)`;
}

/**
 * Σ w[i] · activityAt(c, τ0 + (i − from)) over i in [from, to): the activity-weighted exposure of one
 * entity whose tenure is τ0 days at index `from` and grows by a day per index (days with tenure ≤ 0
 * count 0). Without an exp/pow per day: the curve is L + (1 − L)·qᵗ − L·pᵗ − (1 − L)·(pq)ᵗ with
 * p = e^(−1/ramp_days), q = 2^(−1/half_life_days), so each term is a geometric sequence in the day
 * index. Agrees with the direct sum to a relative 1e-12 (activity.test.ts).
 */
export function activityWeightedSum(c: ActivityCurve, w: ArrayLike<number>, from: number, to: number, tau0: number): number {
  let i = from;
  let tau = tau0;
  while (i < to && tau <= 0) {
    i++;
    tau++;
  }
  if (i >= to) return 0;
  const p = Math.exp(-1 / c.ramp_days);
  const q = Math.pow(0.5, 1 / c.half_life_days);
  let P = Math.exp(-tau / c.ramp_days);
  let Q = Math.pow(0.5, tau / c.half_life_days);
  let s0 = 0;
  let sp = 0;
  let sq = 0;
  let spq = 0;
  for (; i < to; i++) {
    const x = w[i];
    s0 += x;
    sp += x * P;
    sq += x * Q;
    spq += x * P * Q;
    // flush to zero before the powers go subnormal (subnormal arithmetic is ~100× slower)
    P = P < 1e-200 ? 0 : P * p;
    Q = Q < 1e-200 ? 0 : Q * q;
  }
  const L = c.long_run;
  return L * (s0 - sp) + (1 - L) * (sq - spq);
}

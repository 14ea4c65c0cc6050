import type { TenureHazard } from '@dnr/core';
import { DAYS_PER_MONTH } from './window.js';

/** Hazard per month at tenure t (months): monthly·(1 + (early_multiplier − 1)·exp(−t/early_months)). */
export function tenureHazardRate(h: TenureHazard, tMonths: number): number {
  return h.monthly * (1 + (h.early_multiplier - 1) * Math.exp(-Math.max(0, tMonths) / h.early_months));
}

/** Cumulative hazard from creation to tenure t (months), closed form. */
export function cumulativeTenureHazard(h: TenureHazard, tMonths: number): number {
  const t = Math.max(0, tMonths);
  return h.monthly * (t + (h.early_multiplier - 1) * h.early_months * (1 - Math.exp(-t / h.early_months)));
}

/**
 * Time (days from creation) at which an event with hazard `rateAt(tenureDays)` (per month) first
 * happens, given E ~ Exp(1) (pass −ln(u)): the cumulative hazard is integrated in `stepDays` steps and
 * interpolated inside the step that crosses E. Infinity when it does not happen within `horizonDays`.
 * Any multipliers (segment, vintage, a rising T3 churn over calendar time) go into `rateAt`.
 */
export function sampleHazardTime(e: number, rateAt: (tenureDays: number) => number, horizonDays: number, stepDays = 7): number {
  let acc = 0;
  for (let t = 0; t < horizonDays; t += stepDays) {
    const step = Math.min(stepDays, horizonDays - t);
    const inc = (rateAt(t + step / 2) * step) / DAYS_PER_MONTH;
    if (acc + inc >= e) return t + (inc > 0 ? ((e - acc) / inc) * step : 0);
    acc += inc;
  }
  return Infinity;
}

/** Tenure (months) at which the cumulative tenure hazard reaches e (Newton on the closed form); Infinity when monthly is 0 and e is beyond the early excess. */
export function invertTenureHazard(h: TenureHazard, e: number): number {
  if (h.monthly <= 0) return Infinity;
  let t = e / (h.monthly * h.early_multiplier);
  for (let k = 0; k < 40; k++) {
    const f = cumulativeTenureHazard(h, t) - e;
    const step = f / tenureHazardRate(h, t);
    t = Math.max(0, t - step);
    if (Math.abs(step) < 1e-9) break;
  }
  return t;
}

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

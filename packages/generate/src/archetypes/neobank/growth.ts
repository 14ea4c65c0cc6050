import type { NeobankBehaviour } from '@dnr/core';

const DAY_MS = 86_400_000;

/** Timeline day (0 = window start) of an ISO date. */
const dayOfDate = (date: string, startDate: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / DAY_MS);

/**
 * Multiplier of one growth event on timeline day d: 1 outside [from, to]; inside, 1 + (multiplier − 1)
 * × a linear ramp in over ramp_days × the same ramp out before `to` (none for a lasting event) × the
 * lift's exponential fade since `from` (decay_days; null = no fade).
 */
function eventFactor(e: NeobankBehaviour['growth_events'][string], from: number, to: number, d: number): number {
  if (d < from || d > to) return 1;
  const ramp = Math.max(1, e.ramp_days);
  const rampIn = Math.min(1, (d - from + 1) / ramp);
  const rampOut = Number.isFinite(to) ? Math.min(1, (to - d + 1) / ramp) : 1;
  const fade = e.decay_days === null ? 1 : Math.exp(-(d - from) / e.decay_days);
  return 1 + (e.multiplier - 1) * rampIn * rampOut * fade;
}

/**
 * Sign-up weights of timeline days [fromDay, fromDay + weights.length) multiplied in place by the
 * growth events (behaviour.neobank.growth_events: campaigns, app-store features, a referral programme,
 * a bad quarter); overlapping events multiply. The events are dated, so the same days move whatever
 * the window: nothing switches at the window start.
 */
export function applyGrowthEvents(b: NeobankBehaviour, startDate: string, fromDay: number, weights: Float64Array): void {
  for (const e of Object.values(b.growth_events)) {
    const from = dayOfDate(e.from, startDate);
    const to = e.to === null ? Infinity : dayOfDate(e.to, startDate);
    const lo = Math.max(from, fromDay);
    const hi = Math.min(to, fromDay + weights.length - 1);
    for (let d = lo; d <= hi; d++) weights[d - fromDay] *= eventFactor(e, from, to, d);
  }
}

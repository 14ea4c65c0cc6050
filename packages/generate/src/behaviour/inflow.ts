import type { Inflow } from '@dnr/core';
import { calendarMultipliers, monthOf, weekdayOf, type CalendarHit } from './calendar.js';
import { LocalHourSampler, type LocalClock } from './clock.js';
import { DAYS_PER_MONTH } from './window.js';

/**
 * Timeline day of the inflow's launch (negative: before the window). A window that starts before the
 * configured launch date (a long `months`) moves the launch back so the ramp is over when the window
 * opens: the window never starts with an empty business.
 */
export function launchDay(inflow: Inflow, startDate: string): number {
  const configured = Math.round((Date.parse(`${inflow.launch_date}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / 86_400_000);
  return Math.min(configured, -Math.ceil(inflow.ramp_months * DAYS_PER_MONTH) - 1);
}

/**
 * Relative inflow per local day on [fromDay, toDay): a logistic launch ramp over `ramp_months`, then
 * compounding growth of `trendPct` %/month, times month-of-year, day-of-week and the calendar's
 * `calendarKey` effects. One smooth process from launch to the window end (no switch at the window start).
 */
export function inflowDayWeights(inflow: Inflow, trendPct: number, startDate: string, fromDay: number, toDay: number, hits: readonly CalendarHit[], calendarKey: string): Float64Array {
  const cal = calendarMultipliers(hits, calendarKey, fromDay, toDay);
  const launch = launchDay(inflow, startDate);
  const ramp = inflow.ramp_months;
  const g = Math.log(1 + trendPct / 100);
  const out = new Float64Array(toDay - fromDay);
  for (let d = fromDay; d < toDay; d++) {
    const t = (d - launch) / DAYS_PER_MONTH;
    if (t < 0) continue;
    const r = ramp > 0 ? 1 / (1 + Math.exp(-8 * (t / ramp - 0.5))) : 1;
    const trend = Math.exp(g * Math.max(0, t - ramp));
    out[d - fromDay] = r * trend * inflow.month_of_year[monthOf(startDate, d).month] * inflow.day_of_week[weekdayOf(startDate, d)] * cal[d - fromDay];
  }
  return out;
}

/** A standard normal from two uniforms (Box–Muller). */
const normalOf = (u1: number, u2: number) => Math.sqrt(-2 * Math.log(Math.max(u1, 1e-300))) * Math.cos(2 * Math.PI * u2);

/**
 * The day weights with the inflow's count noise applied (drawn mode): each day × a mean-one lognormal
 * day shock (log-sd day_sigma) × its calendar month's mean-one lognormal shock (log-sd month_sigma).
 * Shocks are keyed by timeline day / month (uniform keys 10–13), never by entity, so they do not
 * depend on the entity count.
 */
function shockedWeights(weights: Float64Array, fromDay: number, inflow: Inflow, startDate: string, uniform: (i: number, k: number) => number): Float64Array {
  const { day_sigma: ds, month_sigma: ms } = inflow.counts;
  const out = new Float64Array(weights.length);
  const monthShock = new Map<number, number>();
  for (let j = 0; j < weights.length; j++) {
    const { year, month } = monthOf(startDate, fromDay + j);
    const key = year * 12 + month;
    let mShock = monthShock.get(key);
    if (mShock === undefined) monthShock.set(key, (mShock = Math.exp(ms * normalOf(uniform(key, 12), uniform(key, 13)) - (ms * ms) / 2)));
    const dShock = Math.exp(ds * normalOf(uniform(fromDay + j + 1_000_000, 10), uniform(fromDay + j + 1_000_000, 11)) - (ds * ds) / 2);
    out[j] = weights[j] * dShock * mShock;
  }
  return out;
}

/**
 * Creation instants (Unix seconds, ascending) of n entities. The day of each: `counts.mode` 'drawn'
 * draws it independently from the shocked daily weights (a multinomial: Poisson-like counts,
 * overdispersed by the day and month shocks); 'allocated' spreads the n entities along the curve
 * ((i + u)/n through the inverse CDF: monthly counts follow it with less noise than chance). Then a
 * local hour from the weekday/weekend curve over the day's real hours and a uniform second: a repeated
 * (fall-back) hour is two hours, a skipped one none, and those days' weights carry the extra or missing
 * hour (LocalHourSampler). uniform(i, k): entity i uses keys 0–2. With `zoned`, draw i's day is a
 * local date on its own zone's clock and its hour that zone's (the day weights stay those of clock 0);
 * `zoned.order` then tells which draw became which entity.
 */
export function creationInstants(
  n: number,
  weights: Float64Array,
  fromDay: number,
  inflow: Inflow,
  startDate: string,
  clock: LocalClock,
  uniform: (i: number, k: number) => number,
  zoned?: CreationZones,
): Float64Array {
  const drawn = inflow.counts.mode === 'drawn';
  const samplers = (zoned?.clocks ?? [clock]).map((c) => ({ wd: new LocalHourSampler(c, inflow.hour_of_day.weekday), we: new LocalHourSampler(c, inflow.hour_of_day.weekend) }));
  const zonedSampler = (z: number, day: number) => (weekdayOf(startDate, day) >= 5 ? samplers[z].we : samplers[z].wd);
  const sampler = (day: number) => zonedSampler(0, day);
  // a 25-hour (fall-back) day carries an hour more of sign-ups, a 23-hour day an hour less
  const real = weights.map((x, j) => x * sampler(fromDay + j).dayMass(fromDay + j));
  const w = drawn ? shockedWeights(real, fromDay, inflow, startDate, uniform) : real;
  const cum = new Float64Array(w.length);
  let acc = 0;
  for (let j = 0; j < w.length; j++) cum[j] = acc += w[j];
  // the quantile of each entity's day; drawn ones are sorted so one forward scan maps them all
  const targets = new Float64Array(n);
  for (let i = 0; i < n; i++) targets[i] = (drawn ? uniform(i, 0) : (i + uniform(i, 0)) / n) * acc;
  if (drawn) targets.sort();
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    while (j < cum.length - 1 && cum[j] < targets[i]) j++;
    const day = fromDay + j;
    // a real hour of the day (on the entity's own clock): a repeated hour counts twice, a skipped one not at all
    out[i] = zonedSampler(zoned ? zoned.zoneOf(i) : 0, day).utcAt(day, uniform(i, 1), uniform(i, 2));
  }
  // days are in order; hours within a day are not (nor days across zones), so sort
  if (!zoned) return out.sort();
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => out[a] - out[b] || a - b);
  zoned.order = order;
  return Float64Array.from(order, (k) => out[k]);
}

/**
 * Entities on several clocks (creationInstants): `clocks[z]` (index 0 = the day weights' clock) and the
 * zone of draw i; on return `order[j]` is the draw whose instant is the j-th earliest (entity j).
 */
export interface CreationZones {
  clocks: readonly LocalClock[];
  zoneOf: (draw: number) => number;
  order?: Int32Array;
}

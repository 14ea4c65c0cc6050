import type { Inflow } from '@dnr/core';
import { calendarMultipliers, monthOf, weekdayOf, type CalendarHit } from './calendar.js';
import { quantileBuckets } from './curves.js';
import type { LocalClock } from './clock.js';
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

/**
 * Creation instants (Unix seconds, ascending) of n entities: stratified draws from the daily weights
 * ((i + u)/n through the inverse CDF, so monthly counts follow the curve without extra noise), then a
 * local hour from the weekday/weekend curve and a uniform second; a draw in a skipped DST hour moves
 * to the next hour, a repeated hour picks either copy.
 */
export function creationInstants(
  n: number,
  weights: Float64Array,
  fromDay: number,
  inflow: Inflow,
  startDate: string,
  clock: LocalClock,
  uniform: (i: number, k: number) => number,
): Float64Array {
  const cum = new Float64Array(weights.length);
  let acc = 0;
  for (let j = 0; j < weights.length; j++) cum[j] = acc += weights[j];
  const wd = quantileBuckets(inflow.hour_of_day.weekday);
  const we = quantileBuckets(inflow.hour_of_day.weekend);
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const target = ((i + uniform(i, 0)) / n) * acc;
    while (j < cum.length - 1 && cum[j] < target) j++;
    const day = fromDay + j;
    const q = weekdayOf(startDate, day) >= 5 ? we : wd;
    let hour = q[Math.floor(uniform(i, 1) * q.length)];
    const sec = Math.floor(uniform(i, 2) * 3600);
    const fold = uniform(i, 3) < 0.5;
    let utc = clock.utcOf(day * 86400 + hour * 3600 + sec, fold);
    while (utc === null) utc = clock.utcOf(day * 86400 + ++hour * 3600 + sec, fold);
    out[i] = utc;
  }
  // stratification keeps draws in day order; hours within a day are not, so sort
  return out.sort();
}

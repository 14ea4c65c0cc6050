import { monthOf, weekdayOf } from './calendar.js';

/** Pay profiles: semi-monthly (1st/15th), biweekly Fridays in two alternating cohorts, monthly (last business day). */
export const PAY_PROFILES = ['semi_monthly', 'biweekly_a', 'biweekly_b', 'monthly'] as const;
export type PayProfile = (typeof PAY_PROFILES)[number];

/**
 * Move a payday that falls on a weekend or a bank holiday back to the previous business day (payroll
 * deposits settle on banking days: a Labor Day payday is paid on the Friday before).
 */
function previousBusinessDay(startDate: string, day: number, holidays: ReadonlySet<number>): number {
  let d = day;
  while (weekdayOf(startDate, d) >= 5 || holidays.has(d)) d--;
  return d;
}

/**
 * Paydays of a profile on days [fromDay, toDay) of the timeline starting at `startDate`; `holidays`
 * are timeline days on which banks are closed (paydays move to the business day before).
 */
export function payDays(profile: PayProfile, startDate: string, fromDay: number, toDay: number, holidays: ReadonlySet<number> = new Set()): number[] {
  const out = new Set<number>();
  // scan a little beyond both ends so shifted paydays near the edges are kept
  for (let d = fromDay - 3; d < toDay + 3; d++) {
    const { dayOfMonth } = monthOf(startDate, d);
    const next = monthOf(startDate, d + 1);
    let pay: number | null = null;
    if (profile === 'semi_monthly' && (dayOfMonth === 1 || dayOfMonth === 15)) pay = previousBusinessDay(startDate, d, holidays);
    else if (profile === 'monthly' && next.dayOfMonth === 1) pay = previousBusinessDay(startDate, d, holidays);
    else if (profile.startsWith('biweekly') && weekdayOf(startDate, d) === 4) {
      // Fridays alternate between the two cohorts by the parity of the week count (timeline weeks start on day 0's Monday).
      const week = Math.floor((d - weekdayOf(startDate, d)) / 7);
      if ((((week % 2) + 2) % 2 === 0) === (profile === 'biweekly_a')) pay = previousBusinessDay(startDate, d, holidays);
    }
    if (pay !== null && pay >= fromDay && pay < toDay) out.add(pay);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Spend multiplier per day around paydays: 1 + lift·exp(−days since payday / fade) on and after
 * payday, minus `dip` on the two days before the next one (balances run low).
 */
export function paydayMultipliers(paydays: readonly number[], fromDay: number, toDay: number, lift: number, fadeDays: number, dip: number): Float64Array {
  const out = new Float64Array(toDay - fromDay);
  let k = 0;
  for (let d = fromDay; d < toDay; d++) {
    while (k + 1 < paydays.length && paydays[k + 1] <= d) k++;
    const last = paydays[k] !== undefined && paydays[k] <= d ? paydays[k] : null;
    const next = paydays.find((p) => p > d);
    let m = 1;
    if (last !== null) m += lift * Math.exp(-(d - last) / fadeDays);
    if (next !== undefined && next - d <= 2) m -= dip;
    out[d - fromDay] = Math.max(0, m);
  }
  return out;
}

/** Whether day `d` is one of the two days before a payday (used by the decline model). */
export function prePaydayFlags(paydays: readonly number[], fromDay: number, toDay: number): Uint8Array {
  const out = new Uint8Array(toDay - fromDay);
  for (const p of paydays) for (const d of [p - 1, p - 2]) if (d >= fromDay && d < toDay) out[d - fromDay] = 1;
  return out;
}

import { MARKET_CATEGORY_KEYS, RandomStream, type MarketplaceBehaviour, type TrajectoryPreset } from '@dnr/core';
import { calendarMultipliers, resolveCalendar, type CalendarHit } from '../../behaviour/calendar.js';
import { LocalClock } from '../../behaviour/clock.js';
import { quantileBuckets } from '../../behaviour/curves.js';
import { DayTable } from '../../behaviour/days.js';
import { launchDay } from '../../behaviour/inflow.js';
import { DAYS_PER_MONTH, type EventWindow } from '../../behaviour/window.js';

/** Everything the marketplace simulation shares: config, timeline, clocks per market, calendar, random streams. */
export interface MarketModel {
  b: MarketplaceBehaviour;
  window: EventWindow;
  seed: number;
  /** The warehouse's clock (local days of the facts, defects and snapshot). */
  clock: LocalClock;
  /**
   * One clock per time zone (index into `zones`), from the earliest launch (sign-ups are local too):
   * every country's `tz` (null = the warehouse's) and every buyer home zone of `countries.*.zones`.
   */
  zones: string[];
  clocks: LocalClock[];
  countries: string[];
  /** Per country: index into clocks of its `tz` (shops; buyers of a single-zone country). */
  countryZone: Int8Array;
  /** Per country: cumulative population shares of its buyer home zones and their clock indexes (one entry, the country's zone, when `zones` is empty). */
  buyerZones: { cum: Float64Array; zone: Int8Array }[];
  days: DayTable;
  /** First timeline day (the earliest launch; history before the window). */
  fromDay: number;
  /** First day of the simulated catalogue and orders (listings.history_days before the window). */
  marketFromDay: number;
  startUtc: number;
  endUtc: number;
  calendar: CalendarHit[];
  trajectory: TrajectoryPreset;
  /** Per top category (index 0–9) and day (index d − fromDay): order multipliers of the calendar. */
  categoryDay: Float64Array[];
  /**
   * Category seasonality: popularity rescaled so every category keeps its declared share of a year's
   * demand (index 0–9), and per month × category (index 12·c + month) the category's demand multiplier
   * r (`category_month_of_year` ÷ the month's popularity-weighted mean, so Σ_c pop_c · r_c = Σ_c pop_c
   * in every month and the month's total follows `month_of_year`).
   */
  categoryPop: Float64Array;
  categorySeason: Float64Array;
  /** Order demand per day (month × weekday, index d − fromDay), normalised to mean 1 over the window. */
  orderDay: Float64Array;
  /** Per country: quantised hour-of-day curves of its orders (the country's `hour_of_day`, else the marketplace's), buyer-local time. */
  orderHours: { weekday: Int32Array; weekend: Int32Array }[];
  rs: (name: string) => RandomStream;
}

export const CATEGORY_COUNT = MARKET_CATEGORY_KEYS.length;

export function marketModel(b: MarketplaceBehaviour, window: EventWindow, seed: number, trajectory: 'T1' | 'T2' | 'T3'): MarketModel {
  const fromDay = Math.min(0, launchDay(b.buyers.inflow, window.startDate), launchDay(b.sellers.inflow, window.startDate));
  const marketFromDay = -b.listings.history_days;
  const clock = new LocalClock(window, fromDay - 1, window.days + 2);
  const countries = Object.keys(b.countries);
  const zones = [window.tz, ...Object.values(b.countries).flatMap((c) => [c.tz ?? window.tz, ...Object.keys(c.zones)])].filter((z, i, all) => all.indexOf(z) === i);
  const clocks = zones.map((tz) => (tz === window.tz ? clock : new LocalClock({ ...window, tz }, fromDay - 2, window.days + 3)));
  const countryZone = Int8Array.from(countries, (c) => zones.indexOf(b.countries[c].tz ?? window.tz));
  const buyerZones = countries.map((c, i) => {
    const own = Object.entries(b.countries[c].zones).filter(([, w]) => w > 0);
    if (!own.length) return { cum: Float64Array.of(1), zone: Int8Array.of(countryZone[i]) };
    return { cum: cumulative(own.map(([, w]) => w)), zone: Int8Array.from(own, ([z]) => zones.indexOf(z)) };
  });
  const hours = (c: string) => b.countries[c].hour_of_day ?? b.hour_of_day;
  const days = new DayTable(window.startDate, clock.fromDay, clock.toDay);
  const calendar = resolveCalendar(b.calendar, window.startDate, fromDay, window.days + 2);
  const categoryDay = MARKET_CATEGORY_KEYS.map((k) => calendarMultipliers(calendar, [k, 'orders'], clock.fromDay, clock.toDay));
  const orderDay = new Float64Array(clock.toDay - clock.fromDay);
  let sum = 0;
  for (let d = clock.fromDay; d < clock.toDay; d++) {
    const i = d - clock.fromDay;
    orderDay[i] = b.month_of_year[days.month[i]] * b.day_of_week[days.weekday[i]];
    if (d >= 0 && d < window.days) sum += orderDay[i];
  }
  for (let i = 0; i < orderDay.length; i++) orderDay[i] /= sum / window.days;
  const season = categorySeasonality(b);
  return {
    b,
    window,
    seed,
    clock,
    zones,
    clocks,
    countries,
    countryZone,
    buyerZones,
    days,
    fromDay,
    marketFromDay,
    startUtc: clock.midnight(0),
    endUtc: clock.midnight(window.days),
    calendar,
    trajectory: b.trajectories[trajectory],
    categoryDay,
    categoryPop: season.pop,
    categorySeason: season.r,
    orderDay,
    orderHours: countries.map((c) => ({ weekday: quantileBuckets(hours(c).weekday), weekend: quantileBuckets(hours(c).weekend) })),
    rs: (name) => new RandomStream(seed, `marketplace/${name}`),
  };
}

/** Days per month of a 365-day year (weights the months when a category's share of the year is kept). */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Category seasonality from the config: with S_c(m) = `category_month_of_year[c][m]`, the month's
 * multiplier of category c is r_c(m) = S_c(m) ÷ (Σ_j p_j S_j(m) ÷ Σ_j p_j) (so the month's total is
 * unchanged), and the popularity p is rescaled (fixed-point iteration) until each category's share of a
 * year — Σ_m days_m · month_of_year_m · p_c · r_c(m), normalised — is its `category_popularity` share.
 * Returns p (index c) and r (index 12·c + m).
 */
export function categorySeasonality(b: MarketplaceBehaviour): { pop: Float64Array; r: Float64Array } {
  const K = MARKET_CATEGORY_KEYS.length;
  const target = Float64Array.from(MARKET_CATEGORY_KEYS, (k) => b.category_popularity[k]);
  const S = MARKET_CATEGORY_KEYS.map((k) => b.category_month_of_year[k]);
  const T = MONTH_DAYS.map((d, mo) => d * b.month_of_year[mo]);
  const pop = Float64Array.from(target);
  const r = new Float64Array(12 * K);
  const totalTarget = target.reduce((a, x) => a + x, 0) || 1;
  for (let iter = 0; iter < 60; iter++) {
    const totalPop = pop.reduce((a, x) => a + x, 0) || 1;
    for (let mo = 0; mo < 12; mo++) {
      let mean = 0;
      for (let c = 0; c < K; c++) mean += (pop[c] * S[c][mo]) / totalPop;
      for (let c = 0; c < K; c++) r[12 * c + mo] = mean > 0 ? S[c][mo] / mean : 1;
    }
    const year = Float64Array.from({ length: K }, (_, c) => pop[c] * T.reduce((a, t, mo) => a + t * r[12 * c + mo], 0));
    const totalYear = year.reduce((a, x) => a + x, 0) || 1;
    let moved = 0;
    for (let c = 0; c < K; c++) {
      if (!(year[c] > 0)) continue;
      const f = target[c] / totalTarget / (year[c] / totalYear);
      moved = Math.max(moved, Math.abs(f - 1));
      pop[c] *= f;
    }
    if (moved < 1e-9) break;
  }
  return { pop, r };
}

/** Trajectory multiplier of churn at a Unix instant: 1, rising linearly to the preset's end multiplier over its last months. */
export function churnFactor(m: MarketModel, utc: number): number {
  const p = m.trajectory;
  if (p.churn_multiplier_at_end === 1) return 1;
  const riseStart = m.endUtc - p.churn_rise_months * DAYS_PER_MONTH * 86400;
  if (utc <= riseStart) return 1;
  return 1 + (p.churn_multiplier_at_end - 1) * Math.min(1, (utc - riseStart) / (m.endUtc - riseStart));
}

/** Cumulative shares of a record of weights in key order. */
export function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((s, x) => s + x, 0) || 1;
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => (out[i] = acc += w / total));
  out[weights.length - 1] = 1;
  return out;
}

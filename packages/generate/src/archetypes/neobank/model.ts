import { RandomStream, SECTORS, type NeobankBehaviour, type TrajectoryPreset } from '@dnr/core';
import { resolveCalendar, type CalendarHit } from '../../behaviour/calendar.js';
import { LocalClock, LocalHourSampler } from '../../behaviour/clock.js';
import { DayTable } from '../../behaviour/days.js';
import { launchDay } from '../../behaviour/inflow.js';
import { PAY_PROFILES, payDays } from '../../behaviour/paydays.js';
import { DAYS_PER_MONTH, type EventWindow } from '../../behaviour/window.js';
import { CITY_COUNT, metroZone } from './merchant-names.js';

/** Everything the neobank's entity simulation shares: config, timeline, clock, calendar, random streams. */
export interface NeobankModel {
  b: NeobankBehaviour;
  window: EventWindow;
  seed: number;
  clock: LocalClock;
  /** The time zones customers and merchants live on (see neobankZones). */
  zones: NeobankZones;
  /** Calendar facts of every day the clock covers. */
  days: DayTable;
  /** Unix seconds of each local midnight, index day − clock.fromDay. */
  midnights: Float64Array;
  /** Timeline days [fromDay, window.days): fromDay is the launch (history before the window). */
  fromDay: number;
  /** Unix seconds of the window start (first local midnight) and end (after the last local day). */
  startUtc: number;
  endUtc: number;
  calendar: CalendarHit[];
  trajectory: TrajectoryPreset;
  segmentNames: string[];
  /** Paydays per pay profile (timeline days), for the payday lift and pre-payday declines. */
  paydays: Record<(typeof PAY_PROFILES)[number], number[]>;
  rs: (name: string) => RandomStream;
  /** Hour-of-day samplers on the bank's clock: app use (sign-ups, activations), office hours (manual reviews, card issuing) and the subscription billing batch (02–08 h local). */
  hours: { app: HourBuckets; office: HourBuckets; billing: LocalHourSampler };
  /** App-use hour samplers per zone (index as zones; zone 0 = hours.app): customers use the app on their home clock. */
  appHours: HourBuckets[];
}

/**
 * Time zones of the simulation: `names[z]` (IANA) and `clocks[z]` (over the same days as the bank's
 * clock), zone 0 the bank's own (`warehouse.timezone`); `ofMetro[j]` the zone of metro j (METROS).
 * With merchants.geography.local_time off every metro is on zone 0.
 */
export interface NeobankZones {
  names: string[];
  clocks: LocalClock[];
  ofMetro: Int8Array;
}

/** The zones of the bank and of the metros (each distinct zone once, the bank's first). */
export function neobankZones(b: NeobankBehaviour, clock: LocalClock): NeobankZones {
  const names = [clock.window.tz];
  const clocks = [clock];
  const ofMetro = new Int8Array(CITY_COUNT);
  if (!b.merchants.geography.local_time) return { names, clocks, ofMetro };
  for (let j = 0; j < CITY_COUNT; j++) {
    const tz = metroZone(j);
    let z = names.indexOf(tz);
    if (z < 0) {
      z = names.push(tz) - 1;
      clocks.push(new LocalClock({ ...clock.window, tz }, clock.fromDay, clock.toDay));
    }
    ofMetro[j] = z;
  }
  return { names, clocks, ofMetro };
}

/** Hour-of-day samplers (DST-aware: LocalHourSampler) of a weekday and of a weekend day, on `clock`. */
export interface HourBuckets {
  clock: LocalClock;
  weekday: LocalHourSampler;
  weekend: LocalHourSampler;
}

export function neobankModel(b: NeobankBehaviour, window: EventWindow, seed: number, trajectory: 'T1' | 'T2' | 'T3'): NeobankModel {
  const fromDay = Math.min(0, launchDay(b.inflow, window.startDate));
  const clock = new LocalClock(window, fromDay - 1, window.days + 400);
  const calendar = resolveCalendar(b.calendar, window.startDate, fromDay, window.days);
  const bankHolidays = new Set(calendar.filter((hit) => b.paydays.bank_holidays.includes(hit.name)).map((hit) => hit.day));
  const paydays = Object.fromEntries(PAY_PROFILES.map((p) => [p, payDays(p, window.startDate, fromDay, window.days, bankHolidays)])) as NeobankModel['paydays'];
  const zones = neobankZones(b, clock);
  const buckets = (c: LocalClock, curve: { weekday: readonly number[]; weekend: readonly number[] }): HourBuckets => ({
    clock: c,
    weekday: new LocalHourSampler(c, curve.weekday),
    weekend: new LocalHourSampler(c, curve.weekend),
  });
  const app = buckets(clock, b.inflow.hour_of_day);
  const midnights = new Float64Array(clock.toDay - clock.fromDay);
  for (let d = clock.fromDay; d < clock.toDay; d++) midnights[d - clock.fromDay] = clock.midnight(d);
  return {
    b,
    window,
    seed,
    clock,
    zones,
    days: new DayTable(window.startDate, clock.fromDay, clock.toDay),
    midnights,
    fromDay,
    startUtc: clock.midnight(0),
    endUtc: clock.midnight(window.days),
    calendar,
    trajectory: b.trajectories[trajectory],
    segmentNames: Object.keys(b.segments).filter((s) => b.segments[s].share > 0),
    paydays,
    rs: (name) => new RandomStream(seed, `neobank/${name}`),
    hours: {
      app,
      office: buckets(clock, b.hour_of_day.services),
      billing: new LocalHourSampler(clock, Array.from({ length: 24 }, (_, h) => (h >= 2 && h < 8 ? 1 : 0))),
    },
    appHours: zones.clocks.map((c, z) => (z === 0 ? app : buckets(c, b.inflow.hour_of_day))),
  };
}

/** Trajectory multiplier of churn at a Unix instant: 1, rising linearly to the preset's end multiplier over its last months. */
export function churnTrajectoryFactor(m: NeobankModel, utc: number): number {
  const p = m.trajectory;
  if (p.churn_multiplier_at_end === 1) return 1;
  const riseStart = m.endUtc - p.churn_rise_months * DAYS_PER_MONTH * 86400;
  if (utc <= riseStart) return 1;
  const f = Math.min(1, (utc - riseStart) / (m.endUtc - riseStart));
  return 1 + (p.churn_multiplier_at_end - 1) * f;
}

/** Unix seconds of a local day's midnight. */
export function midnightOf(m: NeobankModel, day: number): number {
  return m.midnights[day - m.clock.fromDay];
}

/**
 * Re-time an event that a lag places at `utc` to a local hour drawn from an hour curve on the same
 * local day of the curve's clock (`hours.clock`: the customer's for app use, the bank's for its teams) (people act in the app in the evening, reviewers work office hours), never earlier than
 * `notBefore`: if the drawn time is earlier, the next day at that hour. `weekend` (a team with reduced
 * weekend capacity): a Saturday or Sunday is skipped when `u` ≥ `share`, so the event moves to Monday.
 */
export function atLocalHour(m: NeobankModel, utc: number, notBefore: number, hours: HourBuckets, u1: number, u2: number, weekend?: { share: number; u: number }): number {
  let day = hours.clock.dayOf(utc);
  for (let k = 0; k < (weekend ? 5 : 3); k++, day++) {
    const isWeekend = m.days.weekday[day - m.days.fromDay] >= 5;
    // a reduced weekend team: work due on a weekend day waits for Monday with chance 1 − share
    if (isWeekend && weekend && weekend.u >= weekend.share) continue;
    const q = isWeekend ? hours.weekend : hours.weekday;
    // a real hour of that day (DST: a repeated hour twice, a skipped one never)
    const t = q.utcAt(day, u1, u2);
    if (t > notBefore) return t;
  }
  return notBefore + 60;
}

export const SECTOR_COUNT = SECTORS.length;

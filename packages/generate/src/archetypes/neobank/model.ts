import { RandomStream, SECTORS, type NeobankBehaviour, type TrajectoryPreset } from '@dnr/core';
import { resolveCalendar, type CalendarHit } from '../../behaviour/calendar.js';
import { LocalClock } from '../../behaviour/clock.js';
import { DayTable } from '../../behaviour/days.js';
import { launchDay } from '../../behaviour/inflow.js';
import { PAY_PROFILES, payDays } from '../../behaviour/paydays.js';
import { DAYS_PER_MONTH, type EventWindow } from '../../behaviour/window.js';

/** Everything the neobank's entity simulation shares: config, timeline, clock, calendar, random streams. */
export interface NeobankModel {
  b: NeobankBehaviour;
  window: EventWindow;
  seed: number;
  clock: LocalClock;
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
}

export function neobankModel(b: NeobankBehaviour, window: EventWindow, seed: number, trajectory: 'T1' | 'T2' | 'T3'): NeobankModel {
  const fromDay = Math.min(0, launchDay(b.inflow, window.startDate));
  const clock = new LocalClock(window, fromDay - 1, window.days + 400);
  const paydays = Object.fromEntries(PAY_PROFILES.map((p) => [p, payDays(p, window.startDate, fromDay, window.days)])) as NeobankModel['paydays'];
  const midnights = new Float64Array(clock.toDay - clock.fromDay);
  for (let d = clock.fromDay; d < clock.toDay; d++) midnights[d - clock.fromDay] = clock.midnight(d);
  return {
    b,
    window,
    seed,
    clock,
    days: new DayTable(window.startDate, clock.fromDay, clock.toDay),
    midnights,
    fromDay,
    startUtc: clock.midnight(0),
    endUtc: clock.midnight(window.days),
    calendar: resolveCalendar(b.calendar, window.startDate, fromDay, window.days),
    trajectory: b.trajectories[trajectory],
    segmentNames: Object.keys(b.segments).filter((s) => b.segments[s].share > 0),
    paydays,
    rs: (name) => new RandomStream(seed, `neobank/${name}`),
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

export const SECTOR_COUNT = SECTORS.length;

import { weekdayOf } from '../../behaviour/calendar.js';
import { LocalHourSampler, type LocalClock } from '../../behaviour/clock.js';
import { cumulative, type MarketModel } from './model.js';

/** Tries before a re-timed instant that keeps falling outside its bounds keeps its original time. */
const TRIES = 8;

/** Hour-of-day curves (weekday, weekend) of one kind of seller action, one sampler pair per clock of the model. */
export interface ActionClock {
  zones: readonly LocalClock[];
  samplers: { wd: LocalHourSampler; we: LocalHourSampler }[];
  /** Cumulative weekday weights (Monday first), or null: the day is kept. */
  weekCum: Float64Array | null;
  startDate: string;
}

/**
 * Samplers for a seller action timed on a local clock: `hours` (24 weekday and 24 weekend weights,
 * local time) on every clock of the model (MarketModel.clocks), and optionally weekday weights
 * (Monday first) for re-drawing the day inside its local week.
 */
export function actionClock(m: MarketModel, hours: { weekday: readonly number[]; weekend: readonly number[] }, week: readonly number[] | null): ActionClock {
  return {
    zones: m.clocks,
    samplers: m.clocks.map((c) => ({ wd: new LocalHourSampler(c, hours.weekday), we: new LocalHourSampler(c, hours.weekend) })),
    weekCum: week ? cumulative(week) : null,
    startDate: m.window.startDate,
  };
}

/**
 * An instant `t` (Unix s) re-timed on clock `zone` (index into MarketModel.clocks): with weekday weights,
 * a day of t's local week (Monday–Sunday) drawn by them, else t's own local day; then a real local hour
 * of that day from the weekday or weekend curve (LocalHourSampler: DST gaps skipped, folds twice) and
 * a uniform second. The result lies in [lo, hi); a draw outside it (or on a day the clock does not
 * cover) is drawn again, up to 8 times, and then t is kept. `u(j)` gives the uniforms (keys 0–23).
 * The day's volume over the week and the window is kept (only the weekday and hour move), so growth,
 * shop exposure and every count drawn by day stay as they were.
 */
export function onLocalClock(ac: ActionClock, zone: number, t: number, lo: number, hi: number, u: (j: number) => number): number {
  if (!Number.isFinite(t)) return t;
  const clock = ac.zones[zone];
  const day = clock.dayOf(t);
  const week = day - weekdayOf(ac.startDate, day);
  for (let k = 0; k < TRIES; k++) {
    let d = day;
    if (ac.weekCum) {
      const cum = ac.weekCum;
      const x = u(3 * k) * cum[6];
      let j = 0;
      while (j < 6 && cum[j] <= x) j++;
      d = week + j;
    }
    if (d < clock.fromDay || d >= clock.toDay - 1) continue;
    const s = weekdayOf(ac.startDate, d) >= 5 ? ac.samplers[zone].we : ac.samplers[zone].wd;
    const x = s.utcAt(d, u(3 * k + 1), u(3 * k + 2));
    if (x >= lo && x < hi) return x;
  }
  return t;
}

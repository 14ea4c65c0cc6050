import type { CalendarEvent, CalendarRule } from '@dnr/core';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A resolved calendar event: which local day (index from the window start) it falls on. */
export interface CalendarHit {
  name: string;
  /** YYYY-MM-DD. */
  date: string;
  day: number;
  effects: Record<string, number>;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The date (UTC-midnight ms) a fixed or weekday rule gives in a year; null when it does not exist (Feb 30). */
function absoluteDate(rule: Exclude<CalendarRule, { relative_to: string }>, year: number): number | null {
  if ('day' in rule) {
    const ms = Date.UTC(year, rule.month - 1, rule.day);
    return new Date(ms).getUTCMonth() === rule.month - 1 ? ms : null;
  }
  const want = WEEKDAYS.indexOf(rule.weekday); // 0 = Monday
  const isoDow = (ms: number) => (new Date(ms).getUTCDay() + 6) % 7;
  if (rule.nth > 0) {
    const first = Date.UTC(year, rule.month - 1, 1);
    const ms = first + (((want - isoDow(first) + 7) % 7) + 7 * (rule.nth - 1)) * DAY_MS;
    return new Date(ms).getUTCMonth() === rule.month - 1 ? ms : null;
  }
  const last = Date.UTC(year, rule.month, 0);
  return last - ((isoDow(last) - want + 7) % 7) * DAY_MS;
}

/**
 * Every occurrence of the named events on local days [fromDay, toDay) of a timeline whose day 0 is
 * `startDate` (YYYY-MM-DD). Relative events follow the event they name, year by year.
 */
export function resolveCalendar(events: Record<string, CalendarEvent>, startDate: string, fromDay: number, toDay: number): CalendarHit[] {
  const start = Date.parse(`${startDate}T00:00:00Z`);
  const y0 = new Date(start + fromDay * DAY_MS).getUTCFullYear();
  const y1 = new Date(start + (toDay - 1) * DAY_MS).getUTCFullYear();
  const hits: CalendarHit[] = [];
  for (let year = y0; year <= y1; year++) {
    for (const [name, ev] of Object.entries(events)) {
      let ms: number | null;
      if ('relative_to' in ev.rule) {
        const target = events[ev.rule.relative_to];
        const base = target && !('relative_to' in target.rule) ? absoluteDate(target.rule, year) : null;
        ms = base === null ? null : base + ev.rule.offset_days * DAY_MS;
      } else ms = absoluteDate(ev.rule, year);
      if (ms === null) continue;
      const day = Math.round((ms - start) / DAY_MS);
      if (day >= fromDay && day < toDay) hits.push({ name, date: iso(ms), day, effects: ev.effects });
    }
  }
  return hits.sort((a, b) => a.day - b.day || a.name.localeCompare(b.name));
}

/**
 * Per-day multipliers of one key over [fromDay, toDay): the product of every event's effect on that
 * day (the first of `key` the event names — e.g. an MCC, then its sector — else the event's '*', else 1).
 */
export function calendarMultipliers(hits: readonly CalendarHit[], key: string | readonly string[], fromDay: number, toDay: number): Float64Array {
  const keys = typeof key === 'string' ? [key] : key;
  const out = new Float64Array(toDay - fromDay).fill(1);
  for (const h of hits) {
    if (h.day < fromDay || h.day >= toDay) continue;
    const k = keys.find((x) => h.effects[x] !== undefined);
    out[h.day - fromDay] *= k !== undefined ? h.effects[k] : (h.effects['*'] ?? 1);
  }
  return out;
}

/** ISO weekday index (0 = Monday) of a day on the timeline. */
export function weekdayOf(startDate: string, day: number): number {
  return (new Date(Date.parse(`${startDate}T00:00:00Z`) + day * DAY_MS).getUTCDay() + 6) % 7;
}

/** Month index (0 = January) and year of a day on the timeline. */
export function monthOf(startDate: string, day: number): { month: number; year: number; dayOfMonth: number } {
  const d = new Date(Date.parse(`${startDate}T00:00:00Z`) + day * DAY_MS);
  return { month: d.getUTCMonth(), year: d.getUTCFullYear(), dayOfMonth: d.getUTCDate() };
}

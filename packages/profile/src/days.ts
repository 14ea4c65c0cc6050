import type { Config } from '@dnr/core';
import { resolveCalendar } from '@dnr/generate';
import type { NamedDay } from './calendar.js';
import type { ProfileSource } from './source.js';

const DAY_MS = 86_400_000;

/**
 * The named calendar days of the window: the ones the behaviour truth recorded (what the generator
 * used), else the config's calendar for the archetype resolved over the window, else the neobank's
 * US calendar without declared effects (so a marketplace still shows Black Friday).
 */
export function namedDays(src: ProfileSource, config: Config | undefined): { days: NamedDay[]; source: 'behaviour truth' | 'config' | 'none' } {
  const inWindow = (d: { date: string }) => d.date >= src.window.start && d.date <= src.window.end;
  if (src.truth?.calendar?.length) return { days: src.truth.calendar.filter(inWindow).map((d) => ({ name: d.name, date: d.date, effects: d.effects })), source: 'behaviour truth' };
  const behaviour = config?.behaviour as Record<string, { calendar?: Parameters<typeof resolveCalendar>[0] } | undefined> | undefined;
  const own = behaviour?.[src.archetype]?.calendar;
  const events = own ?? behaviour?.neobank?.calendar;
  if (!events) return { days: [], source: 'none' };
  const length = Math.round((Date.parse(`${src.window.end}T00:00:00Z`) - Date.parse(`${src.window.start}T00:00:00Z`)) / DAY_MS) + 1;
  const hits = resolveCalendar(events, src.window.start, 0, length);
  return { days: hits.map((h) => ({ name: h.name, date: h.date, effects: own ? h.effects : {} })), source: 'config' };
}

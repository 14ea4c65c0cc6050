import { describe, expect, it } from 'vitest';
import { LocalClock } from './clock.js';
import { eventWindow } from './window.js';

const window = eventWindow('2026-06-30', 18, 'America/Los_Angeles');
const clock = new LocalClock(window, -400, window.days + 2);
const hourOf = (date: string, h: number) => (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${window.startDate}T00:00:00Z`)) / 3_600_000 + h;

describe('LocalClock (America/Los_Angeles)', () => {
  it('skips the spring-forward hour and repeats the fall-back hour', () => {
    const { gaps, folds } = clock.transitions();
    // 2025-03-09 02:00 and 2026-03-08 02:00 do not exist; 2025-11-02 01:00 happens twice (and 2024-11-03 in the history)
    expect(gaps).toEqual(expect.arrayContaining([hourOf('2025-03-09', 2), hourOf('2026-03-08', 2)]));
    expect(folds).toEqual(expect.arrayContaining([hourOf('2025-11-02', 1), hourOf('2024-11-03', 1)]));
    expect(clock.utcOf(hourOf('2025-03-09', 2) * 3600 + 1800)).toBeNull();
  });

  it('maps the two copies of the repeated hour to consecutive UTC hours', () => {
    const ls = hourOf('2025-11-02', 1) * 3600 + 900; // 01:15 local
    const first = clock.utcOf(ls, false)!;
    const second = clock.utcOf(ls, true)!;
    expect(new Date(first * 1000).toISOString()).toBe('2025-11-02T08:15:00.000Z');
    expect(new Date(second * 1000).toISOString()).toBe('2025-11-02T09:15:00.000Z');
    expect(clock.localOf(second)).toBe(ls);
    expect(clock.localOf(first)).toBe(ls);
  });

  it('round-trips local ↔ UTC and finds midnights, before and inside the window', () => {
    for (const [date, h] of [['2024-07-04', 13], ['2025-01-15', 0], ['2025-06-30', 23], ['2026-06-30', 12]] as const) {
      const ls = hourOf(date, h) * 3600 + 59;
      const utc = clock.utcOf(ls)!;
      expect(clock.localOf(utc)).toBe(ls);
      expect(clock.dayOf(utc)).toBe(Math.floor(ls / 86400));
    }
    expect(new Date(clock.midnight(0) * 1000).toISOString()).toBe('2025-01-01T08:00:00.000Z');
    expect(new Date(clock.midnight(hourOf('2025-07-01', 0) / 24) * 1000).toISOString()).toBe('2025-07-01T07:00:00.000Z');
  });
});

import { describe, expect, it } from 'vitest';
import { LocalClock, LocalHourSampler } from './clock.js';
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

describe('LocalHourSampler', () => {
  const flat = new Array(24).fill(1);
  const s = new LocalHourSampler(clock, flat);
  const draws = (day: number) => {
    const perUtcHour = new Map<number, number>();
    for (let i = 0; i < 2400; i++) {
      const utc = s.utcAt(day, (i + 0.5) / 2400, 0.5);
      perUtcHour.set(Math.floor(utc / 3600), (perUtcHour.get(Math.floor(utc / 3600)) ?? 0) + 1);
    }
    return perUtcHour;
  };

  it('gives each UTC hour of a 25-hour day an equal share under a flat curve (the repeated hour twice)', () => {
    const day = hourOf('2025-11-02', 0) / 24;
    const per = draws(day);
    expect(per.size).toBe(25);
    // 2400 draws over 25 real hours: 96 each, ± the 1024-bucket quantisation
    for (const n of per.values()) expect(Math.abs(n - 96)).toBeLessThanOrEqual(4);
    expect(s.dayMass(day)).toBeCloseTo(25 / 24, 9);
  });

  it('never lands in the skipped hour and counts 23 hours on the spring-forward day', () => {
    const day = hourOf('2025-03-09', 0) / 24;
    const per = draws(day);
    expect(per.size).toBe(23);
    expect(s.dayMass(day)).toBeCloseTo(23 / 24, 9);
    for (let i = 0; i < 100; i++) expect(Math.floor((clock.localOf(s.utcAt(day, i / 100, 0.3)) % 86400) / 3600)).not.toBe(2);
  });

  it('keeps local hours on ordinary days (hour 13 of the curve is 13:xx local)', () => {
    const one = new Array(24).fill(0);
    one[13] = 1;
    const only13 = new LocalHourSampler(clock, one);
    const day = hourOf('2025-11-10', 0) / 24;
    expect(Math.floor((clock.localOf(only13.utcAt(day, 0.3, 0.25)) % 86400) / 3600)).toBe(13);
    expect(only13.dayMass(day)).toBe(1);
  });
});

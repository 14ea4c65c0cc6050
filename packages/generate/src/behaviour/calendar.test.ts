import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '@dnr/core';
import { calendarMultipliers, resolveCalendar } from './calendar.js';
import { payDays, paydayMultipliers } from './paydays.js';

const events = ConfigSchema.parse({}).behaviour.neobank.calendar;
const day = (date: string) => (Date.parse(`${date}T00:00:00Z`) - Date.parse('2025-01-01T00:00:00Z')) / 86_400_000;

describe('resolveCalendar', () => {
  const hits = resolveCalendar(events, '2025-01-01', day('2024-01-01'), day('2027-01-01'));
  const dates = (name: string) => hits.filter((h) => h.name === name).map((h) => h.date);

  it('resolves weekday rules and relative events year by year', () => {
    expect(dates('thanksgiving')).toEqual(['2024-11-28', '2025-11-27', '2026-11-26']);
    expect(dates('black_friday')).toEqual(['2024-11-29', '2025-11-28', '2026-11-27']);
    expect(dates('cyber_monday')).toEqual(['2024-12-02', '2025-12-01', '2026-11-30']);
    expect(dates('memorial_day')).toEqual(['2024-05-27', '2025-05-26', '2026-05-25']);
    expect(dates('labor_day')).toEqual(['2024-09-02', '2025-09-01', '2026-09-07']);
    expect(dates('independence_day_eve')).toEqual(['2024-07-03', '2025-07-03', '2026-07-03']);
  });

  it('multiplies effects per key, falling back to the event\'s "*" and then to 1', () => {
    const retail = calendarMultipliers(hits, 'retail', day('2025-11-26'), day('2025-11-30'));
    // Thanksgiving eve ('*' 1.05), Thanksgiving (retail 0.5), Black Friday (retail 2.3), an ordinary Saturday
    expect([...retail].map((x) => Number(x.toFixed(3)))).toEqual([1.05, 0.5, 2.3, 1]);
    const bars = calendarMultipliers(hits, ['5813', 'dining'], day('2025-12-31'), day('2026-01-01'));
    expect(bars[0]).toBe(1.25); // New Year's Eve dining effect reaches the bars MCC through its sector
  });
});

describe('paydays', () => {
  it('semi-monthly pays on the 1st and 15th or the Friday before; biweekly cohorts alternate Fridays', () => {
    const semi = payDays('semi_monthly', '2025-01-01', 0, 62).map((d) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10));
    expect(semi).toEqual(['2025-01-01', '2025-01-15', '2025-01-31', '2025-02-14', '2025-02-28']); // Feb 1, Feb 15 and Mar 1 2025 are Saturdays
    const a = payDays('biweekly_a', '2025-01-01', 0, 60);
    const b = payDays('biweekly_b', '2025-01-01', 0, 60);
    expect(a.every((d, i) => i === 0 || d - a[i - 1] === 14)).toBe(true);
    expect(new Set([...a, ...b]).size).toBe(a.length + b.length);
    expect(Math.abs(a[0] - b[0])).toBe(7);
  });

  it('a payday on a bank holiday is paid on the business day before (Labor Day Monday → Friday; July 4 Friday → Thursday)', () => {
    const day = (iso: string) => Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.parse('2025-01-01T00:00:00Z')) / 86_400_000);
    const iso = (d: number) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
    const holidays = new Set([day('2025-09-01'), day('2025-07-04')]);
    const semi = payDays('semi_monthly', '2025-01-01', day('2025-08-20'), day('2025-09-20'), holidays).map(iso);
    expect(semi).toEqual(['2025-08-29', '2025-09-15']);
    expect(payDays('semi_monthly', '2025-01-01', day('2025-08-20'), day('2025-09-20')).map(iso)).toEqual(['2025-09-01', '2025-09-15']);
    const fridays = [...payDays('biweekly_a', '2025-01-01', day('2025-06-28'), day('2025-07-12'), holidays), ...payDays('biweekly_b', '2025-01-01', day('2025-06-28'), day('2025-07-12'), holidays)].map(iso).sort();
    expect(fridays).toEqual(['2025-07-03', '2025-07-11']);
  });

  it('lifts spend on payday, fading, and dips the two days before', () => {
    const m = paydayMultipliers([10, 24], 0, 30, 0.2, 2, 0.1);
    expect(m[10]).toBeCloseTo(1.2, 10);
    expect(m[11]).toBeCloseTo(1 + 0.2 * Math.exp(-0.5), 10);
    expect(m[22]).toBeCloseTo(1 + 0.2 * Math.exp(-6) - 0.1, 10);
    expect(m[5]).toBe(1);
  });
});

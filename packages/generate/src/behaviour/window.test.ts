import { describe, expect, it } from 'vitest';
import { eventWindow, localDate, tzOffsetsByLocalHour } from './window.js';

describe('eventWindow', () => {
  it('covers `months` of local days ending at the anchor', () => {
    const w = eventWindow('2026-06-30', 18, 'America/Los_Angeles');
    expect(w.startDate).toBe('2025-01-01');
    expect(w.days).toBe(546);
    expect(localDate(w, w.days - 1)).toBe('2026-06-30');
    expect(eventWindow('2026-03-31', 1, 'UTC')).toMatchObject({ startDate: '2026-03-01', days: 31 });
  });

  it('maps local hours to UTC offsets DST-correctly', () => {
    const w = eventWindow('2025-12-31', 12, 'America/Los_Angeles');
    const off = tzOffsetsByLocalHour(w, 0, w.days * 24);
    expect(off[0]).toBe(-480); // January: PST
    const july = (Date.UTC(2025, 6, 1) - Date.UTC(2025, 0, 1)) / 3_600_000 + 12;
    expect(off[july]).toBe(-420); // PDT
    // 2025-03-09: 01:00 is still PST, 03:00 is PDT
    const mar9 = (Date.UTC(2025, 2, 9) - Date.UTC(2025, 0, 1)) / 3_600_000;
    expect(off[mar9 + 1]).toBe(-480);
    expect(off[mar9 + 3]).toBe(-420);
    expect(new Set(off)).toEqual(new Set([-480, -420]));
  });
});

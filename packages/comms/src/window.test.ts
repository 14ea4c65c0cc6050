import { describe, expect, it } from 'vitest';
import { commsWindow, localToUtcMs, tzOffsetMs } from './window.js';

describe('comms window and local time', () => {
  it('covers the last 12 months ending at the end date', () => {
    const w = commsWindow('2026-06-30', 12, 'America/Los_Angeles');
    expect(w.start).toBe('2025-07-01');
    expect(w.days.length).toBe(365);
    expect(new Date(w.days.at(-1) as number).toISOString().slice(0, 10)).toBe('2026-06-30');
  });

  it('converts local wall-clock time to UTC across DST', () => {
    const la = 'America/Los_Angeles';
    expect(new Date(localToUtcMs(Date.UTC(2026, 0, 15, 9, 0), la)).toISOString()).toBe('2026-01-15T17:00:00.000Z');
    expect(new Date(localToUtcMs(Date.UTC(2026, 6, 15, 9, 0), la)).toISOString()).toBe('2026-07-15T16:00:00.000Z');
    // the day DST starts (2026-03-08): 01:30 is PST, 03:30 is PDT
    expect(new Date(localToUtcMs(Date.UTC(2026, 2, 8, 1, 30), la)).toISOString()).toBe('2026-03-08T09:30:00.000Z');
    expect(new Date(localToUtcMs(Date.UTC(2026, 2, 8, 3, 30), la)).toISOString()).toBe('2026-03-08T10:30:00.000Z');
    expect(tzOffsetMs(Date.UTC(2026, 0, 1), 'UTC')).toBe(0);
  });
});

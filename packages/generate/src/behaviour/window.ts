/** The event window (docs/warehouse.md): `months` of local days ending at a fixed anchor date. */
export interface EventWindow {
  /** First local day, YYYY-MM-DD. */
  startDate: string;
  /** Last local day, YYYY-MM-DD (config warehouse.end_date). */
  endDate: string;
  /** Number of local days. */
  days: number;
  months: number;
  tz: string;
}

export const DAYS_PER_MONTH = 30.4375;

const DAY_MS = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function eventWindow(endDate: string, months: number, tz: string): EventWindow {
  const end = Date.parse(`${endDate}T00:00:00Z`);
  const after = new Date(end + DAY_MS);
  const start = Date.UTC(after.getUTCFullYear(), after.getUTCMonth() - months, after.getUTCDate());
  return { startDate: isoDay(start), endDate, days: Math.round((end - start) / DAY_MS) + 1, months, tz };
}

export function localDate(window: EventWindow, day: number): string {
  return isoDay(Date.parse(`${window.startDate}T00:00:00Z`) + day * DAY_MS);
}

/** Offset (local − UTC, minutes) in force at a UTC instant. */
function offsetAt(fmt: Intl.DateTimeFormat, utcMs: number): number {
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return Math.round((wall - utcMs) / 60_000);
}

/**
 * Local hour index (hours since the window's first local midnight; negative before it) → UTC offset
 * in minutes, for every hour in [fromHour, toHour). Local wall time L maps to UTC as L − offset,
 * DST-correct (the skipped spring hour takes the later offset).
 */
export function tzOffsetsByLocalHour(window: EventWindow, fromHour: number, toHour: number): Int32Array {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: window.tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const base = Date.parse(`${window.startDate}T00:00:00Z`);
  const at = (lh: number) => {
    const wall = base + lh * 3_600_000;
    const guess = offsetAt(fmt, wall);
    return offsetAt(fmt, wall - guess * 60_000);
  };
  const out = new Int32Array(toHour - fromHour);
  for (let dayStart = fromHour; dayStart < toHour; dayStart += 24) {
    const a = at(dayStart);
    const b = at(Math.min(dayStart + 23, toHour - 1));
    const end = Math.min(dayStart + 24, toHour);
    for (let lh = dayStart; lh < end; lh++) out[lh - fromHour] = a === b ? a : at(lh);
  }
  return out;
}

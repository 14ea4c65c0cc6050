const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `tz` from UTC at the instant `utcMs`, in ms (local = utc + offset). */
export function tzOffsetMs(utcMs: number, tz: string): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(tz, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** UTC instant of a local wall-clock time (DST-correct; the ambiguous hour resolves to the first). */
export function localToUtcMs(localMs: number, tz: string): number {
  const guess = localMs - tzOffsetMs(localMs, tz);
  return localMs - tzOffsetMs(guess, tz);
}

export interface CommsWindow {
  /** First local day (YYYY-MM-DD). */
  start: string;
  /** Last local day (YYYY-MM-DD), the warehouse end date. */
  end: string;
  tz: string;
  /** Local days as midnight "local ms" (UTC fields = local wall clock). */
  days: number[];
}

export function isoDay(localMs: number): string {
  return new Date(localMs).toISOString().slice(0, 10);
}

/** The last `months` months ending at `endDate` (inclusive), as local days. */
export function commsWindow(endDate: string, months: number, tz: string): CommsWindow {
  const end = Date.parse(`${endDate}T00:00:00Z`);
  const e = new Date(end);
  const startMs = Date.UTC(e.getUTCFullYear(), e.getUTCMonth() - months, e.getUTCDate()) + DAY_MS;
  const days: number[] = [];
  for (let d = startMs; d <= end; d += DAY_MS) days.push(d);
  return { start: isoDay(startMs), end: endDate, tz, days };
}

export { DAY_MS };

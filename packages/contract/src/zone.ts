import { closestMatch } from '@dnr/core';

/**
 * Time-zone names in a contract. A zone is valid when the JavaScript runtime's ICU knows it (the same ICU zone
 * database DuckDB's ICU extension uses), spelled exactly: every IANA name, including links such as `US/Eastern` and
 * `Etc/GMT-2`.
 */
export function isTimeZone(zone: string): boolean {
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    // ICU matches names case-insensitively; a contract spells them exactly (`europe/berlin` is a typo).
    return canonical === zone || canonical.toLowerCase() !== zone.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Why `zone` is not a time zone, with a did-you-mean: the closest IANA name (`America/New_Yrok` →
 * `America/New_York`), the zone of a city written in words (`new york` → `America/New_York`), or for an offset
 * (`GMT+2`, `UTC-05:00`) the fixed-offset zone `Etc/GMT∓N` (whose sign is inverted, as in POSIX).
 */
export function timeZoneProblem(zone: string): string {
  const offset = /^(?:GMT|UTC)?\s*([+-])\s*(\d{1,2})(?::?00)?$/i.exec(zone.trim());
  if (offset && Number(offset[2]) <= 14) {
    const etc = `Etc/GMT${offset[1] === '+' ? '-' : '+'}${Number(offset[2])}`;
    return `unknown time zone "${zone}": use an IANA zone name, e.g. the city's zone (Europe/Berlin), or "${etc}" for a fixed UTC${offset[1]}${Number(offset[2])} (the Etc/ sign is inverted).`;
  }
  const zones = Intl.supportedValuesOf('timeZone');
  const byCity = new Map(zones.map((z) => [z.split('/').pop()!.replace(/_/g, ' ').toLowerCase(), z]));
  const typed = zone.trim().replace(/[_-]/g, ' ').toLowerCase();
  const match = closestMatch(zone.trim(), zones) ?? byCity.get(typed) ?? byCity.get(closestMatch(typed, byCity.keys()) ?? '');
  return `unknown time zone "${zone}" (an IANA name such as America/New_York is expected).${match ? ` Did you mean "${match}"?` : ''}`;
}

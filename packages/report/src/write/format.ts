/**
 * The one number formatter of the report's Markdown and HTML (JSON keeps raw values). Every reader-
 * facing number goes through one of these, so a test can format every JSON value the same ways and
 * check that each number shown is one of them. All use Intl (en-US); null/NaN prints "n/a".
 */
const none = (v: number | null | undefined): v is null | undefined => v == null || Number.isNaN(v);
const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const compactUsd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Counts: 10,024. Non-integers are rounded. */
export const count = (v: number | null | undefined): string => (none(v) ? 'n/a' : intFmt.format(v));

/** A percent value (0–100) with one decimal: 8.0%. */
export const pct = (v: number | null | undefined): string => (none(v) ? 'n/a' : `${oneDecimal.format(v)}%`);

/** A 0..1 share as a percent with one decimal: 0.138 → 13.8%. */
export const share = (v: number | null | undefined): string => (none(v) ? 'n/a' : pct(v * 100));

/** A relative change in percent, signed: +3.2%, −1.5%, 0.0%. */
export const change = (v: number | null | undefined): string => {
  if (none(v)) return 'n/a';
  const s = oneDecimal.format(Math.abs(v));
  return s === '0.0' ? '0.0%' : `${v > 0 ? '+' : '−'}${s}%`;
};

/** Money: cents under $10, whole dollars under $1M, then $1.2M. */
export const usd = (v: number | null | undefined): string => {
  if (none(v)) return 'n/a';
  const a = Math.abs(v);
  return a < 10 ? cents.format(v) : a < 1_000_000 ? dollars.format(v) : compactUsd.format(v);
};

/** Durations from minutes: 45 min, 5 h 6 min, 3.0 days. */
export const minutes = (v: number | null | undefined): string => {
  if (none(v)) return 'n/a';
  const m = Math.round(v);
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h ${m % 60} min`;
  return `${oneDecimal.format(v / 1440)} days`;
};

/** A count with its noun, singular or plural: 1 day, 3 days, 1 person, 78 people. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** A number of days: "1 day", "12 days". */
export const days = (n: number): string => plural(n, 'day');

/** A multiple of a limit: 2.6×. */
export const ratio = (v: number | null | undefined): string => (none(v) ? 'n/a' : `${oneDecimal.format(v)}×`);

/** A 0..1 score part as points of 100: 0.48 → 48 pts. */
export const points = (v: number | null | undefined): string => (none(v) ? 'n/a' : `${intFmt.format(v * 100)} pts`);

/** A 0..1 score or confidence out of 100: 0.87 → 87/100. */
export const outOf100 = (v: number | null | undefined): string => (none(v) ? 'n/a' : `${intFmt.format(v * 100)}/100`);

/** A local hour as a clock time: 17 → 17:00. */
export const hour = (v: number | null | undefined): string => (none(v) ? 'n/a' : `${String(Math.round(v)).padStart(2, '0')}:00`);

/** YYYY-MM-DD → 12 Jun 2026 (the string is a calendar day; no time zone applies). */
export const date = (day: string | null | undefined): string => {
  const m = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : 'n/a';
};

/** YYYY-MM → Jun 2026. */
export const month = (ym: string): string => {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  return m ? `${MONTHS[Number(m[2]) - 1]} ${m[1]}` : ym;
};

/** Confidence in words: high ≥ 0.85, moderate ≥ 0.70, fair ≥ 0.55, else low. */
export const confidenceWord = (v: number): 'high' | 'moderate' | 'fair' | 'low' => (v >= 0.85 ? 'high' : v >= 0.7 ? 'moderate' : v >= 0.55 ? 'fair' : 'low');

/** Every formatter a number may be shown with (tests format each JSON value with all of them). */
export const NUMBER_FORMATS = { count, pct, share, change, usd, minutes, ratio, points, outOf100, hour } as const;

/** Legacy plain formatter of themes.md: the JSON value itself with thousands separators. */
export function fmt(v: number | null | undefined): string {
  if (none(v)) return 'n/a';
  const [int, frac] = String(v).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

export function mdTable(header: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${header.map(esc).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

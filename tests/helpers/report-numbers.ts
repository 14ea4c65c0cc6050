import { format } from '../../packages/report/src/index.js';

/**
 * "Every number shown equals a JSON value after formatting": tokenise the shown text into numbers
 * with their units (dates, durations, money, signed changes, percents, multiples, points, x/100,
 * clock times, plain numbers), format every JSON number with every formatter of format.ts (`raw`: also
 * as the JSON value itself, for the technical themes.md) (and
 * every JSON day with the date formatter), tokenise those the same way, and list the shown tokens
 * that no JSON value produces.
 */
const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
const TOKEN = new RegExp(
  [
    `\\d{1,2} (?:${MONTHS}) \\d{4}`,
    '\\d+ h \\d+ min',
    '\\d+ min',
    '\\d+(?:,\\d{3})*\\.\\d days',
    '[−-]?\\$\\d+(?:,\\d{3})*(?:\\.\\d+)?[KMB]?',
    '[+−]\\d+(?:,\\d{3})*\\.\\d%',
    '\\d+(?:,\\d{3})*(?:\\.\\d+)?%',
    '\\d+(?:,\\d{3})*(?:\\.\\d+)?×',
    '\\d+(?:,\\d{3})* pts',
    '\\d+(?:,\\d{3})*/100',
    '\\d{2}:00',
    '(?<![\\w.])\\d+(?:,\\d{3})*(?:\\.\\d+)?',
  ].join('|'),
  'g',
);

export const numberTokens = (text: string): string[] => [...text.matchAll(TOKEN)].map((m) => m[0]);

function walk(v: unknown, nums: Set<number>, strings: string[]): void {
  if (typeof v === 'number') nums.add(v);
  else if (typeof v === 'string') {
    strings.push(v);
    for (const m of v.matchAll(/-?\d+(?:\.\d+)?/g)) nums.add(Number(m[0]));
  } else if (Array.isArray(v)) v.forEach((x) => walk(x, nums, strings));
  else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x, nums, strings);
}

/** Every token a JSON document can produce through format.ts (and its strings verbatim). */
export function allowedTokens(json: unknown, raw = false): Set<string> {
  const nums = new Set<number>();
  const strings: string[] = [];
  walk(json, nums, strings);
  const out = new Set<string>();
  const add = (s: string) => numberTokens(s).forEach((t) => out.add(t));
  for (const n of nums) {
    for (const f of Object.values(format.NUMBER_FORMATS)) add(f(n));
    if (Number.isInteger(n) || raw) add(format.fmt(n));
    if (raw) add(`$${format.fmt(n)}`);
  }
  for (const s of strings) {
    add(s);
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) add(format.date(s));
    if (/^\d{4}-\d{2}$/.test(s)) add(format.month(s));
  }
  return out;
}

/** Shown tokens that no JSON value produces (empty when the text is faithful to the JSON). */
export function unexplainedNumbers(text: string, json: unknown, raw = false): string[] {
  const allowed = allowedTokens(json, raw);
  return numberTokens(text).filter((t) => !allowed.has(t));
}

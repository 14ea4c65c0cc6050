/** Text helpers shared by the prefilter, the rules engine and entity extraction. */

/** Lower-case, unify quotes/dashes, collapse whitespace; keeps `_` and `.` so identifiers survive. */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface WeightedPattern {
  re: RegExp;
  /** The same pattern with the global flag, for masking every occurrence. */
  global: RegExp;
  w: number;
  /** Short name used in the reasons list. */
  tag: string;
}

/** Build a weighted pattern list from `[regex source, weight]` pairs (word-bounded, case-insensitive). */
export function patterns(list: Array<[string, number]>): WeightedPattern[] {
  return list.map(([src, w]) => ({ re: new RegExp(`(?:^|[^a-z0-9_])(?:${src})(?![a-z0-9_])`, 'i'), global: new RegExp(`(?:^|[^a-z0-9_])(?:${src})(?![a-z0-9_])`, 'gi'), w, tag: src.length > 40 ? `${src.slice(0, 37)}...` : src }));
}

/** Sum of weights of the patterns that occur at least once; the tags of those that did. */
export function scorePatterns(text: string, list: readonly WeightedPattern[]): { score: number; tags: string[] } {
  let score = 0;
  const tags: string[] = [];
  for (const p of list) {
    if (p.re.test(text)) {
      score += p.w;
      tags.push(p.tag);
    }
  }
  return { score, tags };
}

export const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

/** Local calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(ts: Date, timeZone: string): string {
  return dayFormatter(timeZone).format(ts);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Score `list` and blank out what it matched, so words consumed by an everyday sense ("join the call",
 * "funnel cake") no longer count as data evidence afterwards.
 */
export function scoreAndMask(text: string, list: readonly WeightedPattern[]): { score: number; tags: string[]; masked: string } {
  let masked = text;
  let score = 0;
  const tags: string[] = [];
  for (const p of list) {
    if (p.re.test(masked)) {
      score += p.w;
      tags.push(p.tag);
      masked = masked.replace(p.global, ' ~ ');
    }
  }
  return { score, tags, masked };
}

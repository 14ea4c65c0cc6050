import { createHash } from 'node:crypto';
import type { Role, Theme } from '@dnr/core';
import type { Asking, Voice } from '../../schemas/exec-summary.js';
import type { CommsCorpus, CommsSource, Prediction } from '../types.js';
import { daysBetween } from '../../metrics/window.js';
import { countsTowardDemand } from './demand.js';

/** Who asks about each theme, with quotable examples and the busiest day inside the report window. */
export type ThemeVoices = Asking;

export interface VoicesOptions {
  corpus: CommsCorpus;
  predictions: Record<CommsSource, readonly Prediction[]>;
  /** Local day of every item (thread root or query). */
  dayOf: (id: string) => string | undefined;
  /** Report window, local days inclusive. */
  window: { start: string; end: string };
  /** Ranked example candidates kept per theme, from the window and the equally long stretch before it (the summary picks 2–3 per action among those naming its table). */
  examples?: number;
}

interface Item {
  id: string;
  source: CommsSource;
  role: Role;
  userId: string;
  day: string;
  text: string;
  confidence: number;
}

const MAX_CHARS = 240;

/** A short anonymised reference for an item: six hex digits of sha256(id). */
export const itemRef = (id: string): string => createHash('sha256').update(id).digest('hex').slice(0, 6);

/** Quote-ready text: whitespace collapsed, @-mentions and e-mail addresses replaced, cut near MAX_CHARS at a word. */
export function quoteText(text: string): string {
  const clean = text
    .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, '[e-mail]')
    .replace(/<?@[\w-]+>?/g, '@colleague')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= MAX_CHARS) return clean;
  const cut = clean.slice(0, MAX_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX_CHARS - 40)).trimEnd()}…`;
}

/**
 * Per theme: how many items and people ask, by role, inside and outside the report window, and two or
 * three example messages (inside the window first, then most confident, newest; different sources
 * and roles when there are). Items count when they count toward demand (valid, themed, relevant).
 */
export function collectVoices(options: VoicesOptions): Partial<Record<Theme, ThemeVoices>> {
  const byTheme = new Map<Theme, Item[]>();
  const predicted = new Map<string, Prediction>();
  for (const list of Object.values(options.predictions)) for (const p of list) if (countsTowardDemand(p)) predicted.set(p.id, p);
  const add = (id: string, source: CommsSource, role: Role, userId: string, text: string) => {
    const p = predicted.get(id);
    const day = options.dayOf(id);
    if (!p || !day) return;
    const list = byTheme.get(p.theme!) ?? [];
    list.push({ id, source, role, userId, day, text, confidence: p.confidence });
    byTheme.set(p.theme!, list);
  };
  for (const t of [...options.corpus.slack, ...options.corpus.email]) {
    const root = t.messages[0];
    // E-mail text is the subject, a line break, then the body: quote it as "subject — body".
    if (root) add(t.id, t.source, root.role, root.userId, t.source === 'email' ? root.text.replace(/\s*\n+\s*/, ' — ') : root.text);
  }
  for (const q of options.corpus.nlq) add(q.id, 'nlq', q.role, q.userId, q.text);

  const out: Partial<Record<Theme, ThemeVoices>> = {};
  for (const [theme, items] of byTheme) out[theme] = summarise(items, options.window, options.examples ?? 400);
  return out;
}

function summarise(items: Item[], window: { start: string; end: string }, n: number): ThemeVoices {
  const inWindow = (d: string) => d >= window.start && d <= window.end;
  const roleCount = new Map<Role, number>();
  const dayCount = new Map<string, number>();
  for (const it of items) {
    roleCount.set(it.role, (roleCount.get(it.role) ?? 0) + 1);
    if (inWindow(it.day)) dayCount.set(it.day, (dayCount.get(it.day) ?? 0) + 1);
  }
  const windowPeak = [...dayCount.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1))[0]?.[0] ?? null;
  const ranked = [...items].sort(
    (a, b) => Number(inWindow(b.day)) - Number(inWindow(a.day)) || b.confidence - a.confidence || (a.day < b.day ? 1 : a.day > b.day ? -1 : 0) || (a.id < b.id ? -1 : 1),
  );
  return {
    items: items.length,
    window_items: items.filter((it) => inWindow(it.day)).length,
    window_peak_day: windowPeak,
    people: new Set(items.map((it) => `${it.source}:${it.userId}`)).size,
    roles: [...roleCount.entries()].map(([role, count]) => ({ role, items: count })).sort((a, b) => b.items - a.items || (a.role < b.role ? -1 : 1)),
    examples: pickExamples(ranked.filter((it) => nearWindow(it.day, window)), n),
  };
}

/** In the window or in the equally long stretch just before it. */
function nearWindow(day: string, window: { start: string; end: string }): boolean {
  return day <= window.end && daysBetween(day, window.start) <= daysBetween(window.start, window.end) + 1;
}

/** Diverse examples: a new source and a new role first, then a new role, then anything left. */
function pickExamples(ranked: Item[], n: number): Voice[] {
  const picked: Item[] = [];
  const passes: Array<(it: Item) => boolean> = [
    (it) => !picked.some((p) => p.source === it.source || p.role === it.role),
    (it) => !picked.some((p) => p.role === it.role),
    () => true,
  ];
  for (const ok of passes) {
    for (const it of ranked) {
      if (picked.length >= n) break;
      if (!picked.includes(it) && quoteText(it.text).length > 0 && ok(it)) picked.push(it);
    }
  }
  return picked.map((it) => ({ ref: itemRef(it.id), id: it.id, source: it.source, role: it.role, day: it.day, text: quoteText(it.text) }));
}

/**
 * Counts a message states: numbers with thousands separators or of five digits and more, not part of
 * an id, link or ticket (DATA-10423, /pull/12345). Dates, percents and small numbers are not counts.
 */
export function statedCounts(text: string): number[] {
  return [...text.matchAll(/(?<![\w\-/#.:])(\d{1,3}(?:,\d{3})+|\d{5,})(?![\w%.,]?\d)(?![\w%])/g)].map((m) => Number(m[1].replace(/,/g, '')));
}

/**
 * Two or three examples for an action on a table: only messages that name the table (`names`: regex
 * sources of its id, human name and everyday aliases, matched as whole words, case-insensitive; a quote
 * about another table would contradict the action) and that lie in the report window or in the
 * `window.days` days before it (a year-old quote is not current), keeping the source/role diversity of
 * the ranked list. A message stating a count larger than `tableRows` (the table's rows in the window)
 * contradicts the measurement and is not quoted. Empty when no message qualifies: the memo then says so.
 */
export function examplesFor(examples: readonly Voice[], names: readonly string[], window: { start: string; end: string; days: number }, n = 3, tableRows = Infinity): Voice[] {
  const named = new RegExp(`(?<![\\w])(?:${names.join('|')})(?![\\w])`, 'i');
  const near = (v: Voice) => v.day <= window.end && daysBetween(v.day, window.start) <= window.days;
  const eligible = examples.filter((v) => near(v) && named.test(v.text) && statedCounts(v.text).every((c) => c <= tableRows));
  const picked: Voice[] = [];
  const passes: Array<(v: Voice) => boolean> = [(v) => !picked.some((p) => p.source === v.source || p.role === v.role), (v) => !picked.some((p) => p.role === v.role), () => true];
  for (const ok of passes) for (const v of eligible) if (picked.length < n && !picked.includes(v) && ok(v)) picked.push(v);
  return picked;
}

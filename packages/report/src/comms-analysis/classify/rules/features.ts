import type { Role } from '@dnr/core';
import { featureText, normalizeText, quotedHistory } from '../../text.js';
import { LINK_WORDS } from '../../links.js';
import { lexicon, type LexiconEntry } from './lexicon.js';
import { unknownAttributeCue } from './attribute-cue.js';

/**
 * Features of one item for the learned classifier, as named features (name → value) and then hashed
 * into a fixed number of buckets (FNV-1a, 32 bit). Groups:
 * - `u:` word unigrams (digits folded to 0), `b:` word bigrams, `c:` character n-grams of words of
 *   four letters or more (typos, stems). Counts are log-scaled and L2-normalised so a long thread does
 *   not outweigh a short one; how messages combine is `FeatureOptions.pool`.
 * - `s:` words of an e-mail's subject line (its first line), when `subject` is on.
 * - `L:` lexicon hits anywhere (value 1), `Lr:` hits in the root, `Lq:` SQL cues in code or an NLQ's SQL;
 *   with `themeHits`, `T:`/`Tr:` any phrase of a theme anywhere / in the root.
 * - `S:` structure: source, code/SQL in text, data-tool link domains, data attachments, root role, reply
 *   roles, thread length, an ungrouped attribute ("split by device" when no such column exists).
 * - A pasted link is one word in the text saying what kind of place it points to (`datatoollink`, `sheetlink`,
 *   `doclink`, `codelink`, `ticketlink`, `weblink`; links.ts): its unigram and bigrams are features, its character
 *   n-grams are not. (A separate `S:linkto:<kind>` flag per message was tried for 2026.12-01 and not kept: dev Slack
 *   relevance 0.885 with it, 0.889 without, the rest equal.)
 */
export interface FeatureMessage {
  text: string;
  role: Role;
  isRoot: boolean;
  hasCode: boolean;
  linkDomains: readonly string[];
  attachmentNames: readonly string[];
}

export interface FeatureItem {
  source: 'slack' | 'email' | 'nlq';
  messages: readonly FeatureMessage[];
  /** NLQ generated SQL (not executed). */
  sql?: string | null;
}

/** Feature choices, recorded in the model file so scoring computes exactly what training did. */
export interface FeatureOptions {
  /**
   * How the messages' n-gram counts combine: `sum` — one bag over the thread (a reply counts
   * `replyWeight`), normalised once; `max` — each message's bag normalised on its own, then the
   * element-wise maximum (a data problem in one reply keeps its full weight next to chatter); `both` —
   * the `sum` bag plus the `max` bag under `m`-prefixed names, each scaled by 1/√2.
   */
  pool: 'sum' | 'max' | 'both';
  replyWeight: number;
  /** Character n-gram lengths [min, max] inside words; null for none. */
  charNgrams: readonly [number, number] | null;
  subject: boolean;
  themeHits: boolean;
  /**
   * Count features of the lexicon hits (`K:` group): how many distinct data-sounding entries (theme
   * phrases, everyday senses of data words, data context) occur, how many everyday-sense entries, whether
   * any problem language occurs, and their combinations ("data word present, no problem framing").
   */
  lexCounts?: boolean;
  /** Word n-grams and character n-grams each scaled to unit norm on their own (else one norm over both). */
  groupNorm?: boolean;
  /** Scale of the character n-grams of an NLQ (short queries: typos and stems carry more of the signal). */
  nlqCharScale?: number;
  /**
   * "Problem language × data object" (`P:` group): when > 0, a problem cue ("wrong", "stale", "doesn't
   * match") that starts within this many characters of a data word (table, dashboard, metric, a
   * snake_case identifier) or of a theme phrase in the same message. 0 or absent: off. Tried at 40 and
   * not used by models 2026.11-6 and 2026.11-7 (leave-one-author-out no better; docs/classifier.md). Theme phrases that
   * contain problem words ("are stale") make it fire on everyday senses too.
   */
  problemNear?: number;
  /**
   * Scale of an e-mail's quoted history (the earlier messages below "On … wrote:" or `> …`) as one more
   * reply in the n-gram pool; 0 or absent: the quoted text is not read. A reply that says "thanks, works
   * now" belongs to the thread it quotes; its own text alone does not say what that thread was about.
   */
  quoted?: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { pool: 'sum', replyWeight: 0.7, charNgrams: [3, 5], subject: false, themeHits: false };

/** Hashed sparse vector: bucket indices (ascending, unique) and their values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

const CODE_IN_TEXT = /```|\bselect\b[\s\S]{1,200}\bfrom\b/i;
const DATA_ATTACHMENT = /\.(?:csv|sql|ipynb|parquet|xlsx)$/i;
const TOKEN = /[a-z0-9_']+|[%$#?]/g;
const SUBJECT_PREFIX = /^\s*(?:subject:\s*)?(?:(?:re|fwd?|aw|sv):\s*)*/i;

function tokens(text: string): string[] {
  return (text.match(TOKEN) ?? []).map((t) => t.replace(/^'+|'+$/g, '').replace(/\d+/g, '0')).filter((t) => t.length > 0);
}

type Bag = Map<string, number>;

function addNgrams(out: Bag, toks: readonly string[], w: number, chars: FeatureOptions['charNgrams']): void {
  const add = (k: string) => out.set(k, (out.get(k) ?? 0) + w);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    add(`u:${t}`);
    if (i + 1 < toks.length) add(`b:${t} ${toks[i + 1]}`);
    if (chars && t.length >= 4 && !t.includes('_') && !LINK_WORDS.has(t)) {
      const p = `<${t}>`;
      for (let n = chars[0]; n <= chars[1]; n++) for (let j = 0; j + n <= p.length; j++) add(`c:${p.slice(j, j + n)}`);
    }
  }
}

/**
 * log1p of each count, then scaled to unit L2 norm (times `scale`); with `groups`, word n-grams and
 * character n-grams (`c:`) are each scaled to that norm on their own, so the many character n-grams of a
 * word do not shrink the word features.
 */
function normalised(bag: Bag, scale = 1, groups = false): Bag {
  const norm = new Map<boolean, number>();
  const out: Bag = new Map();
  const group = (k: string) => groups && k.startsWith('c:');
  for (const [k, v] of bag) {
    const s = Math.log1p(v);
    out.set(k, s);
    norm.set(group(k), (norm.get(group(k)) ?? 0) + s * s);
  }
  for (const [k, v] of out) out.set(k, (v * scale) / (Math.sqrt(norm.get(group(k)) ?? 0) || 1));
  return out;
}

function hits(text: string, list: readonly LexiconEntry[]): LexiconEntry[] {
  return list.filter((e) => e.re.test(text));
}

/** An e-mail root's subject line (first line, "Subject:"/"Re:" prefixes removed), normalised. */
function subjectLine(text: string): string {
  const first = text.split('\n', 1)[0] ?? '';
  return normalizeText(first.replace(SUBJECT_PREFIX, ''));
}

/** The n-gram groups of an item's messages, pooled as `o.pool` says. */
function gramFeatures(texts: readonly { text: string; isRoot: boolean; scale?: number }[], o: FeatureOptions): Bag {
  const sum: Bag = new Map();
  const max: Bag = new Map();
  for (const m of texts) {
    const toks = tokens(m.text);
    if (o.pool !== 'max') addNgrams(sum, toks, m.isRoot ? 1 : o.replyWeight, o.charNgrams);
    if (o.pool === 'sum') continue;
    const own: Bag = new Map();
    addNgrams(own, toks, 1, o.charNgrams);
    for (const [k, v] of normalised(own, m.scale ?? 1, o.groupNorm)) {
      const key = o.pool === 'both' ? `m${k}` : k;
      if (v > (max.get(key) ?? 0)) max.set(key, v);
    }
  }
  if (o.pool === 'sum') return normalised(sum, 1, o.groupNorm);
  if (o.pool === 'max') return max;
  const out = normalised(sum, Math.SQRT1_2, o.groupNorm);
  for (const [k, v] of max) out.set(k, v * Math.SQRT1_2);
  return out;
}

const bucket = (n: number, top: number): string => (n >= top ? `${top}+` : String(n));

/**
 * The `K:` count features: distinct data-sounding lexicon entries hit (theme phrases, everyday senses,
 * data context; 0, 1, 2, 3+), everyday-sense entries hit (0, 1, 2+), problem language (0/1), and the
 * combinations the relevance labels turn on: a data word with no problem framing, an everyday sense with
 * no theme phrase or data context.
 */
function countFeatures(dataWords: ReadonlySet<string>, traps: ReadonlySet<string>, problems: ReadonlySet<string>): string[] {
  const dw = dataWords.size;
  const out = [`K:dw:${bucket(dw, 3)}`, `K:trap:${bucket(traps.size, 2)}`, `K:prob:${problems.size > 0 ? 1 : 0}`];
  if (dw > 0 && problems.size === 0) out.push('K:dw-noprob');
  if (traps.size > 0 && dw === traps.size) out.push('K:trap-only');
  return out;
}

const globalRes = new WeakMap<LexiconEntry, RegExp>();

/** Start offsets of every match of the entries in `list` in `text`, with the entry's id. */
function matchStarts(text: string, list: readonly LexiconEntry[]): { id: string; at: number }[] {
  const out: { id: string; at: number }[] = [];
  for (const e of list) {
    let re = globalRes.get(e);
    if (!re) globalRes.set(e, (re = new RegExp(e.re.source, 'gi')));
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      out.push({ id: e.id, at: m.index });
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return out;
}

/**
 * The `P:` features of one message: `P:near` (and `Pr:near` in the root) when a problem cue starts within
 * `window` characters of a data word; `P:near:<problem id>` says which cue; `P:alone` when the message has
 * problem language but no data word within the window.
 */
function problemNearFeatures(text: string, isRoot: boolean, window: number, flag: (k: string) => void): void {
  const lex = lexicon().byKind;
  const problems = matchStarts(text, lex.problem_cue);
  if (problems.length === 0) return;
  const objects = matchStarts(text, [...lex.data_sense, ...lex.phrase]);
  let near = false;
  for (const p of problems) {
    if (!objects.some((d) => Math.abs(d.at - p.at) <= window)) continue;
    near = true;
    flag(`P:near:${p.id}`);
  }
  if (near) {
    flag('P:near');
    if (isRoot) flag('Pr:near');
  } else flag('P:alone');
}

/** Named features of an item (see the module comment for the groups). */
export function itemFeatures(item: FeatureItem, o: FeatureOptions = DEFAULT_FEATURE_OPTIONS): Map<string, number> {
  const lex = lexicon().byKind;
  const textKinds = [...lex.phrase, ...lex.trap_sense, ...lex.data_sense, ...lex.problem_cue];
  const flags = new Map<string, number>();
  const flag = (k: string) => flags.set(k, 1);
  flag(`S:src:${item.source}`);
  const texts: { text: string; isRoot: boolean; scale?: number }[] = [];
  const dataWords = new Set<string>();
  const traps = new Set<string>();
  const problems = new Set<string>();
  for (const m of item.messages) {
    const text = featureText(m.text);
    texts.push({ text, isRoot: m.isRoot });
    if (o.quoted && item.source === 'email') {
      const history = normalizeText(quotedHistory(m.text));
      if (history) texts.push({ text: history, isRoot: false, scale: o.quoted });
    }
    for (const e of hits(text, textKinds)) {
      if (e.kind === 'problem_cue') problems.add(e.id);
      else dataWords.add(e.id);
      if (e.kind === 'trap_sense') traps.add(e.id);
      flag(`L:${e.id}`);
      if (m.isRoot) flag(`Lr:${e.id}`);
      if (o.themeHits && e.theme) {
        flag(`T:${e.theme}`);
        if (m.isRoot) flag(`Tr:${e.theme}`);
      }
    }
    if (o.problemNear) problemNearFeatures(text, m.isRoot, o.problemNear, flag);
    if (m.hasCode || CODE_IN_TEXT.test(m.text)) {
      flag('S:code');
      for (const e of hits(text, lex.sql_cue)) flag(`Lq:${e.id}`);
    }
    if (m.linkDomains.some((d) => lex.data_tool_domain.some((e) => e.re.test(d.toLowerCase())))) flag('S:link:data_tool');
    else if (m.linkDomains.length > 0) flag('S:link:other');
    if (m.attachmentNames.some((a) => DATA_ATTACHMENT.test(a))) flag('S:attach:data');
    if (/\b[a-z]+_[a-z0-9_]+\b/.test(text)) flag('S:identifier');
    flag(m.isRoot ? `S:root:${m.role}` : `S:reply:${m.role}`);
  }
  if (item.source === 'nlq') {
    const text = featureText(item.messages[0]?.text ?? '');
    if (unknownAttributeCue(text) > 0) flag('S:unknown_attribute');
    if (item.sql) for (const e of hits(normalizeText(item.sql), lex.sql_cue)) flag(`Lq:${e.id}`);
  } else {
    const n = item.messages.length;
    flag(`S:len:${n <= 1 ? '1' : n <= 3 ? '2-3' : '4+'}`);
  }
  const root = item.messages[0];
  if (o.subject && item.source === 'email' && root) {
    const subject: Bag = new Map();
    for (const t of tokens(subjectLine(root.text))) subject.set(`s:${t}`, (subject.get(`s:${t}`) ?? 0) + 1);
    for (const [k, v] of normalised(subject)) flags.set(k, v);
  }
  if (o.lexCounts) for (const k of countFeatures(dataWords, traps, problems)) flag(k);
  const charScale = item.source === 'nlq' ? (o.nlqCharScale ?? 1) : 1;
  for (const [k, v] of gramFeatures(texts, o)) flags.set(k, k.startsWith('c:') ? v * charScale : v);
  return flags;
}

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Hash named features into `dim` buckets (colliding features add up). */
export function hashFeatures(features: ReadonlyMap<string, number>, dim: number): SparseVector {
  const acc = new Map<number, number>();
  for (const [k, v] of features) {
    const i = fnv1a(k) % dim;
    acc.set(i, (acc.get(i) ?? 0) + v);
  }
  const idx = Int32Array.from([...acc.keys()].sort((a, b) => a - b));
  const val = Float32Array.from(idx, (i) => acc.get(i)!);
  return { idx, val };
}

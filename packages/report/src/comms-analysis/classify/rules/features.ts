import type { Role } from '@dnr/core';
import { featureText, normalizeText } from '../../text.js';
import { lexicon, type LexiconEntry } from './lexicon.js';
import { unknownAttributeCue } from './attribute-cue.js';

/**
 * Features of one item for the learned classifier, as named features (name → value) and then hashed
 * into a fixed number of buckets (FNV-1a, 32 bit). Groups:
 * - `u:` word unigrams (digits folded to 0), `b:` word bigrams, `c:` character 3–5-grams of words of
 *   four letters or more (typos, stems): counted over the thread (root counts 1, a reply 0.7), log-scaled
 *   and L2-normalised as one group, so a long thread does not outweigh a short one.
 * - `L:` lexicon hits anywhere (value 1), `Lr:` hits in the root, `Lq:` SQL cues in code or an NLQ's SQL.
 * - `S:` structure: source, code/SQL in text, data-tool link domains, data attachments, root role, reply
 *   roles, thread length, an ungrouped attribute ("split by device" when no such column exists).
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

/** Hashed sparse vector: bucket indices (ascending, unique) and their values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

const REPLY_WEIGHT = 0.7;
const CODE_IN_TEXT = /```|\bselect\b[\s\S]{1,200}\bfrom\b/i;
const DATA_ATTACHMENT = /\.(?:csv|sql|ipynb|parquet|xlsx)$/i;
const TOKEN = /[a-z0-9_']+|[%$#?]/g;

function tokens(text: string): string[] {
  return (text.match(TOKEN) ?? []).map((t) => t.replace(/^'+|'+$/g, '').replace(/\d+/g, '0')).filter((t) => t.length > 0);
}

function addNgrams(out: Map<string, number>, toks: readonly string[], w: number): void {
  const add = (k: string) => out.set(k, (out.get(k) ?? 0) + w);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    add(`u:${t}`);
    if (i + 1 < toks.length) add(`b:${t} ${toks[i + 1]}`);
    if (t.length >= 4 && !t.includes('_')) {
      const p = `<${t}>`;
      for (let n = 3; n <= 5; n++) for (let j = 0; j + n <= p.length; j++) add(`c:${p.slice(j, j + n)}`);
    }
  }
}

function hits(text: string, list: readonly LexiconEntry[]): LexiconEntry[] {
  return list.filter((e) => e.re.test(text));
}

/** Named features of an item (see the module comment for the groups). */
export function itemFeatures(item: FeatureItem): Map<string, number> {
  const lex = lexicon().byKind;
  const textKinds = [...lex.phrase, ...lex.trap_sense, ...lex.data_sense, ...lex.problem_cue];
  const grams = new Map<string, number>();
  const flags = new Map<string, number>();
  const flag = (k: string) => flags.set(k, 1);
  flag(`S:src:${item.source}`);
  for (const m of item.messages) {
    const text = featureText(m.text);
    addNgrams(grams, tokens(text), m.isRoot ? 1 : REPLY_WEIGHT);
    for (const e of hits(text, textKinds)) {
      flag(`L:${e.id}`);
      if (m.isRoot) flag(`Lr:${e.id}`);
    }
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
  let norm = 0;
  for (const [k, v] of grams) {
    const s = Math.log1p(v);
    grams.set(k, s);
    norm += s * s;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of grams) flags.set(k, v / norm);
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

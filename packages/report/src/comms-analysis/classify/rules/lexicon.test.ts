import { describe, expect, it } from 'vitest';
import type { WeightedPattern } from '../../text.js';
import { CLOSURE_DOMAINS, DATA_SENSE, RESOLVED, THEME_LEXICON, TRAP_SENSE, UNRESOLVED } from './lexicon.js';
import { THEME_VOCAB } from './vocab.js';

const all: Array<[string, WeightedPattern]> = [
  ...Object.entries(THEME_LEXICON).flatMap(([t, l]) => l.map((p) => [t, p] as [string, WeightedPattern])),
  ...Object.entries(THEME_VOCAB).flatMap(([t, l]) => l.map((p) => [`${t}~`, p] as [string, WeightedPattern])),
  ...DATA_SENSE.map((p) => ['data', p] as [string, WeightedPattern]),
  ...TRAP_SENSE.map((p) => ['trap', p] as [string, WeightedPattern]),
  ...RESOLVED.map((p) => ['resolved', p] as [string, WeightedPattern]),
  ...UNRESOLVED.map((p) => ['unresolved', p] as [string, WeightedPattern]),
];

/** Top-level alternatives of a pattern source (split on `|` outside groups and classes). */
function topLevelAlternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let cur = '';
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') {
      cur += ch + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

describe('rules lexicon hygiene', () => {
  it('has no pattern that matches empty text, and no alternative ending in a space (it could never match before a word)', () => {
    for (const [where, p] of all) {
      expect(p.re.test(''), `${where}: ${p.tag}`).toBe(false);
      expect(p.re.test('   '), `${where}: ${p.tag}`).toBe(false);
      const src = p.re.source.replace(/^\(\?:\^\|\[\^a-z0-9_\]\)\(\?:/, '').replace(/\)\(\?!\[a-z0-9_\]\)$/, '');
      for (const alt of topLevelAlternatives(src)) expect(alt.endsWith(' '), `${where}: "${alt}"`).toBe(false);
    }
  });

  it('has positive weights, and closure domains are data tools', () => {
    for (const [where, p] of all) expect(p.w, `${where}: ${p.tag}`).toBeGreaterThan(0);
    expect(CLOSURE_DOMAINS).toEqual(['dbt.example', 'looker.example']);
  });
});

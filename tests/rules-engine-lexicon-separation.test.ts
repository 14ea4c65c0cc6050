import { describe, expect, it } from 'vitest';
import { expand, HARD_NEGATIVE_SCENARIOS, NEGATIVE_SCENARIOS, THEME_LEXICON } from '../packages/comms/dist/index.js';
import { featureText, lexicon } from '../packages/report/dist/index.js';

/*
 * The comms generator's phrase banks (packages/comms/src/engines/template) and the classifier's lexicon
 * (packages/report/src/comms-analysis/classify/rules/lexicon) are separate files written separately: a
 * lexicon that mirrors the generator's scenarios would make every score on generated corpora circular.
 * Mechanical check: render every generator pattern many ways and collect its word 4-grams (slots left
 * out); no lexicon example may contain one of them.
 */
const N = 4;
const SAMPLES_PER_PATTERN = 24;
const STOP = new Set('a an the to of in on at for by with from is are was were be been it its this that these those and or but not no we i you they our your my me us can could would should do does did has have had will just so as if what which who how why when where there here one'.split(' '));

function rand(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

function grams(text: string): string[] {
  const words = featureText(text).split(/[^a-z0-9_']+/).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i + N <= words.length; i++) {
    const g = words.slice(i, i + N);
    // Four function words ("add it to the") are no scenario phrase; a gram needs two content words.
    if (!g.includes('slotx') && g.filter((w) => !STOP.has(w)).length >= 2) out.push(g.join(' '));
  }
  return out;
}

function generatorGrams(): Set<string> {
  const patterns: string[] = [];
  for (const lex of Object.values(THEME_LEXICON)) for (const list of Object.values(lex)) patterns.push(...(list as string[]));
  for (const s of [...HARD_NEGATIVE_SCENARIOS, ...NEGATIVE_SCENARIOS]) patterns.push(...s.roots, ...s.replies, ...s.subjects, ...s.emailBodies);
  const out = new Set<string>();
  const r = rand(7);
  for (const p of patterns) for (let k = 0; k < SAMPLES_PER_PATTERN; k++) for (const g of grams(expand(p, r, () => ' slotx '))) out.add(g);
  return out;
}

describe('generator phrase banks and classifier lexicon share no scenario phrases', () => {
  it('no lexicon example contains a word 4-gram of a rendered generator pattern', () => {
    const gen = generatorGrams();
    expect(gen.size).toBeGreaterThan(1000);
    const shared: string[] = [];
    for (const e of lexicon().entries) for (const ex of [...e.must, ...e.mustNot]) for (const g of grams(ex)) if (gen.has(g)) shared.push(`${e.id}: "${g}" in "${ex}"`);
    expect(shared).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { THEMES } from '@dnr/core';
import { expand, variants } from './grammar.js';
import { GENERIC_REPLIES, HARD_NEGATIVE_SCENARIOS, NEGATIVE_SCENARIOS } from './lexicon-other.js';
import { THEME_LEXICON } from './lexicon-themes.js';
import { VOCAB } from './vocab.js';

const seq = (...xs: number[]) => {
  let i = 0;
  return () => xs[i++ % xs.length];
};

describe('phrase grammar', () => {
  it('picks alternatives, keeps optional parts half the time and fills slots', () => {
    const fill = (n: string) => `<${n}>`;
    expect(expand('(a|b|c) x', seq(0.1), fill)).toBe('a x');
    expect(expand('(a|b|c) x', seq(0.9), fill)).toBe('c x');
    expect(expand('x[ y] z', seq(0.2), fill)).toBe('x y z');
    expect(expand('x[ y] z', seq(0.7), fill)).toBe('x z');
    expect(expand('{table} ((p|q)|r)', seq(0.1, 0.9), fill)).toBe('<table> q');
    expect(expand('count\\(*\\) , ok', seq(0.5), fill)).toBe('count(*), ok');
    expect(expand('see :eyes: here', seq(0.5), fill)).toBe('see :eyes: here');
  });

  it('counts the distinct strings a pattern can produce', () => {
    expect(variants('(a|b|c) [x] (d|e)')).toBe(12);
    expect(variants('plain')).toBe(1);
  });

  it('is large: every theme can say its problem in thousands of ways', () => {
    // vocabulary sizes of the slots in one archetype (vocab.ts / context.ts), numbers counted as 10
    const v = VOCAB.neobank;
    const sizes: Record<string, number> = { metric: v.metrics.length, dash: v.dashboards.length, model: v.models.length, tbl: 4, table: 2, key: 3, dim: 3, dimh: 3, pii: v.pii.length, field: v.newFields.length, team: v.teams.length, source: v.sources.length, when: 14, day: 10, rev: 3, unit: 3, item: 6, step1: 5, step2: 5, col: 5 };
    const slotSize = (n: string) => sizes[n] ?? (['n', 'big', 'pct', 'hrs'].includes(n) ? 10 : 1);
    for (const theme of THEMES) {
      const lex = THEME_LEXICON[theme];
      const phrasings = [...lex.roots, ...lex.indirect, ...lex.exec].reduce((a, p) => a + variants(p), 0);
      const roots = [...lex.roots, ...lex.indirect, ...lex.exec].reduce((a, p) => a + variants(p, slotSize), 0);
      const replies = [...lex.diag, ...lex.detail, ...lex.fix, ...lex.pending].reduce((a, p) => a + variants(p, slotSize), 0);
      expect(phrasings, theme).toBeGreaterThan(150);
      expect(roots, theme).toBeGreaterThan(20_000);
      expect(replies, theme).toBeGreaterThan(5_000);
      expect(lex.roots.length + lex.indirect.length + lex.exec.length).toBeGreaterThanOrEqual(10);
    }
    const chatter = [...HARD_NEGATIVE_SCENARIOS, ...NEGATIVE_SCENARIOS].flatMap((s) => [...s.roots, ...s.replies]);
    expect(chatter.reduce((a, p) => a + variants(p), 0)).toBeGreaterThan(5000);
    expect(GENERIC_REPLIES.reduce((a, p) => a + variants(p), 0)).toBeGreaterThan(100);
  });

  it('every pattern of the lexicons parses and uses only known slots', () => {
    const known = new Set('table tbl dim dimh key col metric dash model pii field rev unit item step1 step2 source seg team product n big pct hrs when day day2 time event floor place job launch desk user emoji ticket jira dbt looker gh wiki docs status sql'.split(' '));
    const all = [
      ...THEMES.flatMap((t) => Object.values(THEME_LEXICON[t]).flat()),
      ...[...HARD_NEGATIVE_SCENARIOS, ...NEGATIVE_SCENARIOS].flatMap((s) => [...s.roots, ...s.replies, ...s.subjects, ...s.emailBodies]),
      ...GENERIC_REPLIES,
    ];
    for (const p of all) {
      const slots = new Set<string>();
      expand(p, () => 0.3, (n) => (slots.add(n), 'x'));
      expand(p, () => 0.8, (n) => (slots.add(n), 'x'));
      for (const s of slots) expect(known, `${s} in ${p}`).toContain(s);
    }
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { featureText } from '../../text.js';
import { lexicon, loadLexicon } from './lexicon.js';

const entries = lexicon().entries;
const cases = entries.flatMap((e) => [
  ...e.must.map((text) => ({ id: e.id, file: e.file, text, want: true })),
  ...e.mustNot.map((text) => ({ id: e.id, file: e.file, text, want: false })),
]);

describe('lexicon examples (one test per example)', () => {
  it.each(cases)('$id ($file) matches=$want: "$text"', ({ id, text, want }) => {
    const entry = entries.find((e) => e.id === id)!;
    const target = entry.kind.endsWith('domain') ? text.toLowerCase() : featureText(text);
    expect(entry.re.test(target)).toBe(want);
  });
});

describe('lexicon hygiene', () => {
  it('has entries for every theme and every kind the classifier reads', () => {
    const themes = new Set(entries.filter((e) => e.kind === 'phrase').map((e) => e.theme));
    expect(themes.size).toBe(8);
    for (const k of ['trap_sense', 'data_sense', 'problem_cue', 'sql_cue', 'data_tool_domain', 'resolved', 'unresolved', 'closure_domain'] as const) {
      expect(lexicon().byKind[k].length, k).toBeGreaterThan(0);
    }
  });

  it('has no duplicate entries: no two share a pattern, and none matches every must-example of another entry of its kind and theme', () => {
    const dupes: string[] = [];
    const byPattern = new Map<string, string>();
    for (const e of entries) {
      const key = e.pattern.replace(/\s+/g, '');
      if (byPattern.has(key)) dupes.push(`${e.id} = ${byPattern.get(key)}`);
      byPattern.set(key, e.id);
    }
    for (const a of entries) {
      for (const b of entries) {
        if (a === b || a.kind !== b.kind || a.theme !== b.theme || a.kind.endsWith('domain')) continue;
        // b is redundant when a matches all of b's positive examples and b matches all of a's: same meaning twice.
        const aCoversB = b.must.every((t) => a.re.test(featureText(t)));
        const bCoversA = a.must.every((t) => b.re.test(featureText(t)));
        if (aCoversB && bCoversA && a.id < b.id) dupes.push(`${a.id} ≈ ${b.id}`);
      }
    }
    expect(dupes).toEqual([]);
  });
});

describe('loadLexicon rejects bad files, naming the file and entry', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dnr-lex-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (body: string) => {
    rmSync(path.join(dir, 'x.yaml'), { force: true });
    writeFileSync(path.join(dir, 'x.yaml'), body);
  };
  const entry = (over: string) => `theme: duplicates_dedup\nentries:\n  - id: dup.x\n    kind: phrase\n    pattern: 'dupes'\n    must: ['dupes']\n    must_not: ['no']\n${over}`;

  it.each([
    ['an unknown key', entry('    colour: red\n'), /x\.yaml: entries\.0: Unrecognized key/],
    ['a pattern that does not compile', entry('').replace("'dupes'", "'(dupes'"), /x\.yaml entry dup\.x: pattern does not compile/],
    ['a theme kind in a context file', entry('').replace('theme: duplicates_dedup', 'theme: null'), /x\.yaml entry dup\.x: kind phrase needs a theme file/],
    ['an unknown theme', entry('').replace('duplicates_dedup', 'dupes'), /x\.yaml: theme: Invalid enum value/],
    ['no must-not example', entry('').replace("    must_not: ['no']\n", ''), /x\.yaml: entries\.0\.must_not: Required/],
  ])('%s', (_what, body, want) => {
    write(body);
    expect(() => loadLexicon(dir)).toThrow(want);
  });

  it('an id used twice', () => {
    write(`${entry('')}  - id: dup.x\n    kind: phrase\n    pattern: 'dedupe'\n    must: ['dedupe']\n    must_not: ['no']\n`);
    expect(() => loadLexicon(dir)).toThrow(/entry dup\.x: id already used in x\.yaml/);
  });
});

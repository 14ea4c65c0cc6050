import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RELEVANCES, THEMES } from '@dnr/core';
import { describe, expect, it } from 'vitest';
import { fnv1a } from './features.js';
import { lexicon } from './lexicon.js';
import { lexiconDigest, readModelFile } from './model.js';

describe('the committed classifier model', () => {
  const model = readModelFile();

  it('has the three heads with the project classes and calibrated temperatures', () => {
    expect(model.heads.relevance.classes).toEqual([...RELEVANCES]);
    expect(model.heads.theme.classes).toEqual([...THEMES]);
    expect(model.heads.nlq_theme.classes).toEqual([...THEMES]);
    expect(model.heads.not_relevant?.classes).toEqual(['hard_negative', 'negative']);
    for (const h of Object.values(model.heads)) {
      expect(h.weights.length).toBe(h.index.length * h.classes.length);
      expect(h.temperature).not.toBe(1);
    }
  });

  it('was trained on the current lexicon (retrain with `pnpm train:classifier` after editing it)', () => {
    expect(model.lexicon_sha256).toBe(lexiconDigest());
  });

  it('uses every lexicon entry the features read: an entry with no learned weight is unused', () => {
    const used = new Set<number>();
    for (const h of Object.values(model.heads)) h.index.forEach((i) => used.add(i));
    const kinds = new Set(['phrase', 'trap_sense', 'data_sense', 'problem_cue', 'sql_cue']);
    const unused = lexicon()
      .entries.filter((e) => kinds.has(e.kind))
      .filter((e) => ![`L:${e.id}`, `Lr:${e.id}`, `Lq:${e.id}`].some((f) => used.has(fnv1a(f) % model.dim)))
      .map((e) => e.id);
    expect(unused).toEqual([]);
  });
});

const head = (index: unknown[], weights: unknown[]) => ({ classes: ['a', 'b'], bias: [0, 0], temperature: 1, index, weights });
const modelWith = (theme: object) => ({ format: 'dnr-rules-classifier/2', version: 't', seed: 1, dim: 8, features: { pool: 'max', replyWeight: 1, charNgrams: null, subject: false, themeHits: false }, lexicon_sha256: 'x', heads: { relevance: head([0], [1, 2]), theme, nlq_theme: head([], []) }, training: {} });
const withWeight = (w: unknown) => modelWith(head([1], [w, 1]));
const withIndex = (i: number) => modelWith(head([i], [1, 1]));

describe('readModelFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dnr-model-'));
  it.each([
    ['missing', null, /classifier\.json cannot be read .*train:classifier/],
    ['not JSON', '{', /cannot be read/],
    ['another format', JSON.stringify({ format: 'x' }), /is not a dnr-rules-classifier\/2 file: format/],
    ['carrying a weight that is not a number', JSON.stringify(withWeight('0.5')), /heads\.theme\.weights: expected an array of finite numbers/],
    ['carrying a negative bucket index', JSON.stringify(withIndex(-1)), /heads\.theme\.index: expected an array of non-negative integers/],
  ])('names the file when it is %s', (_w, body, want) => {
    const f = path.join(dir, 'classifier.json');
    rmSync(f, { force: true });
    if (body !== null) writeFileSync(f, body);
    expect(() => readModelFile(f)).toThrow(want);
  });
});

import { describe, expect, it } from 'vitest';
import { hashFeatures } from './features.js';
import { densify, predictProba } from './model.js';
import { fitTemperature, meanNll, trainSoftmax, type TrainSample } from './train.js';

const DIM = 1 << 10;
const vec = (words: string[]) => hashFeatures(new Map(words.map((w) => [`u:${w}`, 1])), DIM);
const opts = { epochs: 8, alpha: 0.3, beta: 1, l1: 0.01, l2: 0.01, seed: 3 };

/** Three classes, each with its own cue words plus shared noise words. */
function toyData(): TrainSample[] {
  const cues = [['late', 'stale'], ['dupes', 'twice'], ['grant', 'access']];
  const noise = ['the', 'table', 'today', 'team'];
  const out: TrainSample[] = [];
  for (let i = 0; i < 90; i++) {
    const y = i % 3;
    out.push({ x: vec([cues[y][i % 2], noise[i % 4], noise[(i + 1) % 4]]), y, w: 1 });
  }
  return out;
}

describe('trainSoftmax (FTRL-Proximal multinomial logistic regression)', () => {
  it('learns a separable three-class problem', () => {
    const head = densify(trainSoftmax(toyData(), ['a', 'b', 'c'], DIM, opts), DIM);
    expect([...predictProba(head, vec(['stale', 'team']))].indexOf(Math.max(...predictProba(head, vec(['stale', 'team']))))).toBe(0);
    expect(predictProba(head, vec(['twice']))[1]).toBeGreaterThan(0.6);
    expect(predictProba(head, vec(['grant', 'the']))[2]).toBeGreaterThan(0.6);
  });

  it('is deterministic for a seed and depends on it', () => {
    const a = trainSoftmax(toyData(), ['a', 'b', 'c'], DIM, opts);
    const b = trainSoftmax(toyData(), ['a', 'b', 'c'], DIM, opts);
    const c = trainSoftmax(toyData(), ['a', 'b', 'c'], DIM, { ...opts, seed: 4 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('keeps only buckets with a nonzero weight, and a stronger L1 keeps fewer', () => {
    const loose = trainSoftmax(toyData(), ['a', 'b', 'c'], DIM, opts);
    const tight = trainSoftmax(toyData(), ['a', 'b', 'c'], DIM, { ...opts, l1: 2 });
    expect(loose.weights.length).toBe(loose.index.length * 3);
    expect(tight.index.length).toBeLessThan(loose.index.length);
  });

  it('prunes: weights below the threshold become 0 and buckets left all-zero are dropped', () => {
    const full = trainSoftmax(toyData(), ['a', 'b', 'c'], DIM, opts);
    const cut = 0.05;
    const pruned = trainSoftmax(toyData(), ['a', 'b', 'c'], DIM, { ...opts, prune: cut });
    expect(full.weights.some((w) => w !== 0 && Math.abs(w) < cut)).toBe(true);
    expect(pruned.weights.every((w) => w === 0 || Math.abs(w) >= cut)).toBe(true);
    expect(pruned.index.length).toBeLessThan(full.index.length);
    // every surviving weight is the unpruned one
    const byBucket = new Map(full.index.map((b, i) => [b, full.weights.slice(i * 3, i * 3 + 3)]));
    pruned.index.forEach((b, i) => pruned.weights.slice(i * 3, i * 3 + 3).forEach((w, c) => w !== 0 && expect(w).toBe(byBucket.get(b)![c])));
  });

  it('weights samples: a class seen only at weight 0 is never learned', () => {
    const data = toyData().map((s) => ({ ...s, w: s.y === 2 ? 0 : 1 }));
    const head = densify(trainSoftmax(data, ['a', 'b', 'c'], DIM, opts), DIM);
    expect(predictProba(head, vec(['grant', 'access']))[2]).toBeLessThan(0.34);
  });
});

describe('fitTemperature', () => {
  it('softens an over-confident head (T > 1) and lowers its NLL on held-out data with label noise', () => {
    const train = toyData();
    const head = densify(trainSoftmax(train, ['a', 'b', 'c'], DIM, { ...opts, epochs: 30, alpha: 1, l2: 0 }), DIM);
    // Held-out items: a quarter carry another class's label (real messages are noisier than training).
    const dev = toyData().map((s, i) => (i % 4 === 0 ? { ...s, y: (s.y + 1) % 3 } : s));
    const t = fitTemperature(head, dev);
    expect(t).toBeGreaterThan(1);
    expect(meanNll({ ...head, temperature: t }, dev)).toBeLessThan(meanNll(head, dev));
  });

  it('is 1 with no dev items', () => {
    const head = densify(trainSoftmax(toyData(), ['a', 'b', 'c'], DIM, opts), DIM);
    expect(fitTemperature(head, [])).toBe(1);
  });
});

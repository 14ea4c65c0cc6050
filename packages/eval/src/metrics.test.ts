import { describe, expect, it } from 'vitest';
import { RandomStream } from '@dnr/core';
import { bootstrapIntervals } from './bootstrap.js';
import { calibrate } from './calibration.js';
import { confusionCounts, confusionMatrix, encodeTask, scoreConfusion } from './metrics.js';

const classes = ['a', 'b', 'c'] as const;
// truth → pred: a→a ×3, a→b ×1, b→b ×2, b→(none) ×1, c→a ×1, one uncovered c.
const items = [
  { truth: 'a', valid: true, pred: 'a', confidence: 0.9 },
  { truth: 'a', valid: true, pred: 'a', confidence: 0.85 },
  { truth: 'a', valid: true, pred: 'a', confidence: 0.95 },
  { truth: 'a', valid: true, pred: 'b', confidence: 0.6 },
  { truth: 'b', valid: true, pred: 'b', confidence: 0.7 },
  { truth: 'b', valid: true, pred: 'b', confidence: 0.75 },
  { truth: 'b', valid: true, pred: null, confidence: 0.2 },
  { truth: 'c', valid: true, pred: 'a', confidence: 0.55 },
  { truth: 'c', valid: false, pred: 'c', confidence: 0.99 },
];

describe('classification metrics', () => {
  const task = encodeTask(classes, items);
  const { counts, covered, total } = confusionCounts(task);
  const s = scoreConfusion(counts, classes.length);

  it('matches hand-computed precision, recall, F1 and macro-F1', () => {
    expect(covered).toBe(8);
    expect(total).toBe(9);
    expect(s.accuracy).toBeCloseTo(5 / 8, 12);
    // a: tp 3, predicted 4, support 4 → P .75 R .75 F1 .75
    expect(s.perClass[0]).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, support: 4, predicted: 4 });
    // b: tp 2, predicted 3, support 3 → P R F1 = 2/3
    expect(s.perClass[1].f1).toBeCloseTo(2 / 3, 12);
    // c: support 1 (the uncovered c is excluded), never predicted → precision null, F1 0
    expect(s.perClass[2]).toEqual({ precision: null, recall: 0, f1: 0, support: 1, predicted: 0 });
    expect(s.macroF1).toBeCloseTo((0.75 + 2 / 3 + 0) / 3, 12);
  });

  it('shows a (none) column only when such predictions exist', () => {
    const m = confusionMatrix(counts, classes);
    expect(m.predicted).toEqual(['a', 'b', 'c', '(none)']);
    expect(m.counts).toEqual([
      [3, 1, 0, 0],
      [0, 2, 0, 1],
      [1, 0, 0, 0],
    ]);
  });

  it('computes ECE from equal-width bins', () => {
    const c = calibrate(task, 2);
    // bin [0, .5): {0.2 wrong} ; bin [.5, 1]: 7 items, 5 correct, mean conf (.9+.85+.95+.6+.7+.75+.55)/7
    expect(c.bins.map((b) => b.count)).toEqual([1, 7]);
    const conf = (0.9 + 0.85 + 0.95 + 0.6 + 0.7 + 0.75 + 0.55) / 7;
    expect(c.ece).toBeCloseTo((1 / 8) * Math.abs(0 - 0.2) + (7 / 8) * Math.abs(5 / 7 - conf), 12);
  });

  it('bootstrap intervals are seeded and contain the point estimate', () => {
    const a = bootstrapIntervals(task, 300, new RandomStream(7, 't'));
    const b = bootstrapIntervals(task, 300, new RandomStream(7, 't'));
    const c = bootstrapIntervals(task, 300, new RandomStream(8, 't'));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.accuracy!.low).toBeLessThanOrEqual(5 / 8);
    expect(a.accuracy!.high).toBeGreaterThanOrEqual(5 / 8);
    expect(a.coverage!.high).toBeLessThanOrEqual(1);
  });
});

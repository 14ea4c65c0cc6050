import { RandomStream } from '@dnr/core';
import { confusionCounts, scoreConfusion, type EncodedTask } from './metrics.js';
import type { Interval } from './types.js';

export interface BootstrapIntervals {
  accuracy: Interval | null;
  macro_f1: Interval | null;
  coverage: Interval | null;
}

/** Quantile with linear interpolation between order statistics (type 7). */
function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function interval(values: number[]): Interval | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  return { low: quantile(sorted, 0.025), high: quantile(sorted, 0.975) };
}

/**
 * 95% percentile bootstrap over the task's labelled items (covered or not), so coverage,
 * accuracy and macro-F1 vary together. Draw j of replicate b is `stream.int(b, …, j)`: the
 * intervals depend only on the seed, the stream name and the data.
 */
export function bootstrapIntervals(task: EncodedTask, samples: number, stream: RandomStream): BootstrapIntervals {
  const n = task.truth.length;
  if (n === 0) return { accuracy: null, macro_f1: null, coverage: null };
  const k = task.classes.length;
  const accuracy: number[] = [];
  const macroF1: number[] = [];
  const coverage: number[] = [];
  const rows = new Int32Array(n);
  for (let b = 0; b < samples; b++) {
    for (let j = 0; j < n; j++) rows[j] = stream.int(b, 0, n - 1, j);
    const { counts, covered } = confusionCounts(task, rows);
    coverage.push(covered / n);
    const s = scoreConfusion(counts, k);
    if (s.accuracy !== null) accuracy.push(s.accuracy);
    if (s.macroF1 !== null) macroF1.push(s.macroF1);
  }
  return { accuracy: interval(accuracy), macro_f1: interval(macroF1), coverage: interval(coverage) };
}

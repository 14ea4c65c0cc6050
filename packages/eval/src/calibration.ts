import { NOT_COVERED, type EncodedTask } from './metrics.js';
import type { Calibration, ReliabilityBin } from './types.js';

/**
 * Reliability bins of equal width over [0, 1] and the expected calibration error, over covered
 * items that carry a confidence. "Correct" means the predicted class equals the label.
 */
export function calibrate(task: EncodedTask, binCount: number): Calibration {
  const n = new Array<number>(binCount).fill(0);
  const confSum = new Array<number>(binCount).fill(0);
  const hits = new Array<number>(binCount).fill(0);
  let total = 0;
  for (let i = 0; i < task.truth.length; i++) {
    const p = task.pred[i];
    const c = task.confidence[i];
    if (p === NOT_COVERED || Number.isNaN(c)) continue;
    const clamped = Math.min(1, Math.max(0, c));
    const b = Math.min(binCount - 1, Math.floor(clamped * binCount));
    n[b]++;
    confSum[b] += clamped;
    if (p === task.truth[i]) hits[b]++;
    total++;
  }
  let ece = 0;
  const bins: ReliabilityBin[] = n.map((count, b) => {
    const meanConfidence = count > 0 ? confSum[b] / count : null;
    const accuracy = count > 0 ? hits[b] / count : null;
    if (count > 0) ece += (count / total) * Math.abs((accuracy ?? 0) - (meanConfidence ?? 0));
    return { lower: b / binCount, upper: (b + 1) / binCount, count, mean_confidence: meanConfidence, accuracy };
  });
  return { ece: total > 0 ? ece : null, bins };
}

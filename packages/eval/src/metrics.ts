import { INVALID_PREDICTION, NO_PREDICTION, type ClassMetrics, type ConfusionMatrix } from './types.js';

/** Prediction codes beyond the K classes. */
export const NOT_COVERED = -1;

/**
 * One task's items in compact form. `pred[i]` is a class index 0..K-1, K for a valid
 * prediction without a class (null), K+1 for a value outside the class set, or -1 when the
 * item has no valid prediction (it then only counts against coverage).
 */
export interface EncodedTask {
  classes: readonly string[];
  truth: Int32Array;
  pred: Int32Array;
  /** Confidence of the prediction, NaN when missing. */
  confidence: Float64Array;
}

export function encodeTask(
  classes: readonly string[],
  items: ReadonlyArray<{ truth: string; valid: boolean; pred: string | null; confidence: number | null }>,
): EncodedTask {
  const index = new Map(classes.map((c, i) => [c, i]));
  const k = classes.length;
  const truth = new Int32Array(items.length);
  const pred = new Int32Array(items.length);
  const confidence = new Float64Array(items.length);
  items.forEach((item, i) => {
    const t = index.get(item.truth);
    if (t === undefined) throw new RangeError(`label "${item.truth}" is not one of ${classes.join(', ')}`);
    truth[i] = t;
    pred[i] = !item.valid ? NOT_COVERED : item.pred === null ? k : (index.get(item.pred) ?? k + 1);
    confidence[i] = item.confidence ?? Number.NaN;
  });
  return { classes, truth, pred, confidence };
}

/** Row-major K × (K+2) counts over covered items; `rows` selects items (a bootstrap resample). */
export function confusionCounts(task: EncodedTask, rows?: ArrayLike<number>): { counts: Int32Array; covered: number; total: number } {
  const k = task.classes.length;
  const counts = new Int32Array(k * (k + 2));
  const n = rows ? rows.length : task.truth.length;
  let covered = 0;
  for (let j = 0; j < n; j++) {
    const i = rows ? rows[j] : j;
    const p = task.pred[i];
    if (p === NOT_COVERED) continue;
    covered++;
    counts[task.truth[i] * (k + 2) + p]++;
  }
  return { counts, covered, total: n };
}

export interface Scores {
  accuracy: number | null;
  macroF1: number | null;
  macroClasses: number[];
  perClass: ClassMetrics[];
}

/**
 * Accuracy, per-class precision/recall/F1 and macro-F1 from confusion counts. Macro-F1 averages
 * the classes that occur as a label or as a prediction (sklearn's default label set); an
 * undefined precision or recall makes that class's F1 zero (sklearn's zero_division=0).
 */
export function scoreConfusion(counts: Int32Array, k: number): Scores {
  const width = k + 2;
  let total = 0;
  let correct = 0;
  const perClass: ClassMetrics[] = [];
  const support = new Array<number>(k).fill(0);
  const predicted = new Array<number>(k).fill(0);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < width; c++) {
      const v = counts[r * width + c];
      total += v;
      support[r] += v;
      if (c < k) predicted[c] += v;
      if (r === c) correct += v;
    }
  }
  const macroClasses: number[] = [];
  let f1Sum = 0;
  for (let c = 0; c < k; c++) {
    const tp = counts[c * width + c];
    const precision = predicted[c] > 0 ? tp / predicted[c] : null;
    const recall = support[c] > 0 ? tp / support[c] : null;
    const f1 = precision && recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support: support[c], predicted: predicted[c] });
    if (support[c] > 0 || predicted[c] > 0) {
      macroClasses.push(c);
      f1Sum += f1;
    }
  }
  return {
    accuracy: total > 0 ? correct / total : null,
    macroF1: macroClasses.length > 0 ? f1Sum / macroClasses.length : null,
    macroClasses,
    perClass,
  };
}

/** The confusion matrix for the report: extra columns only when such predictions exist. */
export function confusionMatrix(counts: Int32Array, classes: readonly string[]): ConfusionMatrix {
  const k = classes.length;
  const width = k + 2;
  const extraUsed = [k, k + 1].filter((c) => classes.some((_, r) => counts[r * width + c] > 0));
  const columns = [...classes.map((_, c) => c), ...extraUsed];
  return {
    labels: [...classes],
    predicted: columns.map((c) => (c < k ? classes[c] : c === k ? NO_PREDICTION : INVALID_PREDICTION)),
    counts: classes.map((_, r) => columns.map((c) => counts[r * width + c])),
  };
}

export const EVAL_SOURCES = ['slack', 'email', 'nlq'] as const;
export type EvalSource = (typeof EVAL_SOURCES)[number];
export type EvalTask = 'relevance' | 'theme';

/** Predicted-column names for predictions that are not one of the classes. */
export const NO_PREDICTION = '(none)';
export const INVALID_PREDICTION = '(invalid)';

export interface ClassMetrics {
  /** tp / predicted; null when the class was never predicted. */
  precision: number | null;
  /** tp / support; null when the class has no labelled item. */
  recall: number | null;
  /** Harmonic mean; 0 when precision or recall is 0 or undefined (sklearn's zero_division=0). */
  f1: number;
  /** Labelled items of the class that have a valid prediction. */
  support: number;
  /** Times the class was predicted. */
  predicted: number;
}

export interface ConfusionMatrix {
  /** Rows: oracle classes. */
  labels: string[];
  /** Columns: predicted classes, then '(none)' / '(invalid)' when any such prediction exists. */
  predicted: string[];
  /** counts[row][col]. */
  counts: number[][];
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  mean_confidence: number | null;
  accuracy: number | null;
}

export interface Calibration {
  /** Expected calibration error: Σ (n_b / n) · |accuracy_b − confidence_b|. */
  ece: number | null;
  bins: ReliabilityBin[];
}

export interface Interval {
  low: number;
  high: number;
}

export interface TaskMetrics {
  task: EvalTask;
  /** Which labelled items the task is scored on. */
  scope: string;
  /** Labelled items in scope. */
  items: number;
  /** Items in scope with a valid prediction (status 'ok'). */
  evaluated: number;
  coverage: number | null;
  accuracy: number | null;
  macro_f1: number | null;
  /** Classes averaged by macro-F1: those with support or predictions. */
  macro_classes: string[];
  per_class: Record<string, ClassMetrics>;
  confusion: ConfusionMatrix;
  calibration: Calibration;
  /** Seeded percentile bootstrap, 95%. */
  ci95: { accuracy: Interval | null; macro_f1: Interval | null; coverage: Interval | null };
}

export interface SourceMetrics {
  source: EvalSource;
  labels_file: string;
  preds_file: string;
  labelled: number;
  predictions: number;
  /** Labelled items with any prediction row. */
  matched: number;
  /** Prediction ids with no label (reported, not scored). */
  unlabelled_predictions: number;
  /** Labelled items whose prediction has status 'ok'. */
  valid: number;
  coverage: number;
  status_counts: Record<string, number>;
  tasks: Partial<Record<EvalTask, TaskMetrics>>;
}

export interface GateResult {
  name: string;
  source: EvalSource;
  metric: 'theme_macro_f1' | 'relevance_macro_f1' | 'coverage';
  value: number | null;
  bound: number;
  op: '>=';
  /** 'skip' when the source has neither labels nor predictions. */
  verdict: 'pass' | 'fail' | 'skip';
}

export interface EvalSettings {
  bootstrap_samples: number;
  bootstrap_seed: number;
  calibration_bins: number;
  gates: { theme_macro_f1: number; relevance_macro_f1: number; nlq_theme_macro_f1: number; coverage: number };
}

export interface EvalMetrics {
  pred_dir: string;
  labels_dir: string;
  run_id: string;
  settings: EvalSettings;
  sources: Partial<Record<EvalSource, SourceMetrics>>;
  gates: GateResult[];
  passed: boolean;
  failed: string[];
}

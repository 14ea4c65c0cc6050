import { RandomStream, RELEVANCES, THEMES } from '@dnr/core';
import { InputError } from '@dnr/core';
import { bootstrapIntervals } from './bootstrap.js';
import { calibrate } from './calibration.js';
import { confusionCounts, confusionMatrix, encodeTask, scoreConfusion } from './metrics.js';
import type { PredRow, SourceInput } from './load.js';
import type { EvalSettings, EvalTask, SourceMetrics, TaskMetrics } from './types.js';

export const VALID_STATUS = 'ok';

/**
 * Scopes. Relevance: every labelled Slack/email thread. Theme (Slack/email): threads labelled
 * `positive` only, because the oracle theme is null otherwise; a valid prediction without a
 * theme on such a thread counts as a miss in the '(none)' column. NLQ theme: every query.
 */
export const TASK_SCOPES: Record<EvalTask, { threads: string; nlq: string }> = {
  relevance: { threads: 'all labelled threads', nlq: '' },
  theme: { threads: "threads labelled relevance='positive'", nlq: 'all labelled queries' },
};

function scoreTask(
  task: EvalTask,
  scope: string,
  classes: readonly string[],
  items: Array<{ truth: string; valid: boolean; pred: string | null; confidence: number | null }>,
  settings: EvalSettings,
  stream: RandomStream,
): TaskMetrics {
  const encoded = encodeTask(classes, items);
  const { counts, covered, total } = confusionCounts(encoded);
  const s = scoreConfusion(counts, classes.length);
  return {
    task,
    scope,
    items: total,
    evaluated: covered,
    coverage: total > 0 ? covered / total : null,
    accuracy: s.accuracy,
    macro_f1: s.macroF1,
    macro_classes: s.macroClasses.map((c) => classes[c]),
    per_class: Object.fromEntries(classes.map((c, i) => [c, s.perClass[i]])),
    confusion: confusionMatrix(counts, classes),
    calibration: calibrate(encoded, settings.calibration_bins),
    ci95: bootstrapIntervals(encoded, settings.bootstrap_samples, stream),
  };
}

export function evaluateSource(input: SourceInput, settings: EvalSettings): SourceMetrics {
  const preds = new Map<string, PredRow>(input.preds.map((p) => [p.id, p]));
  const labelled = new Set(input.labels.map((l) => l.id));
  const statusCounts: Record<string, number> = {};
  let matched = 0;
  let valid = 0;
  const joined = input.labels.map((label) => {
    const pred = preds.get(label.id);
    const status = pred ? (pred.status ?? 'null') : 'missing';
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
    if (pred) matched++;
    const ok = pred?.status === VALID_STATUS;
    if (ok) valid++;
    return { label, pred: ok ? pred : undefined };
  });
  const stream = new RandomStream(settings.bootstrap_seed, `eval/${input.source}`);
  const badLabel = (value: string | null, what: string, allowed: readonly string[]) => {
    if (value !== null && !allowed.includes(value)) {
      throw new InputError(`--labels: ${input.labelsFile} has ${what} "${value}"; expected one of ${allowed.join(', ')}.`);
    }
  };
  const tasks: SourceMetrics['tasks'] = {};
  if (input.source === 'nlq') {
    for (const { label } of joined) {
      if (label.theme === null) throw new InputError(`--labels: ${input.labelsFile} has query "${label.id}" without a theme; every NLQ label needs one.`);
      badLabel(label.theme, 'theme', THEMES);
    }
    tasks.theme = scoreTask(
      'theme',
      TASK_SCOPES.theme.nlq,
      THEMES,
      joined.map(({ label, pred }) => ({ truth: label.theme as string, valid: pred !== undefined, pred: pred?.theme ?? null, confidence: pred?.confidence ?? null })),
      settings,
      stream.child('theme'),
    );
  } else {
    for (const { label } of joined) {
      if (label.relevance === null) throw new InputError(`--labels: ${input.labelsFile} has thread "${label.id}" without a relevance.`);
      badLabel(label.relevance, 'relevance', RELEVANCES);
      badLabel(label.theme, 'theme', THEMES);
    }
    tasks.relevance = scoreTask(
      'relevance',
      TASK_SCOPES.relevance.threads,
      RELEVANCES,
      joined.map(({ label, pred }) => ({ truth: label.relevance as string, valid: pred !== undefined, pred: pred?.relevance ?? null, confidence: pred?.confidence ?? null })),
      settings,
      stream.child('relevance'),
    );
    tasks.theme = scoreTask(
      'theme',
      TASK_SCOPES.theme.threads,
      THEMES,
      joined
        .filter(({ label }) => label.relevance === 'positive' && label.theme !== null)
        .map(({ label, pred }) => ({ truth: label.theme as string, valid: pred !== undefined, pred: pred?.theme ?? null, confidence: pred?.confidence ?? null })),
      settings,
      stream.child('theme'),
    );
  }
  return {
    source: input.source,
    labels_file: input.labelsFile,
    preds_file: input.predsFile,
    labelled: input.labels.length,
    predictions: input.preds.length,
    matched,
    unlabelled_predictions: input.preds.filter((p) => !labelled.has(p.id)).length,
    valid,
    coverage: valid / input.labels.length,
    status_counts: Object.fromEntries(Object.entries(statusCounts).sort(([a], [b]) => a.localeCompare(b))),
    tasks,
  };
}

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '@dnr/core';
import { chartSubtitle, confusionMatrixSpec, reliabilitySpec, renderVegaLitePng } from './figures/index.js';
import { EVAL_SOURCES, type EvalMetrics, type TaskMetrics } from './types.js';

export const fmt = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? 'n/a' : x.toFixed(digits));
const ci = (i: { low: number; high: number } | null) => (i ? `[${fmt(i.low)}, ${fmt(i.high)}]` : 'n/a');

export const figureName = (source: string, task: string, kind: 'confusion' | 'reliability') => `figures/${kind}_${source}_${task}.png`;

function taskSection(source: string, t: TaskMetrics): string[] {
  const lines = [
    `### ${source} · ${t.task}`,
    '',
    `Scope: ${t.scope}. Items ${t.items}, with a valid prediction ${t.evaluated}.`,
    '',
    '| metric | value | 95% CI |',
    '|---|---|---|',
    `| coverage | ${fmt(t.coverage)} | ${ci(t.ci95.coverage)} |`,
    `| accuracy | ${fmt(t.accuracy)} | ${ci(t.ci95.accuracy)} |`,
    `| macro-F1 | ${fmt(t.macro_f1)} | ${ci(t.ci95.macro_f1)} |`,
    `| ECE | ${fmt(t.calibration.ece)} | |`,
    '',
    '| class | precision | recall | F1 | support | predicted |',
    '|---|---|---|---|---|---|',
    ...Object.entries(t.per_class).map(([c, m]) => `| ${c} | ${fmt(m.precision)} | ${fmt(m.recall)} | ${fmt(m.f1)} | ${m.support} | ${m.predicted} |`),
    '',
    'Confusion matrix (rows: oracle label, columns: predicted):',
    '',
    `| label \\ predicted | ${t.confusion.predicted.join(' | ')} |`,
    `|---|${t.confusion.predicted.map(() => '---').join('|')}|`,
    ...t.confusion.labels.map((l, r) => `| ${l} | ${t.confusion.counts[r].join(' | ')} |`),
    '',
    `![${source} ${t.task} confusion](${figureName(source, t.task, 'confusion')})`,
    '',
    'Reliability bins:',
    '',
    '| confidence bin | items | mean confidence | accuracy |',
    '|---|---|---|---|',
    ...t.calibration.bins.map((b, i, all) => `| [${fmt(b.lower, 2)}, ${fmt(b.upper, 2)}${i === all.length - 1 ? ']' : ')'} | ${b.count} | ${fmt(b.mean_confidence)} | ${fmt(b.accuracy)} |`),
    '',
    `![${source} ${t.task} reliability](${figureName(source, t.task, 'reliability')})`,
    '',
  ];
  return lines;
}

export function renderEvalMarkdown(m: EvalMetrics): string {
  const lines = [
    `# Label evaluation — run ${m.run_id}`,
    '',
    `Verdict: **${m.passed ? 'PASS' : 'FAIL'}**${m.failed.length ? ` (failed: ${m.failed.join(', ')})` : ''}`,
    '',
    `Predictions: \`${m.pred_dir}\` · labels: \`${m.labels_dir}\` · bootstrap: ${m.settings.bootstrap_samples} resamples, seed ${m.settings.bootstrap_seed} · calibration bins: ${m.settings.calibration_bins}`,
    '',
    '## Gates',
    '',
    '| gate | value | bound | verdict |',
    '|---|---|---|---|',
    ...m.gates.map((g) => `| ${g.name} | ${fmt(g.value)} | ${g.op} ${fmt(g.bound, 2)} | ${g.verdict} |`),
    '',
    '## Method',
    '',
    "- A valid prediction has status 'ok'; coverage is the share of labelled items with one. Items without a valid prediction count only against coverage, not in accuracy or F1.",
    "- Slack/email relevance is scored on every labelled thread. Slack/email theme is scored on threads labelled `positive` only (the oracle theme is null otherwise); a valid prediction with no theme on such a thread is a miss, shown in the '(none)' column. NLQ theme is scored on every query.",
    '- Macro-F1 averages the classes that occur as a label or a prediction; an undefined precision or recall gives F1 = 0 for that class.',
    '- ECE = Σ (n_bin / n) · |accuracy_bin − mean confidence_bin| over equal-width confidence bins.',
    '- 95% CIs: percentile bootstrap over the labelled items in scope, seeded, so reruns give the same intervals.',
    '',
  ];
  for (const source of EVAL_SOURCES) {
    const s = m.sources[source];
    if (!s) {
      lines.push(`## ${source}`, '', 'No labels and no predictions: skipped.', '');
      continue;
    }
    const statuses = Object.entries(s.status_counts).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(
      `## ${source}`,
      '',
      `Labelled ${s.labelled}, predictions ${s.predictions}, matched ${s.matched}, valid ${s.valid}, coverage ${fmt(s.coverage)}, predictions without a label ${s.unlabelled_predictions}. Status of labelled items: ${statuses}.`,
      '',
    );
    for (const t of [s.tasks.relevance, s.tasks.theme]) if (t) lines.push(...taskSection(source, t));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Write metrics.json, report.md and the figures into `dir` (a temp folder swapped in by the caller). */
export async function writeEvalOutputs(dir: string, m: EvalMetrics): Promise<string[]> {
  const files: string[] = [];
  const subtitle = chartSubtitle(m);
  for (const source of EVAL_SOURCES) {
    const s = m.sources[source];
    if (!s) continue;
    for (const t of [s.tasks.relevance, s.tasks.theme]) {
      if (!t) continue;
      const confusion = figureName(source, t.task, 'confusion');
      const total = t.confusion.counts.flat().reduce((a, b) => a + b, 0);
      const png = await renderVegaLitePng(confusionMatrixSpec(`${source} ${t.task}: confusion matrix (n=${total}, macro-F1 ${fmt(t.macro_f1, 3)})`, t.confusion, subtitle));
      writeFileSync(path.join(dir, confusion), png);
      files.push(confusion);
      const reliability = figureName(source, t.task, 'reliability');
      writeFileSync(path.join(dir, reliability), await renderVegaLitePng(reliabilitySpec(`${source} ${t.task}: reliability (ECE ${fmt(t.calibration.ece, 3)})`, t.calibration, subtitle)));
      files.push(reliability);
    }
  }
  writeJsonAtomic(path.join(dir, 'metrics.json'), m);
  writeFileSync(path.join(dir, 'report.md'), renderEvalMarkdown(m));
  files.push('metrics.json', 'report.md');
  return files.sort();
}

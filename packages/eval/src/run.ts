import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { GateFailedError, OutputFolder, Progress, recoverInput, withDuckDB } from '@dnr/core';
import { labelsSource, readRunExpectation } from './labels.js';
import { evaluateGates } from './gates.js';
import { evaluateSource } from './evaluate.js';
import { loadSources, resolvePredDir, runIdOf } from './load.js';
import { writeEvalOutputs } from './write.js';
import type { EvalMetrics, EvalSettings, EvalSource, SourceMetrics } from './types.js';

export interface EvalLabelsOptions {
  /** runs/{run_id}/preds (or the run folder). */
  predDir: string;
  /**
   * Folder of labels_{slack,email,nlq}.parquet, or a folder of such folders (meta, comms); default: the
   * comms folder the run classified, as recorded in its run.json.
   */
  labelsDir?: string;
  /** Replace --out even if it holds another kind of dnr output or foreign files (those are kept). */
  force?: boolean;
  /** Output folder; default {reportsRoot}/eval/{run_id}. */
  outDir?: string;
  reportsRoot?: string;
  settings: EvalSettings;
  progress?: Progress;
}

export interface EvalLabelsResult {
  out_dir: string;
  files: string[];
  metrics: EvalMetrics;
}

/** docs/classifier.md: join predictions to oracle labels, score, write metrics.json + report.md + figures. */
export async function evalLabels(options: EvalLabelsOptions): Promise<EvalLabelsResult> {
  const progress = options.progress ?? Progress.silent();
  recoverInput(path.basename(path.resolve(options.predDir)) === 'preds' ? path.dirname(path.resolve(options.predDir)) : options.predDir, '--pred');
  const predDir = resolvePredDir(options.predDir);
  const runId = runIdOf(predDir);
  const expectation = readRunExpectation(predDir);
  const from = labelsSource(options.labelsDir, expectation);
  const outDir = options.outDir ?? path.join(options.reportsRoot ?? 'reports', 'eval', runId);
  const output = OutputFolder.open({
    kind: 'eval',
    command: 'eval-labels',
    dir: outDir,
    flag: '--out',
    force: options.force,
    inputs: [{ flag: '--pred', dir: predDir }, ...from.dirs.map((dir) => ({ flag: from.flag, dir }))],
  });
  const inputs = await progress.step('load predictions and labels', () => withDuckDB({ timeZone: 'UTC' }, (conn) => loadSources(conn, predDir, from, expectation)));
  const sources: Partial<Record<EvalSource, SourceMetrics>> = {};
  await progress.step('score predictions (metrics, calibration, bootstrap CIs)', (h) => {
    h.total(inputs.length);
    for (const input of inputs) {
      sources[input.source] = evaluateSource(input, options.settings);
      h.tick();
    }
  });
  const gates = evaluateGates(sources, options.settings);
  const failed = gates.filter((g) => g.verdict === 'fail').map((g) => g.name);
  const metrics: EvalMetrics = {
    pred_dir: predDir,
    labels_dir: [...new Set(inputs.map((i) => path.dirname(i.labelsFile)))].join(', '),
    run_id: runId,
    settings: options.settings,
    sources,
    gates,
    passed: failed.length === 0,
    failed,
  };
  const files = await progress.step('write metrics, report and figures', () =>
    output.commit(async (tmp) => {
      mkdirSync(path.join(tmp, 'figures'));
      return writeEvalOutputs(tmp, metrics);
    }),
  );
  return { out_dir: outDir, files, metrics };
}

/** The exit-3 error for a failed evaluation, naming every failing gate with its value. */
export function evalGateFailure(result: EvalLabelsResult): GateFailedError {
  const m = result.metrics;
  const detail = m.gates
    .filter((g) => g.verdict === 'fail')
    .map((g) => `${g.name} = ${g.value === null ? 'n/a' : g.value.toFixed(4)} (needs ${g.op} ${g.bound})`)
    .join('; ');
  const skipped = Object.values(m.sources).some((s) => s && (s.status_counts.skipped ?? 0) > s.labelled / 2);
  return new GateFailedError(`eval-labels verdict FAIL: ${m.failed.length} gate(s) failed: ${detail}. Outputs in ${result.out_dir}.`, m.failed, {
    suggestion: skipped
      ? "Most predictions have status 'skipped': the run classified nothing (run-report --no-llm without --engine rules). Re-run with --engine rules or an LLM."
      : `See ${path.join(result.out_dir, 'report.md')}.`,
  });
}

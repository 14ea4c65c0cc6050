import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError, UsageError, readTruthLinks } from '@dnr/core';
import { EVAL_SOURCES, type EvalSource } from './types.js';

export const labelsFileName = (s: EvalSource) => `labels_${s}.parquet`;

/** What a run recorded about the corpus it classified (runs/{run_id}/run.json, written by run-report). */
export interface RunExpectation {
  runJson?: string;
  /** The comms folder the run classified. */
  commsDir?: string;
  /** sha256 of the oracle-label files of that corpus, per source. */
  labels: Partial<Record<EvalSource, string>>;
}

/** Read run.json next to (or above) a preds folder; an empty expectation when there is none. */
export function readRunExpectation(predDir: string): RunExpectation {
  const runDir = path.basename(path.resolve(predDir)) === 'preds' ? path.dirname(path.resolve(predDir)) : path.resolve(predDir);
  const file = path.join(runDir, 'run.json');
  if (!existsSync(file)) return { labels: {} };
  try {
    const run = JSON.parse(readFileSync(file, 'utf8')) as { inputs?: { comms_dir?: string; comms_truth?: Record<string, string> } };
    const truth = run.inputs?.comms_truth ?? {};
    const labels = Object.fromEntries(EVAL_SOURCES.filter((s) => truth[`labels_${s}`]).map((s) => [s, truth[`labels_${s}`]]));
    // relative to the run folder (a copied project keeps working), or absolute from older runs
    const commsDir = run.inputs?.comms_dir === undefined ? undefined : path.resolve(runDir, run.inputs.comms_dir);
    return { runJson: file, commsDir, labels };
  } catch {
    return { labels: {} };
  }
}

/** Where to look for labels and how to name them in messages. */
export interface LabelsSource {
  /** The flag, or "run.json" when the run's own comms folder is used. */
  flag: string;
  given: string;
  /** Folders that may hold labels_{source}.parquet. */
  dirs: string[];
}

const hasLabels = (dir: string) => EVAL_SOURCES.some((s) => existsSync(path.join(dir, labelsFileName(s))));

/**
 * Folders to search for labels. `--labels DIR` holding labels_*.parquet is used as is; a folder of such
 * folders (`--labels meta`, or `comms/`) is searched one level down. Without --labels, the labels
 * of the comms folder the run classified (from run.json) are used.
 */
export function labelsSource(labels: string | undefined, expectation: RunExpectation): LabelsSource {
  if (labels === undefined) {
    if (!expectation.commsDir) {
      throw new UsageError('eval-labels needs --labels DIR: the predictions have no run.json naming the comms folder they came from.', {
        suggestion: 'Pass --labels meta (or the comms folder the run classified).',
      });
    }
    return { flag: 'run.json', given: expectation.commsDir, dirs: [expectation.commsDir] };
  }
  if (!existsSync(labels) || !statSync(labels).isDirectory()) {
    throw new InputError(`--labels ${labels} is not a folder.`, { suggestion: 'Pass meta (or meta/{archetype}), or the comms folder the run classified.' });
  }
  if (hasLabels(labels)) return { flag: '--labels', given: labels, dirs: [labels] };
  const nested = readdirSync(labels)
    .sort()
    .map((d) => path.join(labels, d))
    .filter((d) => statSync(d).isDirectory() && hasLabels(d));
  return { flag: '--labels', given: labels, dirs: nested };
}

/** The label file of one source that matches what the run classified; undefined when no candidate has one. */
export function pickLabelsFile(source: EvalSource, from: LabelsSource, expectation: RunExpectation, sha256: (file: string) => string): string[] {
  const files = from.dirs.map((d) => path.join(d, labelsFileName(source))).filter((f) => existsSync(f));
  const want = expectation.labels[source];
  if (!want || files.length === 0) return files;
  const match = files.filter((f) => sha256(f) === want);
  if (match.length) return match.slice(0, 1);
  const own = expectation.commsDir ? readTruthLinks(expectation.commsDir)?.[`labels_${source}`] : undefined;
  throw new InputError(
    `${from.flag} ${from.given}: ${files.length === 1 ? files[0] : `none of ${files.join(', ')}`} ${files.length === 1 ? 'is not' : 'is'} the oracle of the corpus these predictions were made on ` +
      `(${expectation.runJson} names comms folder ${expectation.commsDir ?? '?'}, whose ${labelsFileName(source)} has sha256 ${want.slice(0, 12)}…); scoring them against each other would be meaningless.`,
    {
      suggestion: own && expectation.commsDir ? `Leave out --labels to use ${path.join(expectation.commsDir, own.file)}.` : 'Pass the labels written with the comms folder the run classified.',
    },
  );
}

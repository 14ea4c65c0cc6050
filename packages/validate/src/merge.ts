import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isCompleteOutput } from '@dnr/core';
import { GATE_FAMILIES } from './gates/index.js';
import { tally } from './rows.js';
import type { ValidateSummary } from './run.js';

/** Identity of what a QC report measured. */
export interface QcInputs {
  /** Commit id of the warehouse folder (its .dnr-output.json), null for folders without one. */
  warehouse_commit: string | null;
  comms_commit: string | null;
  /** Ground-truth files used (defects, labels_*). */
  truth: string[];
}

const sameInputs = (a: QcInputs | undefined, b: QcInputs): boolean =>
  a !== undefined && a.warehouse_commit !== null && a.warehouse_commit === b.warehouse_commit && a.comms_commit === b.comms_commit && a.truth.join() === b.truth.join();

/**
 * `validate --only F…` never silently shrinks a fuller QC report: when the report already in the output
 * folder measured the same inputs (same warehouse and comms commits, same ground truth), the families not
 * re-run keep their rows (listed in `kept_families`) and only F's rows are replaced. A report of other
 * inputs is stale: it is replaced, with a warning naming the families it loses.
 */
export function mergeWithPrevious(outDir: string, run: ValidateSummary, only: boolean): { report: ValidateSummary; warnings: string[] } {
  if (!only || !isCompleteOutput(outDir, 'qc')) return { report: run, warnings: [] };
  let previous: ValidateSummary;
  try {
    previous = JSON.parse(readFileSync(path.join(outDir, 'validate.json'), 'utf8')) as ValidateSummary;
  } catch {
    return { report: run, warnings: [] };
  }
  const lost = (previous.families ?? []).filter((f) => !run.families.includes(f));
  if (!sameInputs(previous.inputs, run.inputs)) {
    const warnings = lost.length ? [`${path.join(outDir, 'validate.json')} measured other inputs; replaced by this run's ${run.families.join(', ')} rows (dropped stale rows of ${lost.join(', ')}).`] : [];
    return { report: run, warnings };
  }
  const order = GATE_FAMILIES.map((f) => f.name);
  const families = order.filter((f) => run.families.includes(f) || lost.includes(f));
  const rows = families.flatMap((f) => (run.families.includes(f) ? run.rows : previous.rows).filter((r) => r.family === f));
  return { report: { ...run, rows, ...tally(rows), families, kept_families: lost }, warnings: [] };
}

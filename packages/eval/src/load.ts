import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, queryRows, readParquetAs, sha256File } from '@dnr/core';
import { labelsFileName, pickLabelsFile, type LabelsSource, type RunExpectation } from './labels.js';
import { EVAL_SOURCES, type EvalSource } from './types.js';

export interface LabelRow {
  id: string;
  relevance: string | null;
  theme: string | null;
}

export interface PredRow {
  id: string;
  relevance: string | null;
  theme: string | null;
  confidence: number | null;
  status: string;
}

export interface SourceInput {
  source: EvalSource;
  labelsFile: string;
  predsFile: string;
  labels: LabelRow[];
  preds: PredRow[];
}

export { labelsFileName };
export const predsFileName = (s: EvalSource) => `${s}.parquet`;

/** `--pred` may name the preds folder or the run folder that holds it. */
export function resolvePredDir(pred: string): string {
  if (!existsSync(pred) || !statSync(pred).isDirectory()) {
    throw new InputError(`--pred ${pred} is not a folder.`, { suggestion: 'Pass runs/{run_id}/preds as written by `dnr run-report`.' });
  }
  const nested = path.join(pred, 'preds');
  const hasOwn = EVAL_SOURCES.some((s) => existsSync(path.join(pred, predsFileName(s))));
  return !hasOwn && existsSync(nested) && statSync(nested).isDirectory() ? nested : pred;
}

/** The run id of a preds folder: runs/{run_id}/preds → run_id. */
export function runIdOf(predDir: string): string {
  const abs = path.resolve(predDir);
  return path.basename(abs) === 'preds' ? path.basename(path.dirname(abs)) : path.basename(abs);
}

/** The file through dnr's Parquet reader (BLOB text, numeric ids… converted exactly, or exit 2 naming the column). */
async function relationOf(conn: DuckDBConnection, file: string, flag: string, columns: Record<string, string>): Promise<{ cols: Map<string, string>; sql: string }> {
  const read = await readParquetAs(conn, { label: flag, files: [file], columns });
  return { cols: read.found, sql: read.sql };
}

function requireColumns(cols: Map<string, string>, needed: string[], file: string, flag: string): void {
  const missing = needed.filter((c) => !cols.has(c));
  if (missing.length > 0) {
    throw new InputError(`${flag}: ${file} lacks column(s) ${missing.join(', ')} (has ${[...cols.keys()].join(', ')}).`);
  }
}

async function readLabels(conn: DuckDBConnection, source: EvalSource, file: string): Promise<LabelRow[]> {
  const idCol = source === 'nlq' ? 'query_id' : 'thread_id';
  const { cols, sql } = await relationOf(conn, file, '--labels', { [idCol]: 'VARCHAR', relevance: 'VARCHAR', theme: 'VARCHAR' });
  requireColumns(cols, source === 'nlq' ? [idCol, 'theme'] : [idCol, 'relevance', 'theme'], file, '--labels');
  const relevance = source === 'nlq' ? 'NULL' : 'relevance::VARCHAR';
  const rows = await queryRows<LabelRow>(
    conn,
    `SELECT ${idCol}::VARCHAR AS id, ${relevance} AS relevance, theme::VARCHAR AS theme FROM ${sql} ORDER BY 1`,
  );
  const dup = rows.find((r, i) => r.id === null || (i > 0 && rows[i - 1].id === r.id));
  if (dup) throw new InputError(`--labels: ${file} has ${dup.id === null ? 'a NULL' : `a duplicate ${idCol} "${dup.id}"`}; oracle labels need one row per id.`);
  return rows;
}

async function readPreds(conn: DuckDBConnection, file: string): Promise<PredRow[]> {
  const { cols, sql } = await relationOf(conn, file, '--pred', { id: 'VARCHAR', relevance: 'VARCHAR', theme: 'VARCHAR', confidence: 'DOUBLE', status: 'VARCHAR' });
  requireColumns(cols, ['id', 'relevance', 'theme', 'confidence', 'status'], file, '--pred');
  const rows = await queryRows<PredRow>(
    conn,
    `SELECT id::VARCHAR AS id, relevance::VARCHAR AS relevance, theme::VARCHAR AS theme, confidence::DOUBLE AS confidence, status::VARCHAR AS status
     FROM ${sql} ORDER BY 1`,
  );
  const dup = rows.find((r, i) => r.id === null || (i > 0 && rows[i - 1].id === r.id));
  if (dup) throw new InputError(`--pred: ${file} has ${dup.id === null ? 'a NULL id' : `a duplicate id "${dup.id}"`}; predictions need one row per id.`);
  return rows;
}

/** Among label files of one source, the one whose ids cover most prediction ids (e.g. neobank vs marketplace under meta/). */
async function bestById(conn: DuckDBConnection, source: EvalSource, files: string[], preds: PredRow[]): Promise<{ file: string; labels: LabelRow[] }> {
  let best: { file: string; labels: LabelRow[]; hits: number } | undefined;
  const ids = new Set(preds.map((p) => p.id));
  for (const file of files) {
    const labels = await readLabels(conn, source, file);
    const hits = labels.reduce((n, l) => n + (ids.has(l.id) ? 1 : 0), 0);
    if (!best || hits > best.hits) best = { file, labels, hits };
  }
  return best!;
}

/**
 * Pair each source's labels with its predictions. Labels are those of the corpus the predictions were
 * made on: when run.json records the labels' sha256, only a file with those bytes is accepted (exit 2
 * otherwise — never a silently meaningless score); without it, the candidate whose ids match wins. A
 * source with labels but no predictions file (or the reverse) is an input error; a source with neither is
 * left out.
 */
export async function loadSources(conn: DuckDBConnection, predDir: string, from: LabelsSource, expectation: RunExpectation): Promise<SourceInput[]> {
  const inputs: SourceInput[] = [];
  for (const source of EVAL_SOURCES) {
    const predsFile = path.join(predDir, predsFileName(source));
    const labelFiles = pickLabelsFile(source, from, expectation, sha256File);
    const hasPreds = existsSync(predsFile);
    if (labelFiles.length === 0 && !hasPreds) continue;
    if (!hasPreds) {
      throw new InputError(`labels without predictions: ${labelFiles[0]} exists but ${predsFile} does not.`, {
        suggestion: '--pred must be the preds folder of a run-report run over the same archetype as --labels.',
      });
    }
    if (labelFiles.length === 0) {
      throw new InputError(`predictions without labels: ${predsFile} exists but ${from.flag} ${from.given} holds no ${labelsFileName(source)}${from.dirs.length > 1 ? ` in ${from.dirs.join(', ')}` : ''}.`, {
        suggestion: 'Pass the comms folder the run classified (its labels travel with it), or meta.',
      });
    }
    const preds = await readPreds(conn, predsFile);
    const { file: labelsFile, labels } = await bestById(conn, source, labelFiles, preds);
    inputs.push({ source, labelsFile, predsFile, labels, preds });
  }
  if (inputs.length === 0) {
    const seen = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.parquet')).join(', ') : '') || 'no Parquet files';
    throw new InputError(`nothing to evaluate: ${predDir} has no {slack,email,nlq}.parquet (${seen(predDir)}) and ${from.flag} ${from.given} has no labels_{slack,email,nlq}.parquet.`);
  }
  for (const input of inputs) {
    if (input.labels.length === 0) throw new InputError(`--labels: ${input.labelsFile} has no rows.`);
    if (input.preds.length === 0) throw new InputError(`--pred: ${input.predsFile} has no rows.`);
    const labelled = new Set(input.labels.map((l) => l.id));
    if (!input.preds.some((p) => labelled.has(p.id))) {
      throw new InputError(
        `mismatched ids: no prediction id in ${input.predsFile} (e.g. "${input.preds[0].id}") matches a label id in ${input.labelsFile} (e.g. "${input.labels[0].id}").`,
        { suggestion: 'Predictions and labels must come from the same archetype and comms corpus.' },
      );
    }
  }
  return inputs;
}

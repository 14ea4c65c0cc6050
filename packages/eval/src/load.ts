import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, errorMessage, queryRows, sqlString } from '@dnr/core';
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

export const labelsFileName = (s: EvalSource) => `labels_${s}.parquet`;
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

async function columnsOf(conn: DuckDBConnection, file: string, flag: string): Promise<Map<string, string>> {
  try {
    const rows = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
    return new Map(rows.map((r) => [r.column_name, r.column_type]));
  } catch (error: unknown) {
    throw new InputError(`${flag}: ${file} is not a readable Parquet file (${errorMessage(error)}).`, { cause: error });
  }
}

function requireColumns(cols: Map<string, string>, needed: string[], file: string, flag: string): void {
  const missing = needed.filter((c) => !cols.has(c));
  if (missing.length > 0) {
    throw new InputError(`${flag}: ${file} lacks column(s) ${missing.join(', ')} (has ${[...cols.keys()].join(', ')}).`);
  }
}

async function readLabels(conn: DuckDBConnection, source: EvalSource, file: string): Promise<LabelRow[]> {
  const cols = await columnsOf(conn, file, '--labels');
  const idCol = source === 'nlq' ? 'query_id' : 'thread_id';
  requireColumns(cols, source === 'nlq' ? [idCol, 'theme'] : [idCol, 'relevance', 'theme'], file, '--labels');
  const relevance = source === 'nlq' ? 'NULL' : 'relevance::VARCHAR';
  const rows = await queryRows<LabelRow>(
    conn,
    `SELECT ${idCol}::VARCHAR AS id, ${relevance} AS relevance, theme::VARCHAR AS theme FROM read_parquet(${sqlString(file)}) ORDER BY 1`,
  );
  const dup = rows.find((r, i) => r.id === null || (i > 0 && rows[i - 1].id === r.id));
  if (dup) throw new InputError(`--labels: ${file} has ${dup.id === null ? 'a NULL' : `a duplicate ${idCol} "${dup.id}"`}; oracle labels need one row per id.`);
  return rows;
}

async function readPreds(conn: DuckDBConnection, file: string): Promise<PredRow[]> {
  const cols = await columnsOf(conn, file, '--pred');
  requireColumns(cols, ['id', 'relevance', 'theme', 'confidence', 'status'], file, '--pred');
  const rows = await queryRows<PredRow>(
    conn,
    `SELECT id::VARCHAR AS id, relevance::VARCHAR AS relevance, theme::VARCHAR AS theme, confidence::DOUBLE AS confidence, status::VARCHAR AS status
     FROM read_parquet(${sqlString(file)}) ORDER BY 1`,
  );
  const dup = rows.find((r, i) => r.id === null || (i > 0 && rows[i - 1].id === r.id));
  if (dup) throw new InputError(`--pred: ${file} has ${dup.id === null ? 'a NULL id' : `a duplicate id "${dup.id}"`}; predictions need one row per id.`);
  return rows;
}

/**
 * Pair each source's labels with its predictions. A source with labels but no predictions file
 * (or the reverse) is an input error, as are folders with neither; a source with neither file
 * is left out.
 */
export async function loadSources(conn: DuckDBConnection, predDir: string, labelsDir: string): Promise<SourceInput[]> {
  if (!existsSync(labelsDir) || !statSync(labelsDir).isDirectory()) {
    throw new InputError(`--labels ${labelsDir} is not a folder.`, { suggestion: 'Pass meta/{archetype}, where gen-comms writes labels_{slack,email,nlq}.parquet.' });
  }
  const inputs: SourceInput[] = [];
  for (const source of EVAL_SOURCES) {
    const labelsFile = path.join(labelsDir, labelsFileName(source));
    const predsFile = path.join(predDir, predsFileName(source));
    const hasLabels = existsSync(labelsFile);
    const hasPreds = existsSync(predsFile);
    if (!hasLabels && !hasPreds) continue;
    if (!hasPreds) {
      throw new InputError(`labels without predictions: ${labelsFile} exists but ${predsFile} does not.`, {
        suggestion: '--pred must be the preds folder of a run-report run over the same archetype as --labels.',
      });
    }
    if (!hasLabels) {
      const nested = readdirSync(labelsDir).filter((d) => existsSync(path.join(labelsDir, d, labelsFileName(source))));
      throw new InputError(`predictions without labels: ${predsFile} exists but ${labelsFile} does not.`, {
        suggestion: nested.length
          ? `--labels takes one archetype's folder: try ${nested.map((d) => path.join(labelsDir, d)).join(' or ')}.`
          : '--labels must be the meta folder (meta/{archetype}) of the comms the run classified.',
      });
    }
    inputs.push({ source, labelsFile, predsFile, labels: await readLabels(conn, source, labelsFile), preds: await readPreds(conn, predsFile) });
  }
  if (inputs.length === 0) {
    const seen = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.parquet')).join(', ') || 'no Parquet files';
    throw new InputError(
      `nothing to evaluate: ${predDir} has no {slack,email,nlq}.parquet (${seen(predDir)}) and ${labelsDir} has no labels_{slack,email,nlq}.parquet (${seen(labelsDir)}).`,
    );
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

import path from 'node:path';
import { Bool, Field, Float64, List, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { writeParquetFile } from '@dnr/core';
import type { PrefilterResult } from './prefilter/prefilter.js';
import type { EntityMention, Prediction } from './types.js';

const str = (values: Array<string | null>) => vectorFromArray(values, new Utf8());
const dbl = (values: number[]) => vectorFromArray(values, new Float64());

/** runs/{run_id}/preds/{source}.parquet — the predictions contract (HELPER_RULES "Predictions"). */
export async function writePredictions(file: string, preds: readonly Prediction[]): Promise<void> {
  const sorted = [...preds].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const table = new Table({
    id: str(sorted.map((p) => p.id)),
    source: str(sorted.map((p) => p.source)),
    relevance: str(sorted.map((p) => p.relevance)),
    theme: str(sorted.map((p) => p.theme)),
    confidence: dbl(sorted.map((p) => p.confidence)),
    engine: str(sorted.map((p) => p.engine)),
    status: str(sorted.map((p) => p.status)),
  });
  await writeParquetFile(file, table);
}

/** runs/{run_id}/entities.parquet: one row per (item, table, column). */
export async function writeEntities(file: string, entities: readonly EntityMention[]): Promise<void> {
  const sorted = [...entities].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.table < b.table ? -1 : a.table > b.table ? 1 : (a.column ?? '') < (b.column ?? '') ? -1 : 1));
  const table = new Table({
    id: str(sorted.map((e) => e.id)),
    source: str(sorted.map((e) => e.source)),
    theme: str(sorted.map((e) => e.theme)),
    table_name: str(sorted.map((e) => e.table)),
    column_name: str(sorted.map((e) => e.column)),
    confidence: dbl(sorted.map((e) => e.confidence)),
    method: str(sorted.map((e) => e.method)),
    engine: str(sorted.map((e) => e.engine)),
  });
  await writeParquetFile(file, table);
}

/** runs/{run_id}/prefilter.parquet: prefilter_score and reasons per Slack/email thread (docs/report-schemas.md). */
export async function writePrefilter(file: string, results: readonly PrefilterResult[]): Promise<void> {
  const sorted = [...results].sort((a, b) => (a.id < b.id ? -1 : 1));
  const table = new Table({
    id: str(sorted.map((r) => r.id)),
    source: str(sorted.map((r) => r.source)),
    channel: str(sorted.map((r) => r.channel)),
    bucket: str(sorted.map((r) => r.bucket)),
    day: str(sorted.map((r) => r.day)),
    prefilter_score: dbl(sorted.map((r) => r.prefilterScore)),
    reasons: vectorFromArray(
      sorted.map((r) => r.reasons),
      new List(new Field('item', new Utf8(), true)),
    ),
    passed_threshold: vectorFromArray(sorted.map((r) => r.passedThreshold), new Bool()),
    kept: vectorFromArray(sorted.map((r) => r.kept), new Bool()),
    kept_by: str(sorted.map((r) => r.keptBy)),
  });
  await writeParquetFile(file, table);
}

export const predsPath = (runDir: string, source: string) => path.join(runDir, 'preds', `${source}.parquet`);

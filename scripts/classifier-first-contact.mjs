#!/usr/bin/env node
/**
 * Records how the current model scores each blind set in docs/classifier-scores.json (one row per set
 * and model version, never rewritten). The first row of a set (by its file's sha256) is its first
 * contact; a later model version gets a new row labelled `first_contact: false`. Prints aggregates only.
 * The model is never changed because of these numbers (improvements come from train/dev only).
 *
 *   node scripts/classifier-first-contact.mjs            # rows for sets this model version has not scored
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readSplit, ROOT } from './lib/classifier-sets.mjs';
import { evalSets, summarise } from './lib/blind-eval.mjs';

const TABLE = path.join(ROOT, 'docs', 'classifier-scores.json');
const report = await import(path.join(ROOT, 'packages/report/dist/index.js'));
const model = report.readModelFile();
const modelSha = createHash('sha256').update(readFileSync(report.MODEL_FILE)).digest('hex').slice(0, 16);
const table = existsSync(TABLE) ? JSON.parse(readFileSync(TABLE, 'utf8')) : { about: 'Scores of the offline classifier on each hand-written blind set (tests/fixtures/classifier/blind). first_contact: true marks the first time any model met the set; rows are appended, never edited.', rows: [] };

let added = 0;
for (const set of readSplit('blind')) {
  const sha = createHash('sha256').update(readFileSync(set.file)).digest('hex').slice(0, 16);
  const seenSet = table.rows.some((r) => r.set_sha256 === sha);
  if (table.rows.some((r) => r.set_sha256 === sha && r.model_version === model.version)) continue;
  const { metrics, exitCode, stderr } = await evalSets([set]);
  if (!metrics) throw new Error(`eval-labels failed on ${set.name} (exit ${exitCode}): ${stderr}`);
  const row = {
    date: new Date().toISOString().slice(0, 10),
    set: set.name,
    set_sha256: sha,
    threads: set.threads.length,
    nlq: set.nlq.length,
    model_version: model.version,
    model_sha256: modelSha,
    first_contact: !seenSet,
    gates_passed: metrics.passed,
    scores: summarise(metrics),
  };
  table.rows.push(row);
  added++;
  console.log(`${set.name}: ${row.first_contact ? 'first contact' : 'later model'}; ${Object.entries(row.scores).map(([k, v]) => `${k} ${v.macro_f1}`).join(', ')}`);
}
writeFileSync(TABLE, `${JSON.stringify(table, null, 2)}\n`);
console.log(`${added} row(s) added to ${path.relative(ROOT, TABLE)}`);

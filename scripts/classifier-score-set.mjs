#!/usr/bin/env node
/**
 * `node scripts/classifier-score-set.mjs <set.json> [<model.json>]`: scores the committed offline-classifier
 * model (or the given model file) on one hand-written set file, per task (Slack/e-mail relevance and theme,
 * NLQ theme macro-F1, as eval-labels defines it), plus the relevance confusion. For a first look at a new
 * author's TRAINING set before it is trained on; never for blind sets (scripts/classifier-gate.mjs owns those).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readSet, ROOT } from './lib/classifier-sets.mjs';
import { devScores, fmtScores, vectorise } from './lib/classifier-train.mjs';

const report = await import(path.join(ROOT, 'packages/report/dist/index.js'));
const [file, modelFile = report.MODEL_FILE] = process.argv.slice(2);

function main() {
  if (!file) {
    console.error('usage: node scripts/classifier-score-set.mjs <set.json> [<model.json>]');
    return 2;
  }
  if (path.resolve(file).includes(`${path.sep}blind${path.sep}`)) {
    console.error('classifier-score-set: blind sets are scored only by scripts/classifier-gate.mjs');
    return 2;
  }
  const model = JSON.parse(readFileSync(modelFile, 'utf8'));
  const set = readSet(path.resolve(file));
  const v = vectorise([set], model.features, model.dim);
  const { pooled } = devScores(model.heads, v, model.dim);
  console.log(`${set.name} (${set.threads.length} threads, ${set.nlq.length} nlq) with model ${model.version}: ${fmtScores(pooled)}`);
  return 0;
}

process.exitCode = main();

#!/usr/bin/env node
/**
 * `node scripts/classifier-score-set.mjs <set.json>… [--model <model.json>]`: scores the committed offline-classifier
 * model (or the given model file) on hand-written set files. Per set: macro-F1 per task (Slack/e-mail relevance
 * and theme, NLQ theme, as eval-labels defines it), the relevance confusion matrix per source (rows: the label,
 * columns: the prediction), and every item it got wrong (id, source, task, expected → predicted, confidence, the
 * first 100 characters of the cleaned text); with several sets, their pooled scores last. For a first look at a new
 * author's TRAINING set before it is trained on, or at dev; never for blind sets (scripts/classifier-gate.mjs owns
 * those, and prints aggregates only).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readSet, ROOT } from './lib/classifier-sets.mjs';
import { devScores, fmtScores, predictRows, RELEVANCES, vectorise } from './lib/classifier-train.mjs';

const report = await import(path.join(ROOT, 'packages/report/dist/index.js'));

function parseArgs(argv) {
  const m = argv.indexOf('--model');
  const model = m >= 0 ? argv[m + 1] : null;
  const files = argv.filter((a, i) => a !== '--model' && (m < 0 || i !== m + 1));
  // the former second positional argument (a model file) still works
  if (!model && files.length === 2 && !readSetLike(files[1])) return { files: [files[0]], model: files[1] };
  return { files, model: model ?? report.MODEL_FILE };
}

function readSetLike(file) {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(raw.threads) || Array.isArray(raw.items) || Array.isArray(raw.nlq);
  } catch {
    return false;
  }
}

/** Every scored set's rows, for the pooled line printed when more than one set is given. */
const pooledRows = { threads: [], nlq: [] };

const SHORT = { positive: 'pos', hard_negative: 'hard_neg', negative: 'neg' };

/** The relevance confusion of one source's thread predictions, as aligned text rows. */
function confusion(rows) {
  const cells = RELEVANCES.map((truth) => RELEVANCES.map((pred) => rows.filter((r) => r.t.relevance === truth && r.relevance === pred).length));
  const width = 10;
  const head = `${'label \\ predicted'.padEnd(18)}${RELEVANCES.map((c) => SHORT[c].padStart(width)).join('')}`;
  return [head, ...RELEVANCES.map((truth, i) => `${SHORT[truth].padEnd(18)}${cells[i].map((n) => String(n).padStart(width)).join('')}`)];
}

const clip = (s, n = 100) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

function scoreFile(file, model) {
  const set = readSet(path.resolve(file));
  const v = vectorise([set], model.features, model.dim);
  pooledRows.threads.push(...v.threads);
  pooledRows.nlq.push(...v.nlq);
  const { pooled } = devScores(model.heads, v, model.dim);
  const { threads, nlq } = predictRows(model.heads, v, model.dim);
  console.log(`${set.name} (${set.threads.length} threads, ${set.nlq.length} nlq) with model ${model.version}: ${fmtScores(pooled)}`);
  const text = new Map([...set.threads.map((t) => [t.thread.id, t.thread.messages.map((m) => report.cleanMessageText(m.text)).join(' / ')]), ...set.nlq.map((q) => [q.item.id, q.item.text])]);
  for (const source of ['slack', 'email']) {
    const rows = threads.filter((r) => r.t.source === source);
    if (rows.length === 0) continue;
    console.log(`  ${source} relevance confusion (${rows.length} threads):`);
    for (const line of confusion(rows)) console.log(`    ${line}`);
  }
  const wrong = [];
  for (const r of threads) {
    if (r.relevance !== r.t.relevance) wrong.push({ id: r.t.id, source: r.t.source, task: 'relevance', expected: r.t.relevance, predicted: r.relevance, confidence: r.confidence });
    else if (r.t.relevance === 'positive' && r.theme !== r.t.theme) wrong.push({ id: r.t.id, source: r.t.source, task: 'theme', expected: r.t.theme, predicted: r.theme, confidence: r.confidence });
  }
  for (const r of nlq) if (r.theme !== r.q.theme) wrong.push({ id: r.q.id, source: 'nlq', task: 'theme', expected: r.q.theme, predicted: r.theme, confidence: r.confidence });
  console.log(`  misclassified: ${wrong.length} of ${threads.length + nlq.length}${wrong.length ? '' : ' (none)'}`);
  for (const w of wrong) console.log(`    ${w.id} [${w.source} ${w.task}] ${w.expected} → ${w.predicted} (conf ${w.confidence.toFixed(2)}): ${clip(text.get(w.id) ?? '')}`);
}

function main() {
  const { files, model: modelFile } = parseArgs(process.argv.slice(2));
  if (files.length === 0) {
    console.error('usage: node scripts/classifier-score-set.mjs <set.json>… [--model <model.json>]');
    return 2;
  }
  const blind = files.find((f) => path.resolve(f).includes(`${path.sep}blind${path.sep}`));
  if (blind) {
    console.error(`classifier-score-set: ${blind} is a blind set; blind sets are scored only by scripts/classifier-gate.mjs`);
    return 2;
  }
  const model = JSON.parse(readFileSync(modelFile, 'utf8'));
  for (const f of files) scoreFile(f, model);
  if (files.length > 1) console.log(`pooled over ${files.length} sets (${pooledRows.threads.length} threads, ${pooledRows.nlq.length} nlq): ${fmtScores(devScores(model.heads, pooledRows, model.dim).pooled)}`);
  return 0;
}

process.exitCode = main();

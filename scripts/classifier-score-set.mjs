#!/usr/bin/env node
/**
 * `node scripts/classifier-score-set.mjs <set.json>… [--model <model.json>]`: scores the committed offline-classifier
 * model (or the given model file) on hand-written set files (format: docs/classifier.md, "Scoring your own labelled
 * set"). Per set: macro-F1 per task (Slack/e-mail relevance over the three classes positive / hard_negative /
 * negative, and theme; NLQ theme; as eval-labels defines it), positive-vs-not macro-F1 per source, the relevance
 * confusion matrix per source (rows: the label, columns: the prediction), and every item it got wrong (id, source,
 * task, expected → predicted, confidence, the first 100 characters of the cleaned text); with several sets, their
 * pooled scores last. For a first look at a new author's TRAINING set before it is trained on, or at dev; never for
 * blind sets (scripts/classifier-gate.mjs owns those, and prints aggregates only).
 * Exit codes: 0 scored; 2 usage error, or a file that is missing, not JSON, not a set or empty (one line on stderr
 * naming the file and the problem).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readSetJson, SetFileError } from './lib/classifier-set-file.mjs';

// The report and eval packages take seconds to load: they are imported once the arguments and files are known good.
let report;
let macroF1;
let readSet;
let devScores;
let fmtScores;
let predictRows;
let RELEVANCES;
let vectorise;
async function loadScoring() {
  const sets = await import('./lib/classifier-sets.mjs');
  ({ macroF1, readSet } = sets);
  ({ devScores, fmtScores, predictRows, RELEVANCES, vectorise } = await import('./lib/classifier-train.mjs'));
  report = await import(path.join(sets.ROOT, 'packages/report/dist/index.js'));
}

const USAGE = `usage: node scripts/classifier-score-set.mjs <set.json>… [--model <model.json>]

Scores the offline classifier (the committed model, or --model) on labelled set files and prints, per set,
macro-F1 per task (Slack/e-mail relevance over positive / hard_negative / negative, and theme; NLQ theme),
positive-vs-not F1, the relevance confusion per source and every misclassified item; pooled scores last.
The set format is described in docs/classifier.md ("Scoring your own labelled set").

options:
  --model <file>  score this model file instead of the committed one
  -h, --help      print this help

exit codes: 0 scored; 2 bad arguments, or a file that is missing, not JSON, not a set or empty.`;

/** A usage mistake: printed as one line plus a pointer to --help, exit 2. */
class UsageError extends Error {}

function parseArgs(argv) {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  const m = argv.indexOf('--model');
  if (m >= 0 && (argv[m + 1] === undefined || argv[m + 1].startsWith('-'))) throw new UsageError('--model needs a model file');
  const model = m >= 0 ? argv[m + 1] : null;
  const files = argv.filter((a, i) => a !== '--model' && (m < 0 || i !== m + 1));
  const unknown = files.find((f) => f.startsWith('-'));
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  // the former second positional argument (a model file) still works
  if (!model && files.length === 2 && !readSetLike(files[1])) return { files: [files[0]], model: files[1] };
  return { files, model };
}

function readSetLike(file) {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    return !raw.heads && (Array.isArray(raw.threads) || Array.isArray(raw.items) || Array.isArray(raw.nlq));
  } catch {
    return true; // not a readable model either: let the set check name the problem
  }
}

/** The model file, or a SetFileError-style one-line problem when it is missing or not a classifier model. */
function readModel(file) {
  let raw;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SetFileError(file, e.code === 'ENOENT' ? 'no such model file' : e instanceof SyntaxError ? `is not valid JSON (${e.message})` : `cannot be read (${e.code ?? e.message})`);
  }
  if (!raw || typeof raw.format !== 'string' || !raw.format.startsWith('dnr-rules-classifier/') || !raw.heads || !raw.features) {
    throw new SetFileError(file, 'is not an offline-classifier model (expected "format": "dnr-rules-classifier/…" with "heads" and "features")');
  }
  return raw;
}

/** Positive-vs-not macro-F1 of one source's thread rows (hard_negative and negative pooled as "not"); null without rows. */
function binaryF1(rows) {
  if (rows.length === 0) return null;
  const pos = (r) => (r === 'positive' ? 'positive' : 'not');
  return macroF1(rows.map((r) => pos(r.t.relevance)), rows.map((r) => pos(r.relevance)));
}

/**
 * The scores line: all five tasks and their mean (as the training script prints it) when the rows have every
 * task, otherwise only the tasks that have items (a task without items has no score, not 0).
 */
function fmtPresent(scores, rows) {
  const has = (source, positiveOnly) => rows.threads.some((r) => r.source === source && (!positiveOnly || r.relevance === 'positive'));
  const tasks = [
    ['Slack rel', has('slack', false), scores.slack.relevance],
    ['Slack theme', has('slack', true), scores.slack.theme],
    ['e-mail rel', has('email', false), scores.email.relevance],
    ['e-mail theme', has('email', true), scores.email.theme],
    ['NLQ', rows.nlq.length > 0, scores.nlq_theme],
  ];
  if (tasks.every(([, present]) => present)) return fmtScores(scores);
  return tasks
    .filter(([, present]) => present)
    .map(([name, , f]) => `${name} ${f.toFixed(3)}`)
    .join(' | ');
}

const fmtBinary = (rows) =>
  ['slack', 'email']
    .map((s) => [s, binaryF1(rows.filter((r) => r.t.source === s))])
    .filter(([, f]) => f !== null)
    .map(([s, f]) => `${s === 'slack' ? 'Slack' : 'e-mail'} ${f.toFixed(3)}`)
    .join(' | ');

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
  console.log(`${set.name} (${set.threads.length} threads, ${set.nlq.length} nlq) with model ${model.version}: ${fmtPresent(pooled, v)}`);
  if (threads.length > 0) console.log(`  relevance positive-vs-not macro-F1: ${fmtBinary(threads)}`);
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

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`classifier-score-set: ${e.message} (see --help)`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { files } = args;
  if (files.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const blind = files.find((f) => path.resolve(f).includes(`${path.sep}blind${path.sep}`));
  if (blind) {
    console.error(`classifier-score-set: ${blind} is a blind set; blind sets are scored only by scripts/classifier-gate.mjs`);
    return 2;
  }
  let model;
  try {
    // every file is checked before anything is scored, so a typo in the last one does not waste a run
    for (const f of files) readSetJson(f);
    if (args.model) model = readModel(args.model);
    await loadScoring();
    model ??= readModel(report.MODEL_FILE);
  } catch (e) {
    if (!(e instanceof SetFileError)) throw e;
    console.error(`classifier-score-set: ${e.message}`);
    return 2;
  }
  for (const f of files) scoreFile(f, model);
  if (files.length > 1) {
    console.log(`pooled over ${files.length} sets (${pooledRows.threads.length} threads, ${pooledRows.nlq.length} nlq): ${fmtPresent(devScores(model.heads, pooledRows, model.dim).pooled, pooledRows)}`);
    const pooledPredicted = predictRows(model.heads, pooledRows, model.dim).threads;
    if (pooledPredicted.length > 0) console.log(`  relevance positive-vs-not macro-F1: ${fmtBinary(pooledPredicted)}`);
  }
  return 0;
}

process.exitCode = await main();

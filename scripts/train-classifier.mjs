#!/usr/bin/env node
/**
 * `pnpm train:classifier [-- --sweep] [--seed N]`: trains the offline (`--engine rules`) classifier and
 * writes packages/report/src/comms-analysis/classify/rules/model/classifier.json.
 *
 * Data (never the blind sets, never the seeds quickstart, CI or the tests generate with):
 * - train: template corpora generated here with their own seeds (TRAIN_CORPORA; voices are drawn per user
 *   from the seed), plus the hand-written sets in tests/fixtures/classifier/train/ (weighted up: they are
 *   few but written by people, not by the generator's grammar);
 * - dev: tests/fixtures/classifier/dev/ — every choice (options below, `--sweep` grid, the temperatures)
 *   is made on dev only; the temperatures are fitted on dev, not on train.
 * Deterministic: same data + seed ⇒ byte-identical model file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { macroF1, readSplit, ROOT } from './lib/classifier-sets.mjs';

const report = await import(path.join(ROOT, 'packages/report/dist/index.js'));
const core = await import(path.join(ROOT, 'packages/core/dist/index.js'));
const { THEMES, RELEVANCES } = core;

const MODEL_VERSION = '2026.11-2';
const TRAIN_CORPORA = [
  { archetype: 'neobank', seed: 9101 },
  { archetype: 'marketplace', seed: 9102 },
];
const SIZES = { slack: 1500, email: 400, nlq: 500 };
const DEFAULTS = { seed: 15, dim: 1 << 18, hwWeight: 16, epochs: 12, alpha: 0.3, beta: 1, l1: 0.05, l2: 1, themeWithNlq: 0, nlqWithThreads: 1, balance: 0 };

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const opts = { ...DEFAULTS };
for (const k of Object.keys(DEFAULTS)) if (flag(k) !== undefined) opts[k] = Number(flag(k));

function generate({ archetype, seed }) {
  const dir = path.join(ROOT, '.cache', 'classifier-train', `${archetype}-${seed}-${SIZES.slack}-${SIZES.email}-${SIZES.nlq}`);
  const comms = path.join(dir, 'comms');
  const meta = path.join(dir, 'meta');
  if (!existsSync(path.join(meta, 'labels_nlq.parquet'))) {
    mkdirSync(dir, { recursive: true });
    const r = spawnSync(process.execPath, [path.join(ROOT, 'packages/cli/bin/run.js'), 'gen-comms', '--archetype', archetype, '--out', comms, '--meta', meta, '--slack', String(SIZES.slack), '--email', String(SIZES.email), '--nlq', String(SIZES.nlq), '--seed', String(seed), '-q', '--json'], { cwd: dir, env: { ...process.env, DNR_COMMS__SAMPLE_POLICY: 'uniform' }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gen-comms ${archetype} seed ${seed} failed: ${r.stderr}${r.stdout}`);
  }
  return { comms, meta };
}

async function generatedSet(spec) {
  const { comms, meta } = generate(spec);
  const corpus = await report.loadCommsCorpus(comms);
  const labels = new Map();
  await core.withDuckDB({ timeZone: 'UTC' }, async (c) => {
    for (const s of ['slack', 'email']) {
      for (const r of await core.queryRows(c, `SELECT thread_id AS id, relevance, theme FROM read_parquet(${core.sqlString(path.join(meta, `labels_${s}.parquet`))})`)) labels.set(r.id, r);
    }
    for (const r of await core.queryRows(c, `SELECT query_id AS id, theme FROM read_parquet(${core.sqlString(path.join(meta, 'labels_nlq.parquet'))})`)) labels.set(r.id, r);
  });
  return {
    name: `${spec.archetype}-${spec.seed}`,
    threads: [...corpus.slack, ...corpus.email].filter((t) => labels.has(t.id)).map((t) => ({ thread: t, relevance: labels.get(t.id).relevance, theme: labels.get(t.id).theme })),
    nlq: corpus.nlq.filter((q) => labels.has(q.id)).map((q) => ({ item: q, theme: labels.get(q.id).theme })),
  };
}

/** Feature vectors once per item (hashing is the slow part). */
function vectorise(sets, dim, weight) {
  const threads = [];
  const nlq = [];
  for (const s of sets) {
    for (const t of s.threads) threads.push({ x: report.hashFeatures(report.itemFeatures(report.threadFeatureItem(t.thread)), dim), source: t.thread.source, relevance: t.relevance, theme: t.theme, w: weight });
    for (const q of s.nlq) nlq.push({ x: report.hashFeatures(report.itemFeatures(report.nlqFeatureItem(q.item)), dim), theme: q.theme, w: weight });
  }
  return { threads, nlq };
}

/** Training samples of one head; with `balance`, each class carries the same total weight (no default sink class). */
function samples(rows, classes, key, balance = 0) {
  const out = rows.filter((r) => r[key] !== null).map((r) => ({ x: r.x, y: classes.indexOf(r[key]), w: r.w }));
  if (!balance) return out;
  const total = new Array(classes.length).fill(0);
  for (const s of out) total[s.y] += s.w;
  const all = total.reduce((a, b) => a + b, 0);
  return out.map((s) => ({ ...s, w: (s.w * all) / (classes.length * Math.max(total[s.y], 1e-9)) }));
}

function trainHeads(train, o) {
  const ftrl = { epochs: o.epochs, alpha: o.alpha, beta: o.beta, l1: o.l1, l2: o.l2, seed: o.seed };
  const positives = train.threads.filter((t) => t.relevance === 'positive');
  // Threads and NLQs name the same problems: each theme head may also learn from the other source's items.
  const themeRows = o.themeWithNlq ? [...positives, ...train.nlq] : positives;
  const nlqRows = o.nlqWithThreads ? [...train.nlq, ...positives] : train.nlq;
  return {
    relevance: report.trainSoftmax(samples(train.threads, RELEVANCES, 'relevance', o.balance), RELEVANCES, o.dim, { ...ftrl, seed: o.seed }),
    theme: report.trainSoftmax(samples(themeRows, THEMES, 'theme', o.balance), THEMES, o.dim, { ...ftrl, seed: o.seed + 1 }),
    nlq_theme: report.trainSoftmax(samples(nlqRows, THEMES, 'theme', o.balance), THEMES, o.dim, { ...ftrl, seed: o.seed + 2 }),
  };
}

const argmax = (p) => p.reduce((b, v, i) => (v > p[b] ? i : b), 0);

/** Macro-F1 on dev the way eval-labels scores it (theme over positive-labelled threads), all threads and per source. */
function score(heads, dev, dim) {
  const d = Object.fromEntries(Object.entries(heads).map(([k, h]) => [k, report.densify(h, dim)]));
  const preds = dev.threads.map((t) => {
    const relevance = RELEVANCES[argmax(report.predictProba(d.relevance, t.x))];
    return { t, relevance, theme: relevance === 'positive' ? THEMES[argmax(report.predictProba(d.theme, t.x))] : null };
  });
  const of = (rows) => {
    const pos = rows.filter((p) => p.t.relevance === 'positive');
    return { relevance: macroF1(rows.map((p) => p.t.relevance), rows.map((p) => p.relevance)), theme: macroF1(pos.map((p) => p.t.theme), pos.map((p) => p.theme)) };
  };
  const all = of(preds);
  return {
    ...all,
    nlq_theme: macroF1(dev.nlq.map((q) => q.theme), dev.nlq.map((q) => THEMES[argmax(report.predictProba(d.nlq_theme, q.x))])),
    slack: of(preds.filter((p) => p.t.source === 'slack')),
    email: of(preds.filter((p) => p.t.source === 'email')),
  };
}

const mean = (s) => (s.relevance + s.theme + s.nlq_theme) / 3;
const fmt = (s) => `rel ${s.relevance.toFixed(3)} theme ${s.theme.toFixed(3)} nlq ${s.nlq_theme.toFixed(3)} (slack ${s.slack.relevance.toFixed(3)}/${s.slack.theme.toFixed(3)}, email ${s.email.relevance.toFixed(3)}/${s.email.theme.toFixed(3)})`;

const generated = [];
for (const spec of TRAIN_CORPORA) generated.push(await generatedSet(spec));
const hwTrain = readSplit('train');
const hwDev = readSplit('dev');
console.log(`train: generated ${generated.map((g) => `${g.name} (${g.threads.length} threads, ${g.nlq.length} nlq)`).join(', ')}; hand-written ${hwTrain.reduce((a, s) => a + s.threads.length, 0)} threads, ${hwTrain.reduce((a, s) => a + s.nlq.length, 0)} nlq in ${hwTrain.length} sets`);
console.log(`dev: ${hwDev.reduce((a, s) => a + s.threads.length, 0)} threads, ${hwDev.reduce((a, s) => a + s.nlq.length, 0)} nlq in ${hwDev.length} sets`);

let vectors;
/** Vectors of train and dev items (hashed once); hand-written train items get weight `hwWeight`. */
function build(o) {
  vectors ??= { g: vectorise(generated, o.dim, 1), h: vectorise(hwTrain, o.dim, 1), dev: vectorise(hwDev, o.dim, 1) };
  const hw = (rows) => rows.map((r) => ({ ...r, w: o.hwWeight }));
  const train = { threads: [...vectors.g.threads, ...hw(vectors.h.threads)], nlq: [...vectors.g.nlq, ...hw(vectors.h.nlq)] };
  return { train, dev: vectors.dev };
}

if (args.includes('--sweep')) {
  // Choices on dev only (earlier rounds: L1 0.05–0.5, L2 0.1–1, alpha 0.1–0.3, shared theme heads; see docs/classifier.md).
  const rows = [];
  const grid = [];
  for (const hwWeight of [8, 16, 32]) for (const balance of [0, 1]) for (const epochs of [6, 12]) grid.push({ hwWeight, balance, epochs, alpha: 0.3, l1: 0.05 });
  for (const g of grid) {
    const o = { ...opts, ...g };
    const { train, dev } = build(o);
    const s = score(trainHeads(train, o), dev, o.dim);
    rows.push({ ...g, ...s });
    console.log(`${JSON.stringify(g)}: ${fmt(s)} mean ${mean(s).toFixed(3)}`);
  }
  rows.sort((a, b) => mean(b) - mean(a));
  console.log('best on dev:', rows[0]);
} else {
  writeModel();
}

/** Train with `opts`, fit temperatures on dev, write the model file. */
function writeModel() {
  const { train, dev } = build(opts);
  const heads = trainHeads(train, opts);
  const devScores = score(heads, dev, opts.dim);
  // Temperatures on dev (not train): confidences then mean what they say on text the model did not fit.
  const devSamples = {
    relevance: samples(dev.threads, RELEVANCES, 'relevance'),
    theme: samples(dev.threads.filter((t) => t.relevance === 'positive'), THEMES, 'theme'),
    nlq_theme: samples(dev.nlq, THEMES, 'theme'),
  };
  for (const k of Object.keys(heads)) heads[k].temperature = report.fitTemperature(report.densify(heads[k], opts.dim), devSamples[k]);
  const model = {
    format: report.MODEL_FORMAT,
    version: MODEL_VERSION,
    seed: opts.seed,
    dim: opts.dim,
    lexicon_sha256: report.lexiconDigest(),
    heads,
    training: {
      options: opts,
      generated: TRAIN_CORPORA.map((c) => ({ ...c, ...SIZES })),
      handwritten_train: hwTrain.map((s) => s.name),
      dev: hwDev.map((s) => s.name),
      items: { train_threads: train.threads.length, train_nlq: train.nlq.length, dev_threads: dev.threads.length, dev_nlq: dev.nlq.length },
      dev_macro_f1: JSON.parse(JSON.stringify(devScores, (_k, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v))),
      nonzero_features: Object.fromEntries(Object.entries(heads).map(([k, h]) => [k, h.index.length])),
    },
  };
  writeFileSync(report.MODEL_FILE, `${JSON.stringify(model)}\n`);
  console.log(`dev macro-F1: ${fmt(devScores)}; temperatures ${Object.entries(heads).map(([k, h]) => `${k} ${h.temperature}`).join(', ')}; features ${JSON.stringify(model.training.nonzero_features)}`);
  console.log(`wrote ${path.relative(ROOT, report.MODEL_FILE)}`);
}

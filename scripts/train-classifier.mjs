#!/usr/bin/env node
/**
 * `pnpm train:classifier [-- --sweep | --loao [--authors w6,w7]] [--<option> <value> …]`: trains the offline
 * (`--engine rules`) classifier and writes packages/report/src/comms-analysis/classify/rules/model/classifier.json,
 * with the dev scores (pooled and per dev set), options and item counts in its `training` block. `--sweep`
 * prints dev scores over a grid instead; `--loao` prints leave-one-author-out scores over the independent
 * authors' train and dev sets (choices are made on train/dev only; see docs/classifier.md). Data and splits:
 * scripts/lib/classifier-train.mjs. Deterministic: same data + options ⇒ byte-identical model file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/classifier-sets.mjs';
import { calibrate, devScores, fmtScores, leaveOneAuthorOut, loadTrainingData, meanScore, setWeight, SIZES, trainHeads, TRAIN_CORPORA, vectorise } from './lib/classifier-train.mjs';

const report = await import(path.join(ROOT, 'packages/report/dist/index.js'));

const MODEL_VERSION = '2026.12-05';
/** Options chosen on dev (docs/classifier.md, "Choices made on dev"). */
const DEFAULTS = { seed: 15, dim: 1 << 18, hwWeight: 16, indieWeight: 1, genWeight: 1, epochs: 12, alpha: 0.3, beta: 1, l1: 0.1, l2: 1, prune: 0.08, nlqWithThreads: 1, balance: 0, relSplit: 1 };
const FEATURES = { ...report.DEFAULT_FEATURE_OPTIONS, pool: 'max', groupNorm: true, nlqCharScale: 0.5 };
/** The sweep grid: each row overrides DEFAULTS (`features` overrides FEATURES). */
const GRID = [
  {},
  { features: { pool: 'sum' } },
  { features: { pool: 'both' } },
  { features: { subject: true } },
  { features: { themeHits: true } },
  { features: { replyWeight: 1 } },
  { hwWeight: 32 },
  { balance: 0.5 },
  { relSplit: 0 },
  { features: { groupNorm: false } },
  { features: { lexCounts: true } },
  { features: { nlqCharScale: 1 } },
  { features: { nlqCharScale: 2 } },
];

function parseArgs(argv) {
  const opts = { ...DEFAULTS };
  for (const k of Object.keys(DEFAULTS)) {
    const i = argv.indexOf(`--${k}`);
    if (i >= 0) opts[k] = Number(argv[i + 1]);
  }
  const f = argv.indexOf('--features');
  const features = { ...FEATURES, ...(f >= 0 ? JSON.parse(argv[f + 1]) : {}) };
  const a = argv.indexOf('--authors');
  return { opts, features, sweep: argv.includes('--sweep'), loao: argv.includes('--loao'), authors: a >= 0 ? argv[a + 1].split(',') : null };
}

/** Train and dev vectors for one feature choice; generated items weigh `genWeight`, hand-written ones `setWeight`. */
function buildSplits(data, features, o, cache = new Map()) {
  const key = JSON.stringify([features, o.dim]);
  if (!cache.has(key)) cache.set(key, { g: vectorise(data.generated, features, o.dim), h: vectorise(data.hwTrain, features, o.dim), dev: vectorise(data.hwDev, features, o.dim) });
  const v = cache.get(key);
  const hw = (rows) => rows.map((r) => ({ ...r, w: setWeight(r.set, o) }));
  const gen = (rows) => rows.map((r) => ({ ...r, w: o.genWeight }));
  return { train: { threads: [...gen(v.g.threads), ...hw(v.h.threads)], nlq: [...gen(v.g.nlq), ...hw(v.h.nlq)] }, dev: v.dev };
}

function sweep(data, opts) {
  const cache = new Map();
  const rows = GRID.map((g) => {
    const o = { ...opts, ...g };
    const features = { ...FEATURES, ...g.features };
    const { train, dev } = buildSplits(data, features, o, cache);
    const s = devScores(trainHeads(train, o), dev, o.dim).pooled;
    console.log(`${JSON.stringify(g)}: ${fmtScores(s)}`);
    return { g, s };
  });
  rows.sort((a, b) => meanScore(b.s) - meanScore(a.s));
  console.log(`best on dev: ${JSON.stringify(rows[0].g)}`);
}

const round3 = (x) => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v)));

function writeModel(data, opts, features) {
  const { train, dev } = buildSplits(data, features, opts);
  const heads = calibrate(trainHeads(train, opts), dev, opts.dim);
  const scores = devScores(heads, dev, opts.dim);
  const model = {
    format: report.MODEL_FORMAT,
    version: MODEL_VERSION,
    seed: opts.seed,
    dim: opts.dim,
    features,
    lexicon_sha256: report.lexiconDigest(),
    heads,
    training: {
      options: opts,
      generated: TRAIN_CORPORA.map((c) => ({ ...c, ...SIZES })),
      handwritten_train: data.hwTrain.map((s) => s.name),
      dev: data.hwDev.map((s) => s.name),
      items: { train_threads: train.threads.length, train_nlq: train.nlq.length, dev_threads: dev.threads.length, dev_nlq: dev.nlq.length },
      dev_macro_f1: round3(scores.pooled),
      dev_macro_f1_by_set: round3(scores.sets),
      nonzero_buckets: Object.fromEntries(Object.entries(heads).map(([k, h]) => [k, h.index.length])),
    },
  };
  writeFileSync(report.MODEL_FILE, `${JSON.stringify(model)}\n`);
  console.log(`dev (pooled): ${fmtScores(scores.pooled)}`);
  for (const [name, s] of Object.entries(scores.sets)) console.log(`  ${name}: ${fmtScores(s)}`);
  console.log(`temperatures ${Object.entries(heads).map(([k, h]) => `${k} ${h.temperature}`).join(', ')}; buckets ${JSON.stringify(model.training.nonzero_buckets)}`);
  console.log(`wrote ${path.relative(ROOT, report.MODEL_FILE)}`);
}

const { opts, features, sweep: doSweep, loao, authors } = parseArgs(process.argv.slice(2));
const data = await loadTrainingData();
console.log(`train: generated ${data.generated.map((g) => `${g.name} (${g.threads.length} threads, ${g.nlq.length} nlq)`).join(', ')}; hand-written ${data.hwTrain.reduce((a, s) => a + s.threads.length, 0)} threads, ${data.hwTrain.reduce((a, s) => a + s.nlq.length, 0)} nlq in ${data.hwTrain.length} sets`);
console.log(`dev: ${data.hwDev.reduce((a, s) => a + s.threads.length, 0)} threads, ${data.hwDev.reduce((a, s) => a + s.nlq.length, 0)} nlq in ${data.hwDev.length} sets`);
if (doSweep) sweep(data, opts);
else if (loao) {
  const r = leaveOneAuthorOut(data, features, opts, authors);
  for (const [name, sc] of Object.entries(r.sets)) console.log(`  ${name}: ${fmtScores(sc)}`);
  console.log(`leave-one-author-out mean: ${fmtScores(r.mean)}`);
  console.log(`leave-one-author-out min:  ${fmtScores(r.min)}`);
} else writeModel(data, opts, features);

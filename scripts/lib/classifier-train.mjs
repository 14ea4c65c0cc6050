/**
 * The steps of `pnpm train:classifier` (scripts/train-classifier.mjs): the training data, feature vectors,
 * the three heads, dev scores and calibration. Data, never the blind sets and never the seeds quickstart,
 * CI or the tests generate with:
 * - train: template corpora generated here with their own seeds (TRAIN_CORPORA), plus the hand-written
 *   sets in tests/fixtures/classifier/train/ (weighted up: they are written by people, not by the
 *   generator's grammar);
 * - dev: tests/fixtures/classifier/dev/ — every choice (options, sweeps, temperatures) is made on dev only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { macroF1, readSplit, ROOT } from './classifier-sets.mjs';

const report = await import(path.join(ROOT, 'packages/report/dist/index.js'));
const core = await import(path.join(ROOT, 'packages/core/dist/index.js'));
export const { THEMES, RELEVANCES } = core;

export const TRAIN_CORPORA = [
  { archetype: 'neobank', seed: 9101 },
  { archetype: 'marketplace', seed: 9102 },
];
export const SIZES = { slack: 1500, email: 400, nlq: 500 };

/** gen-comms into .cache/classifier-train/ (once per archetype, seed and size). */
function generate({ archetype, seed }) {
  const dir = path.join(ROOT, '.cache', 'classifier-train', `${archetype}-${seed}-${SIZES.slack}-${SIZES.email}-${SIZES.nlq}`);
  const comms = path.join(dir, 'comms');
  const meta = path.join(dir, 'meta');
  if (!existsSync(path.join(meta, 'labels_nlq.parquet'))) {
    mkdirSync(dir, { recursive: true });
    const args = ['gen-comms', '--archetype', archetype, '--out', comms, '--meta', meta, '--slack', String(SIZES.slack), '--email', String(SIZES.email), '--nlq', String(SIZES.nlq), '--seed', String(seed), '-q', '--json'];
    const r = spawnSync(process.execPath, [path.join(ROOT, 'packages/cli/bin/run.js'), ...args], { cwd: dir, env: { ...process.env, DNR_COMMS__SAMPLE_POLICY: 'uniform' }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gen-comms ${archetype} seed ${seed} failed: ${r.stderr}${r.stdout}`);
  }
  return { comms, meta };
}

/** A generated corpus with its oracle labels, in the shape of readSet(). */
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

/** Generated corpora, hand-written train and dev sets. */
export async function loadTrainingData() {
  const generated = [];
  for (const spec of TRAIN_CORPORA) generated.push(await generatedSet(spec));
  return { generated, hwTrain: readSplit('train'), hwDev: readSplit('dev') };
}

/** Feature vectors of every item of `sets` (hashing is the slow part: done once per feature choice). */
export function vectorise(sets, features, dim) {
  const threads = [];
  const nlq = [];
  for (const s of sets) {
    for (const t of s.threads) threads.push({ x: report.hashFeatures(report.itemFeatures(report.threadFeatureItem(t.thread), features), dim), id: t.thread.id, set: s.name, source: t.thread.source, relevance: t.relevance, theme: t.theme, w: 1 });
    for (const q of s.nlq) nlq.push({ x: report.hashFeatures(report.itemFeatures(report.nlqFeatureItem(q.item), features), dim), id: q.item.id, set: s.name, theme: q.theme, w: 1 });
  }
  return { threads, nlq };
}

/** Training samples of one head; with `balance` b, each class's total weight is moved toward equal by the power b. */
export function samples(rows, classes, key, balance = 0) {
  const out = rows.filter((r) => r[key] !== null).map((r) => ({ x: r.x, y: classes.indexOf(r[key]), w: r.w }));
  if (!balance) return out;
  const total = new Array(classes.length).fill(0);
  for (const s of out) total[s.y] += s.w;
  const all = total.reduce((a, b) => a + b, 0);
  return out.map((s) => ({ ...s, w: s.w * Math.pow(all / (classes.length * Math.max(total[s.y], 1e-9)), balance) }));
}

/**
 * The heads (model-file shape, temperature 1): relevance, theme, NLQ theme and, with `relSplit`, the
 * not-relevant head (hard_negative vs negative, trained on the threads that are not positive). The NLQ head
 * also learns from positive threads when `nlqWithThreads`.
 */
export function trainHeads(train, o) {
  const ftrl = { epochs: o.epochs, alpha: o.alpha, beta: o.beta, l1: o.l1, l2: o.l2, prune: o.prune };
  const positives = train.threads.filter((t) => t.relevance === 'positive');
  const nlqRows = o.nlqWithThreads ? [...train.nlq, ...positives] : train.nlq;
  const heads = {
    relevance: report.trainSoftmax(samples(train.threads, RELEVANCES, 'relevance', o.balance), RELEVANCES, o.dim, { ...ftrl, seed: o.seed }),
    theme: report.trainSoftmax(samples(positives, THEMES, 'theme', o.balance), THEMES, o.dim, { ...ftrl, seed: o.seed + 1 }),
    nlq_theme: report.trainSoftmax(samples(nlqRows, THEMES, 'theme', o.nlqBalance ?? o.balance), THEMES, o.dim, { ...ftrl, seed: o.seed + 2 }),
  };
  if (o.relSplit) {
    const notRelevant = train.threads.filter((t) => t.relevance !== 'positive');
    heads.not_relevant = report.trainSoftmax(samples(notRelevant, NOT_RELEVANT, 'relevance', o.balance), NOT_RELEVANT, o.dim, { ...ftrl, seed: o.seed + 3 });
  }
  return heads;
}

/** Classes of the second relevance decision (a thread that is not positive). */
export const NOT_RELEVANT = ['hard_negative', 'negative'];

/**
 * Relevance of one thread vector as the engine decides it (engine.ts `relevanceOf`): the relevance head, then
 * (when there is one) the not-relevant head decides hard vs plain negative. `p` is the decided class's
 * probability: P(positive), or P(not positive) × P(class | not positive).
 */
function relevanceOf(d, x) {
  const rel = report.predictProba(d.relevance, x);
  const r = argmax(rel);
  const cls = d.relevance.classes[r];
  if (cls === 'positive' || !d.not_relevant) return { relevance: cls, p: rel[r] };
  const nr = report.predictProba(d.not_relevant, x);
  const k = argmax(nr);
  return { relevance: d.not_relevant.classes[k], p: (1 - rel[d.relevance.classes.indexOf('positive')]) * nr[k] };
}

const argmax = (p) => p.reduce((b, v, i) => (v > p[b] ? i : b), 0);

/** Macro-F1 on dev as eval-labels scores it: relevance over all threads, theme over positive-labelled ones. */
function scoreRows(threads, nlq) {
  const of = (rows) => {
    const pos = rows.filter((p) => p.t.relevance === 'positive');
    return { relevance: macroF1(rows.map((p) => p.t.relevance), rows.map((p) => p.relevance)), theme: macroF1(pos.map((p) => p.t.theme), pos.map((p) => p.theme)) };
  };
  const slack = of(threads.filter((p) => p.t.source === 'slack'));
  const email = of(threads.filter((p) => p.t.source === 'email'));
  return { slack, email, nlq_theme: macroF1(nlq.map((p) => p.q.theme), nlq.map((p) => p.theme)) };
}

/**
 * Predictions of every dev row as the engine makes them: threads `{ t, relevance, theme, confidence }` (theme
 * only when predicted positive; confidence P(positive) × P(theme), else the relevance class's probability)
 * and NLQs `{ q, theme, confidence }`; `t`/`q` are the vectorised rows (id, set, source, labels).
 */
export function predictRows(heads, dev, dim) {
  const d = Object.fromEntries(Object.entries(heads).map(([k, h]) => [k, report.densify(h, dim)]));
  const threads = dev.threads.map((t) => {
    const { relevance, p } = relevanceOf(d, t.x);
    if (relevance !== 'positive') return { t, relevance, theme: null, confidence: p };
    const th = report.predictProba(d.theme, t.x);
    const k = argmax(th);
    return { t, relevance, theme: d.theme.classes[k], confidence: p * th[k] };
  });
  const nlq = dev.nlq.map((q) => {
    const th = report.predictProba(d.nlq_theme, q.x);
    const k = argmax(th);
    return { q, theme: d.nlq_theme.classes[k], confidence: th[k] };
  });
  return { threads, nlq };
}

/** Dev scores, pooled and per dev set: { pooled, sets: { name: scores } }. */
export function devScores(heads, dev, dim) {
  const { threads, nlq } = predictRows(heads, dev, dim);
  const names = [...new Set([...dev.threads, ...dev.nlq].map((r) => r.set))];
  const sets = Object.fromEntries(names.map((n) => [n, scoreRows(threads.filter((p) => p.t.set === n), nlq.filter((p) => p.q.set === n))]));
  return { pooled: scoreRows(threads, nlq), sets };
}

/** The mean of the five gated tasks (Slack/e-mail relevance and theme, NLQ theme): the sweep's objective. */
export const meanScore = (s) => (s.slack.relevance + s.slack.theme + s.email.relevance + s.email.theme + s.nlq_theme) / 5;

/** Temperatures fitted on dev (not train): confidences then mean what they say on text the model did not fit. */
export function calibrate(heads, dev, dim) {
  const devSamples = {
    relevance: samples(dev.threads, RELEVANCES, 'relevance'),
    theme: samples(dev.threads.filter((t) => t.relevance === 'positive'), THEMES, 'theme'),
    nlq_theme: samples(dev.nlq, THEMES, 'theme'),
    not_relevant: samples(dev.threads.filter((t) => t.relevance !== 'positive'), NOT_RELEVANT, 'relevance'),
  };
  for (const k of Object.keys(heads)) heads[k].temperature = report.fitTemperature(report.densify(heads[k], dim), devSamples[k]);
  return heads;
}

export const fmtScores = (s) =>
  `Slack rel ${s.slack.relevance.toFixed(3)} theme ${s.slack.theme.toFixed(3)} | e-mail rel ${s.email.relevance.toFixed(3)} theme ${s.email.theme.toFixed(3)} | NLQ ${s.nlq_theme.toFixed(3)} | mean ${meanScore(s).toFixed(3)}`;

/**
 * Training weight of a hand-written set's items: `hwWeight`, times `indieWeight` for a set by an independent
 * author (`w1-*` …): their voices and industries are what a never-seen set is like.
 */
export const setWeight = (name, o) => o.hwWeight * (authorOf(name) ? (o.indieWeight ?? 1) : 1);

/** The author of a hand-written set (`w1-a` → `w1`; `w3-dev-b` → `w3`), or null for the project's own rounds. */
export const authorOf = (name) => name.match(/^(w\d+)-/)?.[1] ?? null;

/**
 * Leave-one-author-out over the independent authors' sets in train and dev (stricter than leaving one set
 * out: a held-out author's other sets share their voice and industries): for each author, train on the
 * generated corpora and every other hand-written set (train and dev), score each of that author's sets.
 * `only` (optional): hold out just these authors (e.g. ['w7']), each in turn; the others always train.
 * Returns { sets: { name: scores }, mean, min } (mean and min over the held-out sets, per task).
 */
export function leaveOneAuthorOut(data, features, o, only = null) {
  const all = [...data.hwTrain, ...data.hwDev];
  const g = vectorise(data.generated, features, o.dim);
  const v = Object.fromEntries(all.map((s) => [s.name, vectorise([s], features, o.dim)]));
  const hw = (names, key) => names.flatMap((n) => v[n][key].map((r) => ({ ...r, w: setWeight(n, o) })));
  const gen = (key) => g[key].map((r) => ({ ...r, w: o.genWeight ?? 1 }));
  const sets = {};
  const authors = [...new Set(all.map((s) => authorOf(s.name)).filter(Boolean))].sort();
  for (const author of only ? authors.filter((a) => only.includes(a)) : authors) {
    const held = all.filter((s) => authorOf(s.name) === author).map((s) => s.name);
    const rest = all.map((s) => s.name).filter((n) => !held.includes(n));
    const heads = trainHeads({ threads: [...gen('threads'), ...hw(rest, 'threads')], nlq: [...gen('nlq'), ...hw(rest, 'nlq')] }, o);
    Object.assign(sets, devScores(heads, { threads: hw(held, 'threads'), nlq: hw(held, 'nlq') }, o.dim).sets);
  }
  const list = Object.values(sets);
  const agg = (f) => ({ slack: { relevance: f((s) => s.slack.relevance), theme: f((s) => s.slack.theme) }, email: { relevance: f((s) => s.email.relevance), theme: f((s) => s.email.theme) }, nlq_theme: f((s) => s.nlq_theme) });
  return { sets, mean: agg((k) => list.reduce((a, s) => a + k(s), 0) / list.length), min: agg((k) => Math.min(...list.map(k))) };
}

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryRows, RandomStream, RELEVANCES, sqlString, THEMES, withDuckDB } from '../packages/core/src/index.js';
import { runDnr, tempDir } from './helpers/cli.js';

type Row = Record<string, string | number | null>;

/** Write rows as Parquet with explicit DuckDB types (JSON → DuckDB COPY). */
async function writeParquet(file: string, rows: Row[], columns: Record<string, string>): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const json = `${file}.json`;
  writeFileSync(json, rows.map((r) => JSON.stringify(r)).join('\n'));
  const cols = `{${Object.entries(columns).map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`).join(', ')}}`;
  await withDuckDB({ timeZone: 'UTC' }, async (conn) => {
    await conn.run(
      `COPY (SELECT ${Object.keys(columns).join(', ')} FROM read_json(${sqlString(json)}, columns = ${cols}, format = 'newline_delimited')) TO ${sqlString(file)} (FORMAT parquet)`,
    );
  });
  rmSync(json);
}

const PRED_COLUMNS = { id: 'VARCHAR', source: 'VARCHAR', relevance: 'VARCHAR', theme: 'VARCHAR', confidence: 'DOUBLE', engine: 'VARCHAR', status: 'VARCHAR' };

interface FixtureOptions {
  /** Probability a prediction is right. */
  accuracy?: Partial<Record<'slack' | 'email' | 'nlq', number>>;
  /** Share of items predicted with status 'not_sent'. */
  notSent?: number;
  prefix?: string;
}

/**
 * Labels + predictions for one archetype. Predictions are right with the given probability;
 * a few are not_sent, one label per source has no prediction row, one prediction has no label.
 */
async function writeFixture(labelsDir: string, predDir: string, options: FixtureOptions = {}): Promise<void> {
  const rng = new RandomStream(11, 'fixture');
  const prefix = options.prefix ?? 'nb';
  const counts = { slack: 300, email: 120, nlq: 200 };
  const other = <T extends string>(xs: readonly T[], x: T, i: number) => xs[(xs.indexOf(x) + 1 + (i % (xs.length - 1))) % xs.length];
  for (const source of ['slack', 'email', 'nlq'] as const) {
    const labels: Row[] = [];
    const preds: Row[] = [];
    const acc = options.accuracy?.[source] ?? 0.93;
    for (let i = 0; i < counts[source]; i++) {
      const r = rng.child(source);
      const id = `${prefix}-${source === 'nlq' ? 'q' : 't'}${source[0]}${String(i).padStart(6, '0')}`;
      const u = r.uniform(i, 0);
      const relevance = source === 'nlq' ? null : u < 0.45 ? 'positive' : u < 0.65 ? 'hard_negative' : 'negative';
      const theme = source === 'nlq' || relevance === 'positive' ? THEMES[r.int(i, 0, 7, 1)] : null;
      labels.push(source === 'nlq' ? { query_id: id, theme } : { thread_id: id, relevance, theme });
      if (i % 97 === 5) continue; // labelled, no prediction row
      const rightRel = r.uniform(i, 2) < acc;
      const rightTheme = r.uniform(i, 3) < acc;
      const predRel = relevance === null ? null : rightRel ? relevance : other(RELEVANCES, relevance as (typeof RELEVANCES)[number], i);
      let predTheme: string | null = theme === null ? (r.uniform(i, 4) < 0.1 ? THEMES[i % 8] : null) : rightTheme ? theme : other(THEMES, theme as (typeof THEMES)[number], i);
      if (source !== 'nlq' && predRel !== 'positive' && theme !== null && r.uniform(i, 5) < 0.5) predTheme = null;
      const status = r.uniform(i, 6) < (options.notSent ?? 0.01) ? 'not_sent' : 'ok';
      preds.push({ id, source, relevance: predRel, theme: predTheme, confidence: Math.round((0.4 + 0.6 * r.uniform(i, 7)) * 1000) / 1000, engine: 'rules', status });
    }
    preds.push({ id: `${prefix}-x${source}`, source, relevance: null, theme: null, confidence: 0.5, engine: 'rules', status: 'ok' });
    await writeParquet(
      path.join(labelsDir, `labels_${source}.parquet`),
      labels,
      source === 'nlq' ? { query_id: 'VARCHAR', theme: 'VARCHAR' } : { thread_id: 'VARCHAR', relevance: 'VARCHAR', theme: 'VARCHAR' },
    );
    await writeParquet(path.join(predDir, `${source}.parquet`), preds, PRED_COLUMNS);
  }
}

interface Recomputed {
  accuracy: number;
  macroF1: number;
  coverage: number;
  f1: Record<string, number>;
  confusion: Record<string, number>;
}

/** An independent recomputation in SQL: F1 = 2·tp / (predicted + support). */
async function recompute(labelsFile: string, predsFile: string, idCol: string, task: 'relevance' | 'theme', positiveOnly: boolean): Promise<Recomputed> {
  return withDuckDB({ timeZone: 'UTC' }, async (conn) => {
    const classes = (task === 'theme' ? THEMES : RELEVANCES).map(sqlString).join(', ');
    await conn.run(`CREATE TABLE l AS SELECT ${idCol} AS id, ${task} AS truth FROM read_parquet(${sqlString(labelsFile)}) ${positiveOnly ? "WHERE relevance = 'positive'" : ''}`);
    await conn.run(`CREATE TABLE j AS SELECT l.truth, coalesce(p.${task}, '(none)') AS pred FROM l JOIN read_parquet(${sqlString(predsFile)}) p USING (id) WHERE p.status = 'ok'`);
    const [{ coverage, accuracy }] = await queryRows<{ coverage: number; accuracy: number }>(
      conn,
      `SELECT (SELECT count(*) FROM j) / (SELECT count(*) FROM l) AS coverage, avg((truth = pred)::INT) AS accuracy FROM j`,
    );
    const per = await queryRows<{ c: string; f1: number }>(
      conn,
      `WITH c AS (SELECT truth AS c FROM j UNION SELECT pred FROM j WHERE pred IN (${classes}))
       SELECT c, 2.0 * (SELECT count(*) FROM j WHERE truth = c AND pred = c) / ((SELECT count(*) FROM j WHERE pred = c) + (SELECT count(*) FROM j WHERE truth = c)) AS f1 FROM c`,
    );
    const cells = await queryRows<{ truth: string; pred: string; n: bigint }>(conn, 'SELECT truth, pred, count(*) AS n FROM j GROUP BY ALL');
    return {
      accuracy,
      coverage,
      macroF1: per.reduce((a, r) => a + r.f1, 0) / per.length,
      f1: Object.fromEntries(per.map((r) => [r.c, r.f1])),
      confusion: Object.fromEntries(cells.map((c) => [`${c.truth}|${c.pred}`, Number(c.n)])),
    };
  });
}

interface TaskOut {
  coverage: number;
  accuracy: number;
  macro_f1: number;
  per_class: Record<string, { f1: number; support: number }>;
  confusion: { labels: string[]; predicted: string[]; counts: number[][] };
  ci95: { macro_f1: { low: number; high: number } };
  calibration: { ece: number; bins: Array<{ count: number }> };
}

let tmp: ReturnType<typeof tempDir>;
let labelsDir: string;
let predDir: string;
beforeEach(() => {
  tmp = tempDir('dnr-eval-');
  labelsDir = path.join(tmp.dir, 'meta', 'neobank');
  predDir = path.join(tmp.dir, 'runs', 'r1', 'preds');
});
afterEach(() => tmp.cleanup());

describe('dnr eval-labels', () => {
  it('reports metrics that equal an independent SQL recomputation, and passes its gates', async () => {
    await writeFixture(labelsDir, predDir);
    const r = await runDnr(['eval-labels', '--pred', predDir, '--labels', labelsDir, '--json'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.out_dir).toBe(path.join('reports', 'eval', 'r1'));
    const outDir = path.join(tmp.dir, out.out_dir);
    const metrics = JSON.parse(readFileSync(path.join(outDir, 'metrics.json'), 'utf8'));
    expect(metrics).toEqual(out.metrics);
    expect(metrics.passed).toBe(true);
    expect(metrics.gates).toHaveLength(8);

    const cases: Array<[string, 'relevance' | 'theme', string, boolean]> = [
      ['slack', 'relevance', 'thread_id', false],
      ['slack', 'theme', 'thread_id', true],
      ['email', 'relevance', 'thread_id', false],
      ['email', 'theme', 'thread_id', true],
      ['nlq', 'theme', 'query_id', false],
    ];
    for (const [source, task, idCol, positiveOnly] of cases) {
      const want = await recompute(path.join(labelsDir, `labels_${source}.parquet`), path.join(predDir, `${source}.parquet`), idCol, task, positiveOnly);
      const got: TaskOut = metrics.sources[source].tasks[task];
      expect(got.macro_f1, `${source}.${task} macro-F1`).toBeCloseTo(want.macroF1, 12);
      expect(got.accuracy).toBeCloseTo(want.accuracy, 12);
      expect(got.coverage).toBeCloseTo(want.coverage, 12);
      for (const [c, f1] of Object.entries(want.f1)) expect(got.per_class[c].f1, `${source}.${task} F1(${c})`).toBeCloseTo(f1, 12);
      const cells: Record<string, number> = {};
      got.confusion.labels.forEach((l, i) => got.confusion.predicted.forEach((p, j) => got.confusion.counts[i][j] > 0 && (cells[`${l}|${p}`] = got.confusion.counts[i][j])));
      expect(cells).toEqual(want.confusion);
      expect(got.ci95.macro_f1.low).toBeLessThanOrEqual(got.macro_f1);
      expect(got.ci95.macro_f1.high).toBeGreaterThanOrEqual(got.macro_f1);
      expect(got.calibration.bins.reduce((a, b) => a + b.count, 0)).toBe(Object.values(want.confusion).reduce((a, b) => a + b, 0));
    }
    // Theme on Slack is scored over positive-labelled threads only, where a missing theme is a miss.
    expect(metrics.sources.slack.tasks.theme.confusion.predicted).toContain('(none)');
    expect(metrics.sources.slack.unlabelled_predictions).toBe(1);
    expect(metrics.sources.slack.status_counts.missing).toBe(4);

    const md = readFileSync(path.join(outDir, 'report.md'), 'utf8');
    expect(md).toContain('Verdict: **PASS**');
    expect(md).toContain(`| slack.theme_macro_f1 | ${metrics.sources.slack.tasks.theme.macro_f1.toFixed(4)} | >= 0.72 | pass |`);
    for (const f of ['figures/confusion_slack_relevance.png', 'figures/confusion_nlq_theme.png', 'figures/reliability_email_theme.png']) {
      const png = readFileSync(path.join(outDir, f));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(5000);
      expect(md).toContain(`](${f})`);
    }
  });

  it('is deterministic for a seed, and the seed moves only the intervals', async () => {
    await writeFixture(labelsDir, predDir);
    const a = await runDnr(['eval-labels', '--pred', predDir, '--labels', labelsDir, '--out', 'a', '--bootstrap-samples', '200', '-q'], { cwd: tmp.dir });
    const b = await runDnr(['eval-labels', '--pred', predDir, '--labels', labelsDir, '--out', 'b', '--bootstrap-samples', '200', '-q'], { cwd: tmp.dir });
    const c = await runDnr(['eval-labels', '--pred', predDir, '--labels', labelsDir, '--out', 'c', '--bootstrap-samples', '200', '--seed', '99', '-q'], { cwd: tmp.dir });
    expect([a.exitCode, b.exitCode, c.exitCode]).toEqual([0, 0, 0]);
    expect(a.stdout).toContain('eval-labels verdict PASS');
    const read = (d: string) => readFileSync(path.join(tmp.dir, d, 'metrics.json'), 'utf8');
    expect(read('a')).toBe(read('b'));
    expect(readFileSync(path.join(tmp.dir, 'a', 'figures', 'confusion_slack_theme.png'))).toEqual(readFileSync(path.join(tmp.dir, 'b', 'figures', 'confusion_slack_theme.png')));
    const ma = JSON.parse(read('a'));
    const mc = JSON.parse(read('c'));
    expect(mc.sources.nlq.tasks.theme.macro_f1).toBe(ma.sources.nlq.tasks.theme.macro_f1);
    expect(mc.sources.nlq.tasks.theme.ci95).not.toEqual(ma.sources.nlq.tasks.theme.ci95);
  });

  it('exits 3 naming the failing gates, with a verdict that agrees, and still writes the outputs', async () => {
    await writeFixture(labelsDir, predDir, { accuracy: { nlq: 0.5 }, notSent: 0.08 });
    const r = await runDnr(['eval-labels', '--pred', predDir, '--labels', labelsDir, '--out', 'out', '--bootstrap-samples', '50'], { cwd: tmp.dir });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/Gate failed: eval-labels verdict FAIL: \d gate\(s\) failed: .*nlq\.theme_macro_f1 = 0\.\d{4} \(needs >= 0\.72\)/);
    expect(r.stderr).toContain('slack.coverage');
    expect(r.stdout).toMatch(/FAIL {2}nlq\.theme_macro_f1/);
    expect(r.stdout).toMatch(/PASS {2}slack\.relevance_macro_f1/);
    expect(r.stdout).not.toContain('verdict PASS');
    const metrics = JSON.parse(readFileSync(path.join(tmp.dir, 'out', 'metrics.json'), 'utf8'));
    expect(metrics.passed).toBe(false);
    expect(metrics.failed).toContain('nlq.theme_macro_f1');
    expect(metrics.sources.slack.coverage).toBeLessThan(0.95);
    expect(readFileSync(path.join(tmp.dir, 'out', 'report.md'), 'utf8')).toContain('Verdict: **FAIL**');

    const j = await runDnr(['eval-labels', '--pred', predDir, '--labels', labelsDir, '--out', 'out', '--bootstrap-samples', '50', '--json'], { cwd: tmp.dir });
    expect(j.exitCode).toBe(3);
    expect(JSON.parse(j.stdout).error.exitCode).toBe(3);
  });

  describe('bad input exits 2 with a clear message', () => {
    it('labels without predictions', async () => {
      await writeFixture(labelsDir, predDir);
      rmSync(path.join(predDir, 'email.parquet'));
      const r = await runDnr(['eval-labels', '--pred', predDir, '--labels', labelsDir], { cwd: tmp.dir });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(`labels without predictions: ${path.join(labelsDir, 'labels_email.parquet')} exists but ${path.join(predDir, 'email.parquet')} does not`);
      expect(existsSync(path.join(tmp.dir, 'reports'))).toBe(false);
    });

    it('predictions without labels', async () => {
      await writeFixture(labelsDir, predDir);
      rmSync(path.join(labelsDir, 'labels_nlq.parquet'));
      const r = await runDnr(['eval-labels', '--pred', predDir, '--labels', labelsDir], { cwd: tmp.dir });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('predictions without labels');
      const root = await runDnr(['eval-labels', '--pred', predDir, '--labels', path.join(tmp.dir, 'meta')], { cwd: tmp.dir });
      expect(root.exitCode).toBe(2);
      // --labels meta searches meta/*/: the nlq labels are missing there too
      expect(root.stderr).toContain(`predictions without labels: ${path.join(predDir, 'nlq.parquet')} exists but --labels ${path.join(tmp.dir, 'meta')} holds no labels_nlq.parquet`);
    });

    it('mismatched ids (another archetype)', async () => {
      await writeFixture(labelsDir, predDir);
      await writeFixture(path.join(tmp.dir, 'meta', 'marketplace'), path.join(tmp.dir, 'runs', 'r2', 'preds'), { prefix: 'mk' });
      const r = await runDnr(['eval-labels', '--pred', path.join(tmp.dir, 'runs', 'r2'), '--labels', labelsDir], { cwd: tmp.dir });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/mismatched ids: no prediction id in .*slack\.parquet \(e\.g\. "mk-/);
    });

    it('empty folders, a missing folder, a wrong schema', async () => {
      mkdirSync(labelsDir, { recursive: true });
      mkdirSync(predDir, { recursive: true });
      const empty = await runDnr(['eval-labels', '--pred', predDir, '--labels', labelsDir], { cwd: tmp.dir });
      expect(empty.exitCode).toBe(2);
      expect(empty.stderr).toContain('nothing to evaluate');
      const missing = await runDnr(['eval-labels', '--pred', path.join(tmp.dir, 'nope'), '--labels', labelsDir], { cwd: tmp.dir });
      expect(missing.exitCode).toBe(2);
      expect(missing.stderr).toContain(`--pred ${path.join(tmp.dir, 'nope')} is not a folder`);
      await writeParquet(path.join(labelsDir, 'labels_nlq.parquet'), [{ query_id: 'nb-q1', theme: 'duplicates_dedup' }], { query_id: 'VARCHAR', theme: 'VARCHAR' });
      await writeParquet(path.join(predDir, 'nlq.parquet'), [{ id: 'nb-q1', theme: 'duplicates_dedup' }], { id: 'VARCHAR', theme: 'VARCHAR' });
      const schema = await runDnr(['eval-labels', '--pred', predDir, '--labels', labelsDir, '--json'], { cwd: tmp.dir });
      expect(schema.exitCode).toBe(2);
      expect(JSON.parse(schema.stdout).error.message).toMatch(/nlq\.parquet lacks column\(s\) relevance, confidence, status/);
    });
  });
});

describe('dnr eval-labels on a real pipeline run (gen-warehouse → gen-comms → run-report --engine rules)', () => {
  it('scores the rules engine against the oracle labels, and the numbers equal an SQL recomputation', async () => {
    const cwd = tmp.dir;
    const steps = [
      ['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '-q'],
      ['gen-comms', '--archetype', 'neobank', '--slack', '300', '--email', '120', '--nlq', '150', '-q'],
    ];
    for (const args of steps) {
      const r = await runDnr(args, { cwd });
      expect(r.exitCode, `${args[0]}: ${r.stderr}`).toBe(0);
    }
    const rr = await runDnr(['run-report', '--warehouse', 'data/neobank', '--comms', 'comms/neobank', '--out', 'reports/neobank', '--no-llm', '--engine', 'rules', '--json', '-q'], { cwd });
    expect(rr.exitCode, rr.stderr).toBe(0);
    const runDir: string = JSON.parse(rr.stdout).run_dir;
    const preds = path.resolve(cwd, runDir, 'preds');
    const labels = path.join(cwd, 'meta', 'neobank');
    const r = await runDnr(['eval-labels', '--pred', preds, '--labels', labels, '--bootstrap-samples', '200', '--json'], { cwd });
    expect([0, 3]).toContain(r.exitCode);
    const metrics = r.exitCode === 0 ? JSON.parse(r.stdout).metrics : JSON.parse(readFileSync(path.join(cwd, 'reports', 'eval', path.basename(path.resolve(cwd, runDir)), 'metrics.json'), 'utf8'));
    expect(metrics.passed).toBe(r.exitCode === 0);
    expect(metrics.sources.slack.labelled).toBe(300);
    expect(metrics.sources.nlq.labelled).toBe(150);
    for (const [source, task, idCol, positiveOnly] of [
      ['slack', 'relevance', 'thread_id', false],
      ['email', 'theme', 'thread_id', true],
      ['nlq', 'theme', 'query_id', false],
    ] as const) {
      const want = await recompute(path.join(labels, `labels_${source}.parquet`), path.join(preds, `${source}.parquet`), idCol, task, positiveOnly);
      const got: TaskOut = metrics.sources[source].tasks[task];
      expect(got.macro_f1, `${source}.${task}`).toBeCloseTo(want.macroF1, 12);
      expect(got.accuracy).toBeCloseTo(want.accuracy, 12);
      expect(got.coverage).toBeCloseTo(want.coverage, 12);
    }
  });
});

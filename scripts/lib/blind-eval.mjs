/**
 * Score hand-written sets through the real `dnr eval-labels` command: predict every item with the
 * offline classifier, write preds/{slack,email,nlq}.parquet and labels_{slack,email,nlq}.parquet, run
 * `dnr eval-labels`, and return its exit code and metrics.json. Only aggregate metrics leave this
 * module: no item text, id or per-item prediction is printed (the blind-set rule).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './classifier-sets.mjs';

const report = await import(path.join(ROOT, 'packages/report/dist/index.js'));
const core = await import(path.join(ROOT, 'packages/core/dist/index.js'));

async function writeParquet(conn, rows, columns, file) {
  const tmp = `${file}.json`;
  writeFileSync(tmp, JSON.stringify(rows));
  const spec = Object.entries(columns).map(([k, t]) => `${k}:'${t}'`).join(',');
  await conn.run(`COPY (SELECT * FROM read_json(${core.sqlString(tmp)}, columns={${spec}})) TO ${core.sqlString(file)} (FORMAT parquet)`);
  rmSync(tmp);
}

/**
 * @param sets readSet() results; ids are prefixed with the set name so several sets can be scored together.
 * @returns {{ exitCode: number, metrics: object | null, stderr: string }}
 */
export async function evalSets(sets) {
  const work = mkdtempSync(path.join(tmpdir(), 'dnr-blind-'));
  try {
    const preds = path.join(work, 'run', 'preds');
    const labels = path.join(work, 'labels');
    mkdirSync(preds, { recursive: true });
    mkdirSync(labels, { recursive: true });
    const rows = { slack: [], email: [], nlq: [] };
    const truth = { slack: [], email: [], nlq: [] };
    for (const s of sets) {
      const prefix = `${s.name}/`;
      const threads = s.threads.map((t) => ({ ...t.thread, id: prefix + t.thread.id }));
      report.classifyRulesThreads(threads).forEach((p, i) => {
        rows[p.source].push(p);
        truth[p.source].push({ thread_id: p.id, relevance: s.threads[i].relevance, theme: s.threads[i].theme });
      });
      report.classifyRulesNlq(s.nlq.map((q) => ({ ...q.item, id: prefix + q.item.id }))).forEach((p, i) => {
        rows.nlq.push(p);
        truth.nlq.push({ query_id: p.id, theme: s.nlq[i].theme });
      });
    }
    const predCols = { id: 'VARCHAR', source: 'VARCHAR', relevance: 'VARCHAR', theme: 'VARCHAR', confidence: 'DOUBLE', engine: 'VARCHAR', status: 'VARCHAR' };
    await core.withDuckDB({ timeZone: 'UTC' }, async (c) => {
      for (const src of ['slack', 'email', 'nlq']) {
        if (rows[src].length === 0) continue;
        await writeParquet(c, rows[src], predCols, path.join(preds, `${src}.parquet`));
        const cols = src === 'nlq' ? { query_id: 'VARCHAR', theme: 'VARCHAR' } : { thread_id: 'VARCHAR', relevance: 'VARCHAR', theme: 'VARCHAR' };
        await writeParquet(c, truth[src], cols, path.join(labels, `labels_${src}.parquet`));
      }
    });
    const out = path.join(work, 'eval');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'packages/cli/bin/run.js'), 'eval-labels', '--pred', preds, '--labels', labels, '--out', out, '--quiet'], { cwd: work, encoding: 'utf8' });
    let metrics = null;
    try {
      metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    } catch {
      // eval-labels failed before writing; the exit code and stderr say why.
    }
    return { exitCode: r.status ?? 1, metrics, stderr: r.stderr };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Per source and task: macro-F1, coverage and ECE from an eval-labels metrics.json (3 decimals). */
export function summarise(metrics) {
  const out = {};
  for (const [src, m] of Object.entries(metrics?.sources ?? {})) {
    if (!m) continue;
    for (const [task, t] of Object.entries(m.tasks ?? {})) {
      out[`${src}_${task}`] = { macro_f1: r3(t.macro_f1), items: t.items, coverage: r3(t.coverage), ece: r3(t.calibration?.ece) };
    }
  }
  return out;
}

const r3 = (v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : null);

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers/cli.js';

/*
 * scripts/classifier-score-set.mjs as a user meets it: --help, and one clear line with exit 2 (no stack trace)
 * for a missing file, malformed JSON, a file that is not a set, and an empty set; a small valid set is scored.
 */
const SCRIPT = path.join(REPO_ROOT, 'scripts', 'classifier-score-set.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

let tmp: ReturnType<typeof tempDir>;
const file = (name: string, text: string) => {
  const p = path.join(tmp.dir, name);
  writeFileSync(p, text);
  return p;
};
beforeAll(() => {
  tmp = tempDir('dnr-score-set-');
});
afterAll(() => tmp.cleanup());

/** The stderr of a run that must fail with exit 2 and a single line. */
function failsWith(args: string[]): string {
  const r = run(...args);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe('classifier-score-set.mjs command line', () => {
  it('prints usage for --help and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: node scripts\/classifier-score-set\.mjs <set\.json>… \[--model <model\.json>\]/);
    expect(r.stdout).toContain('docs/classifier.md');
  });

  it('names a missing file', () => {
    const missing = path.join(tmp.dir, 'nope.json');
    expect(failsWith([missing])).toBe(`classifier-score-set: ${missing}: no such file`);
  });

  it('names malformed JSON', () => {
    const bad = file('bad.json', '{"threads": [');
    expect(failsWith([bad])).toMatch(new RegExp(`^classifier-score-set: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not valid JSON \\(`));
  });

  it('names what makes a file not a set', () => {
    const other = file('other.json', '{"rows": []}');
    expect(failsWith([other])).toBe(`classifier-score-set: ${other}: is not a set: top level: unknown key(s) "rows" (a set has "threads", "nlq" and an optional "_about")`);
    const rel = file('rel.json', JSON.stringify({ threads: [{ id: 'x1', source: 'slack', relevance: 'pos', theme: null, messages: [{ role: 'other', text: 'hi' }] }] }));
    expect(failsWith([rel])).toBe(`classifier-score-set: ${rel}: is not a set: threads[0].relevance (id x1): Invalid enum value. Expected 'positive' | 'hard_negative' | 'negative', received 'pos'`);
    const theme = file('theme.json', JSON.stringify({ threads: [{ id: 'x2', source: 'email', relevance: 'positive', theme: null, messages: [{ role: 'finance', text: 'Subject: numbers\n\nthe totals differ' }] }] }));
    expect(failsWith([theme])).toMatch(/threads\[0\]\.theme \(id x2\): a positive thread needs a theme \(one of metric_definition_mismatch, /);
  });

  it('refuses an empty set', () => {
    const empty = file('empty.json', '{"threads": [], "nlq": []}');
    expect(failsWith([empty])).toBe(`classifier-score-set: ${empty}: the set is empty (no threads and no NLQ items)`);
  });

  it('checks every file before scoring any', () => {
    const ok = file('ok1.json', JSON.stringify({ nlq: [{ id: 'q1', theme: 'freshness_ingest_lag', text: 'why is the revenue dashboard still showing last friday' }] }));
    expect(failsWith([ok, path.join(tmp.dir, 'gone.json')])).toContain('gone.json: no such file');
  });

  it('scores a small valid set, printing only the tasks it has', () => {
    const ok = file('ok2.json', JSON.stringify({ nlq: [{ id: 'q1', theme: 'freshness_ingest_lag', text: 'why is the revenue dashboard still showing last friday' }] }));
    const r = run(ok);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok2 \(0 threads, 1 nlq\) with model \S+: NLQ (0|1)\.000\n/);
    expect(r.stdout).not.toContain('Slack rel');
  });
});

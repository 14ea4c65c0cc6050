import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveTruth } from '../packages/core/dist/index.js';
import { runDnr, tempDir } from './helpers/cli.js';
import { killAtPhase } from './helpers/kill.js';
import { expectComplete, leftovers, sha, snapshot } from './helpers/outputs.js';

// Several real CLI runs per test: generous limits for a loaded 2-core machine (performance is measured in `pnpm bench`).
vi.setConfig({ testTimeout: 900_000, hookTimeout: 900_000 });

// One commit per command: kill -9 at every phase of a commit, then check that what a reader sees is the
// previous output or the new one, whole — never a mixture — and that the next run cleans up after it.

const SMALL_COMMS = ['--slack', '40', '--email', '12', '--nlq', '20'];
let tmp: ReturnType<typeof tempDir>;
const dnr = async (args: string[]) => {
  const r = await runDnr(args, { cwd: tmp.dir });
  expect(r.exitCode, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
};

beforeAll(async () => {
  tmp = tempDir('dnr-commit-');
  await dnr(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '-q']);
  await dnr(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '-q']);
}, 600_000);
afterAll(() => tmp.cleanup());

describe('gen-comms killed at each phase of its commit', () => {
  const before = () => ({ comms: snapshot(path.join(tmp.dir, 'comms', 'neobank')), meta: snapshot(path.join(tmp.dir, 'meta', 'neobank')) });

  it.each(['output:building', 'output:built', 'output:carried', 'output:old-moved'])(
    'killed at %s: the previous corpus and its labels stay (after the next reader recovers), the rerun cleans up',
    async (phase) => {
      const old = before();
      await killAtPhase(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '--seed', '99', '-q'], phase, { cwd: tmp.dir });
      // A reader (validate) finishes the dead writer's clean-up and reads the previous corpus, whole.
      const v = await runDnr(['validate', '--warehouse', 'data/neobank', '--comms', 'comms/neobank', '--out', 'qc-read', '--only', 'comms', '--json'], { cwd: tmp.dir });
      expect(v.exitCode, v.stderr).toBe(0);
      expect(before()).toEqual(old);
      expectComplete(path.join(tmp.dir, 'comms', 'neobank'), 'comms');
      await dnr(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '-q']);
      expect(leftovers(tmp.dir)).toEqual([]);
    },
  );

  it('killed after the commit, before the meta/ mirror: the new corpus is whole and the stale mirror is recognised as such', async () => {
    await killAtPhase(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '--seed', '99', '-q'], 'gen-comms:before-mirror', { cwd: tmp.dir });
    const comms = path.join(tmp.dir, 'comms', 'neobank');
    expectComplete(comms, 'comms');
    expect(JSON.parse(readFileSync(path.join(comms, 'manifest.json'), 'utf8')).seed).toBe(99);
    // the mirror still holds the previous labels: any consumer given it is told it is not this corpus' truth
    expect(() => resolveTruth({ dataDir: comms, dataFlag: '--comms', name: 'labels_slack', fileName: 'labels_slack.parquet', override: { flag: '--meta', dir: path.join(tmp.dir, 'meta', 'neobank') } })).toThrow(
      /is not the ground truth of --comms/,
    );
    await dnr(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '-q']);
    expect(sha(path.join(tmp.dir, 'meta', 'neobank', 'labels_slack.parquet'))).toBe(sha(path.join(comms, 'labels_slack.parquet')));
    expect(leftovers(tmp.dir)).toEqual([]);
  });
});

describe('gen-warehouse killed at each phase of its commit', () => {
  const wh = () => path.join(tmp.dir, 'data', 'neobank');

  it.each(['gen-warehouse:tables-written', 'output:built', 'output:old-moved', 'output:swapped'])(
    'killed at %s: the previous warehouse with its warehouse.duckdb and defects.json stays',
    async (phase) => {
      const old = snapshot(wh());
      await killAtPhase(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '--seed', '7', '-q'], phase, { cwd: tmp.dir });
      const v = await runDnr(['validate', '--warehouse', 'data/neobank', '--out', 'qc-wh', '--only', 'schema', '--json'], { cwd: tmp.dir });
      expect(v.exitCode, v.stderr).toBe(0);
      const now = snapshot(wh());
      // warehouse.duckdb may be checkpointed by readers; everything else is byte for byte the previous warehouse
      delete now['warehouse.duckdb'];
      const was = { ...old };
      delete was['warehouse.duckdb'];
      expect(now).toEqual(was);
      expect(existsSync(path.join(wh(), 'warehouse.duckdb'))).toBe(true);
      expectComplete(wh(), 'warehouse');
      expect(leftovers(tmp.dir)).toEqual([]);
    },
  );

  it('killed after the commit, before the meta/ mirror: the warehouse carries its own new truth; the rerun refreshes the mirror', async () => {
    await killAtPhase(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '--seed', '7', '-q'], 'gen-warehouse:before-mirror', { cwd: tmp.dir });
    expectComplete(wh(), 'warehouse');
    const truth = JSON.parse(readFileSync(path.join(wh(), 'manifest.json'), 'utf8')).truth.defects.sha256;
    expect(sha(path.join(tmp.dir, 'meta', 'neobank', 'defects.json'))).not.toBe(truth);
    await dnr(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '--seed', '7', '-q']);
    expect(sha(path.join(tmp.dir, 'meta', 'neobank', 'defects.json'))).toBe(JSON.parse(readFileSync(path.join(wh(), 'manifest.json'), 'utf8')).truth.defects.sha256);
  });
});

describe('run-report with a reused --run-id killed between its two folders', () => {
  it('the run folder stays whole (its preds with its own run.json) and is recognisably not tied to the new report', async () => {
    await dnr(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '-q']);
    const args = ['run-report', '--warehouse', 'data/neobank', '--comms', 'comms/neobank', '--out', 'reports/neobank', '--engine', 'rules', '--no-llm', '--run-id', 'r1', '-q'];
    await dnr(args);
    const run = path.join(tmp.dir, 'runs', 'r1');
    const oldRun = snapshot(run);
    const tie = () => JSON.parse(readFileSync(path.join(run, 'run.json'), 'utf8')).report.commit_id as string;
    expect(tie()).toBe(expectComplete(path.join(tmp.dir, 'reports', 'neobank'), 'report').commit_id);
    await killAtPhase([...args.slice(0, -1), '--window', '14d', '-q'], 'run-report:report-committed', { cwd: tmp.dir });
    const report = expectComplete(path.join(tmp.dir, 'reports', 'neobank'), 'report');
    expect(snapshot(run)).toEqual(oldRun);
    expectComplete(run, 'run');
    expect(tie()).not.toBe(report.commit_id);
    await dnr(args);
    expect(tie()).toBe(expectComplete(path.join(tmp.dir, 'reports', 'neobank'), 'report').commit_id);
    expect(leftovers(tmp.dir)).toEqual([]);
  });
});

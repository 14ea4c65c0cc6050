import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DNR_BIN, runDnr, tempDir } from './helpers/cli.js';
import { expectComplete, leftovers, sha, snapshot } from './helpers/outputs.js';

// Several real CLI runs per test: generous limits for a loaded 2-core machine (performance is measured in `pnpm bench`).
vi.setConfig({ testTimeout: 900_000, hookTimeout: 900_000 });

// --out safety for every command that writes, no cross-run interference, clean-up of dead runs' leftovers.

const SMALL_COMMS = ['--slack', '40', '--email', '12', '--nlq', '20'];
let tmp: ReturnType<typeof tempDir>;
const dnr = async (args: string[], env?: Record<string, string>) => {
  const r = await runDnr(args, { cwd: tmp.dir, env });
  expect(r.exitCode, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
};
const REPORT = ['run-report', '--warehouse', 'data/neobank', '--comms', 'comms/neobank', '--engine', 'rules', '--no-llm', '-q'];

beforeAll(async () => {
  tmp = tempDir('dnr-safety-');
  await dnr(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '-q']);
  await dnr(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '-q']);
  await dnr([...REPORT, '--out', 'reports/neobank', '--run-id', 'r1']);
}, 600_000);
afterAll(() => tmp.cleanup());

/** Each writing command, with --out set to `out`. */
const WRITERS: Record<string, (out: string) => string[]> = {
  'gen-warehouse': (out) => ['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '--out', out, '-q'],
  'gen-comms': (out) => ['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '--out', out, '-q'],
  'run-report': (out) => [...REPORT, '--out', out, '--run-id', 'r-out'],
  'eval-labels': (out) => ['eval-labels', '--pred', 'runs/r1/preds', '--out', out],
  validate: (out) => ['validate', '--warehouse', 'data/neobank', '--comms', 'comms/neobank', '--only', 'schema', '--out', out],
};

describe('--out safety, every command', () => {
  it.each(Object.keys(WRITERS))('%s: a folder of the user’s files, the working folder, its parent, an existing file and /proc are refused (exit 2), nothing is touched', async (cmd) => {
    const mine = path.join(tmp.dir, `mine-${cmd}`);
    mkdirSync(path.join(mine, 'sub'), { recursive: true });
    writeFileSync(path.join(mine, 'notes.txt'), 'my notes');
    writeFileSync(path.join(mine, 'sub', 'deep.md'), 'deep');
    writeFileSync(path.join(tmp.dir, 'notes.csv'), 'a,b\n1,2\n');
    const all = snapshot(tmp.dir);
    const cases: Array<[string, RegExp]> = [
      [mine, /holds files that are not a dnr output: notes\.txt, sub\//],
      ['.', /is the working folder/],
      ['..', /contains the working folder/],
      ['notes.csv', /notes\.csv is an existing file, not a folder/],
      ['notes.csv/x', /a part of that path is a file/],
      ['/proc/dnr-x', /pseudo-filesystem/],
    ];
    for (const [out, message] of cases) {
      const t0 = Date.now();
      const r = await runDnr(WRITERS[cmd](out), { cwd: tmp.dir, timeoutMs: 60_000 });
      expect(r.exitCode, `${cmd} --out ${out}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('--out');
      expect(Date.now() - t0).toBeLessThan(60_000);
    }
    expect(snapshot(tmp.dir)).toEqual(all);
  });

  it('a dnr output the user added a file to is refused; --force keeps the file (moved into the new output), never deletes it', async () => {
    const wh = path.join(tmp.dir, 'data', 'neobank');
    writeFileSync(path.join(wh, 'parquet', 'my-query.sql'), 'select 1');
    const r = await runDnr(WRITERS['gen-warehouse']('data/neobank'), { cwd: tmp.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('holds files dnr did not write: parquet/my-query.sql');
    await dnr([...WRITERS['gen-warehouse']('data/neobank'), '--force']);
    expect(readFileSync(path.join(wh, 'parquet', 'my-query.sql'), 'utf8')).toBe('select 1');
    expectComplete(wh, 'warehouse');
    rmSync(path.join(wh, 'parquet', 'my-query.sql'));
  });

  it('a symbolic link as --out is judged by where it points: into the user’s files, refused; into home, refused', async () => {
    const docs = mkdtempSync(path.join(os.tmpdir(), 'dnr-docs-'));
    writeFileSync(path.join(docs, 'cv.pdf'), 'x');
    symlinkSync(docs, path.join(tmp.dir, 'link-docs'));
    symlinkSync(os.homedir(), path.join(tmp.dir, 'link-home'));
    try {
      const a = await runDnr(WRITERS['gen-comms']('link-docs'), { cwd: tmp.dir });
      expect(a.exitCode).toBe(2);
      expect(a.stderr).toContain('cv.pdf');
      const b = await runDnr(WRITERS['gen-comms']('link-home'), { cwd: tmp.dir });
      expect(b.exitCode).toBe(2);
      expect(b.stderr).toMatch(/home folder|working folder/);
      expect(readdirSync(docs)).toEqual(['cv.pdf']);
    } finally {
      rmSync(path.join(tmp.dir, 'link-docs'));
      rmSync(path.join(tmp.dir, 'link-home'));
      rmSync(docs, { recursive: true, force: true });
    }
  });

  it('inputs are never outputs: run-report into its warehouse, validate into its comms, eval-labels into the run are refused', async () => {
    const all = snapshot(tmp.dir);
    for (const [args, message] of [
      [[...REPORT, '--out', 'data/neobank'], /is also the input --warehouse/],
      [[...REPORT, '--out', 'data'], /contains the input --warehouse/],
      [['validate', '--warehouse', 'data/neobank', '--comms', 'comms/neobank', '--out', 'comms/neobank/qc'], /lies inside the input --comms/],
      [['eval-labels', '--pred', 'runs/r1/preds', '--out', 'runs/r1'], /contains the input --pred|is also the input --pred/],
    ] as Array<[string[], RegExp]>) {
      const r = await runDnr(args, { cwd: tmp.dir });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(snapshot(tmp.dir)).toEqual(all);
  });

  it('validate writes qc/ into a report folder; a new report keeps it, but an unmarked qc/ of the user is foreign', async () => {
    await dnr(['validate', '--warehouse', 'data/neobank', '--comms', 'comms/neobank', '--only', 'schema', '--out', 'reports/neobank/qc']);
    const qc = snapshot(path.join(tmp.dir, 'reports', 'neobank', 'qc'));
    await dnr([...REPORT, '--out', 'reports/neobank', '--run-id', 'r1']);
    expect(snapshot(path.join(tmp.dir, 'reports', 'neobank', 'qc'))).toEqual(qc);
    const other = path.join(tmp.dir, 'reports', 'other');
    await dnr([...REPORT, '--out', 'reports/other', '--run-id', 'r-other']);
    mkdirSync(path.join(other, 'qc'));
    writeFileSync(path.join(other, 'qc', 'validate.json'), '{"mine": true}');
    const r = await runDnr([...REPORT, '--out', 'reports/other', '--run-id', 'r-other'], { cwd: tmp.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('qc/');
    expect(readFileSync(path.join(other, 'qc', 'validate.json'), 'utf8')).toBe('{"mine": true}');
  });
});

const root = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;

describe.runIf(root && process.platform === 'linux')('OS failures are exit 2 naming the output, earlier outputs intact (root: tmpfs, read-only mounts, another user)', () => {
  let mnt: string;
  beforeAll(() => {
    mnt = mkdtempSync(path.join(os.tmpdir(), 'dnr-mnt-'));
  });
  afterAll(() => {
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });

  it('a full disk (ENOSPC) while writing a warehouse: exit 2 naming --out and the reason; the previous warehouse stays', async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', mnt]);
    try {
      const out = path.join(mnt, 'wh');
      cpSync(path.join(tmp.dir, 'comms', 'neobank'), out, { recursive: true, preserveTimestamps: true });
      // leave ~16 KB free: the new corpus cannot fit
      const fs = statfsSync(mnt);
      writeFileSync(path.join(mnt, 'filler'), Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - 16_384)));
      const before = snapshot(out);
      const r = await runDnr(WRITERS['gen-warehouse'](out), { cwd: tmp.dir });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--out .*wh.*(no space left on the device|holds a dnr comms output)/);
      const f = await runDnr([...WRITERS['gen-comms'](out), '--seed', '5'], { cwd: tmp.dir });
      expect(f.exitCode, f.stderr).toBe(2);
      expect(f.stderr).toMatch(/cannot write --out .*wh: no space left on the device \[ENOSPC\]/);
      expect(f.stderr).not.toMatch(/bug in dnr/);
      expect(snapshot(out)).toEqual(before);
      expect(readdirSync(mnt).sort()).toEqual(['filler', 'wh']);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('a read-only filesystem (EROFS): exit 2 naming --out and the reason', async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
    try {
      execFileSync('mount', ['-o', 'remount,ro', mnt]);
      const r = await runDnr(WRITERS['eval-labels'](path.join(mnt, 'eval')), { cwd: tmp.dir });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--out .*eval.*read-only filesystem \[EROFS\]/);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  // The other user must be able to reach the CLI itself (a checkout inside a 0700 folder cannot be run by it).
  const otherUserCanRun = root && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(DNR_BIN)})`]).status === 0;
  it.runIf(otherUserCanRun)('permission denied (EACCES, as another user): exit 2 naming --out and the reason', async () => {
    const locked = path.join(tmp.dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    chmodSync(tmp.dir, 0o755);
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, DNR_BIN, ...WRITERS.validate(path.join(locked, 'qc'))], {
      cwd: tmp.dir,
      encoding: 'utf8',
      env: { ...process.env, HOME: '/nonexistent', NO_COLOR: '1' },
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--out .*locked\/qc.*permission denied \[EACCES\]/);
    expect(existsSync(path.join(locked, 'qc'))).toBe(false);
  });
});

describe('no cross-run interference', () => {
  it('a second warehouse and corpus elsewhere never change the default ones or meta/; validating the default warehouse gives the same verdicts', async () => {
    const meta = snapshot(path.join(tmp.dir, 'meta'));
    const wh = snapshot(path.join(tmp.dir, 'data', 'neobank'));
    const gates = async () => {
      const v = await runDnr(['validate', '--warehouse', 'data/neobank', '--out', 'qc-default', '--only', 'defects', '--json'], { cwd: tmp.dir });
      expect(v.exitCode, v.stderr).toBe(0);
      return JSON.parse(v.stdout).rows as unknown[];
    };
    const verdicts = await gates();
    await dnr(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '--seed', '7', '--quality', 'messy', '--out', 'data/nb-var', '-q']);
    await dnr(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '--seed', '77', '--warehouse', 'data/nb-var', '--out', 'comms/alt', '-q']);
    expect(snapshot(path.join(tmp.dir, 'meta'))).toEqual(meta);
    expect(snapshot(path.join(tmp.dir, 'data', 'neobank'))).toEqual(wh);
    // each folder carries its own truth
    expect(sha(path.join(tmp.dir, 'data', 'nb-var', 'defects.json'))).not.toBe(sha(path.join(tmp.dir, 'data', 'neobank', 'defects.json')));
    expect(await gates()).toEqual(verdicts);
    // the default meta/ mirror is the default warehouse's truth, not the variant's: --meta with it is refused for nb-var
    const wrong = await runDnr(['validate', '--warehouse', 'data/nb-var', '--meta', 'meta/neobank', '--out', 'qc-var', '--only', 'defects'], { cwd: tmp.dir });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('--meta meta/neobank: defects.json is not the ground truth of --warehouse data/nb-var');
  });

  it("eval-labels: the documented `--labels meta` finds the labels by id across meta/*/; labels of another corpus are refused, never scored", async () => {
    const ok = await runDnr(['eval-labels', '--pred', 'runs/r1/preds', '--labels', 'meta', '--out', 'reports/eval/r1', '--json'], { cwd: tmp.dir });
    expect([0, 3]).toContain(ok.exitCode);
    const m = JSON.parse(ok.stdout).metrics;
    expect(m.labels_dir).toBe(path.join('meta', 'neobank'));
    // the same evaluation without --labels uses the labels inside the comms folder the run classified
    const own = await runDnr(['eval-labels', '--pred', 'runs/r1/preds', '--out', 'reports/eval/r1-own', '--json'], { cwd: tmp.dir });
    const scores = (sources: Record<string, Record<string, unknown>>) => Object.fromEntries(Object.entries(sources).map(([k, v]) => [k, { ...v, labels_file: undefined }]));
    expect(scores(JSON.parse(own.stdout).metrics.sources)).toEqual(scores(m.sources));
    expect(JSON.parse(own.stdout).metrics.sources.slack.labels_file).toBe(path.join(tmp.dir, 'comms', 'neobank', 'labels_slack.parquet'));
    // a run over comms/alt (no mirror) evaluated against meta/ is refused with exit 2
    await dnr(['run-report', '--warehouse', 'data/nb-var', '--comms', 'comms/alt', '--engine', 'rules', '--no-llm', '--out', 'reports/alt', '--run-id', 'r-alt', '-q']);
    const bad = await runDnr(['eval-labels', '--pred', 'runs/r-alt/preds', '--labels', 'meta', '--out', 'reports/eval/r-alt'], { cwd: tmp.dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/is not the oracle of the corpus these predictions were made on/);
    expect(bad.stderr).toContain(path.join('comms', 'alt'));
    expect(existsSync(path.join(tmp.dir, 'reports', 'eval', 'r-alt'))).toBe(false);
    const alt = await runDnr(['eval-labels', '--pred', 'runs/r-alt/preds', '--out', 'reports/eval/r-alt', '--json'], { cwd: tmp.dir });
    expect([0, 3]).toContain(alt.exitCode);
  });

  it('validate --only keeps the other families of an earlier run over the same inputs, and says so', async () => {
    await dnr(['validate', '--warehouse', 'data/neobank', '--comms', 'comms/neobank', '--only', 'schema', '--only', 'volumes', '--out', 'qc-merge']);
    const first = JSON.parse(readFileSync(path.join(tmp.dir, 'qc-merge', 'validate.json'), 'utf8'));
    await dnr(['validate', '--warehouse', 'data/neobank', '--comms', 'comms/neobank', '--only', 'volumes', '--out', 'qc-merge']);
    const merged = JSON.parse(readFileSync(path.join(tmp.dir, 'qc-merge', 'validate.json'), 'utf8'));
    expect(merged.families).toEqual(['schema', 'volumes']);
    expect(merged.kept_families).toEqual(['schema']);
    expect(merged.rows.filter((r: { family: string }) => r.family === 'schema')).toEqual(first.rows.filter((r: { family: string }) => r.family === 'schema'));
    expect(readFileSync(path.join(tmp.dir, 'qc-merge', 'validate.md'), 'utf8')).toContain('Rows of schema are kept from an earlier run over the same inputs');
  });
});

describe('clean-up of interrupted runs', () => {
  it('every command removes its own dead leftovers (staging, old, temp files, scratch folders) and nothing else', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const plant = (rel: string, file = 'x.txt') => {
      mkdirSync(path.join(tmp.dir, rel), { recursive: true });
      writeFileSync(path.join(tmp.dir, rel, file), 'left over');
    };
    plant(`comms/.neobank.dnr-staging-${dead}-0badc0de`);
    plant(`data/.neobank.building-${dead}-0badc0de`);
    plant(`reports/.neobank.dnr-old-${dead}-0badc0de`);
    writeFileSync(path.join(tmp.dir, 'meta', 'neobank', `.labels_slack.parquet.tmp-${dead}-0badc0de`), 'half');
    const scratch = path.join(os.tmpdir(), `dnr-report-duckdb-${dead}-abc123`);
    mkdirSync(scratch, { recursive: true });
    // look-alikes that are not dnr's (no pid, or a live pid) stay
    plant('data/.neobank.building', 'mine.txt');
    plant(`reports/.neobank.dnr-old-${process.pid}-0badc0de`);
    await dnr(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '-q']);
    await dnr(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '-q']);
    await dnr([...REPORT, '--out', 'reports/neobank', '--run-id', 'r1']);
    expect(leftovers(tmp.dir)).toEqual([`reports/.neobank.dnr-old-${process.pid}-0badc0de`]);
    expect(existsSync(scratch)).toBe(false);
    expect(readFileSync(path.join(tmp.dir, 'data', '.neobank.building', 'mine.txt'), 'utf8')).toBe('left over');
    rmSync(path.join(tmp.dir, 'reports', `.neobank.dnr-old-${process.pid}-0badc0de`), { recursive: true });
    expect(readdirSync(os.tmpdir()).filter((n) => n.startsWith(`dnr-report-duckdb-${dead}-`))).toEqual([]);
  });
});

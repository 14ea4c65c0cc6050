import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqlString, withDuckDB } from '../packages/core/src/index.js';
import { runDnr, tempDir } from './helpers/cli.js';
import { snapshot } from './helpers/outputs.js';

// Several real CLI runs per test: generous limits for a loaded 2-core machine.
vi.setConfig({ testTimeout: 900_000, hookTimeout: 900_000 });

// Cases a QA pass found after the first round of file safety: shared folders under --force, content changed
// behind the marker's back, hints naming flags the command lacks, dangling links, DNR_ separator typos.

const SMALL_COMMS = ['--slack', '40', '--email', '12', '--nlq', '20'];
let tmp: ReturnType<typeof tempDir>;
const dnr = async (args: string[], env?: Record<string, string>) => {
  const r = await runDnr(args, { cwd: tmp.dir, env });
  expect(r.exitCode, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
};
const REPORT = ['run-report', '--warehouse', 'data/neobank', '--comms', 'comms/neobank', '--engine', 'rules', '--no-llm', '-q'];

beforeAll(async () => {
  tmp = tempDir('dnr-safety-qa-');
  await dnr(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '-q']);
  await dnr(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '-q']);
  await dnr([...REPORT, '--out', 'reports/neobank', '--run-id', 'r1']);
}, 600_000);
afterAll(() => tmp.cleanup());

/** Each command with --out, pointed at `out` with --force. */
const FORCED: Record<string, (out: string) => string[]> = {
  'gen-warehouse': (out) => ['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '--out', out, '--force', '-q'],
  'gen-comms': (out) => ['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '--out', out, '--force', '-q'],
  'run-report': (out) => [...REPORT, '--out', out, '--run-id', 'r-forced', '--force'],
  'eval-labels': (out) => ['eval-labels', '--pred', 'runs/r1/preds', '--out', out, '--force'],
  validate: (out) => ['validate', '--warehouse', 'data/neobank', '--comms', 'comms/neobank', '--only', 'schema', '--out', out, '--force'],
};

describe('shared folders are never replaced', () => {
  it.each(Object.keys(FORCED))('%s --force: meta/neobank and meta/ are refused (exit 2), the mirror is untouched', async (cmd) => {
    const before = snapshot(path.join(tmp.dir, 'meta'));
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['neobank/defects.json', 'neobank/labels_slack.parquet']));
    for (const [out, message] of [
      ['meta/neobank', /--out meta\/neobank is a folder dnr shares with you and other commands.*never replaces it, with or without --force/],
      ['meta', /--out meta holds neobank\/, a folder dnr shares with you and other commands; dnr never replaces a folder holding it, not even with --force/],
    ] as const) {
      const r = await runDnr(FORCED[cmd](out), { cwd: tmp.dir });
      expect(r.exitCode, `${cmd} --out ${out}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(snapshot(path.join(tmp.dir, 'meta'))).toEqual(before);
  });
});

describe('hints name only flags the running command has', () => {
  it('quickstart refusing a folder of the user’s files names its config path and never suggests --force', async () => {
    const mine = path.join(tmp.dir, 'data', 'neobank', 'my-notes.txt');
    writeFileSync(mine, 'mine');
    try {
      const q = await runDnr(['quickstart', '--fast', '--no-llm'], { cwd: tmp.dir, timeoutMs: 120_000 });
      expect(q.exitCode, q.stderr).toBe(2);
      expect(q.stderr).toContain('paths.data');
      expect(q.stderr).toContain('my-notes.txt');
      expect(q.stderr).not.toContain('--force');
      // the same refusal in a command that has --force offers it
      const g = await runDnr(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '-q'], { cwd: tmp.dir });
      expect(g.exitCode).toBe(2);
      expect(g.stderr).toContain('--force');
    } finally {
      rmSync(mine);
    }
  });
});

describe('a dangling symbolic link as --out', () => {
  it('names the flag and the real missing target, for a link and for a path through one', async () => {
    symlinkSync('gone/away', path.join(tmp.dir, 'out-link'));
    try {
      const a = await runDnr(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '--out', 'out-link', '-q'], { cwd: tmp.dir });
      expect(a.exitCode).toBe(2);
      expect(a.stderr).toContain(`--out out-link is a symbolic link to ${path.join(tmp.dir, 'gone', 'away')}, which does not exist.`);
      const b = await runDnr(['validate', '--warehouse', 'data/neobank', '--only', 'schema', '--out', 'out-link/qc'], { cwd: tmp.dir });
      expect(b.exitCode).toBe(2);
      expect(b.stderr).toContain(`--out out-link/qc: ${path.join(tmp.dir, 'out-link')} is a symbolic link to ${path.join(tmp.dir, 'gone', 'away')}, which does not exist.`);
      expect(existsSync(path.join(tmp.dir, 'gone'))).toBe(false);
    } finally {
      rmSync(path.join(tmp.dir, 'out-link'));
    }
  });
});

describe('DNR_ variables', () => {
  it('DNR_WAREHOUSE_SEED (one underscore) is an error suggesting DNR_WAREHOUSE__SEED, from the environment and from .env', async () => {
    const env = await runDnr(['config'], { cwd: tmp.dir, env: { DNR_WAREHOUSE_SEED: '7' } });
    expect(env.exitCode).toBe(2);
    expect(env.stderr).toContain('DNR_WAREHOUSE_SEED: sections and keys are separated by two underscores; did you mean DNR_WAREHOUSE__SEED?');
    const dir = path.join(tmp.dir, 'dotenv-case');
    mkdirSync(dir);
    writeFileSync(path.join(dir, '.env'), 'OPENAI_BASE_URL=http://127.0.0.1:9/v1\nDNR_COMMS_SEED=3\n');
    const file = await runDnr(['config'], { cwd: dir });
    expect(file.exitCode).toBe(2);
    expect(file.stderr).toMatch(/DNR_COMMS_SEED in \.env:2: .*did you mean DNR_COMMS__SEED\?/);
  });
});

/** Rewrite one file of a table with a SQL transform, then give it the size and time the marker recorded (so only content differs). */
async function tamperBehindMarker(dataDir: string, rel: string, select: (src: string) => string): Promise<void> {
  const file = path.join(dataDir, rel);
  const tmpFile = `${file}.rewritten`;
  await withDuckDB({ timeZone: 'UTC' }, async (conn) => {
    await conn.run(`COPY (${select(`read_parquet(${sqlString(file)})`)}) TO ${sqlString(tmpFile)} (FORMAT parquet)`);
  });
  rmSync(file);
  cpSync(tmpFile, file);
  rmSync(tmpFile);
  // The marker now vouches for the new bytes' size and time: as if the file had been changed in place with
  // its length kept and its modification time restored (what the cheap check cannot see).
  const markerFile = path.join(dataDir, '.dnr-output.json');
  const marker = JSON.parse(readFileSync(markerFile, 'utf8')) as { files: Record<string, { bytes: number; mtime_ms: number } | null> };
  const st = statSync(file);
  marker.files[rel] = { bytes: st.size, mtime_ms: st.mtimeMs };
  writeFileSync(markerFile, JSON.stringify(marker));
}

describe('validate on a table whose content differs from its manifest (size and time unchanged)', () => {
  it('exits 2 naming the table without --verify, and writes no QC report; an unmarked copy is still judged by the gates', async () => {
    const tampered = path.join(tmp.dir, 'data', 'tampered');
    cpSync(path.join(tmp.dir, 'data', 'neobank'), tampered, { recursive: true, preserveTimestamps: true });
    await tamperBehindMarker(tampered, 'parquet/dim_account.parquet', (rel) => `SELECT * REPLACE ('frozen' AS status) FROM ${rel}`);
    const qc = path.join(tmp.dir, 'qc-tampered');
    // a QC report of the intact warehouse is already there: it must not be replaced by one of changed data
    await dnr(['validate', '--warehouse', 'data/neobank', '--only', 'schema', '--out', qc]);
    const before = snapshot(qc);
    for (const extra of [[], ['--only', 'schema']]) {
      const r = await runDnr(['validate', '--warehouse', tampered, '--out', qc, ...extra], { cwd: tmp.dir });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--warehouse .*tampered: table dim_account \(parquet\/dim_account\.parquet\) does not match its manifest \(its size and modification time are unchanged\)/);
      expect(r.stderr).not.toMatch(/Conversion Error/);
      expect(snapshot(qc)).toEqual(before);
    }
    // --verify says the same, before any gate
    const verified = await runDnr(['validate', '--warehouse', tampered, '--out', qc, '--verify'], { cwd: tmp.dir });
    expect(verified.exitCode).toBe(2);
    expect(verified.stderr).toMatch(/table dim_account \(parquet\/dim_account\.parquet\) does not match its manifest/);
    // handed over without dnr's marker (as another tool would): nothing vouches for it, the integrity gate judges it
    rmSync(path.join(tampered, '.dnr-output.json'));
    const unmarked = await runDnr(['validate', '--warehouse', tampered, '--only', 'schema', '--out', path.join(tmp.dir, 'qc-unmarked'), '--json'], { cwd: tmp.dir });
    expect(unmarked.exitCode, unmarked.stderr).toBe(0);
    const rows = JSON.parse(unmarked.stdout).rows as Array<{ gate: string; verdict: string }>;
    expect(rows.find((x) => x.gate === 'schema.dim_account.integrity')?.verdict).toBe('fail');
  });
});

describe("a user's edit to a file dnr wrote", () => {
  it('is refused on rerun (exit 2 naming the file, offering --force), kept as edited; --force overwrites it; a copy that only changed file times is not an edit', async () => {
    const summary = path.join(tmp.dir, 'reports', 'neobank', 'exec_summary.md');
    const edited = `${readFileSync(summary, 'utf8')}\n\nMy note for the board.\n`;
    writeFileSync(summary, edited);
    const r = await runDnr([...REPORT, '--out', 'reports/neobank', '--run-id', 'r1'], { cwd: tmp.dir });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain('--out reports/neobank: exec_summary.md was changed after dnr wrote it; dnr will not overwrite those edits.');
    expect(r.stderr).toContain('pass --force to overwrite them');
    expect(readFileSync(summary, 'utf8')).toBe(edited);
    // quickstart has no --force: its hint does not offer one
    const q = await runDnr(['quickstart', '--fast', '--no-llm', '--engine', 'rules'], { cwd: tmp.dir, timeoutMs: 600_000 });
    expect(q.exitCode).toBe(2);
    expect(q.stderr).toContain('exec_summary.md was changed after dnr wrote it');
    expect(q.stderr).not.toContain('--force');
    expect(readFileSync(summary, 'utf8')).toBe(edited);
    await dnr([...REPORT, '--out', 'reports/neobank', '--run-id', 'r1', '--force']);
    expect(readFileSync(summary, 'utf8')).not.toContain('My note for the board.');

    // the same bytes with new times (a copy made without preserving them) are not an edit
    const copy = path.join(tmp.dir, 'reports', 'copy');
    cpSync(path.join(tmp.dir, 'reports', 'neobank'), copy, { recursive: true });
    await dnr([...REPORT, '--out', 'reports/copy', '--run-id', 'r-copy']);
  });
});

describe('comms generated from another warehouse', () => {
  it('the comms manifest records its warehouse; validate names the mismatch in one row and a warning, run-report warns', async () => {
    await dnr(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '3', '--seed', '7', '--out', 'data/nb-other', '-q']);
    await dnr(['gen-comms', '--archetype', 'neobank', ...SMALL_COMMS, '--warehouse', 'data/nb-other', '--out', 'comms/other', '-q']);
    const wm = JSON.parse(readFileSync(path.join(tmp.dir, 'data', 'nb-other', 'manifest.json'), 'utf8')) as { truth: { defects: { sha256: string } } };
    const marker = JSON.parse(readFileSync(path.join(tmp.dir, 'data', 'nb-other', '.dnr-output.json'), 'utf8')) as { commit_id: string };
    const cm = JSON.parse(readFileSync(path.join(tmp.dir, 'comms', 'other', 'manifest.json'), 'utf8')) as { warehouse: unknown };
    expect(cm.warehouse).toEqual({ commit_id: marker.commit_id, defects_sha256: wm.truth.defects.sha256 });

    // the matching pair: no such row, no warning
    const ok = await dnr(['validate', '--warehouse', 'data/nb-other', '--comms', 'comms/other', '--only', 'event_correlation', '--out', 'qc-pair', '--json']);
    expect((JSON.parse(ok.stdout).rows as Array<{ gate: string }>).map((r) => r.gate)).not.toContain('event_correlation.same_warehouse');
    expect(JSON.parse(ok.stdout).warnings).toEqual([]);

    const bad = await dnr(['validate', '--warehouse', 'data/neobank', '--comms', 'comms/other', '--only', 'event_correlation', '--out', 'qc-mismatch', '--json']);
    const rows = JSON.parse(bad.stdout).rows as Array<{ gate: string; verdict: string; detail?: string }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ gate: 'event_correlation.same_warehouse', verdict: 'fail' });
    expect(rows[0].detail).toContain(`--comms comms/other was generated from another warehouse (commit ${marker.commit_id}`);
    expect(JSON.parse(bad.stdout).warnings).toEqual([expect.stringContaining('--comms comms/other was generated from another warehouse')]);

    const rep = await dnr([...REPORT.filter((a) => a !== 'comms/neobank' && a !== '--comms'), '--comms', 'comms/other', '--out', 'reports/mismatch', '--run-id', 'r-mismatch']);
    expect(rep.stderr).toContain('--comms comms/other was generated from another warehouse');
  });
});

describe('run.json in a copied project', () => {
  it('records comms_dir relative to the run folder, so eval-labels in a copy uses the copy’s labels', async () => {
    const run = JSON.parse(readFileSync(path.join(tmp.dir, 'runs', 'r1', 'run.json'), 'utf8')) as { inputs: { comms_dir: string } };
    expect(run.inputs.comms_dir).toBe(path.join('..', '..', 'comms', 'neobank'));
    const copy = path.join(tmp.dir, 'copied-project');
    for (const d of ['runs/r1', 'comms/neobank']) cpSync(path.join(tmp.dir, d), path.join(copy, d), { recursive: true });
    const original = path.join(tmp.dir, 'comms', 'neobank');
    const aside = path.join(tmp.dir, 'comms-neobank-aside');
    cpSync(original, aside, { recursive: true, preserveTimestamps: true });
    rmSync(original, { recursive: true });
    try {
      const r = await runDnr(['eval-labels', '--pred', 'runs/r1/preds', '--out', 'eval-copy'], { cwd: copy });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(existsSync(path.join(copy, 'eval-copy', 'metrics.json'))).toBe(true);
    } finally {
      cpSync(aside, original, { recursive: true, preserveTimestamps: true });
      rmSync(aside, { recursive: true });
    }
  });
});

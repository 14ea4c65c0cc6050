import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { MARKER_FILE, OutputFolder, readMarker, recoverLeftovers, writeSharedFile, type OutputSpec } from './index.js';

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'dnr-out-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const spec = (dir: string, extra: Partial<OutputSpec> = {}): OutputSpec => ({ kind: 'report', command: 'run-report', dir, flag: '--out', cwd: root, ...extra });
const write = (dir: string, files: Record<string, string>) => {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
};
const commit = (s: OutputSpec, files: Record<string, string>) => OutputFolder.open(s).commit(async (tmp) => write(tmp, files));
/** A pid that is certainly not running: a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;
const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('OutputFolder', () => {
  it('commits a new folder with a marker listing every file, and replaces it leaving no temp entries', async () => {
    const out = path.join(root, 'rep');
    await commit(spec(out), { 'a.json': '1', 'figures/x.png': 'png' });
    const m = readMarker(out)!;
    expect(m).toMatchObject({ kind: 'report', command: 'run-report', state: 'complete' });
    expect(Object.fromEntries(Object.entries(m.files).map(([k, v]) => [k, v?.bytes ?? null]))).toEqual({ 'a.json': 1, 'figures/': null, 'figures/x.png': 3 });
    expect(m.files['a.json']?.mtime_ms).toBe(statSync(path.join(out, 'a.json')).mtimeMs);
    await commit(spec(out), { 'b.json': '22' });
    expect(readdirSync(out).sort()).toEqual([MARKER_FILE, 'b.json']);
    expect(readdirSync(root)).toEqual(['rep']);
  });

  it('refuses a folder holding the user’s files, naming them, and leaves them untouched', async () => {
    const out = path.join(root, 'notes');
    write(out, { 'todo.txt': 'mine', 'sub/deep.md': 'mine too' });
    const msg = refusal(() => OutputFolder.open(spec(out)));
    expect(msg).toContain('--out');
    expect(msg).toContain('sub/');
    expect(msg).toContain('todo.txt');
    expect(readFileSync(path.join(out, 'todo.txt'), 'utf8')).toBe('mine');
  });

  it('refuses a dnr output the user added a file to; --force keeps that file in the new output', async () => {
    const out = path.join(root, 'rep');
    await commit(spec(out), { 'a.json': '1', 'figures/x.png': 'p' });
    write(out, { 'figures/my-notes.txt': 'keep me' });
    expect(refusal(() => OutputFolder.open(spec(out)))).toContain('figures/my-notes.txt');
    await commit(spec(out, { force: true }), { 'a.json': '2', 'figures/y.png': 'q' });
    expect(readFileSync(path.join(out, 'figures', 'my-notes.txt'), 'utf8')).toBe('keep me');
    expect(existsSync(path.join(out, 'figures', 'x.png'))).toBe(false);
    // Still foreign on the next run: carried files never become dnr's.
    expect(refusal(() => OutputFolder.open(spec(out)))).toContain('my-notes.txt');
  });

  it('refuses to overwrite a file dnr wrote that was edited since (not a copy with new times); --force overwrites it', async () => {
    const out = path.join(root, 'rep');
    await commit(spec(out), { 'exec_summary.md': '# Summary\n', 'figures/x.png': 'p' });
    const file = path.join(out, 'exec_summary.md');
    const t = statSync(file).mtime;
    utimesSync(file, new Date(t.getTime() + 5000), new Date(t.getTime() + 5000));
    expect(() => OutputFolder.open(spec(out))).not.toThrow();
    writeFileSync(file, '# Summary\nMy note.\n');
    expect(refusal(() => OutputFolder.open(spec(out)))).toBe(`--out ${out}: exec_summary.md was changed after dnr wrote it; dnr will not overwrite those edits.`);
    // same size, other bytes
    writeFileSync(file, '# Summery\n');
    expect(refusal(() => OutputFolder.open(spec(out)))).toContain('exec_summary.md was changed');
    await commit(spec(out, { force: true }), { 'exec_summary.md': '# New\n' });
    expect(readFileSync(file, 'utf8')).toBe('# New\n');
  });

  it('a name clash under --force is refused when the folder is opened, before any work', () => {
    const out = path.join(root, 'mine');
    write(out, { 'exec_summary.md': 'my own summary', 'notes.txt': 'x' });
    expect(refusal(() => OutputFolder.open(spec(out, { force: true })))).toMatch(/exec_summary\.md would be overwritten by dnr's new output; nothing was changed/);
    expect(readFileSync(path.join(out, 'exec_summary.md'), 'utf8')).toBe('my own summary');
  });

  it('records a nested dnr output (a report’s qc/) as kept, not carried', async () => {
    const out = path.join(root, 'rep');
    await commit(spec(out), { 'a.json': '1' });
    await commit(spec(path.join(out, 'qc'), { kind: 'qc' }), { 'validate.json': '{}' });
    await commit(spec(out), { 'a.json': '2' });
    expect(readMarker(out)).toMatchObject({ carried: [], kept: ['qc'] });
    expect(readFileSync(path.join(out, 'qc', 'validate.json'), 'utf8')).toBe('{}');
  });

  it('refuses an existing file, the working folder, its parents, the home folder and the root', () => {
    writeFileSync(path.join(root, 'notes.csv'), 'a,b');
    expect(refusal(() => OutputFolder.open(spec('notes.csv')))).toMatch(/notes\.csv is an existing file/);
    expect(readFileSync(path.join(root, 'notes.csv'), 'utf8')).toBe('a,b');
    expect(refusal(() => OutputFolder.open(spec('notes.csv/x')))).toMatch(/file, not a folder/);
    expect(refusal(() => OutputFolder.open(spec('.')))).toMatch(/is the working folder/);
    expect(refusal(() => OutputFolder.open(spec('..')))).toMatch(/contains the working folder/);
    expect(refusal(() => OutputFolder.open(spec(os.homedir())))).toMatch(/home folder|working folder/);
    expect(refusal(() => OutputFolder.open(spec('/')))).toMatch(/filesystem root/);
  });

  it('refuses outputs that are, contain or lie inside an input of the same command', () => {
    const wh = path.join(root, 'data', 'neobank');
    mkdirSync(wh, { recursive: true });
    const inputs = [{ flag: '--warehouse', dir: wh }];
    expect(refusal(() => OutputFolder.open(spec(wh, { inputs })))).toMatch(/is also the input --warehouse/);
    expect(refusal(() => OutputFolder.open(spec(path.join(root, 'data'), { inputs })))).toMatch(/contains the input --warehouse/);
    expect(refusal(() => OutputFolder.open(spec(path.join(wh, 'qc'), { inputs })))).toMatch(/lies inside the input --warehouse/);
  });

  it('follows a symbolic link to judge the real folder (a link into the user’s files is refused)', () => {
    const mine = path.join(root, 'docs');
    write(mine, { 'cv.pdf': 'x' });
    symlinkSync(mine, path.join(root, 'link'));
    expect(refusal(() => OutputFolder.open(spec('link')))).toContain('cv.pdf');
    symlinkSync(path.join(root, 'nowhere'), path.join(root, 'dangling'));
    expect(refusal(() => OutputFolder.open(spec('dangling')))).toBe(`--out dangling is a symbolic link to ${path.join(root, 'nowhere')}, which does not exist.`);
    // a chain of links, and a dangling link part-way along the path: the flag, the link and the real missing target
    symlinkSync('dangling', path.join(root, 'chain'));
    expect(refusal(() => OutputFolder.open(spec('chain/sub')))).toBe(`--out chain/sub: ${path.join(root, 'chain')} is a symbolic link to ${path.join(root, 'nowhere')}, which does not exist.`);
  });

  it('never replaces a shared folder (meta/{arch}, reports/) or a folder holding one, even with force; force hints only where there is a --force', async () => {
    const meta = path.join(root, 'meta', 'neobank');
    writeSharedFile({ dir: meta, name: 'defects.json', flag: '--meta', command: 'gen-warehouse', cwd: root }, '{"archetype":"neobank","defects":[]}');
    for (const force of [false, true]) {
      expect(refusal(() => OutputFolder.open(spec(meta, { kind: 'qc', force })))).toMatch(/meta\/neobank is a folder dnr shares with you and other commands.*never replaces it/);
      expect(refusal(() => OutputFolder.open(spec(path.join(root, 'meta'), { kind: 'qc', force })))).toMatch(/holds neobank\/, a folder dnr shares/);
    }
    // an unmarked mirror an older dnr wrote is shared too
    const old = path.join(root, 'meta-old');
    write(old, { 'defects.json': '{"archetype":"neobank","defects":[]}' });
    expect(refusal(() => OutputFolder.open(spec(old, { kind: 'comms', force: true })))).toMatch(/shares with you/);
    // a subfolder of its own inside the mirror is not the mirror
    await commit(spec(path.join(meta, 'qc'), { kind: 'qc' }), { 'validate.json': '{}' });
    expect(readFileSync(path.join(meta, 'defects.json'), 'utf8')).toContain('neobank');

    const mine = path.join(root, 'mine');
    write(mine, { 'notes.txt': 'x' });
    const hint = (force: boolean | undefined) => {
      try {
        OutputFolder.open(spec(mine, { force: force as boolean }));
      } catch (error: unknown) {
        return (error as InputError).suggestion ?? '';
      }
      return '';
    };
    expect(hint(false)).toContain('--force');
    expect(hint(undefined)).not.toContain('--force');
  });

  it.runIf(process.platform === 'linux')('refuses kernel pseudo-filesystems at once', () => {
    expect(refusal(() => OutputFolder.open(spec('/proc/x')))).toMatch(/pseudo-filesystem/);
    expect(refusal(() => OutputFolder.open(spec('/sys/kernel/x')))).toMatch(/pseudo-filesystem/);
  });

  it('carries nested dnr outputs (qc inside a report) but treats an unmarked qc folder as foreign', async () => {
    const rep = path.join(root, 'rep');
    await commit(spec(rep), { 'a.json': '1' });
    await commit(spec(path.join(rep, 'qc'), { kind: 'qc', command: 'validate' }), { 'validate.json': '{}' });
    await commit(spec(rep), { 'a.json': '2' });
    expect(readFileSync(path.join(rep, 'qc', 'validate.json'), 'utf8')).toBe('{}');
    rmSync(path.join(rep, 'qc', MARKER_FILE));
    expect(refusal(() => OutputFolder.open(spec(rep)))).toContain('qc/');
  });

  it('refuses to replace another kind of dnr output unless forced', async () => {
    const out = path.join(root, 'x');
    await commit(spec(out, { kind: 'warehouse', command: 'gen-warehouse' }), { 'manifest.json': '{}' });
    expect(refusal(() => OutputFolder.open(spec(out)))).toMatch(/holds a dnr warehouse output written by `dnr gen-warehouse`, not a report/);
    await commit(spec(out, { force: true }), { 'a.json': '1' });
    expect(readMarker(out)?.kind).toBe('report');
  });

  it('a failed build leaves the previous output and no staging folder', async () => {
    const out = path.join(root, 'rep');
    await commit(spec(out), { 'a.json': 'old' });
    await expect(
      OutputFolder.open(spec(out)).commit(async (tmp) => {
        write(tmp, { 'a.json': 'half' });
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(readFileSync(path.join(out, 'a.json'), 'utf8')).toBe('old');
    expect(readdirSync(root)).toEqual(['rep']);
  });

  it('a failure after the swap (afterSwap) restores the previous output with its nested qc', async () => {
    const out = path.join(root, 'rep');
    await commit(spec(out), { 'a.json': 'old' });
    await commit(spec(path.join(out, 'qc'), { kind: 'qc', command: 'validate' }), { 'validate.json': 'v' });
    await expect(
      OutputFolder.open(spec(out)).commit(async (tmp) => write(tmp, { 'a.json': 'new' }), {
        afterSwap: async (final) => {
          expect(readFileSync(path.join(final, 'a.json'), 'utf8')).toBe('new');
          throw new Error('views failed');
        },
      }),
    ).rejects.toThrow('views failed');
    expect(readFileSync(path.join(out, 'a.json'), 'utf8')).toBe('old');
    expect(readFileSync(path.join(out, 'qc', 'validate.json'), 'utf8')).toBe('v');
    expect(readdirSync(root)).toEqual(['rep']);
  });

  it('legacy outputs (before markers) are recognised by their signature; user files in them are not', async () => {
    const out = path.join(root, 'rep');
    write(out, { 'exec_summary.json': '{"run_id":"r","actions":[]}', 'themes.md': '#', 'figures/a.png': 'p' });
    await commit(spec(out), { 'exec_summary.json': '{}' });
    expect(readdirSync(out).sort()).toEqual([MARKER_FILE, 'exec_summary.json']);
    const legacy = path.join(root, 'rep2');
    write(legacy, { 'exec_summary.json': '{"run_id":"r","actions":[]}', 'mine.docx': 'x' });
    expect(refusal(() => OutputFolder.open(spec(legacy)))).toContain('mine.docx');
  });
});

describe('recoverLeftovers', () => {
  it('rolls back a swap cut short, removes dead staging folders and temp files, and leaves live ones', async () => {
    const out = path.join(root, 'rep');
    const pid = deadPid();
    // Killed between moving the old output aside and moving the new one in: only the old one exists.
    write(path.join(root, `.rep.dnr-old-${pid}-abcd1234`), { 'a.json': 'previous' });
    write(path.join(root, `.rep.dnr-staging-${pid}-abcd1234`), { 'a.json': 'new' });
    write(root, { [`.x.json.tmp-${pid}-00ff00ff`]: 'half', [`.y.json.tmp-${process.pid}-00ff00ff`]: 'mine, in progress' });
    const handled = recoverLeftovers(root);
    expect(handled.sort()).toEqual([`.rep.dnr-old-${pid}-abcd1234`, `.rep.dnr-staging-${pid}-abcd1234`, `.x.json.tmp-${pid}-00ff00ff`].sort());
    expect(readFileSync(path.join(out, 'a.json'), 'utf8')).toBe('previous');
    expect(readdirSync(root).sort()).toEqual([`.y.json.tmp-${process.pid}-00ff00ff`, 'rep']);
  });

  it('gives carried entries back from a dead staging folder', async () => {
    const out = path.join(root, 'rep');
    await commit(spec(out), { 'a.json': '1' });
    await commit(spec(path.join(out, 'qc'), { kind: 'qc', command: 'validate' }), { 'validate.json': 'v' });
    const pid = deadPid();
    const staging = path.join(root, `.rep.dnr-staging-${pid}-abcd1234`);
    mkdirSync(staging);
    writeFileSync(path.join(staging, MARKER_FILE), JSON.stringify({ dnr_output: 1, kind: 'report', command: 'run-report', commit_id: 'c', state: 'staging', pid, files: {}, carried: ['qc'] }));
    // killed after the qc folder was moved into the staging folder
    rmSync(path.join(out, 'qc'), { recursive: true });
    write(staging, { 'qc/validate.json': 'v2' });
    recoverLeftovers(root);
    expect(readFileSync(path.join(out, 'qc', 'validate.json'), 'utf8')).toBe('v2');
    expect(readdirSync(root)).toEqual(['rep']);
  });
});

describe('writeSharedFile', () => {
  it('writes into a shared folder but never over a file dnr did not write', () => {
    const meta = path.join(root, 'meta', 'neobank');
    writeSharedFile({ dir: meta, name: 'defects.json', flag: '--meta', command: 'gen-warehouse', cwd: root }, '{"a":1}');
    writeSharedFile({ dir: meta, name: 'defects.json', flag: '--meta', command: 'gen-warehouse', cwd: root }, '{"a":2}');
    expect(readFileSync(path.join(meta, 'defects.json'), 'utf8')).toBe('{"a":2}');
    write(meta, { 'labels_slack.parquet': 'my own file' });
    expect(refusal(() => writeSharedFile({ dir: meta, name: 'labels_slack.parquet', flag: '--meta', command: 'gen-comms', cwd: root }, 'x'))).toMatch(
      /labels_slack\.parquet exists and was not written by dnr/,
    );
    expect(readFileSync(path.join(meta, 'labels_slack.parquet'), 'utf8')).toBe('my own file');
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DNR_BIN = path.join(REPO_ROOT, 'packages', 'cli', 'bin', 'run.js');

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Keep the parent environment's DNR_* and OPENAI_* variables (default: stripped for isolation). */
  inheritDnrEnv?: boolean;
  timeoutMs?: number;
}

/** Run the real `dnr` binary as a child process and capture everything. */
export function runDnr(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const base: Record<string, string | undefined> = { ...process.env };
  if (!options.inheritDnrEnv) {
    for (const k of Object.keys(base)) if (k.startsWith('DNR_') || k.startsWith('OPENAI_')) delete base[k];
  }
  const env = { ...base, NO_COLOR: '1', TZ: 'UTC', ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DNR_BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode: code ?? -1 });
    });
  });
}

/** A temp folder removed by the returned cleanup. */
export function tempDir(prefix = 'dnr-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One row of `dnr validate --json` output (`rows[]`). */
export interface ValidateRow {
  gate: string;
  measured: number | string | boolean | null;
  bound: string;
  verdict: 'pass' | 'fail' | 'skip';
  detail?: string;
}

import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DNR_BIN, REPO_ROOT } from './cli.js';

export interface PtyResult {
  /** Everything the command wrote to the terminal (stderr; stdout goes to /dev/null). */
  raw: string;
  exitCode: number;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Run dnr under a pseudo-terminal with util-linux `script` (Debian's essential bsdutils), so stderr is a TTY
 * 150 columns wide; stdout goes to /dev/null. Returns what the terminal received, escape codes included.
 */
export function runDnrInPty(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; typescript: string }): Promise<PtyResult> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('DNR_') || k.startsWith('OPENAI_')) delete env[k];
  Object.assign(env, { TZ: 'UTC' }, options.env);
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const command = `stty cols 150; ${shellQuote(process.execPath)} ${[DNR_BIN, ...args].map(shellQuote).join(' ')} > /dev/null`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, options.typescript], { cwd: options.cwd ?? REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      let raw = '';
      try {
        raw = readFileSync(options.typescript, 'utf8');
      } catch {
        reject(new Error(`script wrote no typescript file: ${stderr}`));
        return;
      }
      rmSync(options.typescript, { force: true });
      // util-linux frames the file with "Script started …" / "Script done …" lines.
      resolve({ raw: raw.replace(/^Script started on .*\n/, '').replace(/\r?\n?Script done on .*\n?$/, ''), exitCode: code ?? -1 });
    });
  });
}

/** ANSI escape sequences (built from a string: the lint rule forbids control characters in regex literals). */
const ESC = '\u001b';
export const COLUMN_1 = new RegExp(`${ESC}\\[1G|\r`);
export const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, 'g');
export const COLOUR = new RegExp(`${ESC}\\[3\\dm`);

/** The successive states of the terminal's live line: each redraw starts at column 1 (or after \r). */
export function liveFrames(raw: string): string[] {
  return raw
    .split(COLUMN_1)
    .map((s) => s.replace(ANSI, '').trim())
    .filter((s) => s.length > 0);
}

/** The ✔ lines of finished steps: label, counts/note text and seconds. */
export function finishedSteps(frames: readonly string[]): Array<{ line: string; seconds: number }> {
  return frames
    .flatMap((f) => f.split('\n'))
    .filter((l) => l.startsWith('✔ '))
    .map((line) => {
      const m = /\((?:(\d+)m)?(\d+(?:\.\d)?)s\)$/.exec(line);
      return { line, seconds: m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : NaN };
    });
}

export const typescriptPath = (dir: string, name: string) => path.join(dir, `${name}.typescript`);

import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';

function tempSibling(target: string, tag: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Write a file via a temp sibling + rename, so readers never see a half-written file. */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempSibling(target, 'tmp');
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  } catch (error: unknown) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

export function writeJsonAtomic(target: string, value: unknown): void {
  writeFileAtomic(target, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Fail early (exit 2) when an output folder cannot be created or written,
 * naming the flag that chose it.
 */
export function ensureWritableDir(dir: string, flag: string): void {
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error('exists and is not a folder');
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`${flag} ${dir} is not a writable folder (${reason}).`, { suggestion: `Choose another ${flag} or fix its permissions.`, cause: error });
  }
}

export interface AtomicDirOptions {
  /**
   * Entries of the existing folder that belong to another command (e.g. `qc/` written by validate inside
   * a report folder): carried into the new folder when the build did not write them, so nothing is lost.
   */
  keep?: readonly string[];
}

/**
 * Build a whole output folder in a temp sibling and swap it into place at the end:
 * a failed or interrupted run leaves the previous folder intact and no half-written final names.
 */
export async function withAtomicDir<T>(target: string, flag: string, build: (tmpDir: string) => Promise<T>, options: AtomicDirOptions = {}): Promise<T> {
  const parent = path.dirname(path.resolve(target));
  ensureWritableDir(parent, flag);
  const tmp = tempSibling(path.resolve(target), 'building');
  mkdirSync(tmp, { recursive: true });
  const carried: string[] = [];
  try {
    const result = await build(tmp);
    for (const name of options.keep ?? []) {
      if (existsSync(path.join(target, name)) && !existsSync(path.join(tmp, name))) {
        renameSync(path.join(target, name), path.join(tmp, name));
        carried.push(name);
      }
    }
    const old = existsSync(target) ? tempSibling(path.resolve(target), 'old') : undefined;
    if (old) renameSync(target, old);
    try {
      renameSync(tmp, target);
    } catch (error: unknown) {
      if (old) renameSync(old, target);
      throw error;
    }
    if (old) rmSync(old, { recursive: true, force: true });
    return result;
  } catch (error: unknown) {
    // Give carried entries back before the temp folder goes.
    for (const name of carried) if (existsSync(path.join(tmp, name))) renameSync(path.join(tmp, name), path.join(target, name));
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

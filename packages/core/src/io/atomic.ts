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

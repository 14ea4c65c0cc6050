import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pidAlive } from './names.js';

/**
 * A private scratch folder in the OS temp folder, `dnr-{purpose}-{pid}-XXXXXX` (DuckDB spill files,
 * scratch tables). Before creating it, the folders of the same purpose left by dnr processes that died
 * are removed; the caller removes its own when done.
 */
export function makeScratchDir(purpose: string): string {
  const root = os.tmpdir();
  const prefix = `dnr-${purpose}-`;
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    // an unreadable temp folder only means nothing to clean up
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)-/.exec(name.slice(prefix.length));
    if (m && !pidAlive(Number(m[1]))) rmSync(path.join(root, name), { recursive: true, force: true });
  }
  return mkdtempSync(path.join(root, `${prefix}${process.pid}-`));
}

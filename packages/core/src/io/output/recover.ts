import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { readMarker } from './marker.js';
import { parseLeftover, pidAlive, type Leftover } from './names.js';

/** Move `entries` (relative paths) from one folder to another where the destination lacks them. */
export function moveEntries(entries: readonly string[], from: string, to: string): void {
  for (const rel of entries) {
    const src = path.join(from, rel);
    const dst = path.join(to, rel);
    if (!existsSync(src) || existsSync(dst)) continue;
    mkdirSync(path.dirname(dst), { recursive: true });
    renameSync(src, dst);
  }
}

/** The previous output, moved aside by a swap that never finished: put it back (with what was carried out of it). */
function recoverOld(parent: string, left: Leftover): void {
  const oldDir = path.join(parent, left.name);
  const target = path.join(parent, left.of);
  if (!existsSync(target)) {
    renameSync(oldDir, target);
    return;
  }
  const current = readMarker(target);
  if (current?.state === 'staging' && current.pid === left.pid) {
    // The new output was swapped in but never finished (killed before its commit): roll back.
    moveEntries([...current.carried, ...current.kept], target, oldDir);
    rmSync(target, { recursive: true, force: true });
    renameSync(oldDir, target);
    return;
  }
  rmSync(oldDir, { recursive: true, force: true });
}

/** A folder that was being built: give back what was carried into it, then remove it. */
function recoverStaging(parent: string, left: Leftover): void {
  const staging = path.join(parent, left.name);
  const target = path.join(parent, left.of);
  const marker = readMarker(staging);
  // Older dnr versions carried a report's qc/ into the folder being built without recording it.
  const carried = marker ? [...marker.carried, ...marker.kept] : left.tag === 'building' ? ['qc'] : [];
  if (carried.some((rel) => existsSync(path.join(staging, rel)))) {
    mkdirSync(target, { recursive: true });
    moveEntries(carried, staging, target);
  }
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Clean up after dnr processes that died (their pid is gone) in `parent`: a swap cut short is rolled
 * back to the previous output, staging folders and temp files are removed. Only entries named by dnr's
 * own temp-name pattern and belonging to a dead process are touched; `only` limits it to one output name.
 * Returns the names handled.
 */
export function recoverLeftovers(parent: string, only?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const dead = names
    .map(parseLeftover)
    .filter((l): l is Leftover => l !== undefined && (only === undefined || l.of === only) && !pidAlive(l.pid));
  // Old outputs first: restoring a target decides where carried entries of a staging folder go back to.
  const order = (l: Leftover) => (l.tag === 'dnr-old' || l.tag === 'old' ? 0 : 1);
  dead.sort((a, b) => order(a) - order(b));
  for (const left of dead) {
    if (left.tag === 'dnr-old' || left.tag === 'old') recoverOld(parent, left);
    else if (left.tag === 'dnr-staging' || left.tag === 'building') recoverStaging(parent, left);
    else rmSync(path.join(parent, left.name), { recursive: true, force: true });
  }
  return dead.map((l) => l.name);
}

/**
 * Before reading a folder dnr wrote: finish the clean-up of a writer that died mid-swap (the previous
 * output comes back under its name), and refuse a folder whose commit never completed (exit 2).
 */
export function recoverInput(dir: string, flag: string): void {
  const abs = path.resolve(dir);
  recoverLeftovers(path.dirname(abs), path.basename(abs));
  const marker = readMarker(abs);
  if (marker?.state === 'staging' && !pidAlive(marker.pid)) {
    throw new InputError(`${flag} ${dir} was being written by a dnr ${marker.command} that was interrupted, and has no previous version to return to.`, {
      suggestion: `Run dnr ${marker.command} again for that folder.`,
    });
  }
}

import { randomBytes } from 'node:crypto';
import path from 'node:path';

/**
 * Names of dnr's own temporary entries, always next to (or inside) the output they belong to:
 * `.{name}.dnr-staging-{pid}-{hex}` (a folder being built), `.{name}.dnr-old-{pid}-{hex}` (the previous
 * output during the swap), `.{name}.tmp-{pid}-{hex}` (a file being written). Older dnr versions used
 * `building`, `old` and `staged` tags; they are recognised so their leftovers get cleaned up too.
 */
export type LeftoverTag = 'dnr-staging' | 'dnr-old' | 'tmp' | 'building' | 'old' | 'staged';

const LEFTOVER = /^\.(.+)\.(dnr-staging|dnr-old|tmp|building|old|staged)-(\d+)(?:-[0-9a-f]+)?$/;

export interface Leftover {
  /** The entry's own name. */
  name: string;
  /** The name of the output or file it belongs to. */
  of: string;
  tag: LeftoverTag;
  pid: number;
}

export function parseLeftover(name: string): Leftover | undefined {
  const m = LEFTOVER.exec(name);
  return m ? { name, of: m[1], tag: m[2] as LeftoverTag, pid: Number(m[3]) } : undefined;
}

/** A fresh temp name next to `target` for this process. */
export function siblingName(target: string, tag: 'dnr-staging' | 'dnr-old' | 'tmp'): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Whether a process id is running (ours always is; EPERM means it runs under another user). */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** OS clutter that file browsers drop into any folder; never dnr's, never worth refusing over, never deleted. */
export function isOsJunk(name: string): boolean {
  return name === '.DS_Store' || name === 'Thumbs.db' || name === 'desktop.ini' || name.startsWith('._');
}

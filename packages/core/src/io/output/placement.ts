import { existsSync, lstatSync, readlinkSync, realpathSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../errors.js';

/** A folder a command reads, for the "output inside an input (or the reverse)" rule. */
export interface NamedPath {
  /** The flag or argument that chose it, e.g. "--warehouse". */
  flag: string;
  dir: string | undefined;
}

/**
 * Absolute path with every existing part resolved through symbolic links, so that two spellings of
 * one folder compare equal. A path through a dangling symbolic link is refused (InputError naming
 * `say`, e.g. "--out out", and the missing target the link points at).
 */
export function realPathOf(p: string, cwd = process.cwd(), say = p): string {
  let abs = path.resolve(cwd, p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(abs), ...rest);
    } catch (error: unknown) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && existsLink(abs)) {
        const which = abs === path.resolve(cwd, p) ? say : `${say}: ${abs}`;
        throw new InputError(`${which} is a symbolic link to ${missingTarget(abs)}, which does not exist.`, {
          suggestion: `Create that folder, remove the link, or choose another path.`,
        });
      }
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = path.dirname(abs);
      if (parent === abs) return path.join(abs, ...rest);
      rest.unshift(path.basename(abs));
      abs = parent;
    }
  }
}

/** Where a dangling link points in the end (following a chain of links), as an absolute path. */
function missingTarget(link: string): string {
  let p = link;
  for (let hops = 0; hops < 40 && existsLink(p); hops++) p = path.resolve(path.dirname(p), readlinkSync(p));
  return p;
}

function existsLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Whether `inner` is `outer` or lies inside it. */
export function isWithin(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

// statfs magic numbers of kernel pseudo-filesystems (linux/magic.h): nothing written there is a file.
const VIRTUAL_FS: Record<number, string> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x1cd1: 'devpts',
  0x64626720: 'debugfs',
  0x73636673: 'securityfs',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x74726163: 'tracefs',
  0x6165676c: 'pstore',
  0xcafe4a11: 'bpf',
  0x62656570: 'configfs',
  0x65735543: 'fusectl',
};
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/** The nearest existing folder at or above `abs`. */
export function nearestExisting(abs: string): string {
  let p = abs;
  while (!existsSync(p)) {
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  return p;
}

/** Refuse a path on a kernel pseudo-filesystem (/proc, /sys, /dev…), where writes hang or fail oddly. */
export function checkRealFilesystem(abs: string, say: string): void {
  const vfs = virtualFsOf(abs);
  if (vfs) throw new InputError(`${say} is on the kernel's ${vfs} pseudo-filesystem, which holds no files.`, { suggestion: 'Choose a folder on a real disk.' });
}

function virtualFsOf(abs: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const root = VIRTUAL_ROOTS.find((r) => isWithin(abs, r));
  if (root) return root.slice(1);
  try {
    return VIRTUAL_FS[statfsSync(nearestExisting(abs)).type];
  } catch {
    return undefined;
  }
}

export interface PlacementOptions {
  /** What the output is called in messages, e.g. "--out". */
  flag: string;
  /** Folders the same command reads. */
  inputs?: readonly NamedPath[];
  /** Other outputs of the same command (they must not nest either). */
  others?: readonly NamedPath[];
  cwd?: string;
}

/**
 * Refuse output locations that can only end badly (never delete a user's files): the filesystem
 * root, the working folder or any folder containing it, the home folder or any folder containing it,
 * kernel pseudo-filesystems, and any folder that is, contains or lies inside an input of the same
 * command. Returns the resolved absolute path.
 */
export function checkPlacement(dir: string, options: PlacementOptions): string {
  const cwd = realPathOf(options.cwd ?? process.cwd());
  const say = `${options.flag} ${dir}`;
  const abs = realPathOf(dir, cwd, say);
  const refuse = (why: string, suggestion = `Choose a dedicated folder for ${options.flag}, e.g. a new subfolder.`) => {
    throw new InputError(`${say} ${why}; dnr replaces its output folder as a whole and will not put it there.`, { suggestion });
  };
  if (abs === path.parse(abs).root) refuse('is the filesystem root');
  if (isWithin(cwd, abs)) refuse(abs === cwd ? 'is the working folder' : `contains the working folder ${cwd}`);
  const home = realPathOf(os.homedir());
  if (isWithin(home, abs)) refuse(abs === home ? 'is your home folder' : `contains your home folder ${home}`);
  checkRealFilesystem(abs, say);
  for (const other of [...(options.inputs ?? []).map((i) => ({ ...i, role: 'input' })), ...(options.others ?? []).map((o) => ({ ...o, role: 'output' }))]) {
    if (!other.dir) continue;
    const o = realPathOf(other.dir, cwd, `${other.flag} ${other.dir}`);
    if (isWithin(o, abs)) refuse(o === abs ? `is also the ${other.role} ${other.flag} ${other.dir}` : `contains the ${other.role} ${other.flag} ${other.dir}`);
    if (isWithin(abs, o)) refuse(`lies inside the ${other.role} ${other.flag} ${other.dir}`);
  }
  return abs;
}

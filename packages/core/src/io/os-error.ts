import { InputError, errorMessage } from '../errors.js';

/**
 * Operating-system failures that are about the user's machine or paths (a full disk, a read-only or
 * virtual filesystem, permissions, a file where a folder is expected), not bugs in dnr: they exit 2.
 * Keys are Node's errno codes; the values say what happened in plain words.
 */
const OS_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the filesystem',
  EROFS: 'read-only filesystem',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  ENAMETOOLONG: 'path too long',
  ELOOP: 'too many levels of symbolic links',
  EBUSY: 'busy (in use, or a mount point)',
  EXDEV: 'crosses filesystems',
  EIO: 'input/output error from the device',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
};

/**
 * DuckDB reports OS failures inside its own message text ("IO Error: … No space left on device");
 * these patterns recover the errno-equivalent code.
 */
const DUCKDB_PATTERNS: Array<[RegExp, string]> = [
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/Read-only file system/i, 'EROFS'],
  [/Permission denied/i, 'EACCES'],
  [/Operation not permitted/i, 'EPERM'],
  [/Not a directory/i, 'ENOTDIR'],
  [/File name too long/i, 'ENAMETOOLONG'],
];

export interface OsFailure {
  code: string;
  reason: string;
  /** The path the OS named, when it did. */
  path?: string;
}

/** The OS failure behind an error (Node errno error, or a DuckDB IO error), or undefined for anything else. */
export function osFailureOf(error: unknown): OsFailure | undefined {
  const e = error as NodeJS.ErrnoException | undefined;
  if (e && typeof e === 'object' && typeof e.code === 'string' && OS_REASONS[e.code]) {
    return { code: e.code, reason: OS_REASONS[e.code], path: typeof e.path === 'string' ? e.path : undefined };
  }
  const msg = errorMessage(error);
  for (const [re, code] of DUCKDB_PATTERNS) if (re.test(msg)) return { code, reason: OS_REASONS[code] };
  return undefined;
}

/**
 * An InputError (exit 2) naming the output and the OS reason when `error` is an OS failure;
 * otherwise `error` unchanged. `what` names the output, e.g. "--out data/neobank".
 */
export function asOsInputError(error: unknown, what: string): unknown {
  const os = osFailureOf(error);
  if (!os) return error;
  const where = os.path ? ` (${os.path})` : '';
  return new InputError(`cannot write ${what}: ${os.reason} [${os.code}]${where}.`, {
    suggestion: suggestionFor(os.code),
    cause: error,
  });
}

function suggestionFor(code: string): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return 'Free some space or choose an output on another disk; the previous outputs were left as they were.';
    case 'EROFS':
      return 'Choose an output on a writable filesystem.';
    case 'EACCES':
    case 'EPERM':
      return 'Fix the permissions of that folder or choose another output.';
    default:
      return 'Choose another output path.';
  }
}

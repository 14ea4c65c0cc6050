import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../atomic.js';
import { asOsInputError } from '../os-error.js';
import { MARKER_FILE, newCommitId, readMarker, stampOf, writeMarker, type OutputMarker } from './marker.js';
import { checkRealFilesystem, realPathOf } from './placement.js';
import { recoverLeftovers } from './recover.js';
import { writtenByOlderDnr } from './shared-legacy.js';

/**
 * Single files dnr keeps in folders it shares with the user and with other commands — the ground-truth
 * mirror `meta/{archetype}/` and `reports/index.md`. Such a folder is never replaced; its marker (kind
 * `shared`) lists the files dnr put there, and only those are ever overwritten.
 */
export interface SharedFileSpec {
  /** The folder, e.g. meta/neobank. */
  dir: string;
  /** File name inside it. */
  name: string;
  /** Flag or setting that chose the folder, for messages. */
  flag: string;
  command: string;
  cwd?: string;
}

function sharedMarker(dir: string, command: string): OutputMarker {
  const m = readMarker(dir);
  if (m) return m;
  return { dnr_output: 1, kind: 'shared', command, commit_id: newCommitId(), state: 'complete', pid: process.pid, files: {}, carried: [], kept: [] };
}

/**
 * Fail early (exit 2) when `spec.name` cannot be written into `spec.dir`: the folder is misplaced, or the
 * file there is not one dnr wrote. Returns the absolute path of the file.
 */
export function checkSharedFile(spec: SharedFileSpec): string {
  const say = `${spec.flag} ${spec.dir}`;
  const dir = realPathOf(spec.dir, spec.cwd, say);
  checkRealFilesystem(dir, say);
  const file = path.join(dir, spec.name);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`${say} is an existing file, not a folder.`, { suggestion: `Choose a folder for ${spec.flag}.` });
  if (existsSync(dir) && !readMarker(dir) && existsSync(path.join(dir, MARKER_FILE))) {
    throw new InputError(`${say}: ${MARKER_FILE} there is not dnr's.`, { suggestion: 'Choose another folder.' });
  }
  if (existsSync(file) && !(spec.name in (readMarker(dir)?.files ?? {})) && !writtenByOlderDnr(file)) {
    throw new InputError(`${say}: ${spec.name} exists and was not written by dnr; dnr will not overwrite it.`, {
      suggestion: `Move ${file} away or choose another ${spec.flag}.`,
    });
  }
  return file;
}

/** Write (atomically) one dnr file into a shared folder, after the same checks as `checkSharedFile`. */
export function writeSharedFile(spec: SharedFileSpec, data: string | Uint8Array): string {
  const file = checkSharedFile(spec);
  const dir = path.dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
    recoverLeftovers(dir);
    writeFileAtomic(file, data);
    const marker = sharedMarker(dir, spec.command);
    marker.files[spec.name] = stampOf(file);
    writeMarker(dir, marker);
  } catch (error: unknown) {
    throw asOsInputError(error, `${spec.flag} ${spec.dir}`);
  }
  return file;
}

import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { legacyKindOf, legacyOwnership } from './legacy.js';
import { holdsLegacyMirror } from './shared-legacy.js';
import { editedSince, MARKER_FILE, readMarker, type OutputKind, type OutputMarker } from './marker.js';
import { isOsJunk, parseLeftover, pidAlive } from './names.js';

/** Kinds of dnr output that may live inside another kind's folder (validate writes `qc/` into a report folder). */
const NESTABLE: Partial<Record<OutputKind, readonly OutputKind[]>> = { report: ['qc', 'eval', 'profile'] };

export interface InspectSpec {
  kind: OutputKind;
  command: string;
  flag: string;
  /** As the user gave it, for messages. */
  dir: string;
  /**
   * The command's --force: true lifts the "other kind" and "foreign files" refusals. Undefined means the
   * command has no --force flag (quickstart), so refusals never suggest it.
   */
  force?: boolean;
  /** Top-level names of dnr state that outlives a replacement (moved into the new output, never foreign). */
  persistent?: RegExp;
}

export interface ExistingOutput {
  exists: boolean;
  marker?: OutputMarker;
  /** Entries (relative paths) to move into the new output: nested dnr outputs, OS clutter, and foreign entries under --force. */
  carry: string[];
  /** Persistent dnr state (top-level names) to move into the new output as dnr's own. */
  keep: string[];
  /** The carried entries that are nested dnr outputs (a report's `qc/`): recorded as kept, not carried. */
  nested?: string[];
  /** Entries dnr did not write (relative; a foreign folder is listed once, not file by file). */
  foreign: string[];
}

const MAX_LISTED = 5;

/** Up to five entries, then how many more. */
const listed = (entries: readonly string[]) => entries.slice(0, MAX_LISTED).join(', ') + (entries.length > MAX_LISTED ? ` and ${entries.length - MAX_LISTED} more` : '');

/** Who owns each relative path of an existing folder: its marker, an older dnr's signature, or nobody. */
function ownershipOf(abs: string, marker: OutputMarker | undefined, spec: InspectSpec): { owned: (rel: string, isDir: boolean) => boolean; kind?: OutputKind } {
  if (marker) {
    return {
      kind: marker.kind,
      owned: (rel, isDir) => {
        const key = isDir ? `${rel}/` : rel;
        if (key in marker.files) return true;
        // DuckDB's write-ahead log of a database dnr wrote (appears when someone opens it).
        return !isDir && rel.endsWith('.wal') && rel.slice(0, -4) in marker.files;
      },
    };
  }
  const kind = legacyOwnershipKind(abs, spec.kind);
  const legacy = kind ? legacyOwnership(abs, kind) : undefined;
  return { kind, owned: legacy ? (rel, isDir) => legacy(isDir ? `${rel}/` : rel) : () => false };
}

function legacyOwnershipKind(abs: string, wanted: OutputKind): OutputKind | undefined {
  return legacyOwnership(abs, wanted) ? wanted : legacyKindOf(abs);
}

/**
 * A folder dnr shares with the user and other commands (`meta/{arch}/`, `reports/`): marked `shared`, or
 * from before markers holding ground truth an older dnr mirrored there. Never replaced, --force or not.
 */
function refuseShared(abs: string, marker: OutputMarker | undefined, say: string, flag: string): void {
  const shared = marker ? marker.kind === 'shared' : holdsLegacyMirror(abs);
  if (!shared) return;
  throw new InputError(`${say} is a folder dnr shares with you and other commands (ground truth mirrors, report indexes); dnr never replaces it, with or without --force.`, {
    suggestion: `Choose a new or empty folder for ${flag}.`,
  });
}

/**
 * The refusals --force lifts: another kind of dnr output, files dnr did not write, dnr files edited since.
 * Hints offer --force only when the command has it (`spec.force` defined).
 */
function refuseUnlessForced(spec: InspectSpec, say: string, found: { marker?: OutputMarker; kind?: OutputKind; foreign: string[]; edited: string[] }): void {
  if (spec.force) return;
  const { marker, kind, foreign, edited } = found;
  const canForce = spec.force !== undefined;
  const ownedAnything = marker !== undefined || kind !== undefined;
  if (ownedAnything && kind !== spec.kind) {
    throw new InputError(`${say} holds a dnr ${kind} output${marker ? ` written by \`dnr ${marker.command}\`` : ''}, not a ${spec.kind}; dnr will not replace one kind of output with another.`, {
      suggestion: `Choose another ${spec.flag}${canForce ? `, or pass --force to replace that ${kind} output (files dnr did not write are kept)` : ''}.`,
    });
  }
  if (foreign.length) {
    throw new InputError(`${say} holds ${ownedAnything ? 'files dnr did not write' : 'files that are not a dnr output'}: ${listed(foreign)}; dnr will not replace that folder.`, {
      suggestion: canForce
        ? `Choose a new or empty folder for ${spec.flag}, move those files away, or pass --force to write anyway: --force replaces only dnr's own files and moves the others into the new output untouched.`
        : `Choose a new or empty folder for ${spec.flag}, or move those files away.`,
    });
  }
  if (edited.length) {
    throw new InputError(`${say}: ${listed(edited)} ${edited.length === 1 ? 'was' : 'were'} changed after dnr wrote ${edited.length === 1 ? 'it' : 'them'}; dnr will not overwrite those edits.`, {
      suggestion: `Copy your changes to a file of your own (or move the edited files away)${canForce ? ', or pass --force to overwrite them' : ', then run again'}.`,
    });
  }
}

/**
 * Look at what is already at an output path and decide whether dnr may replace it. Throws InputError
 * (exit 2) when it is a file, when it holds anything dnr did not write (naming a few entries), when it
 * is a different kind of dnr output, or when another dnr process is writing it; --force lifts the last
 * two refusals (never the refusal of a shared folder, or of a folder holding one) and keeps foreign entries by moving them into the new output — it never deletes them.
 */
export function inspectTarget(abs: string, spec: InspectSpec): ExistingOutput {
  const say = `${spec.flag} ${spec.dir}`;
  let st;
  try {
    st = lstatSync(abs);
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { exists: false, carry: [], keep: [], foreign: [] };
    if (code === 'ENOTDIR') throw new InputError(`${say}: a part of that path is a file, not a folder.`, { suggestion: 'Choose an output folder path made of folders.' });
    throw error;
  }
  if (!st.isDirectory()) {
    throw new InputError(`${say} is an existing ${st.isSymbolicLink() ? 'symbolic link' : 'file'}, not a folder; dnr will not replace it.`, {
      suggestion: 'Choose a folder path (it is created if missing).',
    });
  }
  const marker = readMarker(abs);
  refuseShared(abs, marker, say, spec.flag);
  if (marker?.state === 'staging' && pidAlive(marker.pid) && marker.pid !== process.pid) {
    throw new InputError(`${say} is being written by another dnr process (pid ${marker.pid}).`, { suggestion: 'Wait for it to finish or choose another output folder.' });
  }
  const { owned, kind } = ownershipOf(abs, marker, spec);
  const carry: string[] = [];
  const keep: string[] = [];
  const foreign: string[] = [];
  const busy: string[] = [];
  const edited: string[] = [];
  const nestedOutputs: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(abs, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (!rel && name === MARKER_FILE) continue;
      const s = lstatSync(path.join(abs, r));
      const isDir = s.isDirectory();
      const left = parseLeftover(name);
      if (left && pidAlive(left.pid)) {
        busy.push(`${r} (pid ${left.pid})`);
        continue;
      }
      if (isOsJunk(name)) {
        carry.push(r);
        continue;
      }
      if (!rel && s.isFile() && spec.persistent?.test(name)) {
        keep.push(r);
        continue;
      }
      if (owned(r, isDir) && (isDir || s.isFile())) {
        if (isDir) walk(r);
        else if (marker?.files[r] && editedSince(path.join(abs, r), marker.files[r])) edited.push(r);
        continue;
      }
      const nested = isDir ? readMarker(path.join(abs, r)) : undefined;
      if (nested?.kind === 'shared' || (isDir && !nested && holdsLegacyMirror(path.join(abs, r)))) {
        throw new InputError(`${say} holds ${r}/, a folder dnr shares with you and other commands; dnr never replaces a folder holding it${spec.force ? ', not even with --force' : ''}.`, {
          suggestion: `Choose a new or empty folder for ${spec.flag}.`,
        });
      }
      if (!rel && nested?.state === 'complete' && (NESTABLE[spec.kind] ?? []).includes(nested.kind)) {
        carry.push(r);
        nestedOutputs.push(r);
        continue;
      }
      foreign.push(isDir ? `${r}/` : r);
    }
  };
  walk('');
  if (busy.length) {
    throw new InputError(`${say} is being written by another dnr process: ${busy.slice(0, MAX_LISTED).join(', ')}.`, { suggestion: 'Wait for it to finish or choose another output folder.' });
  }
  refuseUnlessForced(spec, say, { marker, kind, foreign, edited });
  if (spec.force) carry.push(...foreign);
  return { exists: true, marker, carry, keep, nested: nestedOutputs, foreign };
}

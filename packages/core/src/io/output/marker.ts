import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../atomic.js';

/** The file that makes a folder recognisably dnr's own output. */
export const MARKER_FILE = '.dnr-output.json';

export const OUTPUT_KINDS = ['warehouse', 'comms', 'report', 'run', 'eval', 'qc', 'profile', 'shared'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/**
 * Size and modification time of a file as committed (a file whose stamp changed has been touched since),
 * and for files up to HASHED_MAX_BYTES the sha256 of its bytes, which tells a user's edit from a copy that
 * only changed the time (`cp -r` without `-p`).
 */
export const FileStampSchema = z.object({ bytes: z.number().int().nonnegative(), mtime_ms: z.number(), sha256: z.string().optional() });
export type FileStamp = z.infer<typeof FileStampSchema>;

/**
 * `{output}/.dnr-output.json`: what kind of output the folder is, which command wrote it, and every
 * file and folder dnr put there (relative paths; folders end in `/`) with its stamp (null for folders and
 * for files that legitimately change after the commit, such as a DuckDB database a user opens). Anything
 * in the folder that is not listed is not dnr's, and dnr refuses to replace the folder while it is there.
 */
export const OutputMarkerSchema = z.object({
  dnr_output: z.literal(1),
  kind: z.enum(OUTPUT_KINDS),
  command: z.string(),
  /** Unique per commit: ties outputs written together (a report and its run folder) to each other. */
  commit_id: z.string(),
  /** `staging` while being built or swapped in; `complete` once committed. */
  state: z.enum(['staging', 'complete']),
  pid: z.number().int(),
  files: z.record(z.string(), FileStampSchema.nullable()),
  /** Entries moved over from the previous output that are not dnr's: OS clutter, and with --force foreign files. */
  carried: z.array(z.string()).default([]),
  /**
   * dnr's own entries moved over from the previous output: state that outlives a rerun (a run's LLM spend
   * ledgers; listed in `files` too) and nested dnr outputs with their own marker (a report's `qc/`).
   */
  kept: z.array(z.string()).default([]),
});
export type OutputMarker = z.infer<typeof OutputMarkerSchema>;

export function newCommitId(): string {
  return `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(4).toString('hex')}`;
}

/** The marker of `dir`, undefined when there is none or it is not a dnr marker. */
export function readMarker(dir: string): OutputMarker | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(dir, MARKER_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = OutputMarkerSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export function writeMarker(dir: string, marker: OutputMarker): void {
  writeFileAtomic(path.join(dir, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
}

/** Files up to this size (reports, JSON, figures) get a content hash in their stamp. */
export const HASHED_MAX_BYTES = 1 << 20;

/** The stamp of a file: size, modification time, and sha256 when it is small. */
export function stampOf(file: string, st: Stats = statSync(file)): FileStamp {
  const stamp: FileStamp = { bytes: st.size, mtime_ms: st.mtimeMs };
  if (st.isFile() && st.size <= HASHED_MAX_BYTES) stamp.sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  return stamp;
}

/**
 * Whether a file dnr committed has been edited since: its size differs, or its time differs and so do its
 * bytes (a stamp without a hash cannot tell, and counts as unedited: large data files are verified
 * against their manifest instead).
 */
export function editedSince(file: string, stamp: FileStamp): boolean {
  const st = statSync(file);
  if (st.size !== stamp.bytes) return true;
  if (st.mtimeMs === stamp.mtime_ms || stamp.sha256 === undefined) return false;
  return createHash('sha256').update(readFileSync(file)).digest('hex') !== stamp.sha256;
}

/**
 * Every entry under `dir` (relative; folders end in `/`) with file stamps, without following symbolic
 * links. `skip` names top-level entries to leave out (the marker, carried entries).
 */
export function listTree(dir: string, skip: ReadonlySet<string> = new Set()): Record<string, FileStamp | null> {
  const out: Record<string, FileStamp | null> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (!rel && (skip.has(name) || name === MARKER_FILE)) continue;
      const st = lstatSync(path.join(dir, r));
      if (st.isDirectory()) {
        out[`${r}/`] = null;
        walk(r);
      } else {
        out[r] = stampOf(path.join(dir, r), st);
      }
    }
  };
  walk('');
  return out;
}

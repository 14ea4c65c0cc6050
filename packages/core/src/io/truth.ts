import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { sha256File } from './hash.js';
import { readMarker } from './output/marker.js';

/**
 * Ground truth travels with the data it describes: a warehouse folder carries its defects.json, a comms
 * folder its labels_*.parquet, and the folder's manifest.json links each one as `truth.{name}` with the
 * sha256 of its bytes. Consumers find truth only through that link; copies elsewhere (the meta/ mirror of
 * the default layout, or a folder given with --meta/--labels) are accepted only when they hash the same.
 */
export const TruthLinkSchema = z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type TruthLink = z.infer<typeof TruthLinkSchema>;

/** The `truth` links of `{dir}/manifest.json`, or undefined for data written before dnr linked its truth. */
export function readTruthLinks(dir: string): Record<string, TruthLink> | undefined {
  try {
    const raw = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { truth?: unknown };
    const parsed = z.record(z.string(), TruthLinkSchema).safeParse(raw.truth);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface TruthQuery {
  /** The data folder (warehouse or comms) and the flag that named it. */
  dataDir: string;
  dataFlag: string;
  /** Link name in the manifest, e.g. "defects" or "labels_slack". */
  name: string;
  /** File name of that truth in a meta-style folder, e.g. "defects.json". */
  fileName: string;
  /** A folder the user gave (--meta, --labels) that must hold the same truth. */
  override?: {
    flag: string;
    dir: string;
    /** The path as the user typed it (a file or a folder), for messages; default `dir`. */
    given?: string;
    /** Hint when the folder's file is not the data's own truth (default: leave the flag out to use the data's own). */
    mismatchHint?: string;
  };
  /** For data without truth links: files to try, first existing wins. */
  legacy?: readonly string[];
}

export interface ResolvedTruth {
  file: string;
  /** `own`: the data's own copy; `override`: a matching copy the user named; `unverified`: older data without links. */
  source: 'own' | 'override' | 'unverified';
}

/**
 * Locate one ground-truth file of a data folder and check it belongs to that data (exit 2 otherwise).
 * Undefined when older data has no truth anywhere.
 */
export function resolveTruth(q: TruthQuery): ResolvedTruth | undefined {
  const link = readTruthLinks(q.dataDir)?.[q.name];
  const own = link ? path.join(q.dataDir, link.file) : undefined;
  if (q.override) {
    const file = path.join(q.override.dir, q.fileName);
    if (!existsSync(file)) {
      throw new InputError(`${q.override.flag} ${q.override.given ?? q.override.dir}: ${q.fileName} not found.`, {
        suggestion: link ? (q.override.mismatchHint ?? `Leave out ${q.override.flag}: ${q.dataFlag} ${q.dataDir} carries its own ground truth.`) : `Pass the folder that holds ${q.fileName}.`,
      });
    }
    if (link && sha256File(file) !== link.sha256) {
      throw new InputError(
        `${q.override.flag} ${q.override.given ?? q.override.dir}: ${q.fileName} is not the ground truth of ${q.dataFlag} ${q.dataDir} (its bytes differ from the ${link.file} that data's manifest names: a stale copy, or another run's).`,
        { suggestion: q.override.mismatchHint ?? `Leave out ${q.override.flag} to use the data's own ${link.file}, or point ${q.override.flag} at the folder written with that data.` },
      );
    }
    return { file, source: 'override' };
  }
  if (link && own) {
    if (!existsSync(own)) throw new InputError(`${q.dataFlag} ${q.dataDir}: its ground truth ${link.file} is missing.`, { suggestion: 'Regenerate that folder with dnr.' });
    if (sha256File(own) !== link.sha256) {
      throw new InputError(`${q.dataFlag} ${q.dataDir}: ${link.file} was changed after dnr wrote it (its sha256 no longer matches manifest.json).`, {
        suggestion: 'Regenerate that folder with dnr.',
      });
    }
    return { file: own, source: 'own' };
  }
  const legacy = (q.legacy ?? []).find((f) => existsSync(f));
  return legacy ? { file: legacy, source: 'unverified' } : undefined;
}

/**
 * The warehouse a comms corpus was generated from, recorded in the comms `manifest.json` as `warehouse`:
 * the warehouse folder's commit id (its marker) and the sha256 of the defects.json its threads cluster
 * around. Null where unknown (no --warehouse, a warehouse from before markers).
 */
export interface WarehouseIdentity {
  commit_id: string | null;
  defects_sha256: string | null;
}

const WarehouseIdentitySchema = z.object({ commit_id: z.string().nullable(), defects_sha256: z.string().nullable() });

/** Identity of a warehouse folder: its marker's commit id and its linked defects.json sha256 (or of `defectsFile`). */
export function warehouseIdentity(dir: string | undefined, defectsFile?: string): WarehouseIdentity {
  if (!dir) return { commit_id: null, defects_sha256: defectsFile && existsSync(defectsFile) ? sha256File(defectsFile) : null };
  const linked = readTruthLinks(dir)?.defects?.sha256;
  return {
    commit_id: readMarker(dir)?.commit_id ?? null,
    defects_sha256: linked ?? (defectsFile && existsSync(defectsFile) ? sha256File(defectsFile) : null),
  };
}

/**
 * Why a comms folder does not belong with a warehouse (it was generated from another one), or undefined
 * when it does or cannot be told (a corpus from before dnr recorded its warehouse). Compares the defects
 * sha256 when both sides know it (a rebuild with the same truth still matches), else the commit ids.
 */
export function commsWarehouseMismatch(commsDir: string, warehouseDir: string): string | undefined {
  let recorded: WarehouseIdentity;
  try {
    const raw = JSON.parse(readFileSync(path.join(commsDir, 'manifest.json'), 'utf8')) as { warehouse?: unknown };
    const parsed = WarehouseIdentitySchema.safeParse(raw.warehouse);
    if (!parsed.success) return undefined;
    recorded = parsed.data;
  } catch {
    return undefined;
  }
  const here = warehouseIdentity(warehouseDir);
  const bothDefects = recorded.defects_sha256 !== null && here.defects_sha256 !== null;
  const differs = bothDefects ? recorded.defects_sha256 !== here.defects_sha256 : recorded.commit_id !== null && here.commit_id !== null && recorded.commit_id !== here.commit_id;
  if (!differs) return undefined;
  const id = (w: WarehouseIdentity) => [w.commit_id && `commit ${w.commit_id}`, w.defects_sha256 && `defects.json sha256 ${w.defects_sha256.slice(0, 12)}…`].filter(Boolean).join(', ');
  return `--comms ${commsDir} was generated from another warehouse (${id(recorded)}) than --warehouse ${warehouseDir} (${id(here)}): its threads cluster around that warehouse's defect events, not these.`;
}

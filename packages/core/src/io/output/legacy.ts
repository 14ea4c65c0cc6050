import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { OutputKind } from './marker.js';

/**
 * Outputs written before dnr marked its folders: recognised by the key file each command always wrote
 * and by the names it writes. Only entries matching these names count as dnr's; anything else in such a
 * folder is the user's.
 */
interface LegacySignature {
  /** The file every such output has, and a test that it is dnr's (JSON with the command's keys). */
  key: string;
  keyCheck: (json: Record<string, unknown>) => boolean;
  owned: RegExp[];
}

const SIGNATURES: Partial<Record<OutputKind, LegacySignature>> = {
  warehouse: {
    key: 'manifest.json',
    keyCheck: (j) => 'generator_version' in j && 'tables' in j,
    owned: [/^manifest\.json$/, /^warehouse\.duckdb(\.wal)?$/, /^parquet\/$/, /^parquet\/[a-z_]+\.parquet$/, /^parquet\/[a-z_]+\/$/, /^parquet\/[a-z_]+\/part-\d+\.parquet$/, /^\.spill\/.*$/],
  },
  comms: {
    key: 'manifest.json',
    keyCheck: (j) => 'counts' in j && 'files' in j,
    owned: [/^manifest\.json$/, /^(slack_messages|email_messages|comms_users|nlq)\.parquet$/],
  },
  report: {
    key: 'exec_summary.json',
    keyCheck: (j) => 'run_id' in j && 'actions' in j,
    owned: [/^(exec_summary|data_health|themes)\.(json|md|csv)$/, /^index\.html$/, /^figures\/$/, /^figures\/[\w.-]+\.(png|svg)$/],
  },
  qc: {
    key: 'validate.json',
    keyCheck: (j) => 'rows' in j && 'counts' in j,
    owned: [/^validate\.(json|md)$/],
  },
  eval: {
    key: 'metrics.json',
    keyCheck: (j) => 'gates' in j && 'sources' in j,
    owned: [/^metrics\.json$/, /^report\.md$/, /^figures\/$/, /^figures\/[\w.-]+\.png$/, /^[\w.-]+\.png$/],
  },
  run: {
    key: 'run.json',
    keyCheck: (j) => 'run_id' in j,
    owned: [/^(run|budget)\.json$/, /^(entities|prefilter)\.parquet$/, /^preds\/$/, /^preds\/(slack|email|nlq)\.parquet$/, /^llm_ledger_\w+\.jsonl$/],
  },
};

/**
 * For a folder without a marker: the predicate "this entry was written by an older dnr", or undefined
 * when the folder is not recognisably a `kind` output of an older dnr.
 */
export function legacyOwnership(dir: string, kind: OutputKind): ((rel: string) => boolean) | undefined {
  const sig = SIGNATURES[kind];
  if (!sig) return undefined;
  const key = path.join(dir, sig.key);
  if (!existsSync(key)) return undefined;
  try {
    const json = JSON.parse(readFileSync(key, 'utf8')) as unknown;
    if (typeof json !== 'object' || json === null || !sig.keyCheck(json as Record<string, unknown>)) return undefined;
  } catch {
    return undefined;
  }
  return (rel) => sig.owned.some((re) => re.test(rel));
}

/** Which kind of older dnr output a folder looks like, if any. */
export function legacyKindOf(dir: string): OutputKind | undefined {
  return (Object.keys(SIGNATURES) as OutputKind[]).find((k) => legacyOwnership(dir, k) !== undefined);
}

/** Names today's dnr writes beyond those older versions wrote (for the up-front name-clash check). */
const CURRENT_NAMES: Partial<Record<OutputKind, RegExp[]>> = {
  warehouse: [/^defects\.json$/, /^behaviour\.json$/, /^behaviour_entities\.parquet$/],
  comms: [/^labels_(slack|email|nlq)\.parquet$/, /^llm_ledger\.jsonl$/],
  report: [/^report\.html$/],
};

/**
 * Whether a `kind` output may write an entry of this name (relative; folders end in `/`), so that a
 * foreign entry of that name carried under --force would clash — known before any work is done.
 */
export function mayWrite(kind: OutputKind, rel: string): boolean {
  return [...(SIGNATURES[kind]?.owned ?? []), ...(CURRENT_NAMES[kind] ?? [])].some((re) => re.test(rel));
}

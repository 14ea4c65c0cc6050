import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, type Theme } from '@dnr/core';

export const DEFECT_KINDS = ['key_null', 'fk_missing', 'fk_temporal', 'duplicate', 'ingest_lag', 'null_spike', 'schema_gap'] as const;
export type DefectKind = (typeof DEFECT_KINDS)[number];

/** One injected defect of meta/{arch}/defects.json (SPEC §4.5; only the fields comms reads). */
export interface DefectEntry {
  kind: DefectKind;
  table: string;
  column?: string | null;
  target_rate?: number | null;
  rows_affected?: number;
  rows_total?: number;
  /** Local days where the defect is dated. */
  days: string[];
  params?: Record<string, unknown>;
}

export interface DefectsManifest {
  archetype: string;
  quality?: string;
  seed?: number;
  defects: DefectEntry[];
}

/** Check the shape we rely on; returns the problem or null. */
function defectsProblem(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return 'expected an object';
  const m = raw as Record<string, unknown>;
  if (typeof m.archetype !== 'string') return 'archetype: expected a string';
  if (!Array.isArray(m.defects)) return 'defects: expected an array';
  for (const [i, d] of (m.defects as unknown[]).entries()) {
    if (typeof d !== 'object' || d === null) return `defects.${i}: expected an object`;
    const e = d as Record<string, unknown>;
    if (!DEFECT_KINDS.includes(e.kind as DefectKind)) return `defects.${i}.kind: expected one of ${DEFECT_KINDS.join(', ')}, got ${JSON.stringify(e.kind)}`;
    if (typeof e.table !== 'string') return `defects.${i}.table: expected a string`;
    if (e.days !== undefined && !(Array.isArray(e.days) && e.days.every((x) => typeof x === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x)))) {
      return `defects.${i}.days: expected an array of YYYY-MM-DD`;
    }
  }
  return null;
}

/**
 * Which theme people talk about when a defect hits (documented mapping):
 * - key_null, fk_missing, fk_temporal → join_keys_orphans (rows that no longer join);
 * - duplicate → duplicates_dedup; ingest_lag → freshness_ingest_lag;
 * - null_spike → join_keys_orphans when the column is a key (`*_id`, the configured spike columns are FKs:
 *   a day of NULL keys shows up as rows dropping out of joins), otherwise freshness_ingest_lag
 *   (a partial load that later fills in);
 * - schema_gap → new_field_schema_request (a column written NULL after an upstream schema change).
 */
export const DEFECT_THEME_MAP: Record<DefectKind, Theme> = {
  key_null: 'join_keys_orphans',
  fk_missing: 'join_keys_orphans',
  fk_temporal: 'join_keys_orphans',
  duplicate: 'duplicates_dedup',
  ingest_lag: 'freshness_ingest_lag',
  null_spike: 'join_keys_orphans',
  schema_gap: 'new_field_schema_request',
};

export function themeForDefect(d: Pick<DefectEntry, 'kind' | 'column'>): Theme {
  if (d.kind === 'null_spike' && d.column && !/_id$/.test(d.column)) return 'freshness_ingest_lag';
  return DEFECT_THEME_MAP[d.kind];
}

/** A dated defect people would notice: one local day, its theme and the column it hit. */
export interface DefectEvent {
  day: string;
  theme: Theme;
  kind: DefectKind;
  /** table.column */
  column: string;
}

/**
 * Defects spread over the whole history (a steady 2% key-null rate) are background, not events:
 * only defects dated on at most `maxDays` local days become events, one per day.
 */
export function defectEvents(manifest: DefectsManifest, maxDays = 14): DefectEvent[] {
  const out: DefectEvent[] = [];
  for (const d of manifest.defects) {
    if (d.days.length === 0 || d.days.length > maxDays) continue;
    for (const day of d.days) out.push({ day, theme: themeForDefect(d), kind: d.kind, column: `${d.table}.${d.column ?? ''}` });
  }
  out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.theme < b.theme ? -1 : a.theme > b.theme ? 1 : 0));
  // one event per (day, theme)
  return out.filter((e, i) => i === 0 || e.day !== out[i - 1].day || e.theme !== out[i - 1].theme);
}

/** Read and check meta/{arch}/defects.json; InputError naming the file when missing or malformed. */
export function readDefectsManifest(file: string): DefectsManifest {
  if (!existsSync(file)) {
    throw new InputError(`Defects manifest ${file} not found: gen-comms correlates threads with the injected defect events.`, {
      suggestion: `Run \`dnr gen-warehouse\` first, pass --meta DIR, or set comms.sample_policy: uniform for an uncorrelated corpus.`,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error: unknown) {
    throw new InputError(`Defects manifest ${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
  }
  const problem = defectsProblem(raw);
  if (problem) throw new InputError(`Defects manifest ${file} does not match SPEC §4.5: ${problem}.`);
  const m = raw as DefectsManifest;
  return { ...m, defects: m.defects.map((d) => ({ ...d, days: d.days ?? [] })) };
}

export function defectsPath(metaDir: string): string {
  return path.join(metaDir, 'defects.json');
}

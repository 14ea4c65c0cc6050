import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError, type Theme } from '@dnr/core';
import { DEFECT_KINDS, readDefectsManifest as readGroundTruth, type DefectEntry, type DefectKind, type DefectsManifest } from '@dnr/generate';

export { DEFECT_KINDS, type DefectEntry, type DefectKind, type DefectsManifest };

/** The fields of a defect that dating and theming need (params: its incidents, when it records them). */
type DatedDefect = Pick<DefectEntry, 'kind' | 'table' | 'column' | 'days'> & { params?: Record<string, unknown> };

/** Duplicate incidents per table that people talk about: the largest (most re-sent rows). */
export const DUPLICATE_EVENTS_PER_TABLE = 3;

/** Incidents recorded in a duplicate entry's params (replays / reruns / backfills), or null. */
function incidentsOf(d: DatedDefect): Array<{ rows: number; days: string[] }> | null {
  const xs = d.params?.incidents;
  if (!Array.isArray(xs)) return null;
  return xs.filter((x): x is { rows: number; days: string[] } => typeof x?.rows === 'number' && Array.isArray(x?.days) && x.days.length > 0);
}

/**
 * Which theme people talk about when a defect hits (documented mapping):
 * - key_null, fk_missing, fk_temporal → join_keys_orphans (rows that no longer join);
 * - duplicate → duplicates_dedup; ingest_lag → freshness_ingest_lag;
 * - null_spike → join_keys_orphans when the column is a key (`*_id`, the configured spike columns are FKs:
 *   a day of NULL keys shows up as rows dropping out of joins), otherwise freshness_ingest_lag
 *   (a partial load that later fills in);
 * - schema_gap → new_field_schema_request (a column written NULL after an upstream schema change);
 * - update_job → metric_definition_mismatch (re-stamped activation / creation dates move funnel and cohort numbers).
 */
export const DEFECT_THEME_MAP: Record<DefectKind, Theme> = {
  key_null: 'join_keys_orphans',
  fk_missing: 'join_keys_orphans',
  fk_temporal: 'join_keys_orphans',
  duplicate: 'duplicates_dedup',
  ingest_lag: 'freshness_ingest_lag',
  null_spike: 'join_keys_orphans',
  schema_gap: 'new_field_schema_request',
  update_job: 'metric_definition_mismatch',
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
 * only defects dated on at most `maxDays` local days become events, one per day. Bulk update-job
 * re-stamps (`update_job`) are background too: a few re-dated dimension rows per run nobody notices
 * on the day. Duplicate incidents recorded one by one (replays, reruns, backfills) are one event each,
 * on the first day they re-sent, for the DUPLICATE_EVENTS_PER_TABLE largest of each table.
 */
export function defectEvents(manifest: { defects: DatedDefect[] }, maxDays = 14): DefectEvent[] {
  const out: DefectEvent[] = [];
  for (const d of manifest.defects) {
    const incidents = d.kind === 'duplicate' ? incidentsOf(d) : null;
    if (incidents) {
      // a re-ingest incident is one event, on the first day it re-sent; only the largest few get talked about
      const big = [...incidents].sort((a, b) => b.rows - a.rows || (a.days[0] < b.days[0] ? -1 : 1)).slice(0, DUPLICATE_EVENTS_PER_TABLE);
      for (const x of big) out.push({ day: x.days[0], theme: themeForDefect(d), kind: d.kind, column: `${d.table}.` });
      continue;
    }
    if (d.kind === 'update_job' || d.days.length === 0 || d.days.length > maxDays) continue;
    for (const day of d.days) out.push({ day, theme: themeForDefect(d), kind: d.kind, column: `${d.table}.${d.column ?? ''}` });
  }
  out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.theme < b.theme ? -1 : a.theme > b.theme ? 1 : 0));
  // one event per (day, theme)
  return out.filter((e, i) => i === 0 || e.day !== out[i - 1].day || e.theme !== out[i - 1].theme);
}

/**
 * Read meta/{arch}/defects.json with the generator's own schema (docs/warehouse.md); a missing file gets
 * comms' advice (uncorrelated mode), anything malformed an InputError naming the file and the key.
 */
export function readDefectsManifest(file: string): DefectsManifest {
  if (!existsSync(file)) {
    throw new InputError(`Defects manifest ${file} not found: gen-comms correlates threads with the injected defect events.`, {
      suggestion: `Run \`dnr gen-warehouse\` first, pass --meta DIR, or set comms.sample_policy: uniform for an uncorrelated corpus.`,
    });
  }
  return readGroundTruth(file);
}

export function defectsPath(metaDir: string): string {
  return path.join(metaDir, 'defects.json');
}

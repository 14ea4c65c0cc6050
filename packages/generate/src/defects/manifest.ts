import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Archetype, InputError, Quality } from '@dnr/core';

export const DEFECT_KINDS = ['key_null', 'fk_missing', 'fk_temporal', 'duplicate', 'ingest_lag', 'null_spike', 'schema_gap', 'update_job'] as const;
export const DefectKind = z.enum(DEFECT_KINDS);
export type DefectKind = z.infer<typeof DefectKind>;

/** One injection (docs/warehouse.md). `target_rate` and rows are fractions/counts of the whole final table (duplicates included). */
export const DefectEntrySchema = z.object({
  kind: DefectKind,
  table: z.string(),
  column: z.string().nullable(),
  /** Intended share of rows_total (0–1). */
  target_rate: z.number(),
  rows_affected: z.number().int().nonnegative(),
  rows_total: z.number().int().nonnegative(),
  /** Local days (config tz) where the defect is dated: spike day, schema-gap days; [] for continuous defects. */
  days: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
  params: z.record(z.string(), z.unknown()),
});
export type DefectEntry = z.infer<typeof DefectEntrySchema>;

export const DefectsManifestSchema = z.object({
  archetype: Archetype,
  quality: Quality,
  seed: z.number().int(),
  defects: z.array(DefectEntrySchema),
});
export type DefectsManifest = z.infer<typeof DefectsManifestSchema>;

/** Read and validate a ground-truth defects.json; InputError naming the file when missing or corrupt. */
export function readDefectsManifest(path: string): DefectsManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error: unknown) {
    throw new InputError(`Cannot read defects manifest ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      suggestion: 'Run `dnr gen-warehouse` first, or pass the right --meta folder.',
      cause: error,
    });
  }
  const parsed = DefectsManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`Defects manifest ${path} is invalid: ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
      suggestion: 'Regenerate it with `dnr gen-warehouse`.',
    });
  }
  return parsed.data;
}

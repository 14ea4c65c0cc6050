import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Archetype, InputError, errorMessage } from '@dnr/core';

/** The fields of manifest.json (docs/outputs.md) that validate reads; other keys are kept. */
export const WarehouseManifestSchema = z
  .object({
    archetype: Archetype,
    scale: z.string(),
    quality: z.enum(['clean', 'typical', 'messy']),
    trajectory: z.enum(['T1', 'T2', 'T3']),
    tz: z.string(),
    months: z.number().int().positive(),
    end_date: z.string(),
    seed: z.number().int(),
    targets: z.record(z.string(), z.number()),
    tables: z.record(z.string(), z.object({ rows: z.number(), checksum: z.string() }).passthrough()),
    defects_path: z.string().optional(),
  })
  .passthrough();
export type WarehouseManifest = z.infer<typeof WarehouseManifestSchema>;

export const DefectSchema = z
  .object({
    kind: z.enum(['key_null', 'fk_missing', 'fk_temporal', 'duplicate', 'ingest_lag', 'null_spike', 'schema_gap', 'update_job']),
    table: z.string(),
    column: z.string().nullable().optional(),
    target_rate: z.number().nullable().optional(),
    rows_affected: z.number(),
    rows_total: z.number(),
    days: z.array(z.string()).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
export type Defect = z.infer<typeof DefectSchema>;

export const DefectsManifestSchema = z
  .object({ archetype: Archetype, quality: z.string(), seed: z.number().int(), defects: z.array(DefectSchema) })
  .passthrough();
export type DefectsManifest = z.infer<typeof DefectsManifestSchema>;

function readJson<T>(file: string, schema: z.ZodType<T>, what: string, flag: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error: unknown) {
    throw new InputError(`${flag}: ${file} is not readable JSON (${errorMessage(error)}).`, { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InputError(`${flag}: ${file} is not a valid ${what}: ${issues.join('; ')}.`);
  }
  return parsed.data;
}

export function readManifest(warehouseDir: string): WarehouseManifest {
  const file = path.join(warehouseDir, 'manifest.json');
  if (!existsSync(file)) {
    throw new InputError(`--warehouse ${warehouseDir} has no manifest.json.`, { suggestion: 'Point --warehouse at a folder written by `dnr gen-warehouse`.' });
  }
  return readJson(file, WarehouseManifestSchema, 'warehouse manifest', '--warehouse');
}

export function readDefects(file: string): DefectsManifest {
  return readJson(file, DefectsManifestSchema, 'defects manifest', '--meta');
}

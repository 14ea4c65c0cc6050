import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Archetype, InputError, Quality, Scale, Trajectory, TruthLinkSchema } from '@dnr/core';

export const GENERATOR_VERSION = '0.1.0';

/** The warehouse's own ground truth, inside its folder (docs/warehouse.md). */
export const DEFECTS_FILE = 'defects.json';


export const TableEntrySchema = z.object({
  rows: z.number().int().nonnegative(),
  checksum: z.string(),
  /** Parquet files relative to `{out}/parquet`. */
  files: z.array(z.string()).min(1),
});

/** `{out}/manifest.json` (docs/outputs.md). */
export const WarehouseManifestSchema = z.object({
  archetype: Archetype,
  scale: Scale,
  quality: Quality,
  trajectory: Trajectory,
  tz: z.string(),
  months: z.number().int(),
  start_date: z.string(),
  end_date: z.string(),
  seed: z.number().int(),
  generator_version: z.string(),
  generated_at: z.string(),
  targets: z.record(z.string(), z.number()),
  tables: z.record(z.string(), TableEntrySchema),
  /** Where the ground truth is: relative to the warehouse folder (older warehouses: an absolute meta/ path). */
  defects_path: z.string(),
  /** The ground truth this warehouse carries (absent in warehouses written before it did). */
  truth: z.object({ defects: TruthLinkSchema, behaviour: TruthLinkSchema.optional(), behaviour_entities: TruthLinkSchema.optional() }).optional(),
  timings: z.record(z.string(), z.number()),
  config: z.record(z.string(), z.unknown()),
});
export type WarehouseManifest = z.infer<typeof WarehouseManifestSchema>;

/** Read and validate `{dir}/manifest.json`; InputError naming the file when missing or corrupt. */
export function readWarehouseManifest(dir: string): WarehouseManifest {
  const file = path.join(dir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error: unknown) {
    throw new InputError(`Cannot read warehouse manifest ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      suggestion: 'Run `dnr gen-warehouse --archetype …` first, or point --warehouse at a generated folder.',
      cause: error,
    });
  }
  const parsed = WarehouseManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`Warehouse manifest ${file} is invalid: ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
      suggestion: 'Regenerate the warehouse with `dnr gen-warehouse`.',
    });
  }
  return parsed.data;
}

/** Path or glob of a table's Parquet, usable in read_parquet(): the single file if present, else the part files. */
export function warehouseTableGlob(dir: string, table: string): string {
  const single = path.join(dir, 'parquet', `${table}.parquet`);
  return existsSync(single) ? single : path.join(dir, 'parquet', table, '*.parquet');
}

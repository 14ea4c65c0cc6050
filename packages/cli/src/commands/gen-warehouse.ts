import path from 'node:path';
import { Flags } from '@oclif/core';
import { ARCHETYPES, QUALITIES, SCALES, TRAJECTORIES, UsageError, type Archetype } from '@dnr/core';
import type { WarehouseResult } from '@dnr/generate';
import { BaseCommand } from '../base-command.js';

export default class GenWarehouse extends BaseCommand<typeof GenWarehouse> {
  static override summary = 'Generate a synthetic warehouse (Parquet + DuckDB views) with ground-truth defects.';
  static override description =
    'Builds the neobank or marketplace warehouse: 15-table schemas, vintage entities, time-of-use curves, ' +
    'monetisation, injected defects (ground truth in {out}/defects.json, linked from manifest.json) and manifest.json with row counts ' +
    'and content checksums. Same seed ⇒ identical checksums. The output folder is replaced as a whole, with one rename, and only if ' +
    'dnr wrote it. In the default layout (no --out) the ground truth is also mirrored to {paths.meta}/{archetype}/defects.json.';
  static override examples = [
    '<%= config.bin %> gen-warehouse --archetype neobank',
    '<%= config.bin %> gen-warehouse --archetype marketplace --scale small --quality messy --seed 7',
    {
      description: 'A growth trajectory over 24 months into its own folders (the ground truth must not overwrite meta/neobank).',
      command: '<%= config.bin %> gen-warehouse --archetype neobank --trajectory T2 --months 24 --out data/nb-growth --meta meta/nb-growth --json',
    },
  ];

  static override flags = {
    archetype: Flags.string({ description: 'Warehouse archetype.', required: true, options: [...ARCHETYPES] }),
    scale: Flags.string({ description: 'Volume profile (default warehouse.scale).', options: [...SCALES] }),
    quality: Flags.string({ description: 'Defect profile (default warehouse.quality).', options: [...QUALITIES] }),
    trajectory: Flags.string({ description: 'T1 steady | T2 growth | T3 decline (default warehouse.trajectory).', options: [...TRAJECTORIES] }),
    tz: Flags.string({ description: 'Business time zone (IANA), default warehouse.tz.' }),
    months: Flags.integer({ description: 'Months of events ending at warehouse.end_date (1–120).' }),
    seed: Flags.integer({ description: 'Generator seed (default warehouse.seed).' }),
    out: Flags.string({ description: 'Output folder (default {paths.data}/{archetype}).' }),
    meta: Flags.string({ description: 'Also mirror defects.json into this folder (default: {paths.meta}/{archetype} when --out is the default folder, else none).' }),
    force: Flags.boolean({ description: 'Replace --out even if it holds another kind of dnr output or files dnr did not write (those are kept: moved into the new output, never deleted).', default: false }),
    'chunk-rows': Flags.integer({ description: 'Rows per generation chunk (memory only; never changes values).' }),
  };

  public async run(): Promise<WarehouseResult> {
    const f = this.flags;
    const archetype = f.archetype as Archetype;
    if (f.months !== undefined && (f.months <= 0 || f.months > 120)) {
      throw new UsageError(`--months ${f.months} is out of range: expected 1–120.`);
    }
    const resolved = this.resolveConfig({
      'warehouse.scale': ['--scale', f.scale],
      'warehouse.quality': ['--quality', f.quality],
      'warehouse.trajectory': ['--trajectory', f.trajectory],
      'warehouse.tz': ['--tz', f.tz],
      'warehouse.months': ['--months', f.months],
      'warehouse.seed': ['--seed', f.seed],
      'warehouse.chunk_rows': ['--chunk-rows', f['chunk-rows']],
    });
    const { config, cwd } = resolved;
    const out = f.out ?? path.join(config.paths.data, archetype);
    const defaultLayout = path.resolve(cwd, out) === path.resolve(cwd, config.paths.data, archetype);
    // The shared meta/ mirror belongs to the default layout: a warehouse elsewhere never touches it.
    const metaDir = f.meta ?? (defaultLayout ? path.join(config.paths.meta, archetype) : undefined);
    const { generateWarehouse } = await import('@dnr/generate');
    const result = await generateWarehouse({ archetype, config, out, metaDir, force: f.force, progress: this.progress });
    this.log(`${archetype}: ${result.rowsTotal.toLocaleString('en-US')} rows in ${Object.keys(result.tables).length} tables → ${result.out}`);
    for (const [t, e] of Object.entries(result.tables)) this.log(`  ${t.padEnd(28)} ${e.rows.toLocaleString('en-US').padStart(12)}  ${e.checksum}`);
    this.log(`  defects: ${result.defects} injections → ${result.defectsPath}${result.mirrorPath ? ` (mirrored to ${result.mirrorPath})` : ''} (${result.timings.total_s}s)`);
    return result;
  }
}

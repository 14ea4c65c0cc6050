import path from 'node:path';
import { Flags } from '@oclif/core';
import { ARCHETYPES, UsageError } from '@dnr/core';
import type { ProfileResult } from '@dnr/profile';
import { BaseCommand } from '../base-command.js';

export default class Profile extends BaseCommand<typeof Profile> {
  static override summary = 'Profile the behaviour of a generated warehouse: cohorts, segments, funnel, seasonality, subscriptions.';
  static override description =
    'Reads the Parquet tables of a warehouse (any folder gen-warehouse wrote) and writes {out}/profile.md, profile.json and PNG figures: ' +
    'cohort retention heatmap, segment table, onboarding funnel with lag percentiles, hour × sector, day-of-week, month × sector and named-day ' +
    'effects, subscription state transitions and state consistency for the neobank; demand concentration, never-sold listings, status ' +
    'consistency, payments, buyer cohorts and named days for the marketplace. When the warehouse carries its behaviour ground truth, the ' +
    'declared values appear next to the observed ones; sections whose tables are absent are listed as not available.';
  static override examples = [
    { description: 'Profile the neobank. Needs: `<%= config.bin %> gen-warehouse --archetype neobank`.', command: '<%= config.bin %> profile --warehouse data/neobank --out reports/neobank/profile' },
    { description: 'Folders from the config paths, JSON on stdout. Needs: `<%= config.bin %> gen-warehouse --archetype marketplace --scale small`.', command: '<%= config.bin %> profile --archetype marketplace --json' },
  ];

  static override flags = {
    warehouse: Flags.string({ description: 'Warehouse folder written by gen-warehouse. Default: {paths.data}/{archetype}.' }),
    archetype: Flags.string({ description: 'Archetype, to derive default folders when --warehouse is not given.', options: [...ARCHETYPES] }),
    out: Flags.string({ description: 'Output folder. Default: {paths.reports}/{archetype}/profile (the archetype read from the warehouse).' }),
    force: Flags.boolean({ description: 'Replace --out even if it holds another kind of dnr output or files dnr did not write (those are kept: moved into the new output, never deleted).', default: false }),
  };

  public async run(): Promise<ProfileResult> {
    const { config } = this.resolveConfig();
    const arch = this.flags.archetype;
    if (!this.flags.warehouse && !arch) throw new UsageError('profile needs --warehouse DIR (or --archetype to use {paths.data}/{archetype}).');
    const warehouseDir = this.flags.warehouse ?? path.join(config.paths.data, arch as string);
    const { profileWarehouse, warehouseArchetype } = await import('@dnr/profile');
    const outDir = this.flags.out ?? path.join(config.paths.reports, arch ?? warehouseArchetype(warehouseDir), 'profile');
    const result = await profileWarehouse({ warehouseDir, outDir, config, force: this.flags.force, progress: this.progress });
    this.log(`profile ${result.profile.archetype}: ${result.files.length} files → ${path.join(result.out_dir, 'profile.md')}`);
    return result;
  }
}

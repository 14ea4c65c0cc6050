import path from 'node:path';
import { ConfigSchema, errorMessage, type Config } from '@dnr/core';
import { generateWarehouse } from '@dnr/generate';
import { checkRow } from '../rows.js';
import type { GateFamily, GateRow } from '../types.js';

const FAMILY = 'reproducibility';

/**
 * docs/warehouse.md, docs/validate.md: regenerate a sample of tables in a temp folder with the manifest's warehouse config
 * and seed; each table's content checksum must equal the one recorded in manifest.json.
 */
export const reproducibilityGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx) {
    const tables = ctx.config.validate.reproducibility_tables[ctx.archetype];
    const recordedConfig = (ctx.manifest as { config?: unknown }).config;
    let config: Config;
    try {
      config = ConfigSchema.parse({ ...ctx.config, warehouse: recordedConfig ?? { ...ctx.config.warehouse, ...pick(ctx.manifest) } });
    } catch (error: unknown) {
      return [checkRow(FAMILY, 'config', false, 'unusable', 'manifest.json config re-parses', errorMessage(error).split('\n')[0])];
    }
    const out = path.join(ctx.tmpDir, 'repro', ctx.archetype);
    const result = await generateWarehouse({ archetype: ctx.archetype, config, out, metaDir: path.join(ctx.tmpDir, 'repro-meta'), onlyTables: tables });
    const rows: GateRow[] = [];
    for (const t of tables) {
      const want = ctx.manifest.tables[t];
      const got = result.tables[t];
      rows.push(
        checkRow(
          FAMILY,
          t,
          want !== undefined && got !== undefined && want.checksum === got.checksum && want.rows === got.rows,
          got ? `${got.rows} rows, checksum ${got.checksum}` : 'not regenerated',
          want ? `= manifest: ${want.rows} rows, checksum ${want.checksum}` : '= manifest (table not recorded)',
          `regenerated with seed ${config.warehouse.seed}`,
        ),
      );
    }
    return rows;
  },
};

function pick(m: Record<string, unknown>): Record<string, unknown> {
  const keys = ['scale', 'quality', 'trajectory', 'tz', 'months', 'end_date', 'seed'];
  return Object.fromEntries(keys.filter((k) => k in m).map((k) => [k, m[k]]));
}

import { sqlIdent } from '@dnr/core';
import { requiredSchemas } from '../facts.js';
import { rangeRow } from '../rows.js';
import type { GateFamily, GateRow } from '../types.js';

const FAMILY = 'volumes';

/** Row counts within ±tolerance of the scale targets recorded in manifest.json (docs/warehouse.md). */
export const volumeGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx) {
    const tol = ctx.config.validate.volume_tolerance_pct / 100;
    const rows: GateRow[] = [];
    // A target of 0 means "follows from behaviour" (no scale target).
    const targets = Object.entries(ctx.manifest.targets).filter(([t, n]) => t in requiredSchemas(ctx.archetype) && n > 0);
    for (const [table, target] of targets) {
      if (!ctx.tables.has(table)) {
        rows.push(rangeRow(FAMILY, table, null, { min: target * (1 - tol), max: target * (1 + tol) }, { detail: 'table missing' }));
        continue;
      }
      const [{ n }] = await ctx.q<{ n: bigint }>(`SELECT count(*) AS n FROM ${sqlIdent(table)}`);
      rows.push(rangeRow(FAMILY, table, Number(n), { min: Math.floor(target * (1 - tol)), max: Math.ceil(target * (1 + tol)) }, { unit: 'rows', detail: `target ${target}` }));
    }
    return rows;
  },
};

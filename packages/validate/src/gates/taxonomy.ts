import { MCCS, SECTORS } from '@dnr/generate';
import { checkRow, rangeRow } from '../rows.js';
import type { GateFamily, GateRow } from '../types.js';

const FAMILY = 'taxonomy';

/** Neobank: 40 MCCs in 8 sectors. Marketplace: 10 top-level categories with 5–12 leaves each, listings on leaves. */
export const taxonomyGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx) {
    const rows: GateRow[] = [];
    if (ctx.archetype === 'neobank') {
      const mccs = await ctx.q<{ mcc: number; n: bigint }>('SELECT mcc, count(*) AS n FROM dim_merchant GROUP BY 1');
      const known = new Map(MCCS.map((m) => [m.mcc, m.sector]));
      const unknown = mccs.filter((m) => !known.has(m.mcc)).map((m) => m.mcc);
      const sectors = new Set(mccs.map((m) => known.get(m.mcc)).filter((s) => s !== undefined));
      rows.push(
        rangeRow(FAMILY, 'mcc_count', mccs.length, { min: Math.min(36, MCCS.length), max: 40 }, { detail: 'distinct MCCs in dim_merchant (cap 40)' }),
        checkRow(FAMILY, 'mcc_known', unknown.length === 0, unknown.length === 0 ? 'ok' : `unknown MCC(s) ${unknown.slice(0, 5).join(', ')}`, 'every MCC in the 40-code taxonomy'),
        rangeRow(FAMILY, 'sector_count', sectors.size, { min: SECTORS.length, max: SECTORS.length }, { detail: `sectors covered: ${[...sectors].sort().join(', ')}` }),
      );
      const [used] = await ctx.q<{ share: number | null }>(`
        SELECT avg((m.merchant_id IN (SELECT merchant_id FROM fact_card_transaction WHERE merchant_id IS NOT NULL))::INT) AS share FROM dim_merchant m`);
      rows.push(rangeRow(FAMILY, 'merchants_with_spend', used.share, { min: 0.8 }, { detail: 'share of merchants with at least one transaction' }));
    } else {
      const [t] = await ctx.q<{ tops: bigint; leaves: bigint; min_leaves: bigint | null; max_leaves: bigint | null; orphans: bigint }>(`
        WITH tops AS (SELECT category_id FROM dim_category WHERE parent_id IS NULL),
        leaves AS (SELECT c.category_id, c.parent_id FROM dim_category c WHERE c.parent_id IS NOT NULL),
        per_top AS (SELECT t.category_id, count(l.category_id) AS n FROM tops t LEFT JOIN leaves l ON l.parent_id = t.category_id GROUP BY 1)
        SELECT (SELECT count(*) FROM tops) AS tops, (SELECT count(*) FROM leaves) AS leaves,
               (SELECT min(n) FROM per_top) AS min_leaves, (SELECT max(n) FROM per_top) AS max_leaves,
               (SELECT count(*) FROM leaves WHERE parent_id NOT IN (SELECT category_id FROM tops)) AS orphans`);
      rows.push(
        rangeRow(FAMILY, 'top_level_count', Number(t.tops), { min: 10, max: 10 }, { detail: 'categories with parent_id NULL' }),
        rangeRow(FAMILY, 'leaves_per_top.min', t.min_leaves === null ? null : Number(t.min_leaves), { min: 5 }, { detail: 'fewest leaves under a top-level category (5 by default)' }),
        rangeRow(FAMILY, 'leaves_per_top.max', t.max_leaves === null ? null : Number(t.max_leaves), { max: 12 }, { detail: 'most leaves under a top-level category (12 by default)' }),
        rangeRow(FAMILY, 'leaf_count', Number(t.leaves), { min: 50, max: 120 }, { detail: 'leaf categories (80 by default)' }),
        checkRow(FAMILY, 'leaf_parents', Number(t.orphans) === 0, Number(t.orphans), '= 0 leaves whose parent is not top-level'),
      );
      const [l] = await ctx.q<{ on_leaf: number | null; leaves_used: number | null }>(`
        SELECT avg((category_id IN (SELECT category_id FROM dim_category WHERE parent_id IS NOT NULL))::INT) AS on_leaf,
               (SELECT avg((c.category_id IN (SELECT category_id FROM dim_listing))::INT) FROM dim_category c WHERE c.parent_id IS NOT NULL) AS leaves_used
        FROM dim_listing`);
      rows.push(
        rangeRow(FAMILY, 'listings_on_leaves', l.on_leaf, { min: 1 }, { detail: 'share of listings whose category is a leaf' }),
        rangeRow(FAMILY, 'leaves_used', l.leaves_used, { min: 0.95 }, { detail: 'share of leaf categories with at least one listing' }),
      );
    }
    return rows;
  },
};

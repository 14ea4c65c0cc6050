import { attachBehaviourTruth, type ProfileSource } from '@dnr/profile';
import { contractFacts } from '../facts.js';
import { skipRow } from '../rows.js';
import type { GateFamily, GateRow, ValidateContext } from '../types.js';
import { marketplaceBehaviourRows } from './behaviour-marketplace.js';
import { neobankBehaviourRows } from './behaviour-neobank.js';

const FAMILY = 'behaviour';

const isFact = (ctx: ValidateContext, table: string) => contractFacts(ctx.archetype).some((f) => f.name === table);

/** The profile's view of the validated warehouse (same connection, views and local_ts macro) plus its behaviour truth (a reason string when the manifest lacks the window start or there is no truth). */
export function sourceOf(ctx: ValidateContext): Promise<ProfileSource | string> {
  // one source per validation: the profile materialises its tables once per source
  let src = sources.get(ctx);
  if (!src) sources.set(ctx, (src = makeSource(ctx)));
  return src;
}

const sources = new WeakMap<ValidateContext, Promise<ProfileSource | string>>();

async function makeSource(ctx: ValidateContext): Promise<ProfileSource | string> {
  const start = (ctx.manifest as { start_date?: unknown }).start_date;
  if (typeof start !== 'string') return 'the warehouse manifest has no start_date';
  const window = { start, end: ctx.manifest.end_date };
  const first = (table: string) => (isFact(ctx, table) ? ctx.first(table) : Promise.resolve(table));
  const src: ProfileSource = { archetype: ctx.archetype, tz: ctx.tz, window, tables: ctx.tables, q: ctx.q, first };
  await attachBehaviourTruth(ctx.conn, src, ctx.warehouseDir);
  return src.truth ? src : 'no behaviour ground truth (behaviour.json, behaviour_entities.parquet) in this warehouse';
}

/**
 * Declared behaviour (the `behaviour` config section, as recorded in the warehouse's behaviour truth)
 * against what the Parquet shows: segment shares and their order, cohort differences, funnel
 * conversion, named-day effects and state consistency. Tolerances come from the config and the sample
 * size (docs/profile.md, "Behaviour gates"). Without the truth every gate is one skip row.
 */
export const behaviourGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx): Promise<GateRow[]> {
    const src = await sourceOf(ctx);
    if (typeof src === 'string') return [skipRow(FAMILY, ctx.archetype, src)];
    if (ctx.archetype === 'neobank') return neobankBehaviourRows(src, ctx.config);
    const rates = (ctx.manifest as { config?: { currency_rates?: Record<string, number> } }).config?.currency_rates ?? { USD: 1 };
    // null listing keys recorded in defects.json (null without it: unknown)
    const listingKeyNulls = ctx.defects
      ? ctx.defects.defects.filter((d) => (d.kind === 'key_null' || d.kind === 'null_spike') && d.table === 'fact_order_item' && d.column === 'listing_id').reduce((acc, d) => acc + d.rows_affected, 0)
      : null;
    return marketplaceBehaviourRows(src, rates, listingKeyNulls);
  },
};

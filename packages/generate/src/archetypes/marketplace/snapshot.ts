import { idRanges } from '../../writer.js';
import type { GenContext } from '../../context.js';

/**
 * One row per listing per local day from its creation (or the window start) to the window end;
 * status is `active` until the listing's change day, then its final status. Streamed straight from
 * DuckDB to part files (the largest table: ~50M rows at evaluation scale).
 */
export async function writeListingSnapshot(ctx: GenContext): Promise<void> {
  const { window } = ctx;
  const nl = ctx.targets.dim_listing;
  // No materialisation here, so parts can be larger than a generation chunk.
  const ranges = idRanges(nl, Math.ceil((nl * window.days) / 2 / (ctx.chunkRows * 8)));
  for (const [part, [lo, hi]] of ranges.entries()) {
    await ctx.writer.part(
      'snapshot_listing_daily',
      part,
      `SELECT (DATE '${window.startDate}' + d::INTEGER)::DATE AS ds, listing_id, (CASE WHEN d < chg_day THEN 'active' ELSE status END)::VARCHAR AS status
       FROM (SELECT listing_id, status, chg_day, unnest(range(greatest(0, floor(cls / 86400)::BIGINT), ${window.days})) AS d FROM lst WHERE listing_id BETWEEN ${lo} AND ${hi})`,
    );
  }
}

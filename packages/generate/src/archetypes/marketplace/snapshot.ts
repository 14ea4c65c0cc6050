import type { StepHandle } from '@dnr/core';
import { loadColumns } from '../../behaviour/load.js';
import { idRanges } from '../../writer.js';
import type { GenContext } from '../../context.js';
import { LISTING_STATUS } from './market.js';
import type { MarketWorld } from './world.js';

/**
 * One row per listing per local day from its creation (or the window start) to the window end, with
 * the status it had at the end of that day: the market's status changes expanded into days. Streamed
 * straight from DuckDB to part files (the largest table).
 */
export async function writeListingSnapshot(ctx: GenContext, world: MarketWorld, h?: StepHandle): Promise<void> {
  const { conn, window } = ctx;
  const tr = world.market.transitions;
  await loadColumns(conn, 'mk_tr', [
    ['listing_id', 'BIGINT', Float64Array.from(tr.listing, (l) => world.ids.listing[l])],
    ['d0', 'INTEGER', tr.day],
    ['status', 'VARCHAR', Array.from(tr.status, (x) => LISTING_STATUS[x])],
  ]);
  await conn.run(`CREATE OR REPLACE TABLE mk_span AS
    SELECT listing_id, status, greatest(d0, 0) AS a, coalesce(lead(d0) OVER (PARTITION BY listing_id ORDER BY d0), ${window.days}) AS b FROM mk_tr`);
  await conn.run(`DELETE FROM mk_span WHERE b <= a`);
  const ids = world.ids.listing;
  const nl = ids.length;
  const ranges = idRanges(nl, Math.ceil((nl * window.days) / 2 / (ctx.chunkRows * 8)));
  h?.total(ranges.length);
  for (const [part, [lo, hi]] of ranges.entries()) {
    await ctx.writer.part(
      'snapshot_listing_daily',
      part,
      `SELECT (DATE '${window.startDate}' + d::INTEGER)::DATE AS ds, listing_id, status::VARCHAR AS status
       FROM (SELECT listing_id, status, unnest(range(a, b)) AS d FROM mk_span WHERE listing_id BETWEEN ${ids[lo - 1]} AND ${ids[hi - 1]})`,
    );
    h?.tick();
  }
  await conn.run('DROP TABLE mk_tr');
}

import { loadColumns } from '../../behaviour/load.js';
import { valuesTable } from '../../behaviour/sql.js';
import { CATEGORIES } from '../../behaviour/taxonomy.js';
import type { GenContext } from '../../context.js';
import { LISTING_STATUS } from './market.js';
import { shopStatusAt } from './parties.js';
import type { SimulatedMarket } from './world.js';

/**
 * Working tables mk_buyer, mk_seller, mk_listing (ids, creation seconds, attributes) and dim_category;
 * dim_buyer, dim_seller and dim_listing follow the facts (key-failures.ts writePartyDims).
 */
export async function writeMarketplaceDims(ctx: GenContext, world: SimulatedMarket): Promise<void> {
  const { conn } = ctx;
  const { m, buyers: b, sellers: s, listings: L, market, ids } = world;
  await loadColumns(conn, 'mk_buyer', [
    ['buyer_id', 'BIGINT', ids.buyer],
    ['created', 'BIGINT', Float64Array.from(b.signup, Math.floor)],
    ['country', 'VARCHAR', Array.from(b.country, (c) => m.countries[c])],
  ]);
  await loadColumns(conn, 'mk_seller', [
    ['seller_id', 'BIGINT', ids.seller],
    ['created', 'BIGINT', Float64Array.from(s.opened, Math.floor)],
    ['country', 'VARCHAR', Array.from(s.country, (c) => m.countries[c])],
    ['shop_status', 'VARCHAR', Array.from({ length: s.n }, (_, k) => shopStatusAt(s, k, m.endUtc - 1))],
  ]);
  await loadColumns(conn, 'mk_listing', [
    ['listing_id', 'BIGINT', ids.listing],
    ['seller_id', 'BIGINT', Float64Array.from(L.seller, (k) => ids.seller[k])],
    ['category_id', 'INTEGER', L.categoryId],
    ['created', 'BIGINT', L.created],
    ['status', 'VARCHAR', Array.from(market.status, (x) => LISTING_STATUS[x])],
    ['price_cents', 'BIGINT', market.price],
  ]);
  await valuesTable(
    conn,
    'category',
    ['category_id', 'name', 'parent_id', 'median'],
    CATEGORIES.map((c) => [c.categoryId, c.name, c.parentId, c.medianCents]),
  );
  const { writer } = ctx;
  if (ctx.want('dim_category'))
    await writer.single('dim_category', `SELECT category_id::INTEGER AS category_id, name::VARCHAR AS name, parent_id::INTEGER AS parent_id FROM category ORDER BY category_id`);
}

import { loadColumns } from '../../behaviour/load.js';
import { valuesTable } from '../../behaviour/sql.js';
import { CATEGORIES } from '../../behaviour/taxonomy.js';
import { installRankTables } from '../../defects/inject.js';
import type { GenContext } from '../../context.js';
import { LISTING_STATUS } from './market.js';
import { shopStatusAt } from './parties.js';
import type { SimulatedMarket } from './world.js';

const ts = (col: string) => `make_timestamp((${col}) * 1000000)::TIMESTAMP`;

/**
 * Working tables mk_buyer, mk_seller, mk_listing (ids, local creation seconds for the temporal-FK rank
 * tables, attributes), the gap tables orphans point at, and the four marketplace dimensions.
 */
export async function writeMarketplaceDims(ctx: GenContext, world: SimulatedMarket): Promise<void> {
  const { conn, window } = ctx;
  const { m, buyers: b, sellers: s, listings: L, market, ids } = world;
  const local = (t: ArrayLike<number>) => Float64Array.from(t, (x) => Math.floor(m.clock.localOf(x)));
  await loadColumns(conn, 'mk_buyer', [
    ['buyer_id', 'BIGINT', ids.buyer],
    ['created', 'BIGINT', Float64Array.from(b.signup, Math.floor)],
    ['cls', 'BIGINT', local(b.signup)],
    ['country', 'VARCHAR', Array.from(b.country, (c) => m.countries[c])],
  ]);
  await loadColumns(conn, 'mk_seller', [
    ['seller_id', 'BIGINT', ids.seller],
    ['created', 'BIGINT', Float64Array.from(s.opened, Math.floor)],
    ['cls', 'BIGINT', local(s.opened)],
    ['country', 'VARCHAR', Array.from(s.country, (c) => m.countries[c])],
    ['shop_status', 'VARCHAR', Array.from({ length: s.n }, (_, k) => shopStatusAt(s, k, m.endUtc - 1))],
  ]);
  await loadColumns(conn, 'mk_listing', [
    ['listing_id', 'BIGINT', ids.listing],
    ['seller_id', 'BIGINT', Float64Array.from(L.seller, (k) => ids.seller[k])],
    ['category_id', 'INTEGER', L.categoryId],
    ['created', 'BIGINT', L.created],
    ['cls', 'BIGINT', local(L.created)],
    ['status', 'VARCHAR', Array.from(market.status, (x) => LISTING_STATUS[x])],
    ['price_cents', 'BIGINT', market.price],
  ]);
  for (const dim of ['buyer', 'seller', 'listing'] as const) {
    await installRankTables(conn, dim, `mk_${dim}`, `${dim}_id`, 'cls', window.days);
    const gaps = ids.gaps[dim];
    await loadColumns(conn, `gap_${dim}`, [
      ['i', 'BIGINT', Float64Array.from(gaps, (_, j) => j)],
      ['id', 'BIGINT', gaps],
    ]);
  }
  await valuesTable(
    conn,
    'category',
    ['category_id', 'name', 'parent_id', 'median'],
    CATEGORIES.map((c) => [c.categoryId, c.name, c.parentId, c.medianCents]),
  );
  const { writer } = ctx;
  if (ctx.want('dim_buyer')) await writer.single('dim_buyer', `SELECT buyer_id, ${ts('created')} AS created_at, country FROM mk_buyer ORDER BY buyer_id`);
  if (ctx.want('dim_seller')) await writer.single('dim_seller', `SELECT seller_id, ${ts('created')} AS created_at, country, shop_status FROM mk_seller ORDER BY seller_id`);
  if (ctx.want('dim_category'))
    await writer.single('dim_category', `SELECT category_id::INTEGER AS category_id, name::VARCHAR AS name, parent_id::INTEGER AS parent_id FROM category ORDER BY category_id`);
  if (ctx.want('dim_listing'))
    await writer.single(
      'dim_listing',
      `SELECT listing_id, seller_id, category_id, ${ts('created')} AS created_at, status, price_cents FROM mk_listing ORDER BY listing_id`,
    );
}

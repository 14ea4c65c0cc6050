import { CATEGORIES, LEAVES_PER_TOP, TOP_CATEGORIES } from '../../behaviour/taxonomy.js';
import { createdDaysSql, churnDaysSql, type LifecycleParams } from '../../behaviour/lifecycle.js';
import { utcFromLocal, valuesTable } from '../../behaviour/sql.js';
import { installRankTables } from '../../defects/inject.js';
import type { GenContext } from '../../context.js';

/** Monthly lapse of buyers and closure of shops (rising under T3). */
export const BUYER_CHURN = 0.025;
export const SELLER_CHURN = 0.012;
/** Listings mostly appear inside the window (the catalogue turns over); a few predate it. */
const LISTING_PRE_SHARE = 0.05;

const COUNTRIES: Array<[string, number]> = [
  ['US', 0.7],
  ['GB', 0.08],
  ['CA', 0.07],
  ['DE', 0.05],
  ['FR', 0.04],
  ['AU', 0.03],
  ['NL', 0.03],
];

/** SQL CASE picking an ISO-2 country from one uniform. */
function countrySql(u: string): string {
  let cum = 0;
  const whens = COUNTRIES.slice(0, -1).map(([c, w]) => {
    cum += w;
    return `WHEN ${u} < ${cum.toFixed(4)} THEN '${c}'`;
  });
  return `CASE ${whens.join(' ')} ELSE '${COUNTRIES[COUNTRIES.length - 1][0]}' END`;
}

const utc = (ctx: GenContext, ls: string, alias: string) => utcFromLocal(ctx.window, ls, `${alias}.off_min`);

/**
 * Sellers, listings (ids contiguous per seller, in creation order), buyers and the category tree;
 * working tables sel, lst, buyer, lcount; writes the four marketplace dims.
 */
export async function buildMarketplaceDims(ctx: GenContext): Promise<void> {
  const { conn, r, window } = ctx;
  const dsec = window.days * 86400;
  const trajectory = ctx.config.warehouse.trajectory;

  await valuesTable(
    conn,
    'category',
    ['category_id', 'name', 'parent_id', 'median'],
    CATEGORIES.map((c) => [c.categoryId, c.name, c.parentId, c.medianCents]),
  );

  const sLife: LifecycleParams = { stream: 'seller', churn: SELLER_CHURN, trajectory };
  await conn.run(`CREATE OR REPLACE TABLE sel AS
    SELECT row_number() OVER (ORDER BY cls, i)::BIGINT AS seller_id, cls, least(floor(chd * 86400), 9e15)::BIGINT AS churn_ls, country, top,
      CASE WHEN chd * 86400 < ${dsec} THEN 'closed' WHEN ust < 0.02 THEN 'suspended' WHEN ust < 0.08 THEN 'vacation' ELSE 'active' END AS shop_status
    FROM (SELECT i, floor(cd * 86400)::BIGINT AS cls, ${churnDaysSql(r, sLife, window, 'i', 'cd')} AS chd,
        ${countrySql(r.u('seller.country', 'i'))} AS country, 1 + floor(${r.u('seller.top', 'i')} * ${TOP_CATEGORIES})::INTEGER AS top,
        ${r.u('seller.status', 'i')} AS ust
      FROM (SELECT i, ${createdDaysSql(r, sLife, window, 'i')} AS cd FROM range(${ctx.targets.dim_seller}) t(i)))`);
  await installRankTables(conn, 'seller', 'sel', 'seller_id', 'cls', window.days);

  const nSel = ctx.targets.dim_seller;
  // Established (earlier) shops carry more listings: seller index skewed by u^1.3.
  await conn.run(`CREATE OR REPLACE TABLE lst0 AS
    SELECT i, s.seller_id, s.shop_status, s.churn_ls,
      CASE WHEN ${r.u('listing.pre', 'i')} < ${LISTING_PRE_SHARE} AND s.cls < 0 THEN s.cls + floor(${r.u('listing.born', 'i')} * (-s.cls))::BIGINT
           ELSE greatest(s.cls, 0) + floor(pow(${r.u('listing.born', 'i')}, 0.8) * greatest(least(s.churn_ls, ${dsec}) - greatest(s.cls, 0), 3600))::BIGINT END AS cls,
      CASE WHEN ${r.u('listing.cat', 'i')} < 0.85 THEN s.top ELSE 1 + floor(${r.u('listing.top', 'i')} * ${TOP_CATEGORIES})::INTEGER END * 100
        + 1 + floor(${r.u('listing.leaf', 'i')} * ${LEAVES_PER_TOP})::INTEGER AS category_id,
      ${r.z('listing.price', 'i')} AS zp, ${r.u('listing.status', 'i')} AS ust, ${r.u('listing.change', 'i')} AS uch
    FROM range(${ctx.targets.dim_listing}) t(i)
    JOIN sel s ON s.seller_id = 1 + floor(pow(${r.u('listing.seller', 'i')}, 1.3) * ${nSel})::BIGINT`);
  await conn.run(`CREATE OR REPLACE TABLE lst AS
    SELECT row_number() OVER (ORDER BY l.seller_id, l.cls, l.i)::BIGINT AS listing_id, l.seller_id, l.cls, l.category_id,
      greatest(199, round(c.median * exp(0.55 * l.zp) / 50) * 50 - 1)::BIGINT AS price_cents,
      CASE WHEN l.shop_status = 'closed' THEN 'removed' WHEN l.shop_status = 'suspended' THEN 'inactive'
           WHEN ust < 0.72 THEN 'active' WHEN ust < 0.82 THEN 'sold_out' WHEN ust < 0.94 THEN 'inactive' ELSE 'removed' END AS status,
      CASE WHEN l.shop_status = 'closed' THEN floor(l.churn_ls / 86400)::BIGINT
           ELSE floor(l.cls / 86400)::BIGINT + 1 + floor(uch * greatest(${window.days} - floor(l.cls / 86400) - 1, 0))::BIGINT END AS chg_day
    FROM lst0 l JOIN category c ON c.category_id = l.category_id`);
  await conn.run(`CREATE OR REPLACE TABLE sfirst AS SELECT seller_id, min(listing_id) AS first_id FROM lst GROUP BY seller_id`);
  await installRankTables(conn, 'listing', 'lst', 'listing_id', 'cls', window.days);
  // Listings created before local day d starts: an order on day d picks among them.
  await conn.run(`CREATE OR REPLACE TABLE lcount AS
    WITH h AS (SELECT cday, count(*) AS n FROM rank_listing GROUP BY cday)
    SELECT c.d, coalesce((SELECT sum(n) FROM h WHERE h.cday < c.d), 0)::BIGINT AS n_before FROM range(${window.days}) c(d)`);

  const bLife: LifecycleParams = { stream: 'buyer', churn: BUYER_CHURN, trajectory };
  await conn.run(`CREATE OR REPLACE TABLE buyer AS
    SELECT row_number() OVER (ORDER BY cls, i)::BIGINT AS buyer_id, cls, least(floor(chd * 86400), 9e15)::BIGINT AS churn_ls, country, act
    FROM (SELECT i, floor(cd * 86400)::BIGINT AS cls, ${churnDaysSql(r, bLife, window, 'i', 'cd')} AS chd,
        ${countrySql(r.u('buyer.country', 'i'))} AS country, exp(0.7 * ${r.z('buyer.act', 'i')} - 0.245) AS act
      FROM (SELECT i, ${createdDaysSql(r, bLife, window, 'i')} AS cd FROM range(${ctx.targets.dim_buyer}) t(i)))`);
  await installRankTables(conn, 'buyer', 'buyer', 'buyer_id', 'cls', window.days);

  const { writer } = ctx;
  if (ctx.want('dim_buyer'))
    await writer.single(
      'dim_buyer',
      `SELECT buyer_id, ${utc(ctx, 'cls', 'z')}::TIMESTAMP AS created_at, country FROM buyer JOIN tzh z ON z.lh = floor(cls / 3600)::BIGINT ORDER BY buyer_id`,
    );
  if (ctx.want('dim_seller'))
    await writer.single(
      'dim_seller',
      `SELECT seller_id, ${utc(ctx, 'cls', 'z')}::TIMESTAMP AS created_at, country, shop_status FROM sel JOIN tzh z ON z.lh = floor(cls / 3600)::BIGINT ORDER BY seller_id`,
    );
  if (ctx.want('dim_category'))
    await writer.single('dim_category', `SELECT category_id::INTEGER AS category_id, name::VARCHAR AS name, parent_id::INTEGER AS parent_id FROM category ORDER BY category_id`);
  if (ctx.want('dim_listing'))
    await writer.single(
      'dim_listing',
      `SELECT listing_id, seller_id, category_id::INTEGER AS category_id, ${utc(ctx, 'cls', 'z')}::TIMESTAMP AS created_at, status, price_cents
       FROM lst JOIN tzh z ON z.lh = floor(cls / 3600)::BIGINT ORDER BY listing_id`,
    );
}

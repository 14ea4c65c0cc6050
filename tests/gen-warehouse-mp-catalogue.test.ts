import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { closeDuckDB, loadConfig, openDuckDB, queryRows, type DuckDBSession } from '../packages/core/src/index.js';
import { generateWarehouse } from '../packages/generate/src/index.js';
import { tempDir } from './helpers/cli.js';
import { one, rel } from './gen-warehouse-helpers.js';

/**
 * Marketplace catalogue tells an outside analyst measured from the Parquet files only, re-measured with
 * the analyst's definitions on the small warehouse (seed 7, typical quality, 18 months): per-category
 * seasonality, subcategory popularity, shop specialisation, price endings, the shape of the category
 * tree and the re-stamped listing created_at of renewals.
 */
let tmp: ReturnType<typeof tempDir>;
let db: DuckDBSession;
let conn: DuckDBConnection;
let dir: string;

beforeAll(async () => {
  tmp = tempDir('dnr-mpcat-');
  db = await openDuckDB({ timeZone: 'UTC' });
  conn = db.connection;
  dir = path.join(tmp.dir, 'mp7');
  const flags = Object.fromEntries(Object.entries({ 'warehouse.scale': 'small', 'warehouse.seed': 7 }).map(([k, v]) => [k, { flag: k, value: v }]));
  const { config } = loadConfig({ cwd: tmp.dir, flags, loadDotEnv: false, env: {} });
  await generateWarehouse({ archetype: 'marketplace', config, out: dir, metaDir: path.join(tmp.dir, 'meta') });
}, 300_000);

afterAll(() => {
  closeDuckDB(db);
  tmp.cleanup();
});

/** Listings with their top-level category name (top) and leaf id. */
const listings = () => `(SELECT l.*, coalesce(c.parent_id, c.category_id) AS top_id, p.name AS top FROM ${rel(dir, 'dim_listing')} l JOIN ${rel(dir, 'dim_category')} c USING (category_id) JOIN ${rel(dir, 'dim_category')} p ON p.category_id = coalesce(c.parent_id, c.category_id))`;

describe('marketplace catalogue (small, seed 7)', () => {
  it('each top-level category has its own season: toys peak in December, weddings in May–September, clothing lifts in October', async () => {
    // order lines per top category and calendar month over the window's full months (lines, not units: a
    // wedding-favours line of 100 pieces would swing a small category's month); a month-of-year index = that
    // month's mean lines ÷ the mean over the twelve months
    const rows = await queryRows<{ top: string; mo: number; ix: number }>(
      conn,
      `WITH u AS (SELECT l.top, date_trunc('month', o.order_time) AS mon, count(*) AS units
         FROM ${rel(dir, 'fact_order_item')} i JOIN ${rel(dir, 'fact_order')} o USING (order_id) JOIN ${listings()} l USING (listing_id) GROUP BY 1, 2),
       r AS (SELECT min(mon) AS lo, max(mon) AS hi FROM u),
       m AS (SELECT top, month(mon) AS mo, avg(units) AS units FROM u, r WHERE mon > lo AND mon < hi GROUP BY 1, 2)
       SELECT top, mo::INTEGER AS mo, units / avg(units) OVER (PARTITION BY top) AS ix FROM m`,
    );
    const ix = (top: string, mo: number) => rows.find((r) => r.top === top && r.mo === mo)!.ix;
    const peak = (top: string) => rows.filter((r) => r.top === top).sort((a, b) => b.ix - a.ix)[0].mo;
    // before: every category 1.5–1.7 in December (Toys 1.56, Weddings 1.66)
    expect(ix('Toys & Games', 12)).toBeGreaterThan(2);
    expect(ix('Toys & Games', 12)).toBeGreaterThan(1.8 * ix('Weddings', 12));
    // December is the marketplace's biggest month (month_of_year 1.5), so a category that falls away then
    // is read against the gift categories and its own wedding season. Measured (lines): Toys December 3.17,
    // Weddings May–June 1.49 / 1.32 against 1.16 in December (declared ≈ 0.43: the wedding shops' regulars
    // keep buying in December more than the season says — left for the next analyst pass)
    const summer = [5, 6, 7, 8, 9].reduce((a, mo) => a + ix('Weddings', mo), 0) / 5;
    expect(summer).toBeGreaterThan(1.1);
    expect((ix('Weddings', 5) + ix('Weddings', 6)) / 2).toBeGreaterThan(1.15 * ix('Weddings', 12));
    // clothing lifts in October (costumes: listings.leaf_season) over its summer: 1.23 against 0.72–0.88
    const clothingSummer = [6, 7, 8].reduce((a, mo) => a + ix('Clothing', mo), 0) / 3;
    expect(ix('Clothing', 10)).toBeGreaterThan(1.15);
    expect(ix('Clothing', 10)).toBeGreaterThan(clothingSummer + 0.25);
    expect(peak('Toys & Games')).toBe(12);
  });

  it('subcategories are Zipf-like: the busiest leaf of a parent with 7+ leaves has at least 5× the listings of the quietest', async () => {
    const rows = await queryRows<{ parent_id: number; leaves: number; listing_ratio: number; unit_ratio: number }>(
      conn,
      `WITH n AS (SELECT c.parent_id, c.category_id, count(l.listing_id) AS n FROM ${rel(dir, 'dim_category')} c LEFT JOIN ${rel(dir, 'dim_listing')} l USING (category_id) WHERE c.parent_id IS NOT NULL GROUP BY 1, 2),
       u AS (SELECT l.category_id, sum(i.qty) AS units FROM ${rel(dir, 'fact_order_item')} i JOIN ${rel(dir, 'dim_listing')} l USING (listing_id) GROUP BY 1)
       SELECT n.parent_id, count(*)::INTEGER AS leaves, max(n.n) / greatest(min(n.n), 1) AS listing_ratio, max(coalesce(u.units, 0)) / greatest(min(coalesce(u.units, 0)), 1) AS unit_ratio
       FROM n LEFT JOIN u USING (category_id) GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toHaveLength(10);
    // before: 1.0–1.1 (Rugs 4,621 vs Candles 4,722 at evaluation scale)
    for (const r of rows) expect(r.listing_ratio, `parent ${r.parent_id}`).toBeGreaterThanOrEqual(r.leaves >= 7 ? 5 : 3);
    for (const r of rows) expect(r.unit_ratio, `parent ${r.parent_id}`).toBeGreaterThanOrEqual(r.leaves >= 7 ? 4 : 2);
    expect(Math.max(...rows.map((r) => r.listing_ratio))).toBeGreaterThanOrEqual(10);
  });

  it('the category tree is uneven: 5 to 12 leaves under the ten top-level categories', async () => {
    const t = await one<{ tops: number; lo: number; hi: number; leaves: number }>(
      conn,
      `WITH k AS (SELECT parent_id, count(*) AS n FROM ${rel(dir, 'dim_category')} WHERE parent_id IS NOT NULL GROUP BY 1)
       SELECT count(*) AS tops, min(n) AS lo, max(n) AS hi, sum(n) AS leaves FROM k`,
    );
    expect(t).toEqual({ tops: 10, lo: 5, hi: 12, leaves: 80 });
  });

  it('shops specialise: most list in one top-level category, the rest mostly in a main one plus a secondary one', async () => {
    const s = await one<{ single5: number; single20: number; tops20: number; main_multi: number; second_multi: number }>(
      conn,
      `WITH x AS (SELECT seller_id, top_id, count(*) AS n FROM ${listings()} GROUP BY 1, 2),
       r AS (SELECT seller_id, n, row_number() OVER (PARTITION BY seller_id ORDER BY n DESC, top_id) AS k FROM x),
       s AS (SELECT seller_id, sum(n) AS tot, count(*) AS tops, max(n) / sum(n) AS main, coalesce(max(n) FILTER (WHERE k = 2), 0) / sum(n) AS second FROM r GROUP BY 1)
       SELECT avg((tops = 1)::INT) FILTER (WHERE tot >= 5) AS single5, avg((tops = 1)::INT) FILTER (WHERE tot >= 20) AS single20,
              avg(tops) FILTER (WHERE tot >= 20) AS tops20, avg(main) FILTER (WHERE tot >= 20 AND tops > 1) AS main_multi,
              avg(second / (1 - main)) FILTER (WHERE tot >= 20 AND tops > 1) AS second_multi FROM s`,
    );
    // before (evaluation scale): 1.6% of shops with 20+ listings in one category, 5.3 categories each
    expect(s.single5).toBeGreaterThanOrEqual(0.5);
    expect(s.single20).toBeGreaterThanOrEqual(0.45);
    expect(s.tops20).toBeLessThan(3);
    expect(s.main_multi).toBeGreaterThan(0.65);
    expect(s.main_multi).toBeLessThan(0.9);
    // the off-main listings of a multi-category shop sit mostly in one secondary category
    expect(s.second_multi).toBeGreaterThan(0.6);
  });

  it('prices end in many cents values, each currency with its own character', async () => {
    const rows = await queryRows<{ currency: string; cents: number; share: number }>(
      conn,
      `WITH x AS (SELECT o.currency, (i.item_price_cents % 100)::INTEGER AS cents, count(*) AS n FROM ${rel(dir, 'fact_order_item')} i JOIN ${rel(dir, 'fact_order')} o USING (order_id) GROUP BY 1, 2)
       SELECT currency, cents, n / sum(n) OVER (PARTITION BY currency) AS share FROM x`,
    );
    const share = (cur: string, cents: number) => rows.find((r) => r.currency === cur && r.cents === cents)?.share ?? 0;
    const top = (cur: string) => rows.filter((r) => r.currency === cur).sort((a, b) => b.share - a.share)[0].cents;
    // before: six endings in all (.99, .00, .50, .95, .90, .49), USD only three
    expect(new Set(rows.map((r) => r.cents)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(rows.filter((r) => r.currency === 'USD').map((r) => r.cents)).size).toBeGreaterThanOrEqual(10);
    for (const c of [25, 75, 0, 95, 50]) expect(share('USD', c), `USD .${c}`).toBeGreaterThan(0.005);
    expect(top('USD')).toBe(99);
    expect(top('AUD')).toBe(0);
    expect(share('EUR', 90)).toBeGreaterThan(0.08);
    expect(share('USD', 90)).toBeLessThan(0.02);
  });

  it("re-stamped listings' created_at are not on a fixed renewal grid", async () => {
    // the analyst's definition: a listing whose created_at is days after both id-neighbours' (ids follow
    // creation) was re-stamped; its jump over the previous id's created_at
    const r = await one<{ n: number; grid122: number; whole_days: number }>(
      conn,
      `WITH x AS (SELECT epoch(created_at) AS t, lag(epoch(created_at)) OVER (ORDER BY listing_id) AS p, lead(epoch(created_at)) OVER (ORDER BY listing_id) AS nx FROM ${rel(dir, 'dim_listing')}),
       j AS (SELECT (t - p) / 86400 AS d FROM x WHERE t - nx > 2 * 86400 AND t - p > 2 * 86400)
       SELECT count(*) AS n, avg((abs(d - 122 * round(d / 122)) < 0.1)::INT) AS grid122, avg((abs(d - round(d)) < 0.01)::INT) AS whole_days FROM j`,
    );
    expect(r.n).toBeGreaterThan(30);
    // before: 99.9% within an hour of a multiple of 122 days
    expect(r.grid122).toBeLessThan(0.1);
    expect(r.whole_days).toBeLessThan(0.2);
  });
});

#!/usr/bin/env node
/**
 * `node scripts/analyst-marketplace.mjs WAREHOUSE_DIR [--json] [--only=section,…]`
 *
 * A growth analyst's first pass over a marketplace warehouse, from the Parquet files alone (through
 * the warehouse's own warehouse.duckdb views): every finding of the marketplace behaviour issue as one
 * measured number — demand vs price, category and quality; status consistency; supply vs demand;
 * cohorts; segments and concentration; money; calendar and time; marketing tables; id fingerprints.
 * Facts are de-duplicated by business key first (earliest loaded_at), as an analyst would. Times are
 * read in the warehouse's time zone (manifest.json `tz`). Prints `name  value  note` lines (or JSON).
 * `--only` keeps the sections named (demand, status, supply, cohort, segments, money, calendar, marketing):
 * the first part of each finding's name.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
if (!dir || !existsSync(path.join(dir, 'warehouse.duckdb'))) {
  process.stderr.write('usage: analyst-marketplace.mjs WAREHOUSE_DIR [--json] [--only=section,…]  (a marketplace warehouse with warehouse.duckdb)\n');
  process.exitCode = 2;
} else {
  await analyse(dir);
}

async function analyse(dir) {
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const tz = manifest.tz;
const start = manifest.start_date;
const local = (c) => `timezone('${tz}', ${c} AT TIME ZONE 'UTC')`;

const inst = await DuckDBInstance.create(path.join(dir, 'warehouse.duckdb'), { access_mode: 'READ_ONLY' });
const conn = await inst.connect();
const q = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
const tables = new Set((await q(`SELECT table_name FROM information_schema.tables`)).map((r) => r.table_name));

// Working views: de-duplicated facts, local times, listing attributes.
await conn.run(`CREATE TEMP VIEW o AS SELECT * EXCLUDE (rn), ${local('order_time')} AS lt FROM (
  SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY loaded_at) AS rn FROM fact_order) WHERE rn = 1`);
await conn.run(`CREATE TEMP VIEW i AS SELECT * EXCLUDE (rn) FROM (
  SELECT *, row_number() OVER (PARTITION BY order_id, line_id ORDER BY loaded_at) AS rn FROM fact_order_item) WHERE rn = 1`);
await conn.run(`CREATE TEMP VIEW p AS SELECT * EXCLUDE (rn) FROM (
  SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY loaded_at) AS rn FROM fact_payment) WHERE rn = 1`);
await conn.run(`CREATE TEMP TABLE li AS SELECT i.*, o.buyer_id, o.lt, o.lt::DATE AS day, o.currency, o.order_time FROM i JOIN o USING (order_id)`);
await conn.run(`CREATE TEMP TABLE lst AS SELECT l.*, coalesce(c.parent_id, c.category_id) AS top, ${local('l.created_at')} AS lc FROM dim_listing l JOIN dim_category c USING (category_id)`);

const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (section) => !only || only.includes(section);
const out = [];
const add = (name, value, note = '') => out.push({ name, value: typeof value === 'number' ? Number(value.toFixed(4)) : value, note });
const one = async (sql) => (await q(sql))[0] ?? {};
const num = (x) => (x === null || x === undefined ? null : Number(x));

// 1. Demand vs price, category, quality
if (want('demand')) {
  const rows = await q(`WITH s AS (SELECT listing_id, sum(qty) AS units FROM li GROUP BY 1),
      h1 AS (SELECT l.listing_id, l.price_cents, l.category_id, coalesce(s.units, 0) AS units,
               ntile(5) OVER (PARTITION BY l.category_id ORDER BY l.price_cents / (SELECT median(price_cents) FROM lst x WHERE x.category_id = l.category_id)) AS q
             FROM lst l LEFT JOIN s USING (listing_id) WHERE l.lc >= '${start}' AND l.lc < '${start}'::DATE + INTERVAL 6 MONTH)
    SELECT q, avg(units) AS units, avg(price_cents) / 100 AS price FROM h1 GROUP BY q ORDER BY q`);
  for (const r of rows) add(`demand.units_per_listing.price_quintile_within_category_${r.q}`, num(r.units), `mean price $${num(r.price).toFixed(2)}`);
  const cats = await q(`SELECT c.name, sum(li.qty) * 100.0 / (SELECT sum(qty) FROM li) AS pct_units, avg(l.price_cents) / 100 AS price
    FROM li JOIN lst l USING (listing_id) JOIN dim_category c ON c.category_id = l.top GROUP BY 1 ORDER BY 2 DESC`);
  add('demand.top_category_units_pct.max', num(cats[0]?.pct_units), cats[0]?.name);
  add('demand.top_category_units_pct.min', num(cats.at(-1)?.pct_units), cats.at(-1)?.name);
  const d = await one(`WITH s AS (SELECT l.listing_id, coalesce(sum(li.qty), 0) AS units FROM lst l LEFT JOIN li USING (listing_id)
      WHERE l.lc >= '${start}' AND l.lc < '${start}'::DATE + INTERVAL 6 MONTH GROUP BY 1)
    SELECT var_samp(units) / avg(units) AS dispersion, avg((units = 0)::INT) * 100 AS never_pct, avg((units <= 1)::INT) * 100 AS le1_pct,
      (SELECT sum(units) FROM (SELECT units FROM s ORDER BY units DESC LIMIT (SELECT (count(*) / 10)::BIGINT FROM s))) * 100.0 / sum(units) AS top10_pct FROM s`);
  add('demand.variance_over_mean', num(d.dispersion), 'units per listing, listings created in the first 6 months');
  add('demand.never_sold_pct', num(d.never_pct));
  add('demand.sold_at_most_once_pct', num(d.le1_pct));
  add('demand.top10pct_listings_units_pct', num(d.top10_pct));
}

// 2. Statuses vs behaviour
if (want('status')) {
  const s = await one(`SELECT avg((prev.status <> 'active')::INT) * 100 AS after_pct, count(*) AS n
    FROM li JOIN snapshot_listing_daily prev ON prev.listing_id = li.listing_id AND prev.ds = li.day - 1`);
  add('status.lines_sold_when_listing_not_active_day_before_pct', num(s.after_pct), `${s.n} lines with a snapshot row the day before`);
  const r = await one(`SELECT avg((s.status IN ('removed', 'inactive'))::INT) * 100 AS pct FROM li JOIN snapshot_listing_daily s ON s.listing_id = li.listing_id AND s.ds = li.day`);
  add('status.lines_on_removed_or_inactive_day_pct', num(r.pct));
  const so = await one(`SELECT avg((listing_id NOT IN (SELECT listing_id FROM li WHERE listing_id IS NOT NULL))::INT) * 100 AS pct, count(*) AS n FROM lst WHERE status = 'sold_out'`);
  add('status.sold_out_never_sold_pct', num(so.pct), `${so.n} sold_out listings`);
  const cl = await one(`WITH closed AS (SELECT seller_id FROM dim_seller WHERE shop_status = 'closed'),
      first_removed AS (SELECT l.seller_id, s.listing_id, min(s.ds) AS d FROM snapshot_listing_daily s JOIN dim_listing l USING (listing_id)
               WHERE l.seller_id IN (SELECT seller_id FROM closed) AND s.status = 'removed' GROUP BY 1, 2),
      -- the closure: the day the shop's last listings were removed
      gone AS (SELECT seller_id, max(d) AS removed_day FROM first_removed GROUP BY 1)
    SELECT count(*) AS closed, count(*) FILTER (EXISTS (SELECT 1 FROM li WHERE li.seller_id = g.seller_id AND li.day > g.removed_day + 1)) AS sold_after
    FROM gone g`);
  add('status.closed_shops_selling_after_listings_removed', `${cl.sold_after} of ${cl.closed}`);
  const tr = await q(`WITH ch AS (SELECT listing_id, count(*) - 1 AS changes FROM (SELECT listing_id, status, ds, lag(status) OVER (PARTITION BY listing_id ORDER BY ds) AS p FROM snapshot_listing_daily)
      WHERE p IS NULL OR p <> status GROUP BY 1) SELECT least(changes, 3) AS c, count(*) * 100.0 / sum(count(*)) OVER () AS pct FROM ch GROUP BY 1 ORDER BY 1`);
  add('status.transitions_per_listing_pct', tr.map((x) => `${x.c}${x.c === 3 ? '+' : ''}: ${num(x.pct).toFixed(1)}%`).join(', '));
  const clk = await q(`WITH f AS (SELECT listing_id, status, min(ds) AS first_day FROM snapshot_listing_daily WHERE status <> 'active' GROUP BY 1, 2)
    SELECT f.status, median(date_diff('day', l.lc::DATE, f.first_day)) AS med FROM f JOIN lst l USING (listing_id) WHERE l.lc >= '${start}' GROUP BY 1 ORDER BY 1`);
  add('status.median_days_to_status', clk.map((x) => `${x.status} ${num(x.med)}`).join(', '));
  // a shop in vacation mode (dim_seller.shop_status, the state at the window end) or closed sells nothing in its pause
  const vac = await q(`WITH last AS (SELECT max(day) AS d FROM li), sold AS (SELECT DISTINCT seller_id FROM li WHERE day = (SELECT d FROM last) AND seller_id IS NOT NULL)
    SELECT shop_status, count(*) AS shops, avg((seller_id IN (SELECT seller_id FROM sold))::INT) * 100 AS pct FROM dim_seller GROUP BY 1 ORDER BY 1`);
  add('status.shops_selling_on_last_day_pct_by_shop_status', vac.map((x) => `${x.shop_status} ${num(x.pct).toFixed(2)} (${num(x.shops)})`).join(', '), 'shop_status is the state at the window end');
  const ps = await one(`WITH ls AS (SELECT s.listing_id, s.status FROM snapshot_listing_daily s WHERE s.ds = (SELECT max(ds) FROM snapshot_listing_daily))
    SELECT avg((ls.status = 'active')::INT) FILTER (d.shop_status IN ('vacation')) * 100 AS vac_active, avg((ls.status = 'active')::INT) FILTER (d.shop_status = 'active') * 100 AS act_active
    FROM ls JOIN dim_listing l USING (listing_id) JOIN dim_seller d USING (seller_id)`);
  add('status.listings_active_on_last_day_pct_vacation_vs_active_shops', `${num(ps.vac_active)?.toFixed(1)} vs ${num(ps.act_active)?.toFixed(1)}`, 'snapshot status of the shops\' listings on the last day');
  if (tables.has('fact_shop_status')) {
    const sp = await one(`SELECT count(*) AS lines, (SELECT count(*) FROM fact_shop_status) AS spells, (SELECT count(*) FROM fact_shop_status WHERE shop_status = 'vacation') AS vacations
      FROM li JOIN fact_shop_status f ON f.seller_id = li.seller_id AND li.order_time >= f.started_at AND (f.ended_at IS NULL OR li.order_time < f.ended_at)`);
    add('status.lines_sold_during_shop_pause', num(sp.lines), `${num(sp.spells)} spells in fact_shop_status (${num(sp.vacations)} vacations)`);
    const mm = await one(`SELECT count(*) AS n, count(*) FILTER (d.shop_status <> coalesce(f.shop_status, 'active')) AS bad FROM dim_seller d
      LEFT JOIN fact_shop_status f ON f.seller_id = d.seller_id AND f.ended_at IS NULL`);
    add('status.shop_status_disagrees_with_open_spell', `${num(mm.bad)} of ${num(mm.n)}`, 'dim_seller.shop_status vs the spell in force at the window end');
  }
  const ly = await q(`SELECT year(lc) AS y, count(*) * 100.0 / sum(count(*)) OVER () AS pct FROM lst GROUP BY 1 ORDER BY 1`);
  add('status.listings_created_by_year_pct', ly.map((x) => `${x.y} ${num(x.pct).toFixed(1)}`).join(', '));
  const re = await one(`WITH t AS (SELECT listing_id, status, lag(status) OVER (PARTITION BY listing_id ORDER BY ds) AS p FROM snapshot_listing_daily)
    SELECT count(DISTINCT listing_id) FILTER (p = 'inactive' AND status = 'active') AS react, count(DISTINCT listing_id) FILTER (status = 'inactive') AS inactive FROM t`);
  add('status.inactive_listings_reactivated', `${num(re.react)} of ${num(re.inactive)}`, 'listings with an inactive → active change in the snapshot');
}

// 3. Supply vs demand
if (want('supply')) {
  const m = await q(`WITH live AS (SELECT date_trunc('month', ds) AS m, count(*) / count(DISTINCT ds) AS live FROM snapshot_listing_daily WHERE status = 'active' GROUP BY 1),
      ord AS (SELECT date_trunc('month', lt) AS m, count(*) AS orders FROM o GROUP BY 1)
    SELECT m, live, orders, orders / live AS per_live FROM live JOIN ord USING (m) ORDER BY m`);
  const full = m.slice(0, -1);
  add('supply.live_listings.first_month', num(full[0]?.live));
  add('supply.live_listings.last_month', num(full.at(-1)?.live));
  add('supply.orders.first_month', num(full[0]?.orders));
  add('supply.orders.last_month', num(full.at(-1)?.orders));
  add('supply.orders_per_live_listing', `${num(full[0]?.per_live).toFixed(3)} → ${num(full.at(-1)?.per_live).toFixed(3)}`);
  const c = await one(`WITH live AS (SELECT date_trunc('month', ds) AS m, count(*) / count(DISTINCT ds) AS live FROM snapshot_listing_daily WHERE status = 'active' GROUP BY 1),
      ord AS (SELECT date_trunc('month', lt) AS m, count(*) AS orders FROM o GROUP BY 1)
    SELECT corr(live, orders) AS r FROM live JOIN ord USING (m)`);
  add('supply.corr_live_listings_orders_monthly', num(c.r));
}

// 4. Cohorts
if (want('cohort')) {
  const y = await q(`WITH b AS (SELECT buyer_id, year(${local('created_at')}) AS y FROM dim_buyer),
      per AS (SELECT b.y, b.buyer_id, count(o.order_id) AS n, max(o.lt) AS last FROM b LEFT JOIN o USING (buyer_id) GROUP BY 1, 2)
    SELECT y, count(*) AS buyers, avg(n) AS orders, avg((last >= '${manifest.end_date}'::DATE - INTERVAL 6 MONTH)::INT) * 100 AS still_pct FROM per GROUP BY 1 ORDER BY 1`);
  for (const r of y) add(`cohort.buyer_${r.y}.orders_per_buyer`, num(r.orders), `${r.buyers} buyers; ${num(r.still_pct).toFixed(1)}% ordered in the last 6 months`);
  const ma = await q(`WITH b AS (SELECT buyer_id, year(${local('created_at')}) AS y FROM dim_buyer WHERE created_at < '${start}')
    SELECT y, count(DISTINCT o.buyer_id) FILTER (date_trunc('month', o.lt) = '${start}'::DATE) * 100.0 / count(DISTINCT b.buyer_id) AS active_pct
    FROM b LEFT JOIN o USING (buyer_id) GROUP BY 1 ORDER BY 1`);
  add('cohort.monthly_active_first_window_month_pct', ma.map((x) => `${x.y} ${num(x.active_pct).toFixed(1)}`).join(', '));
  const s = await q(`SELECT date_trunc('month', ${local('created_at')}) AS m, count(*) AS n FROM dim_buyer
    WHERE ${local('created_at')} >= '${start}'::DATE - INTERVAL 3 MONTH AND ${local('created_at')} < '${start}'::DATE + INTERVAL 3 MONTH GROUP BY 1 ORDER BY 1`);
  add('cohort.buyer_signups_per_month_around_window_start', s.map((x) => num(x.n)).join(' / '));
  const sc = await q(`SELECT year(${local('created_at')}) AS y, avg((shop_status = 'closed')::INT) * 100 AS closed_pct, count(*) AS n FROM dim_seller GROUP BY 1 ORDER BY 1`);
  add('cohort.closed_shop_pct_by_opening_year', sc.map((x) => `${x.y} ${num(x.closed_pct).toFixed(0)}`).join(', '));
  // orders per ordering buyer over the window, one-time buyers of the window's early cohorts, retention by month since sign-up
  const per = await one(`WITH per AS (SELECT buyer_id, count(*) AS n FROM o WHERE buyer_id IS NOT NULL GROUP BY 1)
    SELECT median(n) AS med, quantile_disc(n, 0.9) AS p90, quantile_disc(n, 0.99) AS p99, avg((n = 1)::INT) * 100 AS once_pct, count(*) AS buyers FROM per`);
  add('cohort.orders_per_ordering_buyer', `median ${num(per.med)}, p90 ${num(per.p90)}, p99 ${num(per.p99)}`, `${num(per.buyers)} buyers; ${num(per.once_pct).toFixed(1)}% ordered once in the window`);
  const early = `(SELECT buyer_id, date_trunc('month', ${local('created_at')}) AS cm FROM dim_buyer WHERE ${local('created_at')} >= '${start}' AND ${local('created_at')} < '${start}'::DATE + INTERVAL 6 MONTH)`;
  const ot = await one(`WITH per AS (SELECT b.buyer_id, count(o.order_id) AS n FROM ${early} b JOIN o USING (buyer_id) GROUP BY 1)
    SELECT avg((n = 1)::INT) * 100 AS once, avg((n <= 2)::INT) * 100 AS le2, count(*) AS buyers FROM per`);
  add('cohort.one_time_buyer_pct_first_half_year_signups', num(ot.once), `${num(ot.buyers)} ordering buyers who signed up in the window's first 6 months; ${num(ot.le2).toFixed(1)}% ordered at most twice`);
  const ret = await q(`WITH b AS ${early}, act AS (SELECT DISTINCT b.buyer_id, date_diff('month', b.cm, date_trunc('month', o.lt)) AS k FROM b JOIN o USING (buyer_id)),
      base AS (SELECT count(DISTINCT buyer_id) AS n FROM act)
    SELECT k, count(*) * 100.0 / (SELECT n FROM base) AS pct FROM act WHERE k BETWEEN 0 AND 12 GROUP BY 1 ORDER BY 1`);
  add('cohort.active_pct_by_month_since_signup', ret.map((x) => `m${x.k} ${num(x.pct).toFixed(1)}`).join(', '), "share of the window's first-half-year ordering sign-ups with an order in month k after the sign-up month");
  const mact = await q(`WITH b AS (SELECT buyer_id, year(${local('created_at')}) AS y FROM dim_buyer WHERE created_at < '${start}'::DATE - INTERVAL 12 MONTH),
      m AS (SELECT date_trunc('month', lt) AS m, buyer_id FROM o GROUP BY 1, 2), months AS (SELECT DISTINCT m FROM m)
    SELECT y, avg(a) AS pct FROM (SELECT b.y, months.m, count(DISTINCT m.buyer_id) * 100.0 / any_value(c.n) AS a FROM b CROSS JOIN months
        LEFT JOIN m ON m.buyer_id = b.buyer_id AND m.m = months.m JOIN (SELECT y, count(*) AS n FROM b GROUP BY 1) c ON c.y = b.y GROUP BY 1, 2) GROUP BY 1 ORDER BY 1`);
  add('cohort.monthly_active_pct_avg_over_window_by_signup_year', mact.map((x) => `${x.y} ${num(x.pct).toFixed(1)}`).join(', '), 'sign-ups at least a year before the window, every sign-up counted');
  const hab = await one(`WITH g AS (SELECT o.buyer_id, sum(p.buyer_paid_cents * fx.usd_rate) AS gmv FROM o JOIN p USING (order_id) JOIN dim_fx_rate fx ON fx.currency = o.currency AND fx.rate_date = o.lt::DATE WHERE o.buyer_id IS NOT NULL GROUP BY 1),
      r AS (SELECT gmv, row_number() OVER (ORDER BY gmv DESC) AS k, count(*) OVER () AS n FROM g)
    SELECT sum(gmv) FILTER (k <= n / 10) * 100.0 / sum(gmv) AS top10 FROM r`);
  add('cohort.top10pct_buyers_gmv_pct', num(hab.top10), 'USD buyer_paid over the window, ordering buyers');
  // Etsy's buyer tiers over the last 12 months: repeat (purchases on 2+ days), habitual (6+ days and $200+)
  const tier = await one(`WITH y AS (SELECT o.buyer_id, count(DISTINCT o.lt::DATE) AS days, sum(o.subtotal_cents * fx.usd_rate) / 100 AS usd FROM o
        JOIN dim_fx_rate fx ON fx.currency = o.currency AND fx.rate_date = o.lt::DATE
        WHERE o.buyer_id IS NOT NULL AND o.lt >= '${manifest.end_date}'::DATE - INTERVAL 12 MONTH + INTERVAL 1 DAY GROUP BY 1)
    SELECT count(*) AS buyers, avg((days >= 2)::INT) * 100 AS repeat_pct, avg((days >= 6 AND usd >= 200)::INT) * 100 AS habitual_pct,
      sum(usd) FILTER (days >= 6 AND usd >= 200) * 100.0 / sum(usd) AS habitual_gmv_pct FROM y`);
  add('cohort.last12m_repeat_habitual_buyer_pct', `repeat ${num(tier.repeat_pct).toFixed(1)}, habitual ${num(tier.habitual_pct).toFixed(1)}`, `${num(tier.buyers)} buyers active in the last 12 months; habitual buyers carry ${num(tier.habitual_gmv_pct).toFixed(1)}% of their item GMV (USD)`);
}

// 5. Segments and concentration
if (want('segments')) {
  // order value in USD (each order's currency at the day's dim_fx_rate)
  const usd = `JOIN dim_fx_rate fx ON fx.currency = o.currency AND fx.rate_date = o.lt::DATE`;
  const c = await q(`SELECT b.country, avg(p.buyer_paid_cents * fx.usd_rate) / 100 AS aov, avg(o.subtotal_cents * fx.usd_rate) / 100 AS items FROM o JOIN p USING (order_id) ${usd} JOIN dim_buyer b USING (buyer_id) GROUP BY 1 ORDER BY 2`);
  add('segments.aov_by_country_usd', c.map((x) => `${x.country} ${num(x.aov).toFixed(1)}`).join(', '), `item subtotal ${c.map((x) => `${x.country} ${num(x.items).toFixed(1)}`).join(', ')}`);
  const f = await q(`WITH per AS (SELECT buyer_id, count(*) AS n FROM o WHERE buyer_id IS NOT NULL GROUP BY 1)
    SELECT CASE WHEN n = 1 THEN '1' WHEN n <= 3 THEN '2-3' WHEN n <= 9 THEN '4-9' ELSE '10+' END AS band, avg(p.buyer_paid_cents * fx.usd_rate) / 100 AS aov,
      avg(o.subtotal_cents * fx.usd_rate) / 100 AS items, count(DISTINCT per.buyer_id) AS buyers
    FROM per JOIN o USING (buyer_id) JOIN p USING (order_id) ${usd} GROUP BY 1 ORDER BY 1`);
  add('segments.aov_by_frequency_band_usd', f.map((x) => `${x.band}: ${num(x.aov).toFixed(1)} (${x.buyers})`).join(', '), `item subtotal ${f.map((x) => `${x.band}: ${num(x.items).toFixed(1)}`).join(', ')}`);
  const up = await q(`WITH per AS (SELECT buyer_id, count(*) AS n FROM o WHERE buyer_id IS NOT NULL GROUP BY 1)
    SELECT CASE WHEN n = 1 THEN '1' WHEN n <= 3 THEN '2-3' WHEN n <= 9 THEN '4-9' ELSE '10+' END AS band, avg(li.item_price_cents * fx.usd_rate) / 100 AS price
    FROM per JOIN li USING (buyer_id) JOIN dim_fx_rate fx ON fx.currency = li.currency AND fx.rate_date = li.day GROUP BY 1 ORDER BY 1`);
  add('segments.item_price_by_frequency_band_usd', up.map((x) => `${x.band}: ${num(x.price).toFixed(1)}`).join(', '));
  const foc = await one(`WITH bc AS (SELECT li.buyer_id, l.top, count(*) AS n FROM li JOIN lst l USING (listing_id) WHERE li.buyer_id IS NOT NULL GROUP BY 1, 2),
      tot AS (SELECT buyer_id, sum(n) AS n, max(n) AS top FROM bc GROUP BY 1 HAVING sum(n) >= 5),
      pop AS (SELECT top, count(*) * 1.0 / sum(count(*)) OVER () AS p FROM li JOIN lst USING (listing_id) GROUP BY 1)
    SELECT avg(top / n) AS observed, (SELECT max(p) FROM pop) AS random_floor FROM tot`);
  add('segments.buyer_top_category_share', num(foc.observed), `buyers with 5+ lines; the biggest category's population share is ${num(foc.random_floor).toFixed(3)}`);
  const rep = await one(`WITH os AS (SELECT o.buyer_id, o.order_id, o.lt, min(i.seller_id) AS seller_id FROM o JOIN i USING (order_id) WHERE o.buyer_id IS NOT NULL AND i.seller_id IS NOT NULL GROUP BY 1, 2, 3),
      r AS (SELECT *, row_number() OVER (PARTITION BY buyer_id ORDER BY lt) AS k FROM os)
    SELECT avg((EXISTS (SELECT 1 FROM r p WHERE p.buyer_id = r.buyer_id AND p.k < r.k AND p.seller_id = r.seller_id))::INT) * 100 AS pct FROM r WHERE k > 1`);
  add('segments.repeat_orders_to_known_shop_pct', num(rep.pct));
  const home = await q(`WITH x AS (SELECT b.country AS bc, s.country AS sc FROM li JOIN dim_buyer b USING (buyer_id) JOIN dim_seller s USING (seller_id)),
      base AS (SELECT sc AS c, count(*) * 1.0 / (SELECT count(*) FROM x) AS supply_share FROM x GROUP BY 1)
    SELECT bc, avg((bc = sc)::INT) AS home, (SELECT supply_share FROM base WHERE c = bc) AS supply FROM x GROUP BY 1 ORDER BY 1`);
  add('segments.home_country_lift', home.map((x) => `${x.bc} ×${(num(x.home) / num(x.supply)).toFixed(2)}`).join(', '), 'share of a country\'s buyers\' lines from home shops ÷ that country\'s shops\' share of all lines');
  const g = await one(`WITH s AS (SELECT d.seller_id, coalesce(sum(li.qty * li.item_price_cents), 0) AS gmv FROM dim_seller d LEFT JOIN li USING (seller_id) GROUP BY 1),
      r AS (SELECT gmv, row_number() OVER (ORDER BY gmv) AS k, count(*) OVER () AS n, sum(gmv) OVER () AS tot FROM s)
    SELECT sum(gmv) FILTER (k > n - n / 100) * 100.0 / max(tot) AS top1_pct, 1 - 2 * sum((n - k + 0.5) * gmv) / (max(n) * max(tot)) AS gini FROM r`);
  add('segments.top1pct_sellers_gmv_pct', num(g.top1_pct), 'all shops in dim_seller');
  add('segments.seller_gmv_gini', num(g.gini), 'all shops in dim_seller');
  const ga = await one(`WITH s AS (SELECT seller_id, sum(qty * item_price_cents) AS gmv FROM li WHERE seller_id IN (SELECT seller_id FROM dim_seller) GROUP BY 1),
      r AS (SELECT gmv, row_number() OVER (ORDER BY gmv) AS k, count(*) OVER () AS n, sum(gmv) OVER () AS tot FROM s)
    SELECT sum(gmv) FILTER (k > n - n / 100) * 100.0 / max(tot) AS top1_pct, 1 - 2 * sum((n - k + 0.5) * gmv) / (max(n) * max(tot)) AS gini FROM r`);
  add('segments.top1pct_selling_shops_gmv_pct', num(ga.top1_pct), 'shops with a sale in the window');
  add('segments.selling_shops_gmv_gini', num(ga.gini), 'shops with a sale in the window');
  const bs = await q(`SELECT lines, count(*) * 100.0 / sum(count(*)) OVER () AS pct FROM (SELECT order_id, count(*) AS lines FROM i GROUP BY 1) GROUP BY 1 ORDER BY 1`);
  add('segments.basket_lines_pct', bs.map((x) => `${x.lines}: ${num(x.pct).toFixed(1)}`).join(', '));
}

// 6. Money
if (want('money')) {
  const eq = await q(`SELECT li.currency, avg((li.item_price_cents = l.price_cents)::INT) * 100 AS eq_pct, count(*) AS n FROM li JOIN lst l USING (listing_id) GROUP BY 1 ORDER BY 1`);
  add('money.line_price_equals_listing_price_pct', eq.map((x) => `${x.currency} ${num(x.eq_pct).toFixed(1)}`).join(', '));
  const fee = await one(`SELECT min(platform_fee_cents * 1.0 / nullif(subtotal_cents, 0)) AS lo, max(platform_fee_cents * 1.0 / nullif(subtotal_cents, 0)) AS hi FROM p JOIN o USING (order_id) WHERE subtotal_cents > 1000`);
  add('money.fee_rate_range', `${num(fee.lo).toFixed(4)} – ${num(fee.hi).toFixed(4)}`);
  const disc = await one(`SELECT avg((discount_cents > 0)::INT) * 100 AS pct, count(DISTINCT round(discount_cents * 100.0 / subtotal_cents)) FILTER (discount_cents > 0) AS levels FROM o`);
  add('money.discounted_orders_pct', num(disc.pct), `${disc.levels} distinct discount levels`);
  const promo = await q(`SELECT lt::DATE AS d, avg((discount_cents > 0)::INT) * 100 AS pct FROM o GROUP BY 1 ORDER BY 2 DESC LIMIT 3`);
  add('money.top_discount_days', promo.map((x) => `${String(x.d).slice(0, 10)} ${num(x.pct).toFixed(0)}%`).join(', '));
  const pc = await one(`SELECT avg((n > 1)::INT) * 100 AS pct FROM (SELECT listing_id, count(DISTINCT item_price_cents) AS n FROM li WHERE listing_id IS NOT NULL GROUP BY 1 HAVING count(*) >= 3)`);
  add('money.listings_with_price_change_pct', num(pc.pct), 'listings with 3+ lines');
  const pay = await one(`SELECT (SELECT count(*) FROM fact_payment) * 1.0 / (SELECT count(*) FROM fact_order) AS per_order`);
  add('money.payment_rows_per_order_row', num(pay.per_order));
  const extra = ['fact_refund', 'fact_payment_attempt', 'fact_order_event'].filter((t) => tables.has(t));
  add('money.refund_or_attempt_tables', extra.join(', ') || 'none');
  if (tables.has('fact_payment_attempt')) {
    const fa = await one(`SELECT avg((status = 'failed')::INT) FILTER (attempt = 1) * 100 AS first, count(*) FILTER (status = 'failed') AS failed,
        count(DISTINCT order_id) FILTER (status = 'failed') AS orders FROM fact_payment_attempt`);
    add('money.first_attempt_failure_pct', num(fa.first), `${num(fa.failed)} failed attempts on ${num(fa.orders)} orders`);
    const fx = `JOIN dim_fx_rate fx ON fx.currency = a.currency AND fx.rate_date = ${local('a.attempted_at')}::DATE`;
    const fb = await q(`WITH a AS (SELECT a.order_id, a.status, a.amount_cents * fx.usd_rate / 100 AS usd FROM fact_payment_attempt a ${fx} WHERE a.attempt = 1)
      SELECT ntile AS q, min(usd) AS lo, avg((status = 'failed')::INT) * 100 AS pct FROM (SELECT *, ntile(5) OVER (ORDER BY usd) AS ntile FROM a) GROUP BY 1 ORDER BY 1`);
    add('money.first_attempt_failure_pct_by_amount_quintile', fb.map((x) => `≥$${num(x.lo).toFixed(0)} ${num(x.pct).toFixed(2)}`).join(', '));
    const fc = await q(`SELECT b.country, avg((a.status = 'failed')::INT) * 100 AS pct FROM fact_payment_attempt a JOIN o USING (order_id) JOIN dim_buyer b USING (buyer_id) WHERE a.attempt = 1 GROUP BY 1 ORDER BY 2`);
    add('money.first_attempt_failure_pct_by_buyer_country', fc.map((x) => `${x.country} ${num(x.pct).toFixed(2)}`).join(', '));
    const cols = new Set((await q(`SELECT column_name FROM information_schema.columns WHERE table_name = 'fact_payment_attempt'`)).map((r) => r.column_name));
    if (cols.has('payment_method')) {
      const fm = await q(`SELECT payment_method, count(*) FILTER (attempt = 1) AS n, avg((status = 'failed')::INT) FILTER (attempt = 1) * 100 AS pct FROM fact_payment_attempt GROUP BY 1 ORDER BY 1`);
      add('money.first_attempt_failure_pct_by_method', fm.map((x) => `${x.payment_method} ${num(x.pct).toFixed(2)} (${num(x.n)})`).join(', '));
    }
    const rt = await one(`SELECT avg((status = 'succeeded')::INT) * 100 AS pct FROM fact_payment_attempt WHERE attempt > 1`);
    add('money.retry_success_pct', num(rt.pct));
  }
  if (tables.has('fact_refund')) {
    const rf = await one(`SELECT count(*) FILTER (kind = 'cancellation') * 100.0 / (SELECT count(*) FROM o) AS cancel,
        count(*) FILTER (kind = 'full') * 100.0 / (SELECT count(*) FROM o) AS full, count(*) FILTER (kind = 'partial') * 100.0 / (SELECT count(*) FROM o) AS part,
        sum(subtotal_cents) * 100.0 / (SELECT sum(subtotal_cents) FROM o) AS gmv FROM fact_refund`);
    add('money.refund_pct_of_orders', `cancelled ${num(rf.cancel).toFixed(2)}, full ${num(rf.full).toFixed(2)}, partial ${num(rf.part).toFixed(2)}`, `refunded item value ${num(rf.gmv).toFixed(2)}% of GMV (recent orders not yet refunded)`);
  }
  const lag = await one(`SELECT quantile_cont(s, 0.5) AS p50, quantile_cont(s, 0.9) AS p90, quantile_cont(s, 0.99) AS p99, max(s) AS mx,
      count(*) FILTER (s < 0) AS before FROM (SELECT date_diff('second', o.order_time, p.captured_at) AS s FROM o JOIN p USING (order_id))`);
  add('money.capture_lag_seconds', `p50 ${num(lag.p50)}, p90 ${num(lag.p90)}, p99 ${num(lag.p99)}, max ${num(lag.mx)}`);
  add('money.payments_captured_before_order', num(lag.before));
}

// 7. Calendar and time
if (want('calendar')) {
  const top = await q(`SELECT lt::DATE AS d, count(*) AS n FROM o GROUP BY 1 ORDER BY 2 DESC LIMIT 3`);
  add('calendar.busiest_days', top.map((x) => `${String(x.d).slice(0, 10)} (${x.n})`).join(', '));
  const bf = await q(`WITH d AS (SELECT lt::DATE AS d, count(*) AS n FROM o GROUP BY 1),
      tg AS (SELECT make_date(y, 11, 1) + (((4 - isodow(make_date(y, 11, 1))) + 7) % 7 + 21)::INTEGER AS thanks FROM (SELECT DISTINCT year(d) AS y FROM d)),
      days AS (SELECT thanks + 1 AS day, 'black_friday' AS name FROM tg UNION ALL SELECT thanks + 4, 'cyber_monday' FROM tg)
    SELECT name, day, (SELECT n FROM d WHERE d.d = day) * 1.0 / (SELECT avg(n) FROM d WHERE isodow(d.d) = isodow(day) AND abs(date_diff('day', d.d, day)) BETWEEN 7 AND 35) AS ratio
    FROM days WHERE day IN (SELECT d FROM d) ORDER BY day`);
  add('calendar.sale_day_vs_same_weekday', bf.map((x) => `${x.name} ${String(x.day).slice(0, 10)} ×${num(x.ratio).toFixed(2)}`).join(', '));
  const hr = await q(`SELECT CASE WHEN b.country IN ('GB', 'DE', 'FR', 'NL') THEN 'europe' WHEN b.country = 'AU' THEN 'AU' ELSE 'north_america' END AS grp,
      mode(hour(o.lt)) AS peak_hour_warehouse_tz FROM o JOIN dim_buyer b USING (buyer_id) GROUP BY 1 ORDER BY 1`);
  add('calendar.peak_order_hour_in_warehouse_tz', hr.map((x) => `${x.grp} ${x.peak_hour_warehouse_tz}h`).join(', '));
  const su = await one(`WITH h AS (SELECT hour(${local('created_at')}) AS h, count(*) AS n FROM dim_buyer GROUP BY 1) SELECT max(n) * 1.0 / min(n) AS ratio FROM h`);
  add('calendar.signup_busiest_over_quietest_hour', num(su.ratio));
}

// 8. Marketing, 9. Fingerprints
if (want('marketing')) {
  const mk = [...tables].filter((t) => /campaign|channel|touch|session|utm|attribution/.test(t));
  add('marketing.tables', mk.join(', ') || 'none');
  if (tables.has('fact_touchpoint')) {
    // order attribution: share of orders credited to each channel under first-touch, last-touch and linear models
    const att = await conn.runAndReadAll(`WITH t AS (SELECT order_id, channel, row_number() OVER (PARTITION BY order_id ORDER BY touch_time, touchpoint_id) AS k,
        count(*) OVER (PARTITION BY order_id) AS n FROM fact_touchpoint WHERE conversion = 'order' AND order_id IS NOT NULL)
      SELECT channel, sum((k = 1)::INT) * 100.0 / sum(sum((k = 1)::INT)) OVER () AS first, sum((k = n)::INT) * 100.0 / sum(sum((k = n)::INT)) OVER () AS last,
        sum(1.0 / n) * 100.0 / sum(sum(1.0 / n)) OVER () AS linear FROM t GROUP BY 1 ORDER BY 1`).then((r) => r.getRowObjectsJson());
    add('marketing.order_attribution_first_last_linear_pct', att.map((r) => `${r.channel} ${num(r.first).toFixed(1)}/${num(r.last).toFixed(1)}/${num(r.linear).toFixed(1)}`).join(', '));
    const acq = await conn.runAndReadAll(`WITH f AS (SELECT buyer_id, arg_min(channel, touch_time) AS channel FROM fact_touchpoint WHERE conversion = 'signup' GROUP BY 1),
        b AS (SELECT f.channel, f.buyer_id, count(o.order_id) AS orders FROM f LEFT JOIN o USING (buyer_id) GROUP BY 1, 2)
      SELECT channel, count(*) AS buyers, avg(orders) AS orders FROM b GROUP BY 1 ORDER BY 1`).then((r) => r.getRowObjectsJson());
    add('marketing.orders_per_buyer_by_first_signup_touch', acq.map((r) => `${r.channel} ${num(r.orders).toFixed(2)} (${r.buyers})`).join(', '), 'buyers who signed up in the window');
  }
  if (tables.has('fact_channel_daily')) {
    const cac = await conn.runAndReadAll(`WITH s AS (SELECT channel, sum(spend_cents) / 100.0 AS spend, sum(sessions) AS sessions FROM fact_channel_daily GROUP BY 1),
        a AS (SELECT arg_min(channel, touch_time) AS channel FROM fact_touchpoint WHERE conversion = 'signup' GROUP BY buyer_id
              UNION ALL SELECT arg_max(channel, touch_time) FROM fact_touchpoint WHERE conversion = 'order' GROUP BY order_id)
      SELECT s.channel, any_value(s.sessions) AS sessions, any_value(s.spend) / nullif(count(a.channel), 0) AS cac FROM s LEFT JOIN a USING (channel) GROUP BY 1 ORDER BY 1`).then((r) => r.getRowObjectsJson());
    add('marketing.spend_per_conversion_usd', cac.map((r) => `${r.channel} ${r.cac === null ? '–' : num(r.cac).toFixed(2)}`).join(', '), 'spend ÷ (sign-ups whose first touch is the channel + orders whose last touch is)');
  }
  const fp = await one(`SELECT avg(((order_id >> 15) = buyer_id)::INT) * 100 AS pct FROM o WHERE buyer_id IS NOT NULL`);
  add('fingerprint.order_id_shr15_equals_buyer_pct', num(fp.pct));
  const fl = await one(`SELECT avg((l.listing_id IS NOT NULL)::INT) FILTER (i.item_price_cents = l2.price_cents) * 100 AS a, avg((l.listing_id IS NOT NULL)::INT) FILTER (i.item_price_cents <> l2.price_cents OR l2.listing_id IS NULL) * 100 AS b
    FROM i LEFT JOIN dim_listing l USING (listing_id) LEFT JOIN dim_listing l2 ON l2.listing_id = i.listing_id`);
  add('fingerprint.valid_listing_fk_pct_when_price_matches_vs_not', `${num(fl.a).toFixed(1)} vs ${num(fl.b).toFixed(1)}`);
}

if (args.includes('--json')) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
else for (const r of out) process.stdout.write(`${r.name.padEnd(62)} ${String(r.value).padEnd(28)} ${r.note}\n`);
}

import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
const dir = process.argv[2];
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
for (const t of ['fact_order', 'fact_payment', 'fact_touchpoint', 'fact_channel_daily', 'dim_fx_rate', 'dim_buyer'])
  await c.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${existsSync(`${dir}/parquet/${t}.parquet`) ? `${dir}/parquet/${t}.parquet` : `${dir}/parquet/${t}/**/*.parquet`}', union_by_name=true)`);
const q = async (s) => { const r = await c.runAndReadAll(s); console.table(r.getRowObjectsJson()); };
await c.run(`CREATE TABLE ou AS SELECT o.order_id, o.subtotal_cents * fx.usd_rate / 100 AS gmv, p.platform_fee_cents * fx.usd_rate / 100 AS fee, p.order_id IS NOT NULL AS paid FROM fact_order o JOIN dim_fx_rate fx ON fx.currency = o.currency AND fx.rate_date = CAST(o.order_time AS DATE) LEFT JOIN fact_payment p USING (order_id)`);
await q(`WITH a AS (SELECT sum(gmv) FILTER (WHERE paid)/1e6 AS paid_gmv_m, sum(fee)/1e6 AS fee_m, count(*) AS orders FROM ou), s AS (SELECT sum(spend_cents)/1e8 AS spend_m, sum(sessions) AS sessions FROM fact_channel_daily)
 SELECT round(paid_gmv_m,2) AS paid_gmv_m, round(fee_m,2) AS fee_m, round(spend_m,2) AS spend_m, round(spend_m/paid_gmv_m,3) AS spend_gmv, round(spend_m/fee_m,3) AS spend_fee, orders, sessions, round(orders/sessions,4) AS session_cr FROM a, s`);
await q(`WITH lt AS (SELECT channel, order_id FROM fact_touchpoint WHERE converted AND conversion='order'),
 g AS (SELECT channel, count(*) AS orders, sum(gmv) FILTER (WHERE paid) AS gmv FROM lt JOIN ou USING (order_id) GROUP BY 1),
 s AS (SELECT channel, sum(spend_cents)/100 AS spend FROM fact_channel_daily GROUP BY 1),
 t AS (SELECT channel, count(*) AS touches, count(*) FILTER (WHERE converted) AS conv FROM fact_touchpoint GROUP BY 1)
 SELECT channel, orders AS lt_orders, round(gmv/1e6,2) AS lt_gmv_m, round(spend/1e6,2) AS spend_m, round(gmv/nullif(spend,0),2) AS roas, touches, round(conv/touches,4) AS touch_cr FROM t LEFT JOIN g USING (channel) LEFT JOIN s USING (channel) ORDER BY channel`);
await q(`SELECT (SELECT count(*) FROM fact_touchpoint WHERE converted AND conversion='order') / (SELECT count(DISTINCT order_id) FROM fact_touchpoint WHERE conversion='order') AS conv_touches_per_order,
 (SELECT count(*) FROM fact_touchpoint WHERE converted AND conversion='signup') / (SELECT count(DISTINCT buyer_id) FROM fact_touchpoint WHERE conversion='signup') AS signup_conv_per_buyer,
 (SELECT max(n) FROM (SELECT order_id, count(*) n FROM fact_touchpoint WHERE converted AND conversion='order' GROUP BY 1)) AS max_conv_per_order,
 (SELECT count(*) FROM fact_touchpoint) AS touches, (SELECT round(count(*) FILTER (WHERE converted)/count(*),4) FROM fact_touchpoint) AS touch_cr`);
// is the converting touch the buyer's last touch before the order?
await q(`WITH o AS (SELECT o.order_id, o.buyer_id, o.order_time FROM fact_order o), ct AS (SELECT order_id, touch_time FROM fact_touchpoint WHERE converted AND conversion='order')
 SELECT count(*) AS orders_with_conv, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM fact_touchpoint t WHERE t.buyer_id = o.buyer_id AND t.touch_time > ct.touch_time AND t.touch_time < o.order_time)) AS later_touch_before_order FROM ct JOIN o USING (order_id)`);
// true last touch of each order path (time order), regardless of the converted flag
await q(`WITH lt AS (SELECT order_id, arg_max(channel, (touch_time, touchpoint_id)) AS channel FROM fact_touchpoint WHERE conversion='order' GROUP BY 1),
 g AS (SELECT channel, count(*) AS lt_orders, sum(gmv) FILTER (WHERE paid) AS gmv FROM lt JOIN ou USING (order_id) GROUP BY 1),
 s AS (SELECT channel, sum(spend_cents)/100 AS spend FROM fact_channel_daily GROUP BY 1)
 SELECT channel, lt_orders, round(gmv/1e6,2) AS lt_gmv_m, round(spend/1e6,2) AS spend_m, round(gmv/nullif(spend,0),2) AS last_touch_roas, round(sum(gmv) OVER () / sum(spend) OVER (),2) AS blended_roas FROM g JOIN s USING (channel) ORDER BY channel`);

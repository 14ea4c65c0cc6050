#!/usr/bin/env node
// Realism measures of injected key nulls and duplicates over a warehouse's Parquet (no ground truth read):
// joint-null ratio of FK column pairs (observed joint-null rows ÷ (null share A × null share B × rows)),
// share of a column's nulls on its 10 busiest null hours, and share of extra duplicate copies on the
// top-3 local event days. Usage: node scripts/defect-realism.mjs WAREHOUSE_DIR neobank|marketplace
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { existsSync } from 'node:fs';

const [dir, arch] = process.argv.slice(2);
const tz = 'America/Los_Angeles';
const rel = (t) => {
  const base = path.join(dir, 'parquet', t);
  return existsSync(`${base}.parquet`) ? `read_parquet('${base}.parquet')` : `read_parquet('${base}/*.parquet')`;
};
const T = {
  neobank: {
    facts: [
      { t: 'fact_card_transaction', key: ['txn_id'], ev: 'event_time', fks: ['card_id', 'merchant_id'] },
      { t: 'fact_subscription_invoice', key: ['invoice_id'], ev: 'coalesce(paid_at, period_start::TIMESTAMP)', fks: ['plan_id'] },
    ],
  },
  marketplace: {
    facts: [
      { t: 'fact_order', key: ['order_id'], ev: 'order_time', fks: ['buyer_id'] },
      { t: 'fact_order_item', key: ['order_id', 'line_id'], ev: 'o.order_time', fks: ['listing_id', 'seller_id'], from: (r) => `${r} f LEFT JOIN (SELECT DISTINCT order_id, order_time FROM ${rel('fact_order')}) o USING (order_id)` },
      { t: 'fact_payment', key: ['order_id'], ev: 'captured_at', fks: [] },
    ],
  },
}[arch];
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const q = async (sql) => (await (await c.runAndReadAll(sql)).getRowObjectsJS()).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
const out = {};
for (const f of T.facts) {
  const src = f.from ? f.from(rel(f.t)) : `${rel(f.t)} f`;
  const o = (out[f.t] = {});
  if (f.fks.length) {
    const [m] = await q(`SELECT count(*) AS n, ${f.fks.map((k) => `count(*) FILTER (f.${k} IS NULL) AS n_${k}`).join(', ')}${f.fks.length === 2 ? `, count(*) FILTER (f.${f.fks[0]} IS NULL AND f.${f.fks[1]} IS NULL) AS joint` : ''} FROM ${src}`);
    for (const k of f.fks) o[`null_pct.${k}`] = +((100 * m[`n_${k}`]) / m.n).toFixed(3);
    if (f.fks.length === 2) o.joint_null_ratio = +(m.joint / ((m[`n_${f.fks[0]}`] / m.n) * (m[`n_${f.fks[1]}`] / m.n) * m.n)).toFixed(2);
    for (const k of f.fks) {
      const [h] = await q(`WITH h AS (SELECT date_trunc('hour', ${f.ev}) AS hr, count(*) AS z FROM ${src} WHERE f.${k} IS NULL GROUP BY 1)
        SELECT (SELECT sum(z) FROM (SELECT z FROM h ORDER BY z DESC LIMIT 10)) / sum(z) AS top10 FROM h`);
      o[`top10_hours_null_share.${k}`] = +(100 * h.top10).toFixed(2);
      // excluding the two busiest null days (null spikes are one-day events)
    }
  }
  const key = f.key.map((k) => `f.${k}`).join(', ');
  const [d] = await q(`WITH g AS (SELECT ${key}, count(*) - 1 AS x, min(timezone('${tz}', ${f.ev}::TIMESTAMPTZ))::DATE AS d FROM ${src} GROUP BY ALL HAVING count(*) > 1),
      dd AS (SELECT d, sum(x) AS x FROM g GROUP BY 1)
    SELECT (SELECT sum(x) FROM g) AS dups, (SELECT count(*) FROM dd) AS days, (SELECT sum(x) FROM (SELECT x FROM dd ORDER BY x DESC LIMIT 3)) AS top3`);
  o.duplicate_rows = d.dups;
  o.duplicate_days = d.days;
  o.top3_days_dup_share = d.dups ? +((100 * d.top3) / d.dups).toFixed(2) : null;
}
console.log(JSON.stringify(out, null, 1));

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { closeDuckDB, loadConfig, openDuckDB, type DuckDBSession } from '../packages/core/src/index.js';
import { generateWarehouse, PLACES, type WarehouseResult } from '../packages/generate/src/index.js';
import { runDnr, tempDir } from './helpers/cli.js';
import { one, rel } from './gen-warehouse-helpers.js';

/**
 * Neobank customers live on their home metro's clock: re-measured as an analyst would from the Parquet
 * alone, on a small clean warehouse (three months to November 2025) whose merchants spread over all 35 metros (Eastern,
 * Central, Mountain, Arizona and Pacific). A customer's home zone is the zone of the towns most of their
 * in-person transactions name; their purchases at home follow the same local hour curve whatever the
 * zone, and a fall-back hour holds purchases in both of its copies (pooled over the zones that observe DST).
 */
let tmp: ReturnType<typeof tempDir>;
let db: DuckDBSession;
let conn: DuckDBConnection;
let wh: WarehouseResult;

beforeAll(async () => {
  tmp = tempDir('dnr-nbtz-');
  db = await openDuckDB({ timeZone: 'UTC' });
  conn = db.connection;
  // three months around the fall-back night (2025-11-02) with 8,000 customers: ~17,000 transactions a day
  // (the fall-back hour needs the volume: see that test)
  const flags = {
    'warehouse.scale': 'small',
    'warehouse.quality': 'clean',
    'warehouse.end_date': '2025-11-30',
    'warehouse.months': 3,
    'warehouse.scales.small.dim_customer': 8_000,
    'warehouse.scales.small.fact_card_transaction': 1_600_000,
    'behaviour.neobank.merchants.geography.merchants_per_metro': 17,
  };
  const layer = Object.fromEntries(Object.entries(flags).map(([k, v]) => [k, { flag: k, value: v }]));
  const { config } = loadConfig({ cwd: tmp.dir, flags: layer, loadDotEnv: false, env: {} });
  wh = await generateWarehouse({ archetype: 'neobank', config, out: path.join(tmp.dir, 'w'), metaDir: path.join(tmp.dir, 'meta') });
  const metros = PLACES.map((x) => `('${x.city} ${x.state}', '${x.zone}')`).join(', ');
  // in-person transactions with the zone of the town (` TOWN ST`) their merchant's descriptor ends with, and the customer
  await conn.run(`CREATE TEMP TABLE ip AS
    SELECT a.customer_id, t.event_time, z.zone FROM ${rel(wh.out, 'fact_card_transaction')} t
    JOIN ${rel(wh.out, 'dim_merchant')} m USING (merchant_id)
    JOIN (VALUES ${metros}) z(place, zone) ON m.name LIKE '% ' || z.place
    JOIN ${rel(wh.out, 'dim_card')} c USING (card_id) JOIN ${rel(wh.out, 'dim_account')} a USING (account_id)
    WHERE t.channel <> 'ecommerce'`);
  await conn.run(`CREATE TEMP TABLE home AS SELECT customer_id, mode(zone) AS home FROM ip GROUP BY 1 HAVING count(*) >= 20`);
}, 300_000);

afterAll(() => {
  closeDuckDB(db);
  tmp.cleanup();
});

/** SQL: fractional hour of `ts` (UTC) on the wall clock of zone expression `zone`. */
const hourIn = (zone: string, ts: string) => `(hour(timezone(${zone}, timezone('UTC', ${ts}))) + minute(timezone(${zone}, timezone('UTC', ${ts}))) / 60.0)`;

describe('neobank customers on their home metro clock', () => {
  it('Eastern and Pacific customers shop at the same local hours, three hours apart in UTC', async () => {
    const r = await one(
      conn,
      `WITH x AS (SELECT h.home, ip.event_time FROM ip JOIN home h USING (customer_id) WHERE ip.zone = h.home)
       SELECT median(${hourIn('home', 'event_time')}) FILTER (home = 'America/New_York') AS east_local,
              median(${hourIn('home', 'event_time')}) FILTER (home = 'America/Los_Angeles') AS west_local,
              median(${hourIn("'America/Los_Angeles'", 'event_time')}) FILTER (home = 'America/New_York') AS east_on_pacific,
              count(*) FILTER (home = 'America/New_York') AS east_n, count(*) FILTER (home = 'America/Los_Angeles') AS west_n,
              count(DISTINCT home) AS zones
       FROM x`,
    );
    expect(r.zones).toBeGreaterThanOrEqual(4);
    expect(r.east_n).toBeGreaterThan(5000);
    expect(r.west_n).toBeGreaterThan(2000);
    // the same hour curves on each customer's own clock: medians within half an hour
    expect(Math.abs(r.east_local - r.west_local)).toBeLessThan(0.5);
    // read on one (Pacific) clock, Eastern customers shop three hours earlier
    expect(r.west_local - r.east_on_pacific).toBeGreaterThan(2.5);
    expect(r.west_local - r.east_on_pacific).toBeLessThan(3.5);
  });

  it('every card transaction falls inside the bank\'s window (its local days), whichever zone it was made in', async () => {
    // window: 2025-09-01 … 2025-11-30 on the bank's clock (America/Los_Angeles); Eastern merchants bill and
    // Eastern customers shop up to three hours before the bank's first midnight and after its last
    const r = await one(
      conn,
      `SELECT count(*) FILTER (d < DATE '2025-09-01') AS before, count(*) FILTER (d > DATE '2025-11-30') AS after, count(*) AS n
       FROM (SELECT timezone('America/Los_Angeles', timezone('UTC', event_time))::DATE AS d FROM ${rel(wh.out, 'fact_card_transaction')} WHERE event_time IS NOT NULL)`,
    );
    expect(r.n).toBeGreaterThan(100_000);
    expect(r.before).toBe(0);
    expect(r.after).toBe(0);
  });

  it('validate reads named days against ordinary-day noise of the window\'s local days only (no stub day after the window from customers east of the bank)', async () => {
    const out = path.join(tmp.dir, 'qc');
    const r = await runDnr(['validate', '--warehouse', wh.out, '--out', out, '--only', 'behaviour', '--json'], { cwd: tmp.dir });
    const rows = (JSON.parse(r.stdout) as { rows: Array<{ gate: string; detail?: string }> }).rows.filter((x) => x.gate.startsWith('behaviour.calendar'));
    const tol = rows.map((x) => Number(/×e\^±([\d.]+)/.exec(x.detail ?? '')?.[1])).filter((x) => Number.isFinite(x));
    expect(tol.length).toBeGreaterThan(0);
    // ~17,000 transactions a day: the day-to-day noise is a few per cent, so 4 sd stays well under ×e^±0.6
    // (a partial local day after the window end inflates it to ×e^±1 and more)
    for (const t of tol) expect(t).toBeLessThan(0.6);
  });

  it('the fall-back hour (2025-11-02 01:00–02:00 local) holds purchases in both copies, about twice an ordinary Sunday\'s 01:00 hour; Arizona has none to repeat', async () => {
    // Per zone the night hour holds only a handful of in-person purchases (Pacific: ~8 a copy), so the copies
    // are read pooled over the zones that observe DST; the hour is compared with the same local hour on the
    // Sundays a week before and after (2025-10-26, 2025-11-09).
    const local = "timezone(zone, timezone('UTC', event_time))";
    const r = await one(
      conn,
      `WITH x AS (SELECT zone, epoch(${local}) - epoch(event_time) AS offs, ${local}::DATE AS d FROM ip
                  WHERE hour(${local}) = 1 AND ${local}::DATE IN (DATE '2025-10-26', DATE '2025-11-02', DATE '2025-11-09')),
            y AS (SELECT *, max(offs) OVER (PARTITION BY zone) AS first_off FROM x WHERE d = DATE '2025-11-02')
       SELECT (SELECT count(*) FROM y WHERE zone <> 'America/Phoenix' AND offs = first_off) AS first_copy,
              (SELECT count(*) FROM y WHERE zone <> 'America/Phoenix' AND offs <> first_off) AS second_copy,
              (SELECT count(*) FROM y WHERE zone = 'America/Phoenix' AND offs <> first_off) AS phoenix_second,
              (SELECT count(*) FROM x WHERE zone <> 'America/Phoenix' AND d <> DATE '2025-11-02') / 2 AS ordinary`,
    );
    // each copy is a full hour of purchases: neither empty, neither holding (nearly) the whole doubled hour
    expect(r.first_copy).toBeGreaterThan(5);
    expect(r.second_copy).toBeGreaterThan(5);
    const total = r.first_copy + r.second_copy;
    expect(r.first_copy / total).toBeGreaterThan(0.25);
    expect(r.first_copy / total).toBeLessThan(0.75);
    // two real hours: about twice an ordinary Sunday's 01:00. The second copy's purchases are twins of the first's
    // (the same customers' kind of purchase), so the pair carries twice one copy's Poisson noise: ~60 purchases a
    // copy put the ratio at 2 ± 0.3 (sd); with a quarter of the volume a seed gave 1.18 (14 + 12 against 22)
    expect(r.ordinary).toBeGreaterThan(5);
    expect(total / r.ordinary).toBeGreaterThan(1.2);
    expect(total / r.ordinary).toBeLessThan(3.5);
    // a zone without DST has one copy of the hour
    expect(r.phoenix_second).toBe(0);
  });

  it('Arizona keeps standard time: the same customers shop in the Phoenix metro at the same local hours before and after the fall-back night, as everyone else does', async () => {
    // Daylight time until 2025-11-02, standard time from 2025-11-03. Had Arizona been given daylight saving time, its
    // purchases read on America/Phoenix would move an hour later from the first period to the second; elsewhere
    // the local hours stay put. Each customer is compared with themself (their mean local hour in each period,
    // weighted by the smaller count): a few heavy shoppers with their own hour lean make up much of a metro's
    // ~1,000 purchases, so the metro's median hour sits up to 1.5 h off the others' in any period.
    const r = await one(
      conn,
      `WITH x AS (SELECT customer_id, zone = 'America/Phoenix' AS az, ${hourIn('zone', 'event_time')} AS h,
                  CASE WHEN event_time < TIMESTAMP '2025-11-02 06:00' THEN 'dst' WHEN event_time >= TIMESTAMP '2025-11-03 12:00' THEN 'std' END AS p FROM ip),
            c AS (SELECT az, customer_id, avg(h) FILTER (p = 'dst') AS d, avg(h) FILTER (p = 'std') AS s, least(count(*) FILTER (p = 'dst'), count(*) FILTER (p = 'std')) AS w
                  FROM x GROUP BY ALL HAVING w >= 3)
       SELECT sum((s - d) * w) FILTER (az) / sum(w) FILTER (az) AS az_shift, sum((s - d) * w) FILTER (NOT az) / sum(w) FILTER (NOT az) AS rest_shift,
              sum(w) FILTER (az) AS az_w, (SELECT count(*) FROM x WHERE az) AS n FROM c`,
    );
    expect(r.n).toBeGreaterThan(500);
    expect(r.az_w).toBeGreaterThan(100);
    // seed 42: Phoenix +0.36 h, the rest +0.03 h (noise of ~150 paired purchases: a few tenths of an hour); daylight time in Arizona would add 1 h
    expect(Math.abs(r.rest_shift)).toBeLessThan(0.2);
    expect(Math.abs(r.az_shift - r.rest_shift)).toBeLessThan(0.65);
  });
});

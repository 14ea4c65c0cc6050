import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sqlString, withDuckDB } from '../packages/core/src/index.js';
import { PLACES } from '../packages/generate/src/index.js';
import { runDnr, tempDir } from './helpers/cli.js';

/** profile.json as the tests read it (numbers only). */
interface ProfileJson {
  archetype: string;
  window: { start: string; end: string; tz: string };
  figures: string[];
  truth: string | null;
  neobank?: {
    cohorts: { cells: Array<{ cohort: string; month: string; active: number; share: number }> };
    segments: Array<{ segment: string; customers: number; share: number; declared_share: number; decline_rate: number; median_ticket_usd: number }> | null;
    funnel: { cohort: number; stages: Array<{ stage: string; reached: number; step_conversion: number | null; lag_p50_h: number | null }> };
    seasonality: { day_of_week: Array<{ dow: number; index: number }>; calendar: Array<{ name: string; date: string; events: number; ratio: number }> };
    subscriptions: { transitions: Array<{ event_type: string; events: number }> };
    consistency: Record<string, number>;
  };
  marketplace?: {
    concentration: { top1pct_gmv_share: number; gini: number; sellers: number };
    never_sold: { listings: number; never_sold: number };
    refunds: { cancel_base: number; cancelled: number; refunded_gmv_share: number } | null;
    failed_payments: { first_attempt_failed: number } | null;
    unavailable: Array<{ section: string }>;
  };
}

let tmp: ReturnType<typeof tempDir>;
const data = (name: string) => path.join(tmp.dir, 'data', name);
const TZ = 'America/Los_Angeles';

async function sql<T>(dir: string, query: (t: (table: string) => string) => string): Promise<T[]> {
  const table = (t: string) => {
    const single = path.join(dir, 'parquet', `${t}.parquet`);
    return `read_parquet(${sqlString(existsSync(single) ? single : path.join(dir, 'parquet', t, '*.parquet'))})`;
  };
  return withDuckDB({ timeZone: 'UTC' }, (conn) => queryRows<T>(conn, query(table)));
}

/** Width and height from a PNG's IHDR chunk (throws on anything that is not a PNG). */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(b.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

beforeAll(async () => {
  tmp = tempDir('dnr-profile-');
  for (const [name, arch] of [['nb', 'neobank'], ['mp', 'marketplace']]) {
    const r = await runDnr(['gen-warehouse', '--archetype', arch, '--scale', 'small', '--seed', '7', '--out', data(name), '-q'], { cwd: tmp.dir });
    expect(r.exitCode, r.stderr).toBe(0);
  }
}, 300_000);
afterAll(() => tmp.cleanup());

describe('dnr profile', () => {
  let nb: ProfileJson;
  const out = () => path.join(tmp.dir, 'profile-nb');

  it('neobank: writes profile.md, profile.json and real PNG figures through an output folder', async () => {
    const r = await runDnr(['profile', '--warehouse', data('nb'), '--out', out(), '--json'], { cwd: tmp.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files).toContain('profile.md');
    nb = JSON.parse(readFileSync(path.join(out(), 'profile.json'), 'utf8')) as ProfileJson;
    expect(nb.figures).toEqual(expect.arrayContaining(['cohort_retention.png', 'hour_by_sector.png', 'day_of_week.png', 'month_by_sector.png', 'funnel.png', 'calendar_days.png']));
    for (const f of nb.figures) {
      const { width, height } = pngSize(path.join(out(), f));
      expect(width).toBeGreaterThan(300);
      expect(height).toBeGreaterThan(150);
    }
    const md = readFileSync(path.join(out(), 'profile.md'), 'utf8');
    for (const h of ['## Cohort retention', '## Segments', '## Onboarding funnel', '## Seasonality', '### Named days', '## Subscription state transitions', '## State consistency']) expect(md).toContain(h);
    expect(JSON.parse(readFileSync(path.join(out(), '.dnr-output.json'), 'utf8')).kind).toBe('profile');
  });

  it('neobank cohort cells equal an independent count of active customers', async () => {
    const cell = nb.neobank!.cohorts.cells.find((c) => c.cohort === '2024-06' && c.month === '2025-10')!;
    const [want] = await sql<{ active: bigint; size: bigint }>(data('nb'), (t) => `
      WITH tx AS (SELECT txn_id, any_value(card_id) AS card_id, any_value(event_time) AS event_time FROM ${t('fact_card_transaction')} WHERE auth_result = 'approved' GROUP BY txn_id),
      cust AS (SELECT customer_id FROM ${t('dim_customer')} WHERE strftime(timezone('${TZ}', created_at::TIMESTAMPTZ), '%Y-%m') = '2024-06')
      SELECT (SELECT count(DISTINCT a.customer_id) FROM tx JOIN ${t('dim_card')} c USING (card_id) JOIN ${t('dim_account')} a ON a.account_id = c.account_id
              WHERE a.customer_id IN (SELECT customer_id FROM cust) AND strftime(timezone('${TZ}', tx.event_time::TIMESTAMPTZ), '%Y-%m') = '2025-10') AS active,
             (SELECT count(*) FROM cust) AS size`);
    expect(cell.active).toBe(Number(want.active));
    expect(cell.share).toBeCloseTo(Number(want.active) / Number(want.size), 4);
    expect(cell.active).toBeGreaterThan(0);
  });

  it('neobank segments, funnel, weekday index and named days equal independent SQL', async () => {
    const p = nb.neobank!;
    const truth = path.join(data('nb'), 'behaviour_entities.parquet');
    const seg = p.segments!.find((s) => s.segment === 'young_digital')!;
    const [s] = await sql<{ n: bigint; total: bigint; declined: bigint; decided: bigint }>(data('nb'), (t) => `
      WITH e AS (SELECT * FROM read_parquet(${sqlString(truth)})),
      tx AS (SELECT txn_id, any_value(card_id) AS card_id, any_value(auth_result) AS r FROM ${t('fact_card_transaction')} GROUP BY txn_id),
      seg AS (SELECT tx.r FROM tx JOIN ${t('dim_card')} c USING (card_id) JOIN ${t('dim_account')} a USING (account_id) JOIN e USING (customer_id) WHERE e.segment = 'young_digital')
      SELECT (SELECT count(*) FROM e WHERE segment = 'young_digital') AS n, (SELECT count(*) FROM e) AS total,
             (SELECT count(*) FROM seg WHERE r = 'declined') AS declined, (SELECT count(*) FROM seg WHERE r IN ('approved', 'declined')) AS decided`);
    expect(seg.customers).toBe(Number(s.n));
    expect(seg.share).toBeCloseTo(Number(s.n) / Number(s.total), 4);
    expect(seg.decline_rate).toBeCloseTo(Number(s.declined) / Number(s.decided), 4);
    expect(seg.declared_share).toBe(0.26);

    const [f] = await sql<{ signed: bigint; submitted: bigint }>(data('nb'), (t) => `
      WITH c AS (SELECT customer_id FROM ${t('fact_onboarding_event')} WHERE stage = 'signed_up'
                 AND timezone('${TZ}', event_time::TIMESTAMPTZ)::TIMESTAMP <= TIMESTAMP '2026-06-30 23:59:59' - INTERVAL 60 DAY)
      SELECT (SELECT count(*) FROM c) AS signed,
             (SELECT count(DISTINCT customer_id) FROM ${t('fact_onboarding_event')} WHERE stage = 'kyc_submitted' AND customer_id IN (SELECT customer_id FROM c)) AS submitted`);
    expect(p.funnel.cohort).toBe(Number(f.signed));
    const sub = p.funnel.stages.find((x) => x.stage === 'kyc_submitted')!;
    expect(sub.reached).toBe(Number(f.submitted));
    expect(sub.step_conversion).toBeCloseTo(Number(f.submitted) / Number(f.signed), 4);

    // local time where the transaction happens: in person at a merchant whose descriptor ends with a metro
    // (` CITY ST`, else ` CITY`), that metro's zone; otherwise the zone most of the customer's in-person
    // transactions name (ties: the earlier zone of the list), else the warehouse's
    const zones = [TZ, ...new Set(PLACES.map((x) => x.zone))];
    const places = PLACES.map((x) => `('${x.city}', '${x.state}', ${zones.indexOf(x.zone)})`).join(', ');
    const days = await sql<{ d: string; dow: number; n: bigint }>(data('nb'), (t) => `
      WITH tx AS (SELECT txn_id, any_value(card_id) AS card_id, any_value(merchant_id) AS merchant_id, any_value(event_time) AS event_time, any_value(channel) AS channel FROM ${t('fact_card_transaction')} GROUP BY txn_id),
      p AS (SELECT * FROM (VALUES ${places}) p(city, st, zi)),
      mz AS (SELECT m.merchant_id, coalesce((SELECT min(zi) FROM p WHERE m.name LIKE '% ' || p.city || ' ' || p.st), (SELECT min(zi) FROM p WHERE m.name LIKE '% ' || p.city)) AS zi FROM ${t('dim_merchant')} m),
      x AS (SELECT a.customer_id, tx.event_time, tx.channel, mz.zi FROM tx JOIN ${t('dim_card')} c USING (card_id) JOIN ${t('dim_account')} a USING (account_id) JOIN mz USING (merchant_id)),
      cz AS (SELECT customer_id, zi FROM (SELECT customer_id, zi, count(*) AS n FROM x WHERE channel <> 'ecommerce' AND zi IS NOT NULL GROUP BY 1, 2)
             QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY n DESC, zi) = 1),
      z AS (SELECT x.event_time, CASE WHEN x.channel <> 'ecommerce' AND x.zi IS NOT NULL THEN x.zi ELSE coalesce(cz.zi, 0) END AS zi FROM x LEFT JOIN cz USING (customer_id)),
      l AS (SELECT timezone(list_extract([${zones.map((z) => `'${z}'`).join(', ')}], zi + 1), event_time::TIMESTAMPTZ) AS lt FROM z)
      SELECT strftime(lt, '%Y-%m-%d') AS d, isodow(lt) AS dow, count(*) AS n FROM l
      -- the window's local days: customers east of the bank (New York) reach into the local day after its last
      WHERE lt::DATE BETWEEN DATE '${nb.window.start}' AND DATE '${nb.window.end}' GROUP BY 1, 2`);
    const mean = days.reduce((a, d) => a + Number(d.n), 0) / days.length;
    const sat = days.filter((d) => Number(d.dow) === 6);
    const satIndex = sat.reduce((a, d) => a + Number(d.n), 0) / sat.length / mean;
    expect(p.seasonality.day_of_week.find((d) => d.dow === 6)!.index).toBeCloseTo(satIndex, 3);
    const bf = p.seasonality.calendar.find((c) => c.name === 'black_friday')!;
    const byDay = new Map(days.map((d) => [d.d, Number(d.n)]));
    expect(bf.events).toBe(byDay.get(bf.date));
    const ref = [-28, -21, -14, -7, 7, 14, 21, 28].map((k) => new Date(Date.parse(`${bf.date}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10));
    const named = new Set(p.seasonality.calendar.map((c) => c.date));
    const base = ref.filter((d) => !named.has(d)).map((d) => byDay.get(d) ?? 0);
    expect(bf.ratio).toBeCloseTo(bf.events / (base.reduce((a, b) => a + b, 0) / base.length), 3);
    expect(bf.ratio).toBeGreaterThan(1);

    const [ev] = await sql<{ n: bigint }>(data('nb'), (t) => `SELECT count(*) AS n FROM ${t('fact_subscription_event')} WHERE event_type = 'upgrade'
      AND timezone('${TZ}', event_time::TIMESTAMPTZ)::DATE BETWEEN DATE '2025-01-01' AND DATE '2026-06-30'`);
    expect(p.subscriptions.transitions.filter((x) => x.event_type === 'upgrade').reduce((a, x) => a + x.events, 0)).toBe(Number(ev.n));
    expect(p.consistency.approved_on_frozen_or_closed).toBe(0);
    expect(p.consistency.approved_checked).toBeGreaterThan(10_000);
  });

  it('marketplace: concentration and never-sold share equal independent SQL; sections without tables are named', async () => {
    const o = path.join(tmp.dir, 'profile-mp');
    const r = await runDnr(['profile', '--warehouse', data('mp'), '--out', o], { cwd: tmp.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const mp = JSON.parse(readFileSync(path.join(o, 'profile.json'), 'utf8')) as ProfileJson;
    const manifest = JSON.parse(readFileSync(path.join(data('mp'), 'manifest.json'), 'utf8')) as { end_date: string; config: { currency_rates: Record<string, number> } };
    const END = manifest.end_date;
    const rate = `CASE ${Object.entries(manifest.config.currency_rates).map(([c, x]) => `WHEN o.currency = '${c}' THEN ${x}`).join(' ')} ELSE 1 END`;
    const sellers = await sql<{ gmv: number }>(data('mp'), (t) => `
      WITH i AS (SELECT order_id, line_id, any_value(seller_id) AS seller_id, any_value(qty) AS qty, any_value(item_price_cents) AS p FROM ${t('fact_order_item')} GROUP BY 1, 2),
      o AS (SELECT order_id, any_value(currency) AS currency FROM ${t('fact_order')} GROUP BY 1),
      g AS (SELECT seller_id, sum(qty * p * ${rate}) AS gmv FROM i JOIN o USING (order_id) GROUP BY 1)
      SELECT coalesce(g.gmv, 0) AS gmv FROM ${t('dim_seller')} s LEFT JOIN g USING (seller_id) ORDER BY gmv DESC`);
    const g = sellers.map((x) => Number(x.gmv));
    const total = g.reduce((a, b) => a + b, 0);
    const top = Math.max(1, Math.ceil(g.length * 0.01));
    expect(mp.marketplace!.concentration.sellers).toBe(g.length);
    expect(mp.marketplace!.concentration.top1pct_gmv_share).toBeCloseTo(g.slice(0, top).reduce((a, b) => a + b, 0) / total, 4);
    const asc = [...g].sort((a, b) => a - b);
    const gini = (2 * asc.reduce((a, x, i) => a + (i + 1) * x, 0)) / (asc.length * total) - (asc.length + 1) / asc.length;
    expect(mp.marketplace!.concentration.gini).toBeCloseTo(gini, 4);
    const [ns] = await sql<{ n: bigint; never: bigint }>(data('mp'), (t) => `
      WITH l AS (SELECT listing_id FROM ${t('dim_listing')} WHERE timezone('${TZ}', created_at::TIMESTAMPTZ)::DATE BETWEEN DATE '2025-01-01' AND DATE '2025-09-30')
      SELECT count(*) AS n, count(*) FILTER (WHERE listing_id NOT IN (SELECT listing_id FROM ${t('fact_order_item')} WHERE listing_id IS NOT NULL)) AS never FROM l`);
    expect(mp.marketplace!.never_sold).toMatchObject({ listings: Number(ns.n), never_sold: Number(ns.never) });
    expect(mp.marketplace!.unavailable).toEqual([]);
    // cancellations are a share of paid orders (an order nobody paid has nothing to cancel); money shares in USD
    const usd = (c: string) => `CASE ${Object.entries(manifest.config.currency_rates).map(([k, x]) => `WHEN ${c} = '${k}' THEN ${x}`).join(' ')} ELSE 1 END`;
    const [rf] = await sql<{ base: bigint; cancelled: bigint; share: number }>(data('mp'), (t) => `
      WITH o AS (SELECT order_id, min(order_time) AS order_time FROM ${t('fact_order')} WHERE order_id IN (SELECT order_id FROM ${t('fact_payment')}) GROUP BY 1)
      SELECT count(*) AS base, count(*) FILTER (WHERE order_id IN (SELECT order_id FROM ${t('fact_refund')} WHERE kind = 'cancellation')) AS cancelled,
        (SELECT sum(subtotal_cents * ${usd('currency')}) FROM ${t('fact_refund')})
          / (SELECT sum(s) FROM (SELECT any_value(subtotal_cents * ${usd('currency')}) AS s FROM ${t('fact_order')} GROUP BY order_id)) AS share
      FROM o WHERE timezone('${TZ}', order_time::TIMESTAMPTZ)::DATE <= DATE '${END}' - 45`);
    expect(mp.marketplace!.refunds).toMatchObject({ cancel_base: Number(rf.base), cancelled: Number(rf.cancelled) });
    expect(Number(rf.cancelled)).toBeGreaterThan(50);
    expect(mp.marketplace!.refunds!.refunded_gmv_share).toBeCloseTo(Number(rf.share), 4);
    const [fa] = await sql<{ failed: bigint }>(data('mp'), (t) => `SELECT count(*) AS failed FROM ${t('fact_payment_attempt')} WHERE attempt = 1 AND status = 'failed'`);
    expect(mp.marketplace!.failed_payments!.first_attempt_failed).toBeLessThanOrEqual(Number(fa.failed));
    // orders whose buyer or first-line shop key is broken (injected defects) drop out of the profile's base
    expect(mp.marketplace!.failed_payments!.first_attempt_failed).toBeGreaterThan(0.8 * Number(fa.failed));
    expect(readFileSync(path.join(o, 'profile.md'), 'utf8')).toContain('of first attempts fail');
    for (const f of mp.figures) pngSize(path.join(o, f));
  });

  it('a bad --warehouse exits 2 naming it', async () => {
    const missing = path.join(tmp.dir, 'nope');
    const r1 = await runDnr(['profile', '--warehouse', missing, '--out', path.join(tmp.dir, 'p1')], { cwd: tmp.dir });
    expect(r1.exitCode).toBe(2);
    expect(r1.stderr).toContain(`--warehouse ${missing}`);
    const empty = path.join(tmp.dir, 'empty');
    mkdirSync(empty);
    writeFileSync(path.join(empty, 'notes.txt'), 'x');
    const r2 = await runDnr(['profile', '--warehouse', empty, '--out', path.join(tmp.dir, 'p2')], { cwd: tmp.dir });
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toContain(`--warehouse ${empty} holds no manifest.json`);
    const r3 = await runDnr(['profile'], { cwd: tmp.dir });
    expect(r3.exitCode).toBe(2);
    expect(r3.stderr).toContain('--warehouse');
  });
});

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema, queryRows, withDuckDB } from '../packages/core/src/index.js';
import { REPO_ROOT, runDnr, tempDir } from './helpers/cli.js';
import { tableDictionary } from '../packages/report/src/comms-analysis/entities/dictionary.js';
import { numberTokens, unexplainedNumbers } from './helpers/report-numbers.js';

/** Internal ids that must never reach a reader: table, column and metric ids, guardrail names. */
const INTERNAL_ID = /\b(?:fact|dim|snapshot)_[a-z_]+|\b[a-z]+_(?:pct|min|usd|bps|cents)\b|\bslo\.|\b(?:join_keys_orphans|duplicates_dedup|freshness_ingest_lag|metric_definition_mismatch|new_field_schema_request|revenue_coverage_mapping|attribution_funnel_gaps|access_permissions_pii)\b/;
/** Markdown without code spans, link targets and quoted example messages (verbatim comms text). */
const shownMd = (md: string) => md.replace(/`[^`]*`/g, ' ').replace(/\]\([^)]*\)/g, ']').replace(/^> .*$/gm, ' ').replace(/\\_/g, '_');

/**
 * run-report against real generated warehouses (small scale): every data-health number is checked
 * against an independent SQL recomputation written here (AT TIME ZONE, not the report's macros),
 * null spikes against the ground truth of defects.json, Markdown numbers against the JSON, and a
 * second run for byte-identical outputs.
 */
const TZ = 'America/Los_Angeles';
const PP = 0.05;
let tmp: ReturnType<typeof tempDir>;

interface Arch {
  wh: string;
  meta: string;
  comms: string;
  out: string;
  result: Record<string, unknown> & { run_id: string };
}
const arch: Record<string, Arch> = {};

async function tinyComms(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await withDuckDB({ timeZone: 'UTC' }, async (c) => {
    await c.run(`COPY (SELECT 'm' || range AS message_id, 't' || range AS thread_id, 'c1' AS channel_id, 'platform' AS channel_cat, TIMESTAMP '2026-06-10' + to_minutes(range) AS ts,
      'u1' AS user_id, 'nulls in the key column again' AS text, NULL::VARCHAR AS reply_to, 0 AS reply_count, false AS has_link, []::VARCHAR[] AS link_domains,
      false AS has_attachment, []::VARCHAR[] AS attachment_names, false AS has_code FROM range(5)) TO '${dir}/slack_messages.parquet' (FORMAT parquet)`);
    await c.run(`COPY (SELECT 'e' || range AS message_id, 'et' || range AS thread_id, TIMESTAMP '2026-06-10' AS ts, 'u1' AS from_id, ['u2'] AS to_ids, []::VARCHAR[] AS cc_ids,
      'analytics' AS list_cat, 'late' AS subject, 'loads are late' AS body_text, false AS has_attachment, []::VARCHAR[] AS attachment_names, false AS has_link,
      []::VARCHAR[] AS link_domains, false AS has_code FROM range(5)) TO '${dir}/email_messages.parquet' (FORMAT parquet)`);
    await c.run(`COPY (SELECT 'slack' AS source, 'u1' AS user_id, 'data_eng' AS role) TO '${dir}/comms_users.parquet' (FORMAT parquet)`);
    await c.run(`COPY (SELECT 'q' || range AS query_id, 'u1' AS user_id, 'bi' AS app, TIMESTAMP '2026-06-10' AS ts, 'revenue by month' AS query_text, 'SELECT 1' AS generated_sql,
      true AS success_flag, 5 AS latency_ms, 1 AS result_rows FROM range(5)) TO '${dir}/nlq.parquet' (FORMAT parquet)`);
  });
}

async function report(a: Arch, out: string): Promise<Record<string, unknown> & { run_id: string }> {
  const r = await runDnr(['run-report', '--warehouse', a.wh, '--comms', a.comms, '--out', out, '--no-llm', '--meta', a.meta, '--json'], { cwd: tmp.dir });
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  tmp = tempDir('dnr-rr-');
  for (const name of ['neobank', 'marketplace']) {
    const a: Arch = {
      wh: path.join(tmp.dir, 'data', name),
      meta: path.join(tmp.dir, 'meta', name),
      comms: path.join(tmp.dir, 'comms', name),
      out: path.join(tmp.dir, 'reports', name),
      result: { run_id: '' },
    };
    const g = await runDnr(['gen-warehouse', '--archetype', name, '--scale', 'small', '--out', a.wh, '--meta', a.meta, '--quiet'], { cwd: tmp.dir });
    expect(g.exitCode, g.stderr).toBe(0);
    await tinyComms(a.comms);
    a.result = await report(a, a.out);
    arch[name] = a;
  }
}, 300_000);
afterAll(() => tmp?.cleanup());

const json = (a: Arch, file: string) => JSON.parse(readFileSync(path.join(a.out, file), 'utf8'));
const pq = (a: Arch, table: string) => {
  const dir = path.join(a.wh, 'parquet', table);
  return `read_parquet('${existsSync(dir) ? `${dir}/*.parquet` : `${dir}.parquet`}')`;
};
const localDay = (col: string) => `CAST((${col} AT TIME ZONE 'UTC') AT TIME ZONE '${TZ}' AS DATE)`;

async function sql<T = Record<string, number>>(q: string): Promise<T> {
  return withDuckDB({ timeZone: 'UTC' }, async (c) => {
    const [row] = await queryRows<Record<string, unknown>>(c, q);
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v == null ? null : Number(v)])) as T;
  });
}

describe('run-report metrics match an independent SQL recomputation', () => {
  it('neobank: key nulls, orphans (temporal rule), duplicates, p95 lag, KPIs, invoice aggregates', async () => {
    const a = arch.neobank;
    const dh = json(a, 'data_health.json');
    const { start, end } = dh.window;
    const inWin = (col: string) => `${localDay(col)} BETWEEN DATE '${start}' AND DATE '${end}'`;
    const txn = await sql(`
      WITH f AS (SELECT * FROM ${pq(a, 'fact_card_transaction')} WHERE ${inWin('event_time')}),
           c AS (SELECT card_id, activated_at FROM ${pq(a, 'dim_card')}),
           m AS (SELECT merchant_id FROM ${pq(a, 'dim_merchant')})
      SELECT 100.0 * count(*) FILTER (WHERE f.card_id IS NULL) / count(*) AS card_null,
             100.0 * count(*) FILTER (WHERE f.card_id IS NOT NULL AND (c.card_id IS NULL OR f.event_time < c.activated_at)) / count(f.card_id) AS card_orphan,
             100.0 * count(*) FILTER (WHERE f.merchant_id IS NOT NULL AND m.merchant_id IS NULL) / count(f.merchant_id) AS merchant_orphan,
             100.0 * (count(*) FILTER (WHERE f.card_id IS NULL) + count(*) FILTER (WHERE f.merchant_id IS NULL)) / (2 * count(*)) AS table_null,
             100.0 * (count(*) - count(DISTINCT f.txn_id)) / count(*) AS dup,
             quantile_cont(epoch(f.loaded_at - f.event_time) / 60, 0.95) AS p95
      FROM f LEFT JOIN c ON c.card_id = f.card_id LEFT JOIN m ON m.merchant_id = f.merchant_id`);
    const t = dh.tables.fact_card_transaction;
    expect(Math.abs(t.columns.card_id.key_null_pct - txn.card_null)).toBeLessThan(PP);
    expect(Math.abs(t.columns.card_id.orphan_pct - txn.card_orphan)).toBeLessThan(PP);
    expect(Math.abs(t.columns.merchant_id.orphan_pct - txn.merchant_orphan)).toBeLessThan(PP);
    expect(Math.abs(t.window.key_null_pct - txn.table_null)).toBeLessThan(PP);
    expect(Math.abs(t.window.dup_key_pct - txn.dup)).toBeLessThan(PP);
    expect(Math.abs(t.window.p95_ingest_lag_min - txn.p95)).toBeLessThan(1);
    // Daily series, DST-correct local days: every day of the window against its own GROUP BY.
    const daily = await withDuckDB({ timeZone: 'UTC' }, (c) =>
      queryRows<{ d: string; null_pct: number; p95: number }>(
        c,
        `SELECT strftime(${localDay('event_time')}, '%Y-%m-%d') AS d,
                100.0 * (count(*) FILTER (WHERE card_id IS NULL) + count(*) FILTER (WHERE merchant_id IS NULL)) / (2 * count(*)) AS null_pct,
                quantile_cont(epoch(loaded_at - event_time) / 60, 0.95) AS p95
         FROM ${pq(a, 'fact_card_transaction')} WHERE ${inWin('event_time')} GROUP BY 1 ORDER BY 1`,
      ),
    );
    expect(t.daily.map((d: { day: string }) => d.day)).toEqual(daily.map((d) => d.d));
    daily.forEach((d, i) => {
      expect(Math.abs(t.daily[i].key_null_pct - d.null_pct), d.d).toBeLessThan(PP);
      expect(Math.abs(t.daily[i].p95_ingest_lag_min - d.p95), d.d).toBeLessThan(1);
    });
    // The generator injects ~2% key nulls and ~5% FK failures: the SLOs must fail and say so.
    expect(t.slo.find((s: { metric: string }) => s.metric === 'key_null_pct').passed).toBe(false);

    const kpi = await sql(`
      WITH d AS (SELECT * FROM ${pq(a, 'fact_card_transaction')} QUALIFY row_number() OVER (PARTITION BY txn_id ORDER BY loaded_at) = 1)
      SELECT sum(amount_cents) / 100.0 AS spend, sum(amount_cents * coalesce(interchange_bps, 150)) / 1e6 AS interchange
      FROM d WHERE auth_result = 'approved' AND ${inWin('event_time')}`);
    expect(Math.abs(dh.kpis.card_spend_usd - kpi.spend)).toBeLessThan(0.01);
    expect(Math.abs(dh.kpis.interchange_revenue_usd - kpi.interchange)).toBeLessThan(0.01);

    // Invoices due in the last 3 days are not late yet; months covered = [period_start, period_end).
    const endDay = dh.window.end;
    const inv = await sql(`
      WITH d AS (SELECT * FROM ${pq(a, 'fact_subscription_invoice')} QUALIFY row_number() OVER (PARTITION BY invoice_id ORDER BY loaded_at) = 1),
           due AS (SELECT * FROM d WHERE period_start <= DATE '${endDay}' - 3),
           r AS (SELECT * FROM ${pq(a, 'fact_subscription_invoice')} WHERE customer_id IS NOT NULL),
           months AS (SELECT DISTINCT customer_id, year(m) * 12 + month(m) AS k FROM r, LATERAL (SELECT unnest(range(period_start::TIMESTAMP, period_end::TIMESTAMP, INTERVAL 1 DAY)) AS m)),
           span AS (SELECT customer_id, count(*) AS have, max(k) - min(k) + 1 AS want FROM months GROUP BY 1)
      SELECT (SELECT 100.0 * count(*) FILTER (WHERE paid_at IS NOT NULL AND paid_at <= ((period_start::TIMESTAMP AT TIME ZONE '${TZ}') AT TIME ZONE 'UTC') + INTERVAL 3 DAY) / count(*) FROM due) AS on_time,
             (SELECT 100.0 * (count(*) - count(DISTINCT (customer_id, period_start))) / count(*) FROM r) AS dup,
             (SELECT 100.0 * sum(want - have) / sum(want) FROM span) AS missing,
             (SELECT quantile_cont(epoch(paid_at - ((period_start::TIMESTAMP AT TIME ZONE '${TZ}') AT TIME ZONE 'UTC')) / 60, 0.95) FROM due WHERE paid_at IS NOT NULL) AS p95`);
    const ia = dh.invoice_aggregates;
    expect(dh.aggregates_by_table.fact_subscription_invoice.on_time_pct).toBe(ia.metrics.on_time_pct);
    expect(Math.abs(ia.metrics.on_time_pct - inv.on_time)).toBeLessThan(PP);
    expect(Math.abs(ia.metrics.dup_key_pct - inv.dup)).toBeLessThan(PP);
    expect(Math.abs(ia.metrics.missing_pct - inv.missing)).toBeLessThan(PP);
    expect(Math.abs(ia.metrics.p95_payment_lag_min - inv.p95)).toBeLessThan(1);
    const slos = { missing_pct: { max: 3 }, on_time_pct: { min: 90 }, dup_key_pct: { max: 1 }, p95_payment_lag_min: { max: 4320 } } as Record<string, { min?: number; max?: number }>;
    for (const c of ia.checks) {
      const b = slos[c.metric];
      expect(c.passed, c.metric).toBe((b.min === undefined || c.value >= b.min) && (b.max === undefined || c.value <= b.max));
    }
    // A fresh typical warehouse passes the invoice guardrails.
    expect(ia.passed).toBe(true);
    expect(dh.marketplace_evening_window).toBeNull();
  });

  it('marketplace: item orphans via the order time, p95 lag, GMV and the evening window', async () => {
    const a = arch.marketplace;
    const dh = json(a, 'data_health.json');
    const { start, end } = dh.window;
    const inWin = (col: string) => `${localDay(col)} BETWEEN DATE '${start}' AND DATE '${end}'`;
    const m = await sql(`
      WITH o AS (SELECT order_id, min(order_time) AS order_time FROM ${pq(a, 'fact_order')} GROUP BY 1),
           i AS (SELECT i.*, o.order_time FROM ${pq(a, 'fact_order_item')} i JOIN o USING (order_id) WHERE ${inWin('o.order_time')}),
           l AS (SELECT listing_id, created_at FROM ${pq(a, 'dim_listing')})
      SELECT 100.0 * count(*) FILTER (WHERE i.listing_id IS NULL) / count(*) AS listing_null,
             100.0 * count(*) FILTER (WHERE i.listing_id IS NOT NULL AND (l.listing_id IS NULL OR i.order_time < l.created_at)) / count(i.listing_id) AS listing_orphan
      FROM i LEFT JOIN l USING (listing_id)`);
    const items = dh.tables.fact_order_item.columns.listing_id;
    expect(Math.abs(items.key_null_pct - m.listing_null)).toBeLessThan(PP);
    expect(Math.abs(items.orphan_pct - m.listing_orphan)).toBeLessThan(PP);

    const EW = ConfigSchema.parse({}).report.marketplace.evening_window;
    const p = await sql(`
      WITH p AS (SELECT * FROM ${pq(a, 'fact_payment')} WHERE ${inWin('captured_at')}),
           d AS (SELECT * FROM ${pq(a, 'fact_payment')} WHERE captured_at IS NOT NULL QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY loaded_at) = 1),
           dw AS (SELECT hour((captured_at AT TIME ZONE 'UTC') AT TIME ZONE '${TZ}') AS h FROM d WHERE ${inWin('captured_at')})
      SELECT (SELECT quantile_cont(epoch(loaded_at - captured_at) / 60, 0.95) FROM p) AS p95,
             (SELECT 100.0 * count(*) FILTER (WHERE h >= ${EW.start_hour} AND h < ${EW.end_hour}) / count(*) FROM dw) AS evening`);
    expect(Math.abs(dh.tables.fact_payment.window.p95_ingest_lag_min - p.p95)).toBeLessThan(1);
    const ev = dh.marketplace_evening_window;
    expect(Math.abs(ev.overall_share_pct - p.evening)).toBeLessThan(PP);
    expect(ev.daily_share_pct.length).toBe(dh.window.days);
    const daysPct = (100 * ev.daily_share_pct.filter((d: { share_pct: number }) => d.share_pct >= 25).length) / ev.daily_share_pct.length;
    expect(Math.abs(ev.days_pct - daysPct)).toBeLessThan(PP);
    expect(ev.passed).toBe(ev.overall_share_pct >= 25 && ev.days_pct >= 80);

    const g = await sql(`
      WITH o AS (SELECT * FROM ${pq(a, 'fact_order')} QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY loaded_at) = 1),
           p AS (SELECT * FROM ${pq(a, 'fact_payment')} WHERE captured_at IS NOT NULL QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY loaded_at) = 1),
           fx AS (SELECT * FROM ${pq(a, 'dim_fx_rate')}),
           -- amounts are in the order's (shop's) currency: USD at the dated rate of the order's local day
           -- (the configured rate for a day before the rate table starts)
           c AS (SELECT o.subtotal_cents, p.platform_fee_cents,
                        coalesce(fx.usd_rate, CASE o.currency WHEN 'EUR' THEN 1.08 WHEN 'GBP' THEN 1.27 WHEN 'CAD' THEN 0.73 WHEN 'AUD' THEN 0.66 ELSE 1 END) AS usd
                 FROM p JOIN o USING (order_id)
                 LEFT JOIN fx ON fx.currency = o.currency AND fx.rate_date = ${localDay('o.order_time')}
                 WHERE ${inWin('p.captured_at')})
      SELECT count(*) AS orders, sum(platform_fee_cents * usd) / 100.0 AS fees, sum(subtotal_cents * usd) / 100.0 AS gmv,
             count(*) FILTER (WHERE usd <> 1) AS converted
      FROM c`);
    expect(dh.kpis.orders).toBe(g.orders);
    expect(g.converted).toBeGreaterThan(0);
    expect(Math.abs(dh.kpis.net_revenue_usd - g.fees)).toBeLessThan(0.01);
    expect(Math.abs(dh.kpis.gmv_usd - g.gmv)).toBeLessThan(0.01);
    expect(Math.abs(dh.kpis.take_rate_pct - (100 * g.fees) / g.gmv)).toBeLessThan(0.001);
    expect(Math.abs(dh.kpis.aov_usd - g.gmv / g.orders)).toBeLessThan(0.01);
    expect(dh.invoice_aggregates).toBeNull();
  });

  it('detects every injected null-spike and schema-gap day with few false alarms', () => {
    for (const name of ['neobank', 'marketplace']) {
      const a = arch[name];
      const dh = json(a, 'data_health.json');
      type Defect = { kind: string; table: string; column: string; days: string[]; rows_total: number; params: Record<string, number> };
      const all = JSON.parse(readFileSync(path.join(a.meta, 'defects.json'), 'utf8')).defects as Defect[];
      const defects = all.filter((d) => d.kind === 'null_spike' || d.kind === 'schema_gap');
      const id = (d: Defect, day: string) => `${d.table}.${d.column}@${day}`;
      const truth = new Set(defects.flatMap((d) => d.days.map((day) => id(d, day))));
      // key-null outages (a key_null entry dated on its outage days) are real incidents: a spike found on one is
      // no false alarm (it is not required either: an outage of a few hours can leave its day's share unremarkable)
      const outageDays = new Set(all.filter((d) => d.kind === 'key_null' && d.days?.length).flatMap((d) => d.days.map((day) => id(d, day))));
      // At small scale a marketplace day has ~50 orders: a +10 pp spike can be 2–3 extra NULLs, which
      // no detector can tell from noise. Those must be detected only when they are statistically visible
      // (≥ 5 binomial sd above the baseline); evaluation scale makes every spike visible (see docs).
      // Likewise a schema-gap day shows only its rows that were not backfilled (5%): a thin day can be left
      // with none or one in 70, under the detector's 1.5 pp floor; defects.json records what each day realised.
      const visible = (d: Defect, k: number) => {
        if (d.kind === 'schema_gap') {
          const perDay = d.params as unknown as Record<'rows_by_day' | 'still_null_rows_by_day', number[]>;
          const nulls = perDay.still_null_rows_by_day[k];
          return nulls >= 1 && nulls / perDay.rows_by_day[k] >= 0.015;
        }
        const b = d.params.baseline_null_rate;
        return d.params.day_null_rate - b >= 5 * Math.sqrt((b * (1 - b)) / d.rows_total);
      };
      const mustFind = defects.flatMap((d) => d.days.filter((_, k) => visible(d, k)).map((day) => id(d, day)));
      const found = new Set<string>(dh.null_spikes.spikes.map((s: { table: string; column: string; day: string }) => `${s.table}.${s.column}@${s.day}`));
      expect(truth.size, name).toBeGreaterThan(0);
      expect(mustFind.length, name).toBeGreaterThanOrEqual(Math.ceil(0.75 * truth.size));
      if (name === 'neobank') expect(mustFind.length).toBe(truth.size);
      expect(mustFind.filter((t) => !found.has(t)), `${name}: missed`).toEqual([]);
      const falseAlarms = [...found].filter((f) => !truth.has(f) && !outageDays.has(f));
      if (name === 'neobank') expect([...found].filter((f) => outageDays.has(f)).length).toBeGreaterThan(0);
      expect(falseAlarms.length, `${name}: false alarms ${falseAlarms.join(', ')}`).toBeLessThanOrEqual(Math.max(2, Math.ceil(0.1 * truth.size)));
    }
  });
});

describe('run-report outputs', () => {
  it('every number in exec_summary.md is a formatted value of exec_summary.json; no internal id is shown', () => {
    for (const name of ['neobank', 'marketplace']) {
      const a = arch[name];
      const summary = json(a, 'exec_summary.json');
      const md = readFileSync(path.join(a.out, 'exec_summary.md'), 'utf8');
      for (const section of ['## Decision memo', '## KPIs', '## Data health', '### Failing checks', '### Passing checks']) expect(md, name).toContain(section);
      // Sections only where they apply.
      expect(md.includes('### Subscription invoices (full history)'), name).toBe(name === 'neobank');
      expect(md.includes('### Marketplace evening coverage'), name).toBe(name === 'marketplace');
      // The memo says in one line how to get themes when they were skipped.
      expect(md).toContain('--engine rules');
      const shown = shownMd(md);
      expect(numberTokens(shown).length, name).toBeGreaterThan(40);
      expect(unexplainedNumbers(shown, summary), name).toEqual([]);
      expect(shown.match(INTERNAL_ID), name).toBeNull();
    }
  });

  it('keeps the memo structure of the golden files (tests/golden; UPDATE_GOLDEN=1 rewrites them)', () => {
    for (const name of ['neobank', 'marketplace']) {
      const md = readFileSync(path.join(arch[name].out, 'exec_summary.md'), 'utf8');
      // Headings and table headers; action titles and run ids depend on the data, the structure does not.
      const structure = `${md
        .split('\n')
        .filter((l) => l.startsWith('#') || (l.startsWith('| ') && !/\d/.test(l)))
        .map((l) => l.replace(/^(## )\d+\. .*$/, '$1N. <action>'))
        .join('\n')}\n`;
      const golden = path.join(REPO_ROOT, 'tests', 'golden', `exec-summary-structure.${name}.txt`);
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden, structure);
      expect(structure, name).toBe(readFileSync(golden, 'utf8'));
    }
  });

  it('health-only gaps when themes are skipped; actions theme-diverse and ≥ confidence_min', () => {
    const s = json(arch.neobank, 'exec_summary.json');
    expect(s.themes_status).toBe('skipped');
    expect(s.gap_source).toBe('health_only');
    expect(s.gap_source_note).toMatch(/demand was not measured/);
    expect(s.actions.length).toBeGreaterThan(0);
    expect(s.actions.length).toBeLessThanOrEqual(3);
    expect(new Set(s.actions.map((x: { theme: string }) => x.theme)).size).toBe(s.actions.length);
    for (const x of s.actions) {
      expect(x.confidence).toBeGreaterThanOrEqual(0.55);
      expect(x.components.demand).toBe(0);
      // Nothing was classified: the classifier and entity parts are absent, not 1.
      expect(x.confidence_parts.class_conf).toBeNull();
      expect(x.confidence_parts.entity_conf).toBeNull();
      expect(x.asking).toBeNull();
      const w = x.components.weighted;
      expect(Math.abs(w.revenue + w.demand + w.severity - x.score)).toBeLessThan(1e-3);
    }
    const scores = s.gaps.map((g: { score: number }) => g.score);
    expect(scores).toEqual([...scores].sort((p: number, q: number) => q - p));
  });

  it('writes readable PNG figures and a long-form CSV', () => {
    const a = arch.marketplace;
    const files = readdirSync(path.join(a.out, 'figures')).sort();
    expect(files).toEqual(['health_daily.png', 'ingest_lag.png', 'null_spikes.png', 'revenue_trend.png', 'score_breakdown.png', 'theme_demand.png']);
    for (const f of files) {
      const png = readFileSync(path.join(a.out, 'figures', f));
      expect(png.subarray(1, 4).toString('latin1'), f).toBe('PNG');
      // IHDR: width and height, big-endian, at bytes 16 and 20.
      expect(png.readUInt32BE(16), f).toBeGreaterThan(800);
      expect(png.readUInt32BE(20), f).toBeGreaterThan(200);
    }
    const csv = readFileSync(path.join(a.out, 'data_health.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('table,metric,day,value,slo,passed');
    expect(csv.some((l) => l.startsWith('fact_order,key_null_pct,window,'))).toBe(true);
  });

  it('is deterministic: a second run writes byte-identical reports', async () => {
    const a = arch.neobank;
    const again = path.join(tmp.dir, 'reports', 'neobank-again');
    const r = await report(a, again);
    expect(r.run_id).toBe(a.result.run_id);
    const list = (d: string) => ['exec_summary.json', 'exec_summary.md', 'report.html', 'data_health.json', 'data_health.csv', 'themes.json', 'themes.md', ...readdirSync(path.join(d, 'figures')).map((f) => `figures/${f}`)];
    for (const f of list(a.out)) expect(readFileSync(path.join(again, f)).equals(readFileSync(path.join(a.out, f))), f).toBe(true);
  });

  it('--engine rules: comms demand joins the scoring and both Markdown files match their JSON', async () => {
    const a = arch.neobank;
    const out = path.join(tmp.dir, 'reports', 'neobank-rules');
    const r = await runDnr(['run-report', '--warehouse', a.wh, '--comms', a.comms, '--out', out, '--engine', 'rules', '--meta', a.meta, '--json'], { cwd: tmp.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const themes = JSON.parse(readFileSync(path.join(out, 'themes.json'), 'utf8'));
    const summary = JSON.parse(readFileSync(path.join(out, 'exec_summary.json'), 'utf8'));
    expect(themes.status).not.toBe('skipped');
    expect(themes.engine).toBe('rules');
    expect(summary.gap_source).toBe('comms_and_health');
    const demand = new Map(themes.themes.map((t: { theme: string; demand: number }) => [t.theme, t.demand]));
    for (const g of summary.gaps) expect(g.demand_share).toBeCloseTo(Number(demand.get(g.theme) ?? 0), 4);
    // One action per theme and per evidence: no two actions cite the same measurement.
    const keys = summary.actions.map((x: { evidence_key: string }) => x.evidence_key);
    expect(new Set(keys).size).toBe(keys.length);
    const cited = summary.actions.flatMap((x: { evidence: unknown[] }) => x.evidence.map((e) => JSON.stringify(e)));
    expect(new Set(cited).size).toBe(cited.length);
    // Quotes name the action's table and lie in the window or the window's length before it; an action
    // with none says so instead of quoting a message about something else.
    const md = readFileSync(path.join(out, 'exec_summary.md'), 'utf8');
    const earliest = new Date(Date.parse(`${summary.window.start}T00:00:00Z`) - summary.window.days * 86_400_000).toISOString().slice(0, 10);
    for (const x of summary.actions) {
      expect(x.asking.examples.length).toBeLessThanOrEqual(3);
      const aliases = tableDictionary('neobank').find((t) => t.table === x.table)!.aliases;
      const named = new RegExp(`\\b(?:${[x.table, ...aliases].join('|')})\\b`, 'i');
      for (const v of x.asking.examples) {
        expect(v.text).not.toMatch(/@[a-z]{2}-u\d/);
        expect(v.day >= earliest && v.day <= summary.window.end, `${v.day} near ${summary.window.start}`).toBe(true);
        expect(v.text, x.table).toMatch(named);
      }
    }
    // This corpus names no table ("nulls in the key column again"), so no action quotes one (the positive case is in voices.test.ts).
    expect(md.split('so none is quoted').length - 1).toBe(summary.actions.filter((x: { asking: { examples: unknown[] } }) => x.asking.examples.length === 0).length);
    expect(md).toContain('**Who is asking.**');
    expect(md).not.toContain('--engine rules');
    expect(unexplainedNumbers(shownMd(md), summary)).toEqual([]);
    expect(shownMd(md).match(INTERNAL_ID)).toBeNull();
    const themesMd = readFileSync(path.join(out, 'themes.md'), 'utf8').replace(/`[^`]*`/g, ' ');
    expect(unexplainedNumbers(themesMd.replace(/\d{4}-\d{2}-\d{2}/g, ' '), themes, true)).toEqual([]);
  });
});

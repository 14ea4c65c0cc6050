import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, withDuckDB } from '../packages/core/src/index.js';
import { REPO_ROOT, runDnr, tempDir } from './helpers/cli.js';

/**
 * run-report on a warehouse dnr did not write: a small web shop built with plain DuckDB SQL, with its own
 * names and types (TIMESTAMPTZ times, DECIMAL money, text keys nowhere near dnr's), some keys broken
 * (missing customers, customers who signed up after their order, NULL references), duplicate loads, a day
 * loaded two days late and a null spike. Its contract is written here as a user would; every number of
 * data_health.json is then checked against independent SQL over the same tables. The same tables inside a
 * .duckdb file must give the same data_health.json.
 */
const TZ = 'Europe/Berlin';

/** The shop's tables (DuckDB SQL; `s` is the schema prefix the tables are created in). */
const SHOP_SQL = [
  `CREATE TABLE customers AS SELECT range AS id, 'c' || range || '@shop.example' AS email,
     CASE WHEN range > 190 THEN TIMESTAMPTZ '2026-04-15 00:00:00+00' ELSE TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_hours(range) END AS signed_up_at,
     CASE WHEN range % 3 = 0 THEN 'DE' ELSE 'FR' END AS country FROM range(1, 201)`,
  // 3000 orders every 29 minutes from 1 March (across the 29 March DST change); ~1% NULL references,
  // ~1% references to customers that do not exist, every 53rd order loaded twice (a day later).
  `CREATE TABLE base_orders AS SELECT range AS n,
     CASE WHEN range % 101 = 0 THEN NULL WHEN range % 97 = 0 THEN 9000 + range ELSE 1 + (range * 7) % 200 END AS customer_ref,
     TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(range * 29) AS placed_at,
     CASE WHEN range % 10 = 0 THEN 'cancelled' ELSE 'paid' END AS status,
     CAST((range % 50) + 9.99 AS DECIMAL(12,2)) AS total,
     CASE WHEN range % 11 = 0 THEN 'WELCOME' ELSE NULL END AS coupon_code,
     'web' AS channel FROM range(1, 3001)`,
  `CREATE TABLE shop_orders AS
   SELECT 'SO-' || lpad(CAST(n AS VARCHAR), 6, '0') AS order_no, customer_ref, placed_at, status, total, coupon_code,
          -- the null spike: no channel for a whole Berlin day
          CASE WHEN CAST(timezone('${TZ}', placed_at) AS DATE) = DATE '2026-04-20' THEN NULL ELSE channel END AS channel,
          -- the late day: orders of 10 April (UTC) land two days later
          placed_at + CASE WHEN CAST(placed_at AT TIME ZONE 'UTC' AS DATE) = DATE '2026-04-10' THEN INTERVAL 2 DAY ELSE INTERVAL 45 MINUTE END AS ingested_at
   FROM base_orders
   UNION ALL
   SELECT 'SO-' || lpad(CAST(n AS VARCHAR), 6, '0'), customer_ref, placed_at, status, total, coupon_code, channel, placed_at + INTERVAL 1 DAY
   FROM base_orders WHERE n % 53 = 0`,
  `CREATE TABLE payments AS
   SELECT n AS payment_id, 'SO-' || lpad(CAST(n AS VARCHAR), 6, '0') AS order_no, placed_at + INTERVAL 5 MINUTE AS paid_at, total AS amount,
          CASE WHEN n % 17 = 0 THEN 'failed' ELSE 'captured' END AS state, placed_at + INTERVAL 35 MINUTE AS ingested_at
   FROM base_orders WHERE status = 'paid'
   UNION ALL
   SELECT 90000 + range, 'SO-999999', TIMESTAMPTZ '2026-04-25 10:00:00+00' + to_minutes(range), CAST(5 AS DECIMAL(12,2)), 'captured', TIMESTAMPTZ '2026-04-25 11:00:00+00'
   FROM range(5)`,
  `CREATE TABLE refunds AS
   SELECT n AS refund_id, n AS payment_id, placed_at + INTERVAL 3 DAY AS refunded_at, CAST(total / 2 AS DECIMAL(12,2)) AS amount, placed_at + INTERVAL 3 DAY + INTERVAL 1 HOUR AS ingested_at
   FROM base_orders WHERE status = 'paid' AND n % 31 = 0`,
  `DROP TABLE base_orders`,
];

const CONTRACT = `# The web shop's warehouse, described for dnr (docs/contract.md).
contract_version: 1
name: webshop
description: A web shop's orders, payments and refunds.
time_zone: ${TZ}
tables:
  customers:
    role: dimension
    file: exports/customers.parquet
    columns: { id: BIGINT, signed_up_at: TIMESTAMP }
  orders:
    role: fact
    file: exports/orders            # a folder of Parquet parts
    relation: shop_orders           # its name inside the .duckdb file
    key: [order_no]
    event_time: placed_at
    loaded_at: ingested_at
    foreign_keys:
      - { column: customer_ref, references: customers, key: id, valid_from: signed_up_at }
    captured: status = 'paid'
    revenue_usd: total
    revenue_columns: [total]
    nullable_by_design: [coupon_code]
  payments:
    role: fact
    file: exports/payments_*.parquet
    key: [payment_id]
    event_time: paid_at
    loaded_at: ingested_at
    foreign_keys:
      - { column: order_no, references: orders, key: order_no }
    captured: state = 'captured'
    revenue_usd: "CASE WHEN state = 'captured' THEN amount ELSE 0 END"
  refunds:
    role: fact
    file: exports/refunds.parquet
    key: [refund_id]
    event_time: refunded_at
    loaded_at: ingested_at
    foreign_keys:
      - { column: payment_id, references: payments, key: payment_id }
kpis:
  - { name: revenue_usd, label: Revenue, sql: "SELECT coalesce(sum(amount), 0) FROM cap_payments WHERE _day BETWEEN {start} AND {end}", round: 2 }
  - { name: orders, sql: "SELECT count(*) FROM cap_orders WHERE _day BETWEEN {start} AND {end}" }
  - { name: active_customers_30d, sql: "SELECT count(DISTINCT customer_ref) FROM cap_orders WHERE _day BETWEEN {last30_start} AND {end}" }
  - { name: aov_usd, formula: "revenue_usd / nullif(orders, 0)", round: 2 }
monthly_revenue:
  sql: "SELECT strftime(_day, '%Y-%m') AS month, sum(amount) AS revenue_usd, count(DISTINCT _day) AS days FROM cap_payments GROUP BY 1 ORDER BY 1"
slos:
  p95_ingest_lag_min: 240
`;

let tmp: ReturnType<typeof tempDir>;
let root: string;
let pq: string;
let db: string;
let contract: string;

beforeAll(async () => {
  tmp = tempDir('dnr-contract-');
  root = tmp.dir;
  pq = path.join(root, 'shop');
  db = path.join(root, 'shop.duckdb');
  contract = path.join(root, 'webshop.yaml');
  writeFileSync(contract, CONTRACT);
  const ex = path.join(pq, 'exports');
  mkdirSync(path.join(ex, 'orders'), { recursive: true });
  await withDuckDB({ timeZone: 'UTC' }, async (c) => {
    await c.run(`ATTACH '${db}' AS shop`);
    await c.run('USE shop');
    for (const sql of SHOP_SQL) await c.run(sql);
    await c.run(`COPY customers TO '${ex}/customers.parquet' (FORMAT parquet)`);
    await c.run(`COPY (SELECT * FROM shop_orders WHERE order_no < 'SO-001500') TO '${ex}/orders/part-0.parquet' (FORMAT parquet)`);
    await c.run(`COPY (SELECT * FROM shop_orders WHERE order_no >= 'SO-001500') TO '${ex}/orders/part-1.parquet' (FORMAT parquet)`);
    await c.run(`COPY (SELECT * FROM payments WHERE payment_id < 2000) TO '${ex}/payments_a.parquet' (FORMAT parquet)`);
    await c.run(`COPY (SELECT * FROM payments WHERE payment_id >= 2000) TO '${ex}/payments_b.parquet' (FORMAT parquet)`);
    await c.run(`COPY refunds TO '${ex}/refunds.parquet' (FORMAT parquet)`);
    await c.run('USE memory');
    await c.run('DETACH shop');
  });
}, 120_000);
afterAll(() => tmp.cleanup());

const report = (wh: string, out: string, extra: string[] = []) => runDnr(['run-report', '--warehouse', wh, '--contract', contract, '--out', path.join(root, out), '--no-llm', '--quiet', ...extra], { cwd: root });
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** Round like the report (half up at `d` decimals) and drop -0. */
const r = (x: number | null, d: number) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d + 0);
const pct = (a: number, b: number) => (b > 0 ? r((100 * a) / b, 4) : null);

describe('run-report --contract on a Parquet web shop', () => {
  let dh: ReturnType<typeof readJson>;
  beforeAll(async () => {
    const res = await report(pq, 'out-pq');
    expect(res.exitCode, res.stderr).toBe(0);
    dh = readJson(path.join(root, 'out-pq', 'data_health.json'));
  }, 300_000);

  it('writes the whole report, naming the contract and saying demand was not measured', () => {
    expect(dh.archetype).toBe('webshop');
    const md = readFileSync(path.join(root, 'out-pq', 'exec_summary.md'), 'utf8');
    expect(md).toMatch(/[Dd]emand was not measured/);
    expect(readJson(path.join(root, 'out-pq', 'themes.json')).status).toBe('skipped');
    // KPI names are the contract's labels (else the id in words), never built-in wording.
    const kpis = readJson(path.join(root, 'out-pq', 'exec_summary.json')).kpis as Array<{ key: string; label: string }>;
    expect(kpis.map((k) => [k.key, k.label])).toEqual([['revenue_usd', 'Revenue'], ['orders', 'orders'], ['active_customers_30d', 'active customers 30d'], ['aov_usd', 'aov usd']]);
    expect(md).toMatch(/\| Revenue \|/);
    expect(md).not.toMatch(/revenue usd|Average order value/);
    // No built-in archetype wording: no invoice checks declared, no evening window, and demand's real reason.
    expect(md).not.toMatch(/subscription-invoice|[Ee]vening coverage|--engine rules/);
    expect(md).toContain('no comms were given (--comms)');
  });

  it('every health, KPI and revenue number equals independent SQL over the tables', async () => {
    await withDuckDB({ timeZone: 'UTC' }, async (c) => {
      await c.run(`ATTACH '${db}' AS shop (READ_ONLY)`);
      const day = (col: string) => `CAST(timezone('${TZ}', ${col}) AS DATE)`;
      // Independent event rows: local day, lag (minutes), FK verdicts.
      await c.run(`CREATE TEMP VIEW ev AS
        SELECT 'orders' AS tbl, ${day('o.placed_at')} AS d, o.order_no AS k, date_diff('second', o.placed_at, o.ingested_at) / 60.0 AS lag,
               'customer_ref' AS col, o.customer_ref IS NULL AS is_null,
               o.customer_ref IS NOT NULL AND cu.id IS NULL AS missing,
               cu.id IS NOT NULL AND o.placed_at < cu.signed_up_at AS temporal
        FROM shop.shop_orders o LEFT JOIN shop.customers cu ON cu.id = o.customer_ref
        UNION ALL
        SELECT 'payments', ${day('p.paid_at')}, CAST(p.payment_id AS VARCHAR), date_diff('second', p.paid_at, p.ingested_at) / 60.0,
               'order_no', p.order_no IS NULL, p.order_no IS NOT NULL AND p.order_no NOT IN (SELECT order_no FROM shop.shop_orders), false
        FROM shop.payments p
        UNION ALL
        SELECT 'refunds', ${day('f.refunded_at')}, CAST(f.refund_id AS VARCHAR), date_diff('second', f.refunded_at, f.ingested_at) / 60.0,
               'payment_id', f.payment_id IS NULL, f.payment_id IS NOT NULL AND f.payment_id NOT IN (SELECT payment_id FROM shop.payments), false
        FROM shop.refunds f`);
      const [{ end }] = await queryRows<{ end: Date }>(c, `SELECT max(d) AS "end" FROM ev`);
      const endDay = end.toISOString().slice(0, 10);
      expect(dh.window.end).toBe(endDay);
      const inWin = `d BETWEEN DATE '${endDay}' - INTERVAL 29 DAY AND DATE '${endDay}'`;
      expect(dh.window.tz).toBe(TZ);

      const scopes = await queryRows<{ tbl: string | null; n: bigint; nulls: bigint; missing: bigint; temporal: bigint; p95: number }>(
        c,
        `SELECT tbl, count(*) AS n, count(*) FILTER (is_null) AS nulls, count(*) FILTER (missing) AS missing, count(*) FILTER (temporal) AS temporal,
                quantile_cont(lag, 0.95) AS p95
         FROM ev WHERE ${inWin} GROUP BY GROUPING SETS ((tbl), ())`,
      );
      const dups = await queryRows<{ tbl: string | null; n: bigint; extra: bigint }>(
        c,
        `SELECT tbl, sum(c) AS n, sum(c - 1) AS extra FROM (SELECT tbl, k, d, count(*) AS c FROM ev WHERE ${inWin} AND k IS NOT NULL GROUP BY ALL)
         GROUP BY GROUPING SETS ((tbl), ())`,
      );
      for (const s of scopes) {
        const got = s.tbl ? dh.tables[s.tbl].window : dh.overall.window;
        const [n, nulls, missing, temporal] = [s.n, s.nulls, s.missing, s.temporal].map(Number);
        const dup = dups.find((x) => x.tbl === s.tbl)!;
        expect(got, s.tbl ?? 'overall').toEqual({
          rows: n,
          key_null_pct: pct(nulls, n),
          fk_success_pct: pct(n - nulls - missing - temporal, n),
          orphan_pct: pct(missing + temporal, n - nulls),
          orphan_missing_pct: pct(missing, n - nulls),
          orphan_temporal_pct: pct(temporal, n - nulls),
          dup_key_pct: pct(Number(dup.extra), Number(dup.n)),
          p95_ingest_lag_min: r(s.p95, 2),
        });
      }
      // The broken keys are really there, so the checks above test something.
      expect(dh.tables.orders.window.orphan_missing_pct).toBeGreaterThan(0.5);
      expect(dh.tables.orders.window.orphan_temporal_pct).toBeGreaterThan(0);
      expect(dh.tables.orders.window.key_null_pct).toBeGreaterThan(0.5);
      expect(dh.tables.orders.window.dup_key_pct).toBeGreaterThan(1);
      expect(dh.tables.payments.window.orphan_missing_pct).toBeGreaterThan(0);

      // Daily series of orders, every day.
      const daily = await queryRows<{ d: Date; n: bigint; nulls: bigint; p95: number }>(
        c,
        `SELECT d, count(*) AS n, count(*) FILTER (is_null) AS nulls, quantile_cont(lag, 0.95) AS p95 FROM ev WHERE tbl = 'orders' AND ${inWin} GROUP BY d ORDER BY d`,
      );
      // One entry per local day of the window; days without orders (the last days: refunds come 3 days later) have 0 rows.
      const byDay = new Map(daily.map((x) => [x.d.toISOString().slice(0, 10), [Number(x.n), pct(Number(x.nulls), Number(x.n)), r(x.p95, 2)]]));
      const windowDays = Array.from({ length: 30 }, (_, i) => new Date(Date.parse(`${endDay}T00:00:00Z`) - (29 - i) * 86_400_000).toISOString().slice(0, 10));
      expect(windowDays.filter((d) => !byDay.has(d)).length).toBeGreaterThan(0);
      expect(dh.tables.orders.daily.map((x: { day: string; rows: number; key_null_pct: number; p95_ingest_lag_min: number }) => [x.day, x.rows, x.key_null_pct, x.p95_ingest_lag_min])).toEqual(
        windowDays.map((d) => [d, ...(byDay.get(d) ?? [0, null, null])]),
      );

      // SLO guardrails: the contract's lag SLO overrides the config's.
      expect(dh.slos.p95_ingest_lag_min).toBe(240);
      const lagSlo = dh.guardrails.find((g: { name: string }) => g.name === 'slo.orders.p95_ingest_lag_min');
      expect(lagSlo).toMatchObject({ value: dh.tables.orders.window.p95_ingest_lag_min, bound: '≤ 240', passed: dh.tables.orders.window.p95_ingest_lag_min <= 240 });

      // KPIs.
      const [k] = await queryRows<{ rev: number; orders: bigint; active: bigint }>(
        c,
        `WITH o AS (SELECT DISTINCT ON (order_no) * FROM shop.shop_orders ORDER BY order_no, ingested_at)
         SELECT (SELECT sum(amount) FROM shop.payments WHERE state = 'captured' AND ${inWin.replaceAll('d BETWEEN', `${day('paid_at')} BETWEEN`)})::DOUBLE AS rev,
                (SELECT count(*) FROM o WHERE status = 'paid' AND ${inWin.replaceAll('d BETWEEN', `${day('placed_at')} BETWEEN`)}) AS orders,
                (SELECT count(DISTINCT customer_ref) FROM o WHERE status = 'paid' AND ${inWin.replaceAll('d BETWEEN', `${day('placed_at')} BETWEEN`)}) AS active`,
      );
      expect(dh.kpis).toEqual({ revenue_usd: r(k.rev, 2), orders: Number(k.orders), active_customers_30d: Number(k.active), aov_usd: r(k.rev / Number(k.orders), 2) });

      // Monthly revenue by local month.
      const months = await queryRows<{ m: string; rev: number; days: bigint }>(
        c,
        `SELECT strftime(${day('paid_at')}, '%Y-%m') AS m, sum(amount)::DOUBLE AS rev, count(DISTINCT ${day('paid_at')}) AS days FROM shop.payments WHERE state = 'captured' GROUP BY 1 ORDER BY 1`,
      );
      expect(dh.monthly_revenue).toEqual(months.map((m) => ({ month: m.m, revenue_usd: r(m.rev, 2), gmv_usd: null, interchange_usd: null, subscription_usd: null, days_with_data: Number(m.days) })));

      // The null spike: channel on 20 April (Berlin), every first load of that day (later copies kept it).
      const [spike] = await queryRows<{ n: bigint; nulls: bigint }>(
        c,
        `SELECT count(*) AS n, count(*) FILTER (channel IS NULL) AS nulls FROM shop.shop_orders WHERE ${day('placed_at')} = DATE '2026-04-20'`,
      );
      expect(Number(spike.nulls)).toBeGreaterThan(40);
      expect(dh.null_spikes.spikes.map((s: { table: string; column: string; day: string; rows: number; null_pct: number }) => [s.table, s.column, s.day, s.rows, s.null_pct])).toEqual([
        ['orders', 'channel', '2026-04-20', Number(spike.n), pct(Number(spike.nulls), Number(spike.n))],
      ]);
      // Scanned: every column but keys, loaded-at and nullable-by-design ones.
      expect(dh.null_spikes.columns.filter((x: { table: string }) => x.table === 'orders').map((x: { column: string }) => x.column).sort()).toEqual(['channel', 'customer_ref', 'placed_at', 'status', 'total']);
      // Events found in the data: the null spike, and the late-loaded day as an ingest-lag incident (with evidence).
      const events = dh.events.detected as Array<{ kind: string; table: string; column: string | null; days: string[]; evidence: Array<{ measured_pct: number; baseline_pct: number }> }>;
      expect(events.filter((e) => e.kind === 'null_spike')).toMatchObject([{ table: 'orders', column: 'channel', days: ['2026-04-20'] }]);
      const lag = events.filter((e) => e.kind === 'ingest_lag');
      expect(lag.map((e) => [e.table, e.days.includes('2026-04-10')])).toEqual([['orders', true]]);
      expect(lag[0].evidence[0].measured_pct).toBeGreaterThan(lag[0].evidence[0].baseline_pct + 50);
      expect(dh.events.truth).toBeNull();
      expect(dh.invoice_aggregates).toBeNull();
      expect(dh.marketplace_evening_window).toBeNull();
    });
  });

  it('--truth adds detected-vs-injected recall and precision per kind', async () => {
    const entry = (kind: string, table: string, column: string | null, days: string[]) => ({ kind, table, column, target_rate: 0, rows_affected: 0, rows_total: 0, days, params: {} });
    const truth = path.join(root, 'truth', 'defects.json');
    mkdirSync(path.dirname(truth), { recursive: true });
    writeFileSync(
      truth,
      JSON.stringify({
        archetype: 'marketplace',
        quality: 'typical',
        seed: 1,
        defects: [entry('null_spike', 'orders', 'channel', ['2026-04-20']), entry('null_spike', 'payments', 'state', ['2026-04-02']), entry('ingest_lag', 'orders', 'ingested_at', ['2026-04-10']), entry('duplicate', 'orders', null, [])],
      }),
    );
    const res = await report(pq, 'out-truth', ['--truth', truth]);
    expect(res.exitCode, res.stderr).toBe(0);
    const withTruth = readJson(path.join(root, 'out-truth', 'data_health.json'));
    expect(withTruth.events.truth.file).toBe(truth);
    expect(withTruth.events.truth.by_kind.null_spike).toEqual({ injected: 2, detected: 1, recall: 0.5, precision: 1 });
    expect(withTruth.events.truth.by_kind.ingest_lag).toEqual({ injected: 1, detected: 1, recall: 1, precision: 1 });
    expect(withTruth.events.truth.by_kind.duplicate.recall).toBeNull();
    // Everything else is as without --truth.
    expect({ ...withTruth, events: { ...withTruth.events, truth: null } }).toEqual(dh);
  }, 300_000);

  it('gives the same data_health.json when the tables live in a .duckdb file', async () => {
    const res = await report(db, 'out-db');
    expect(res.exitCode, res.stderr).toBe(0);
    expect(readJson(path.join(root, 'out-db', 'data_health.json'))).toEqual(dh);
  }, 300_000);
});

describe('the worked examples of README.md and docs/contract.md run exactly as written', () => {
  /** The first fenced block of `lang` after `marker` in a doc. */
  const block = (doc: string, marker: string, lang: string) => {
    const text = readFileSync(path.join(REPO_ROOT, doc), 'utf8');
    const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(text.slice(text.indexOf(marker)));
    if (!m) throw new Error(`no ${lang} block after ${marker} in ${doc}`);
    return m[1];
  };
  /** A documented `dnr …` command line as argv (comments dropped). */
  const argv = (line: string) => line.replace(/#.*$/, '').trim().split(/\s+/).slice(1);
  const runDoc = async (folder: string, yaml: string, commands: string[]) => {
    const dir = path.join(root, folder);
    mkdirSync(dir, { recursive: true });
    cpSync(path.join(pq, 'exports'), path.join(dir, 'exports'), { recursive: true });
    writeFileSync(path.join(dir, 'shop.yaml'), yaml);
    for (const cmd of commands) {
      const res = await runDnr(argv(cmd), { cwd: dir });
      expect(res.exitCode, `${cmd}\n${res.stderr}`).toBe(0);
      expect(readJson(path.join(dir, 'reports', 'shop', 'data_health.json')).archetype).toBe('webshop');
    }
    return dir;
  };

  it('README: --warehouse . --out reports/shop, from the folder holding exports/ (and the same tables in shop.duckdb)', async () => {
    const cmds = block('README.md', '## Your own warehouse', 'sh').split('\n').filter((l) => l.startsWith('dnr run-report'));
    expect(cmds[0]).toMatch(/--warehouse \. .*--out reports\/shop/);
    const dir = path.join(root, 'readme');
    mkdirSync(dir, { recursive: true });
    await withDuckDB({ timeZone: 'UTC' }, async (c) => {
      await c.run(`ATTACH '${db}' AS src (READ_ONLY)`);
      await c.run(`ATTACH '${path.join(dir, 'shop.duckdb')}' AS dst`);
      for (const [t, from] of [['customers', 'customers'], ['orders', 'shop_orders'], ['payments', 'payments']]) await c.run(`CREATE TABLE dst.${t} AS SELECT * FROM src.${from}`);
      await c.run('DETACH dst');
    });
    await runDoc('readme', block('README.md', '## Your own warehouse', 'yaml'), cmds);
    // Inputs untouched, outputs only in their own subfolders.
    expect(readdirSync(dir).sort()).toEqual(['exports', 'reports', 'runs', 'shop.duckdb', 'shop.yaml']);
  }, 300_000);

  it('docs/contract.md: --warehouse . --out reports/shop; an --out among the input files is still refused', async () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'contract.md'), 'utf8');
    const cmd = /`(dnr run-report --warehouse \. --contract shop\.yaml [^`]*)`/.exec(doc)?.[1];
    expect(cmd).toBeDefined();
    const dir = await runDoc('contract-md', block('docs/contract.md', 'Its contract, `shop.yaml`', 'yaml'), [cmd as string]);
    const res = await runDnr(['run-report', '--warehouse', '.', '--contract', 'shop.yaml', '--out', 'exports/orders/rep', '--no-llm'], { cwd: dir });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(/--out exports\/orders\/rep lies inside the input table \w+ of --warehouse .*exports/);
  }, 300_000);

  it('a failed run leaves no runs/ folder behind', async () => {
    const dir = path.join(root, 'failed');
    mkdirSync(dir, { recursive: true });
    const bad = path.join(root, 'no-monthly-days.yaml');
    writeFileSync(bad, CONTRACT.replace('count(DISTINCT _day) AS days', 'count(DISTINCT _day) AS n_days'));
    const res = await runDnr(['run-report', '--warehouse', pq, '--contract', bad, '--out', 'reports/x', '--no-llm', '--quiet'], { cwd: dir });
    expect(res.exitCode, res.stderr).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  }, 300_000);
});

describe('a local day without rows', () => {
  it('is in every daily series and data_health.csv with 0 rows, and is a load_gap event', async () => {
    const wh = path.join(root, 'gap');
    const ex = path.join(wh, 'exports');
    mkdirSync(path.join(ex, 'orders'), { recursive: true });
    const gapDay = '2026-04-22';
    const notGap = (col: string) => `CAST(timezone('${TZ}', ${col}) AS DATE) <> DATE '${gapDay}'`;
    await withDuckDB({ timeZone: 'UTC' }, async (c) => {
      await c.run(`ATTACH '${db}' AS shop (READ_ONLY)`);
      await c.run(`COPY shop.customers TO '${ex}/customers.parquet' (FORMAT parquet)`);
      await c.run(`COPY (SELECT * FROM shop.shop_orders WHERE ${notGap('placed_at')}) TO '${ex}/orders/part-0.parquet' (FORMAT parquet)`);
      await c.run(`COPY (SELECT * FROM shop.payments WHERE ${notGap('paid_at')}) TO '${ex}/payments_a.parquet' (FORMAT parquet)`);
      await c.run(`COPY (SELECT * FROM shop.refunds WHERE ${notGap('refunded_at')}) TO '${ex}/refunds.parquet' (FORMAT parquet)`);
    });
    const res = await report(wh, 'out-gap');
    expect(res.exitCode, res.stderr).toBe(0);
    const gh = readJson(path.join(root, 'out-gap', 'data_health.json'));
    const start = gh.window.start as string;
    for (const scope of [gh.tables.orders, gh.tables.payments, gh.overall]) {
      expect(scope.daily).toHaveLength(gh.window.days);
      expect(scope.daily[0].day).toBe(start);
      expect(scope.daily.find((d: { day: string }) => d.day === gapDay)).toMatchObject({ rows: 0, key_null_pct: null, p95_ingest_lag_min: null });
    }
    const gaps = gh.events.detected.filter((e: { kind: string }) => e.kind === 'load_gap');
    expect(gaps.map((e: { table: string; days: string[] }) => [e.table, e.days])).toEqual([
      ['orders', [gapDay]],
      ['payments', [gapDay]],
    ]); // refunds: too few rows a day (median < 20) for a missing day to be an event

    expect(gaps[0].evidence).toEqual([{ day: gapDay, rows: 0, measured_pct: 0, baseline_pct: 100, threshold_pct: 0 }]);
    const csv = readFileSync(path.join(root, 'out-gap', 'data_health.csv'), 'utf8');
    expect(csv.split('\n').filter((l) => l.startsWith(`orders,`) && l.includes(gapDay)).length).toBeGreaterThan(0);
  }, 300_000);
});

describe('an event time typed DATE', () => {
  it('is the local day it names (local midnight), not UTC midnight: west of UTC no day shifts', async () => {
    const wh = path.join(root, 'dated');
    mkdirSync(wh, { recursive: true });
    // 40 days of orders dated by a DATE column, 3 + (day % 5) orders a day, loaded the next morning.
    await withDuckDB({ timeZone: 'UTC' }, async (c) => {
      await c.run(`COPY (SELECT range AS id FROM range(1, 11)) TO '${wh}/people.parquet' (FORMAT parquet)`);
      await c.run(`COPY (SELECT d * 10 + k AS order_id, 1 + (d + k) % 10 AS person_id, DATE '2026-02-01' + CAST(d AS INTEGER) AS order_date,
                          TIMESTAMP '2026-02-01 14:00:00' + to_days(CAST(d + 1 AS INTEGER)) AS loaded_at, 10.0 AS amount
                        FROM range(40) t(d), range(10) u(k) WHERE k < 3 + d % 5) TO '${wh}/orders.parquet' (FORMAT parquet)`);
    });
    const yaml = path.join(root, 'dated.yaml');
    writeFileSync(yaml, `contract_version: 1
name: dated
time_zone: America/Los_Angeles
tables:
  people: { role: dimension, file: people.parquet, columns: { id: BIGINT } }
  orders:
    role: fact
    file: orders.parquet
    key: [order_id]
    event_time: order_date
    loaded_at: loaded_at
    foreign_keys: [{ column: person_id, references: people, key: id }]
    revenue_usd: amount
`);
    const res = await runDnr(['run-report', '--warehouse', wh, '--contract', yaml, '--out', path.join(root, 'out-dated'), '--no-llm', '--quiet'], { cwd: root });
    expect(res.exitCode, res.stderr).toBe(0);
    const daily: Array<{ day: string; rows: number }> = readJson(path.join(root, 'out-dated', 'data_health.json')).tables.orders.daily;
    const expected = (day: string) => 3 + (Math.round((Date.parse(day) - Date.parse('2026-02-01')) / 86_400_000) % 5);
    const seen = daily.filter((d) => d.rows > 0);
    expect(seen.length).toBeGreaterThan(20);
    for (const d of seen) expect(d.rows, d.day).toBe(expected(d.day));
  }, 300_000);
});

describe('the contract is part of the default run id', () => {
  it('two contracts over the same data get two run folders', async () => {
    const cwd = path.join(root, 'runid');
    mkdirSync(cwd, { recursive: true });
    const other = path.join(root, 'webshop-lag300.yaml');
    writeFileSync(other, CONTRACT.replace('p95_ingest_lag_min: 240', 'p95_ingest_lag_min: 300'));
    const ids: string[] = [];
    for (const [file, out] of [[contract, 'a'], [other, 'b'], [contract, 'c']]) {
      const res = await runDnr(['run-report', '--warehouse', pq, '--contract', file, '--out', path.join(cwd, 'reports', out), '--no-llm', '--quiet', '--json'], { cwd });
      expect(res.exitCode, res.stderr).toBe(0);
      ids.push(JSON.parse(res.stdout).run_id);
    }
    expect(ids[0]).toMatch(/^webshop-[0-9a-f]{12}$/);
    expect(ids[1]).not.toBe(ids[0]);
    // Same contract, same data, same settings: the same run.
    expect(ids[2]).toBe(ids[0]);
    expect(readdirSync(path.join(cwd, 'runs')).sort()).toEqual([...new Set(ids)].sort());
  }, 300_000);
});

describe('run-report --contract refuses a contract the warehouse does not satisfy (exit 2)', () => {
  const variant = (name: string, edit: (s: string) => string) => {
    const file = path.join(root, name);
    writeFileSync(file, edit(CONTRACT));
    return file;
  };
  const run = (wh: string, file: string, out: string) => runDnr(['run-report', '--warehouse', wh, '--contract', file, '--out', path.join(root, out), '--no-llm', '--quiet'], { cwd: root });

  it('names the table and the column a contract needs but the data lacks', async () => {
    const file = variant('bad-column.yaml', (s) => s.replace('valid_from: signed_up_at', 'valid_from: created_at'));
    for (const wh of [pq, db]) {
      const res = await run(wh, file, 'bad-col');
      expect(res.exitCode, res.stderr).toBe(2);
      expect(res.stderr).toMatch(/table customers .*missing column created_at/);
    }
  }, 300_000);

  it('names a table the warehouse does not have', async () => {
    const file = variant('bad-table.yaml', (s) => s.replace('    file: exports/refunds.parquet\n', '    file: exports/returns.parquet\n    relation: returns\n'));
    const pqRes = await run(pq, file, 'bad-tab');
    expect(pqRes.exitCode, pqRes.stderr).toBe(2);
    expect(pqRes.stderr).toMatch(/table refunds.*exports\/returns\.parquet/s);
    const dbRes = await run(db, file, 'bad-tab');
    expect(dbRes.exitCode, dbRes.stderr).toBe(2);
    expect(dbRes.stderr).toMatch(/table refunds.*no table or view returns/s);
  }, 300_000);

  it('names file:line of bad YAML and of a schema violation', async () => {
    const syntax = variant('bad-syntax.yaml', (s) => s.replace('  orders:\n    role: fact', '  orders:\n    role: [fact'));
    let res = await run(pq, syntax, 'bad-yaml');
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain(`${syntax}:`);
    expect(res.stderr).toMatch(/bad-syntax\.yaml:\d+:\d+: invalid YAML/);
    const schema = variant('bad-schema.yaml', (s) => s.replace('event_time: paid_at', 'event_time: 12'));
    res = await run(pq, schema, 'bad-schema');
    expect(res.exitCode).toBe(2);
    const line = CONTRACT.split('\n').findIndex((l) => l.includes('event_time: paid_at')) + 1;
    expect(res.stderr).toContain(`bad-schema.yaml:${line}:`);
    expect(res.stderr).toContain('tables.payments.event_time');
  }, 300_000);

  it('a captured or revenue_usd expression that does not run names its key', async () => {
    const cap = variant('bad-captured.yaml', (s) => s.replace("captured: state = 'captured'", "captured: stat = 'captured'"));
    let res = await run(pq, cap, 'bad-captured');
    expect(res.exitCode, res.stderr).toBe(2);
    expect(res.stderr).toContain(`contract ${cap}: tables.payments.captured does not run on this warehouse`);
    const rev = variant('bad-revenue.yaml', (s) => s.replace('revenue_usd: total', 'revenue_usd: totl'));
    res = await run(pq, rev, 'bad-revenue');
    expect(res.exitCode, res.stderr).toBe(2);
    expect(res.stderr).toContain(`contract ${rev}: tables.orders.revenue_usd does not run on this warehouse`);
  }, 300_000);

  it('a monthly_revenue query without a required output column names the contract, the key and the column', async () => {
    const file = variant('bad-monthly.yaml', (s) => s.replace('sum(amount) AS revenue_usd, count(DISTINCT _day) AS days', 'sum(amount) AS revenue'));
    const res = await run(pq, file, 'bad-monthly');
    expect(res.exitCode, res.stderr).toBe(2);
    expect(res.stderr).toContain(`contract ${file}: monthly_revenue.sql returns no column revenue_usd, days`);
    expect(existsSync(path.join(root, 'bad-monthly'))).toBe(false);
  }, 300_000);

  it('a KPI whose SQL or formula does not run names the contract file and the KPI', async () => {
    const sqlErr = variant('bad-kpi.yaml', (s) => s.replace('SELECT count(*) FROM cap_orders', 'SELECT count(*) FROM cap_order'));
    let res = await run(pq, sqlErr, 'bad-kpi');
    expect(res.exitCode, res.stderr).toBe(2);
    expect(res.stderr).toContain(`contract ${sqlErr}: kpis: orders (the sql) does not run`);
    const formula = variant('bad-formula.yaml', (s) => s.replace('revenue_usd / nullif(orders, 0)', 'revenue_usd / nullif(order_count, 0)'));
    res = await run(pq, formula, 'bad-formula');
    expect(res.exitCode, res.stderr).toBe(2);
    expect(res.stderr).toContain(`contract ${formula}: kpis: aov_usd (the formula) does not run`);
    expect(res.stderr).toContain('order_count');
  }, 300_000);

  it('without --contract, a folder dnr did not write is exit 2 pointing at --contract', async () => {
    const res = await runDnr(['run-report', '--warehouse', pq, '--out', path.join(root, 'no-contract'), '--no-llm', '--quiet'], { cwd: root });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(/--contract/);
  }, 300_000);
});

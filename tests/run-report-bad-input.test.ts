import { existsSync, mkdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDuckDB } from '../packages/core/src/index.js';
import { runDnr, tempDir } from './helpers/cli.js';

/**
 * docs/exit-codes.md for run-report: a tiny hand-built neobank warehouse and comms corpus (DuckDB SQL, no
 * generator), then one defect at a time ⇒ exit 2 and a message naming the file/table/column.
 */
const NEOBANK_SQL = (dir: string) => [
  `SELECT setseed(0.5)`,
  `COPY (SELECT range AS customer_id, TIMESTAMP '2026-01-01' AS created_at, 'verified' AS kyc_status FROM range(1, 51)) TO '${dir}/dim_customer.parquet' (FORMAT parquet)`,
  `COPY (SELECT range AS account_id, range AS customer_id, 'checking' AS type, TIMESTAMP '2026-01-01' AS created_at, 'open' AS status FROM range(1, 51)) TO '${dir}/dim_account.parquet' (FORMAT parquet)`,
  `COPY (SELECT range AS card_id, range AS account_id, 'active' AS status, TIMESTAMP '2026-01-01' AS activated_at FROM range(1, 51)) TO '${dir}/dim_card.parquet' (FORMAT parquet)`,
  `COPY (SELECT range AS merchant_id, 5411::INTEGER AS mcc, 'm' || range AS name FROM range(1, 11)) TO '${dir}/dim_merchant.parquet' (FORMAT parquet)`,
  `COPY (SELECT * FROM (VALUES (1::INTEGER, 'free', 0::BIGINT, 'monthly'), (2, 'premium', 999, 'monthly')) t(plan_id, name, price_cents, cadence)) TO '${dir}/dim_plan.parquet' (FORMAT parquet)`,
  `COPY (SELECT range AS txn_id, 1 + range % 50 AS card_id, 1 + range % 10 AS merchant_id, TIMESTAMP '2026-05-01 12:00' + to_minutes(range * 47) AS event_time,
          1000::BIGINT AS amount_cents, 150::INTEGER AS interchange_bps, 'ecommerce' AS channel, 'approved' AS auth_result,
          TIMESTAMP '2026-05-01 13:00' + to_minutes(range * 47) AS loaded_at FROM range(1, 1801)) TO '${dir}/fact_card_transaction.parquet' (FORMAT parquet)`,
  `COPY (SELECT range AS invoice_id, range AS customer_id, 2::INTEGER AS plan_id, DATE '2026-06-01' AS period_start, DATE '2026-07-01' AS period_end,
          TIMESTAMP '2026-06-01 18:00' AS paid_at, 999::BIGINT AS amount_cents, TIMESTAMP '2026-06-01 19:00' AS loaded_at FROM range(1, 11)) TO '${dir}/fact_subscription_invoice.parquet' (FORMAT parquet)`,
];

const COMMS_SQL = (dir: string, rows: number) => [
  `COPY (SELECT 'nb-m' || range AS message_id, 'nb-t' || range AS thread_id, 'c1' AS channel_id, 'platform' AS channel_cat, TIMESTAMP '2026-06-10' + to_minutes(range) AS ts,
          'u1' AS user_id, 'fact_card_transaction has null card_id keys again' AS text, NULL::VARCHAR AS reply_to, 0 AS reply_count, false AS has_link,
          []::VARCHAR[] AS link_domains, false AS has_attachment, []::VARCHAR[] AS attachment_names, false AS has_code FROM range(${rows})) TO '${dir}/slack_messages.parquet' (FORMAT parquet)`,
  `COPY (SELECT 'nb-e' || range AS message_id, 'nb-et' || range AS thread_id, TIMESTAMP '2026-06-10' AS ts, 'u1' AS from_id, ['u2'] AS to_ids, []::VARCHAR[] AS cc_ids,
          'analytics' AS list_cat, 'late data' AS subject, 'the loads are late' AS body_text, false AS has_attachment, []::VARCHAR[] AS attachment_names,
          false AS has_link, []::VARCHAR[] AS link_domains, false AS has_code FROM range(${rows})) TO '${dir}/email_messages.parquet' (FORMAT parquet)`,
  `COPY (SELECT 'slack' AS source, 'u1' AS user_id, 'data_eng' AS role UNION ALL SELECT 'email', 'u1', 'bi') TO '${dir}/comms_users.parquet' (FORMAT parquet)`,
  `COPY (SELECT 'nb-q' || range AS query_id, 'u1' AS user_id, 'bi' AS app, TIMESTAMP '2026-06-10' AS ts, 'revenue by month' AS query_text, 'SELECT 1' AS generated_sql,
          true AS success_flag, 10 AS latency_ms, 1 AS result_rows FROM range(${rows})) TO '${dir}/nlq.parquet' (FORMAT parquet)`,
];

let tmp: ReturnType<typeof tempDir>;
let base: string;

async function build(root: string, commsRows = 5): Promise<{ wh: string; comms: string }> {
  const wh = path.join(root, 'data');
  const comms = path.join(root, 'comms');
  mkdirSync(path.join(wh, 'parquet'), { recursive: true });
  mkdirSync(comms, { recursive: true });
  await withDuckDB({ timeZone: 'UTC' }, async (c) => {
    for (const sql of [...NEOBANK_SQL(path.join(wh, 'parquet')), ...COMMS_SQL(comms, commsRows)]) await c.run(sql);
  });
  writeFileSync(path.join(wh, 'manifest.json'), JSON.stringify({ archetype: 'neobank', tz: 'America/Los_Angeles', end_date: '2026-06-30' }));
  return { wh, comms };
}

const run = (root: string, wh: string, comms: string, extra: string[] = [], env: Record<string, string> = {}) =>
  runDnr(['run-report', '--warehouse', wh, '--comms', comms, '--out', path.join(root, 'out'), '--quiet', ...(extra.includes('--engine') ? [] : ['--no-llm']), ...extra], { cwd: root, env });

beforeAll(async () => {
  tmp = tempDir('dnr-rr-bad-');
  base = tmp.dir;
});
afterAll(() => tmp.cleanup());

describe('run-report bad input (docs/exit-codes.md)', () => {
  it('a valid tiny warehouse reports (exit 0) and writes every output', async () => {
    const root = path.join(base, 'ok');
    const { wh, comms } = await build(root);
    const r = await run(root, wh, comms, ['--json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.themes_status).toBe('skipped');
    expect(out.gap_source).toBe('health_only');
    for (const f of ['exec_summary.json', 'exec_summary.md', 'data_health.json', 'data_health.csv', 'themes.json', 'themes.md', 'figures/health_daily.png']) {
      expect(existsSync(path.join(root, 'out', f)), f).toBe(true);
    }
    expect(existsSync(path.join(root, 'runs', out.run_id, 'run.json'))).toBe(true);
  });

  it('missing table ⇒ exit 2 naming the table', async () => {
    const root = path.join(base, 'no-table');
    const { wh, comms } = await build(root);
    rmSync(path.join(wh, 'parquet', 'dim_merchant.parquet'));
    const r = await run(root, wh, comms);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/missing table dim_merchant/);
    expect(existsSync(path.join(root, 'out'))).toBe(false);
  });

  it('missing column ⇒ exit 2 naming table and column', async () => {
    const root = path.join(base, 'no-column');
    const { wh, comms } = await build(root);
    await withDuckDB({ timeZone: 'UTC' }, async (c) => {
      const f = path.join(wh, 'parquet', 'fact_card_transaction.parquet');
      await c.run(`CREATE TABLE t AS SELECT * EXCLUDE (interchange_bps) FROM read_parquet('${f}')`);
      await c.run(`COPY t TO '${f}' (FORMAT parquet)`);
    });
    const r = await run(root, wh, comms);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/table fact_card_transaction .*missing column interchange_bps/);
  });

  it('corrupt Parquet ⇒ exit 2 naming the file', async () => {
    const root = path.join(base, 'corrupt');
    const { wh, comms } = await build(root);
    const f = path.join(wh, 'parquet', 'fact_subscription_invoice.parquet');
    truncateSync(f, Math.floor(statSync(f).size / 2));
    const r = await run(root, wh, comms);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('fact_subscription_invoice.parquet');
  });

  it('corrupt data pages behind a valid footer ⇒ exit 2 naming the file', async () => {
    const root = path.join(base, 'corrupt-pages');
    const { wh, comms } = await build(root);
    const f = path.join(wh, 'parquet', 'fact_card_transaction.parquet');
    const bytes = readFileSync(f);
    // Scramble the middle (column chunks), keep the header magic and the footer readable.
    for (let i = Math.floor(bytes.length * 0.2); i < Math.floor(bytes.length * 0.5); i++) bytes[i] = (bytes[i] * 7 + 13) & 255;
    writeFileSync(f, bytes);
    const r = await run(root, wh, comms);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain('fact_card_transaction.parquet');
  });

  it('empty comms ⇒ exit 2 naming the folder', async () => {
    const root = path.join(base, 'empty-comms');
    const { wh, comms } = await build(root, 0);
    const r = await run(root, wh, comms);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/comms folder .* is empty/);
  });

  it('comms with the wrong schema ⇒ exit 2 naming the file and column', async () => {
    const root = path.join(base, 'bad-comms');
    const { wh, comms } = await build(root);
    await withDuckDB({ timeZone: 'UTC' }, async (c) => {
      const f = path.join(comms, 'nlq.parquet');
      await c.run(`CREATE TABLE t AS SELECT * EXCLUDE (query_text) FROM read_parquet('${f}')`);
      await c.run(`COPY t TO '${f}' (FORMAT parquet)`);
    });
    const r = await run(root, wh, comms);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/nlq\.parquet.*query_text/);
  });

  it('a bad --window is a usage error (exit 2)', async () => {
    const root = path.join(base, 'bad-window');
    const { wh, comms } = await build(root);
    const r = await run(root, wh, comms, ['--window', 'week']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--window week/);
  });
});

describe('run-report exit policy B and --strict', () => {
  // Caps too small for any request (classification and entities): nothing is sent (no network), every
  // source ends under the 20% coverage floor. The endpoint is unreachable on purpose (were anything sent,
  // the run would stop with exit 2 naming OPENAI_BASE_URL).
  const llmEnv = { OPENAI_API_KEY: 'test-key-not-real', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', DNR_ENTITIES__API_CAP_USD: '0.0000001' };
  const tinyCap = ['--engine', 'llm', '--api-cap-usd', '0.0000001'];

  it('without --strict a cap too small to classify anything still exits 0 and says so', async () => {
    const root = path.join(base, 'cap-lenient');
    const { wh, comms } = await build(root);
    const r = await run(root, wh, comms, [...tinyCap, '--json'], llmEnv);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.strict_failures.join(' ')).toMatch(/below the 20% coverage floor/);
    expect(out.gap_source).toBe('health_only');
    const md = readFileSync(path.join(root, 'out', 'exec_summary.md'), 'utf8');
    expect(md).toMatch(/below the coverage floor/);
    expect(r.stdout + r.stderr).not.toContain('test-key-not-real');
  });

  it('--strict exits 3 when a source is under the coverage floor, after writing the report', async () => {
    const root = path.join(base, 'cap-strict');
    const { wh, comms } = await build(root);
    const r = await run(root, wh, comms, [...tinyCap, '--strict'], llmEnv);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/--strict: source \w+ is below the 20% coverage floor/);
    expect(existsSync(path.join(root, 'out', 'exec_summary.json'))).toBe(true);
  });
});

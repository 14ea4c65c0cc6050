import { execFileSync } from 'node:child_process';
import { closeSync, cpSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows, sqlString, withDuckDB } from '../packages/core/dist/index.js';
import { runDnr, tempDir } from './helpers/cli.js';

// Verify on read, and Parquet written by other tools: same results or a clear refusal (exit 2).

// Several real CLI runs per test: generous limits for a loaded 2-core machine (performance is measured in `pnpm bench`).
vi.setConfig({ testTimeout: 900_000, hookTimeout: 900_000 });

const SMALL_COMMS = ['--slack', '60', '--email', '20', '--nlq', '30'];
let tmp: ReturnType<typeof tempDir>;
const at = (...p: string[]) => path.join(tmp.dir, ...p);
const dnr = async (args: string[]) => {
  const r = await runDnr(args, { cwd: tmp.dir });
  expect(r.exitCode, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
};
const report = (warehouse: string, comms: string, out: string, extra: string[] = []) =>
  runDnr(['run-report', '--warehouse', warehouse, '--comms', comms, '--out', out, '--run-id', out.replace(/\W/g, '_'), '--engine', 'rules', '--no-llm', '-q', ...extra], { cwd: tmp.dir });
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** Rewrite one Parquet file through DuckDB with a SELECT over `t` (the file's own rows). */
async function rewrite(file: string, select: string): Promise<void> {
  await withDuckDB({ timeZone: 'America/New_York' }, async (c) => {
    await c.run(`CREATE TABLE t AS SELECT * FROM read_parquet(${sqlString(file)})`);
    await c.run(`COPY (${select}) TO ${sqlString(file)} (FORMAT parquet)`);
  });
}

/** The Parquet file of a warehouse table (the first part file of a partitioned one), from its manifest. */
const tableFile = (dir: string, table: string) => at(dir, 'parquet', json(at(dir, 'manifest.json')).tables[table].files[0] as string);
const tableFiles = (dir: string, table: string) => (json(at(dir, 'manifest.json')).tables[table].files as string[]).map((f) => at(dir, 'parquet', f));

/** A copy of a dnr folder as another tool would hand it over: same files, no dnr marker. */
function foreignCopy(from: string, to: string): void {
  cpSync(at(from), at(to), { recursive: true });
  rmSync(at(to, '.dnr-output.json'));
}

beforeAll(async () => {
  tmp = tempDir('dnr-read-');
  await dnr(['gen-warehouse', '--archetype', 'marketplace', '--scale', 'small', '--months', '3', '-q']);
  await dnr(['gen-comms', '--archetype', 'marketplace', ...SMALL_COMMS, '-q']);
  const base = await report('data/marketplace', 'comms/marketplace', 'rep-base');
  expect(base.exitCode, base.stderr).toBe(0);
}, 900_000);
afterAll(() => tmp.cleanup());

describe('verify on read', () => {
  /** Overwrite 64 bytes in the middle of a file (its footer stays intact). */
  const scribble = (file: string) => {
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(64, 0x5a), 0, 64, Math.floor(statSync(file).size / 2));
    closeSync(fd);
  };

  it('random bytes in the middle of a table: run-report and validate exit 2 naming the table; with the file stamp restored, --verify still catches it', async () => {
    // cp -a keeps modification times to the nanosecond, so every untouched file still matches its stamp
    execFileSync('cp', ['-a', at('data', 'marketplace'), at('data', 'corrupt')]);
    const file = tableFile('data/corrupt', 'fact_order');
    const rel = path.relative(at('data', 'corrupt'), file);
    const mtime = statSync(file, { bigint: true }).mtimeNs;
    scribble(file);
    const r = await report('data/corrupt', 'comms/marketplace', 'rep-corrupt');
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--warehouse data\/corrupt: table fact_order \(.*\) (does not match its manifest|cannot be read)/);
    expect(r.stderr).toContain(`${rel} changed after dnr wrote it`);
    const v = await runDnr(['validate', '--warehouse', 'data/corrupt', '--out', 'qc-corrupt', '--only', 'volumes'], { cwd: tmp.dir });
    expect(v.exitCode).toBe(2);
    expect(v.stderr).toMatch(/table fact_order/);
    // same size, same modification time: only the content checksum can tell
    execFileSync('touch', ['-m', '-d', `@${mtime / 1_000_000_000n}.${String(mtime % 1_000_000_000n).padStart(9, '0')}`, file]);
    const quiet = await report('data/corrupt', 'comms/marketplace', 'rep-corrupt2', ['--verify']);
    expect(quiet.exitCode, quiet.stderr).toBe(2);
    expect(quiet.stderr).toMatch(/table fact_order \(.*\) (does not match its manifest|cannot be read)/);
    // the stamp matched, so the message names no file as touched (the hint still says the data changed)
    expect(quiet.stderr).not.toContain(`${rel} changed after dnr wrote it`);
    const qv = await runDnr(['validate', '--warehouse', 'data/corrupt', '--out', 'qc-corrupt', '--only', 'volumes', '--verify'], { cwd: tmp.dir });
    expect(qv.exitCode).toBe(2);
  });

  it('a comms file changed after gen-comms wrote it is exit 2 naming it', async () => {
    execFileSync('cp', ['-a', at('comms', 'marketplace'), at('comms', 'edited')]);
    await rewrite(at('comms', 'edited', 'nlq.parquet'), `SELECT * REPLACE (upper(query_text) AS query_text) FROM t`);
    const r = await report('data/marketplace', 'comms/edited', 'rep-edited');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--comms comms\/edited: table nlq \(nlq\.parquet\) does not match its manifest/);
  });
});

describe('Parquet written by other tools', () => {
  it('TIMESTAMPTZ (pandas/pyarrow tz-aware) and TIMESTAMP_NS columns: the same instants, the same local days, the same report numbers', async () => {
    foreignCopy('data/marketplace', 'data/tz');
    for (const f of tableFiles('data/tz', 'fact_payment')) await rewrite(f, `SELECT * REPLACE (timezone('UTC', captured_at) AS captured_at, timezone('UTC', loaded_at) AS loaded_at) FROM t`);
    for (const f of tableFiles('data/tz', 'fact_order')) await rewrite(f, `SELECT * REPLACE (CAST(order_time AS TIMESTAMP_NS) AS order_time) FROM t`);
    await withDuckDB({ timeZone: 'UTC' }, async (c) => {
      const types = await queryRows<{ column_name: string; column_type: string }>(c, `DESCRIBE SELECT captured_at FROM read_parquet(${sqlString(tableFile('data/tz', 'fact_payment'))})`);
      expect(types[0].column_type).toBe('TIMESTAMP WITH TIME ZONE');
    });
    const r = await report('data/tz', 'comms/marketplace', 'rep-tz');
    expect(r.exitCode, r.stderr).toBe(0);
    const base = json(at('rep-base', 'data_health.json'));
    const got = json(at('rep-tz', 'data_health.json'));
    expect(got.marketplace_evening_window).toEqual(base.marketplace_evening_window);
    expect(got.kpis).toEqual(base.kpis);
    expect(got.guardrails).toEqual(base.guardrails);
    const v = await runDnr(['validate', '--warehouse', 'data/tz', '--out', 'qc-tz', '--only', 'guardrails', '--json'], { cwd: tmp.dir });
    const vb = await runDnr(['validate', '--warehouse', 'data/marketplace', '--out', 'qc-base', '--only', 'guardrails', '--json'], { cwd: tmp.dir });
    expect(v.exitCode, v.stderr).toBe(0);
    expect(JSON.parse(v.stdout).rows).toEqual(JSON.parse(vb.stdout).rows);
  });

  it('Slack-style epoch-seconds text `ts`, BLOB text and TIMESTAMPTZ e-mail times: the same predictions', async () => {
    foreignCopy('comms/marketplace', 'comms/slackish');
    await rewrite(
      at('comms', 'slackish', 'slack_messages.parquet'),
      `SELECT * REPLACE (CAST(epoch_us(ts) // 1000000 AS VARCHAR) || '.' || lpad(CAST(epoch_us(ts) % 1000000 AS VARCHAR), 6, '0') AS ts, encode(text) AS text) FROM t`,
    );
    await rewrite(at('comms', 'slackish', 'email_messages.parquet'), `SELECT * REPLACE (timezone('UTC', ts) AS ts, encode(body_text) AS body_text) FROM t`);
    const sample = await withDuckDB({ timeZone: 'UTC' }, (c) => queryRows<{ ts: string }>(c, `SELECT ts FROM read_parquet(${sqlString(at('comms', 'slackish', 'slack_messages.parquet'))}) LIMIT 1`));
    expect(sample[0].ts).toMatch(/^\d{10}\.\d{6}$/);
    const r = await report('data/marketplace', 'comms/slackish', 'rep-slackish');
    expect(r.exitCode, r.stderr).toBe(0);
    const preds = (run: string) =>
      withDuckDB({ timeZone: 'UTC' }, (c) => queryRows(c, `SELECT * FROM read_parquet(${sqlString(at('runs', run, 'preds', '*.parquet'))}) ORDER BY id`));
    expect(await preds('rep_slackish')).toEqual(await preds('rep_base'));
    expect(json(at('rep-slackish', 'themes.json')).themes).toEqual(json(at('rep-base', 'themes.json')).themes);
  });

  it('types that cannot be read exactly are refused with exit 2 naming file, column, the type found and the type expected', async () => {
    foreignCopy('data/marketplace', 'data/badtype');
    await rewrite(tableFile('data/badtype', 'fact_payment'), `SELECT * REPLACE (CAST(buyer_paid_cents AS VARCHAR) || ' USD' AS buyer_paid_cents) FROM t`);
    const a = await report('data/badtype', 'comms/marketplace', 'rep-bad');
    expect(a.exitCode).toBe(2);
    expect(a.stderr).toMatch(/column buyer_paid_cents in .*fact_payment.*\.parquet.* is VARCHAR, expected BIGINT/);
    expect(a.stderr).not.toMatch(/bug in dnr/);

    foreignCopy('comms/marketplace', 'comms/badts');
    await rewrite(at('comms', 'badts', 'slack_messages.parquet'), `SELECT * REPLACE (CASE WHEN message_id LIKE '%1' THEN 'yesterday' ELSE CAST(ts AS VARCHAR) END AS ts) FROM t`);
    const b = await report('data/marketplace', 'comms/badts', 'rep-badts');
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toMatch(/column ts in .*slack_messages\.parquet is VARCHAR, expected TIMESTAMP; \d+ value\(s\) are text that is neither epoch seconds nor an ISO-8601 time \(e\.g\. "yesterday"\)/);

    foreignCopy('comms/marketplace', 'comms/badblob');
    await rewrite(at('comms', 'badblob', 'nlq.parquet'), `SELECT * REPLACE (CASE WHEN query_id LIKE '%7' THEN '\\xC3\\x28'::BLOB ELSE encode(query_text) END AS query_text) FROM t`);
    const c = await report('data/marketplace', 'comms/badblob', 'rep-badblob');
    expect(c.exitCode).toBe(2);
    expect(c.stderr).toMatch(/column query_text in .*nlq\.parquet is BLOB, expected VARCHAR; \d+ value\(s\) are bytes that are not UTF-8 text/);
  });

  it('eval-labels reads labels whose ids are BLOB the same as text', async () => {
    foreignCopy('comms/marketplace', 'comms/bloblabels');
    await rewrite(at('comms', 'bloblabels', 'labels_slack.parquet'), `SELECT * REPLACE (encode(thread_id) AS thread_id) FROM t`);
    // predictions handed over without their run.json: labels are matched by id, not by the run's record
    cpSync(at('runs', 'rep_base', 'preds'), at('loose-preds'), { recursive: true });
    const scores = async (labels: string, out: string) => {
      const r = await runDnr(['eval-labels', '--pred', 'loose-preds', '--labels', labels, '--out', out, '--json'], { cwd: tmp.dir });
      expect([0, 3], r.stderr).toContain(r.exitCode);
      const m = JSON.parse(r.stdout).metrics;
      return Object.fromEntries(Object.entries(m.sources as Record<string, Record<string, unknown>>).map(([k, v]) => [k, { ...v, labels_file: undefined }]));
    };
    expect(await scores('comms/bloblabels', 'eval-b')).toEqual(await scores('comms/marketplace', 'eval-a'));
  });
});

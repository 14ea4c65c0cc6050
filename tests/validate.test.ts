import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sqlString, withDuckDB } from '../packages/core/src/index.js';
import { runDnr, tempDir } from './helpers/cli.js';

interface Row {
  family: string;
  gate: string;
  measured: number | string | boolean | null;
  bound: string;
  verdict: 'pass' | 'fail' | 'skip';
  detail?: string;
}

let tmp: ReturnType<typeof tempDir>;
const dirs = (name: string) => ({ data: path.join(tmp.dir, 'data', name), meta: path.join(tmp.dir, 'meta', name), comms: path.join(tmp.dir, 'comms', name) });

async function gen(name: string, archetype: string, quality: string): Promise<void> {
  const d = dirs(name);
  const r = await runDnr(['gen-warehouse', '--archetype', archetype, '--scale', 'small', '--quality', quality, '--out', d.data, '--meta', d.meta, '-q'], { cwd: tmp.dir });
  expect(r.exitCode, r.stderr).toBe(0);
}

async function genComms(name: string, archetype: string): Promise<void> {
  const d = dirs(name);
  const r = await runDnr(
    ['gen-comms', '--archetype', archetype, '--slack', '400', '--email', '150', '--nlq', '200', '--warehouse', d.data, '--meta', d.meta, '--out', d.comms, '-q'],
    { cwd: tmp.dir },
  );
  expect(r.exitCode, r.stderr).toBe(0);
}

function readResult(out: string): { rows: Row[]; passed: boolean; failed: string[]; counts: Record<string, number> } {
  return JSON.parse(readFileSync(path.join(out, 'validate.json'), 'utf8'));
}

/** Rewrite a warehouse table in place with a SQL transform of its rows. */
async function rewriteTable(dataDir: string, table: string, select: (src: string) => string): Promise<void> {
  // Rewrite each file of the table in place, so the file list the manifest records stays the same.
  const single = path.join(dataDir, 'parquet', `${table}.parquet`);
  const files = existsSync(single) ? [single] : readdirSync(path.join(dataDir, 'parquet', table)).filter((f) => f.endsWith('.parquet')).map((f) => path.join(dataDir, 'parquet', table, f));
  for (const file of files) {
    const tmpFile = path.join(dataDir, `${table}.rewritten.parquet`);
    await withDuckDB({ timeZone: 'UTC' }, async (conn) => {
      await conn.run(`COPY (${select(`read_parquet(${sqlString(file)})`)}) TO ${sqlString(tmpFile)} (FORMAT parquet)`);
    });
    rmSync(file);
    cpSync(tmpFile, file);
    rmSync(tmpFile);
  }
}

beforeAll(async () => {
  tmp = tempDir('dnr-validate-');
  await gen('neobank', 'neobank', 'typical');
  await gen('marketplace', 'marketplace', 'typical');
  await genComms('neobank', 'neobank');
}, 300_000);
afterAll(() => tmp.cleanup());

describe('dnr validate', () => {
  it('fresh typical neobank with comms passes --strict; every gate family reports rows with measured value, bound and verdict', async () => {
    const d = dirs('neobank');
    const out = path.join(tmp.dir, 'qc-nb');
    const r = await runDnr(['validate', '--warehouse', d.data, '--comms', d.comms, '--meta', d.meta, '--out', out, '--strict', '--json'], { cwd: tmp.dir });
    const res = JSON.parse(r.stdout);
    expect(res.failed, JSON.stringify(res.rows.filter((x: Row) => x.verdict === 'fail'), null, 1)).toEqual([]);
    expect(r.exitCode).toBe(0);
    const file = readResult(out);
    expect(file.rows).toEqual(res.rows);
    const families = new Set(file.rows.map((x) => x.family));
    for (const f of ['schema', 'volumes', 'defects', 'seasonality', 'taxonomy', 'monetization', 'trajectory', 'guardrails', 'golden_kpis', 'comms', 'theme_mix', 'nlq_tokens', 'event_correlation', 'reproducibility', 'llm_spend']) {
      expect(families, f).toContain(f);
    }
    for (const row of file.rows) {
      expect(row.gate.startsWith(`${row.family}.`)).toBe(true);
      expect(typeof row.bound).toBe('string');
      expect(['pass', 'skip']).toContain(row.verdict);
    }
    // Every injected spike is checked.
    const defects = JSON.parse(readFileSync(path.join(d.meta, 'defects.json'), 'utf8')).defects as Array<{ kind: string; table: string; column: string; days: string[] }>;
    for (const s of defects.filter((x) => x.kind === 'null_spike')) {
      expect(file.rows.some((x) => x.gate === `defects.null_spike.${s.table}.${s.column}.${s.days[0]}`)).toBe(true);
    }
    const md = readFileSync(path.join(out, 'validate.md'), 'utf8');
    expect(md).toContain('Verdict: **PASS**');
    const dup = file.rows.find((x) => x.gate === 'guardrails.invoice.dup_key_pct')!;
    expect(md).toContain(`| guardrails.invoice.dup_key_pct | ${dup.measured} % | ${dup.bound} | PASS |`);

    // Independent recomputation of two measured values.
    const one = (t: string) => sqlString(existsSync(path.join(d.data, 'parquet', `${t}.parquet`)) ? path.join(d.data, 'parquet', `${t}.parquet`) : path.join(d.data, 'parquet', t, '*.parquet'));
    await withDuckDB({ timeZone: 'UTC' }, async (conn) => {
      const [inv] = await queryRows<{ pct: number }>(
        conn,
        `SELECT 100.0 * (count(*) - count(DISTINCT (customer_id, period_start))) / count(*) AS pct FROM read_parquet(${one('fact_subscription_invoice')}) WHERE customer_id IS NOT NULL`,
      );
      expect(Number(dup.measured)).toBeCloseTo(inv.pct, 5);
      const [tx] = await queryRows<{ share: number }>(conn, `SELECT (count(*) - count(DISTINCT txn_id)) / count(*) AS share FROM read_parquet(${one('fact_card_transaction')})`);
      expect(Number(file.rows.find((x) => x.gate === 'defects.duplicate.fact_card_transaction')!.measured)).toBeCloseTo(tx.share, 6);
    });
  });

  it('fresh typical marketplace passes --strict; without comms the comms gates are skipped with a reason', async () => {
    const d = dirs('marketplace');
    const out = path.join(tmp.dir, 'qc-mk');
    const r = await runDnr(['validate', '--warehouse', d.data, '--meta', d.meta, '--out', out, '--strict'], { cwd: tmp.dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('verdict PASS');
    const file = readResult(out);
    const skipped = file.rows.filter((x) => x.verdict === 'skip');
    // the marketplace carries its behaviour truth: its behaviour gates run; the only behaviour skips are effects
    // too small to tell apart at this scale (cohorts, named days), each saying so
    expect([...new Set(skipped.map((x) => x.family))].sort()).toEqual(['behaviour', 'comms', 'event_correlation', 'nlq_tokens', 'theme_mix']);
    expect(skipped.filter((x) => x.family === 'behaviour').every((x) => /standard error|noise/.test(x.detail ?? ''))).toBe(true);
    expect(skipped.find((x) => x.family === 'comms')?.detail).toContain('no comms folder');
    expect(file.rows.filter((x) => x.family === 'behaviour' && x.verdict === 'pass').length).toBeGreaterThanOrEqual(6);
    expect(r.stdout).toMatch(/SKIP {2}comms\.all: .*no comms folder/);
  });

  it('messy outputs fail the guardrails: --strict exits 3 naming them; without --strict exit 0 with verdict FAIL', async () => {
    await gen('nb-messy', 'neobank', 'messy');
    await gen('mk-messy', 'marketplace', 'messy');
    for (const name of ['nb-messy', 'mk-messy']) {
      const d = dirs(name);
      const strict = await runDnr(['validate', '--warehouse', d.data, '--meta', d.meta, '--out', path.join(tmp.dir, `qc-${name}`), '--strict', '--only', 'guardrails', '--only', 'defects'], { cwd: tmp.dir });
      expect(strict.exitCode).toBe(3);
      expect(strict.stderr).toMatch(/Gate failed: validate --strict: \d+ gate\(s\) failed: guardrails\./);
      const file = readResult(path.join(tmp.dir, `qc-${name}`));
      expect(file.failed.every((g) => g.startsWith('guardrails.'))).toBe(true);
      expect(file.failed).toContain(name === 'nb-messy' ? 'guardrails.invoice.dup_key_pct' : 'guardrails.defect_level.fact_order.duplicate');
      // The injected (messy) rates still agree with defects.json.
      expect(file.rows.filter((x) => x.family === 'defects' && x.verdict === 'fail')).toEqual([]);
    }
    const lax = await runDnr(['validate', '--warehouse', dirs('nb-messy').data, '--out', path.join(tmp.dir, 'qc-lax'), '--only', 'guardrails'], { cwd: tmp.dir });
    expect(lax.exitCode).toBe(0);
    expect(lax.stdout).toContain('verdict FAIL (not --strict: exit 0)');
    expect(lax.stdout).toMatch(/FAIL {2}guardrails\.invoice\.dup_key_pct/);
  });

  it('a corrupted table exits 3 naming the failing gate: a dropped column, then 5% duplicated rows', async () => {
    const src = dirs('neobank');
    const broken = path.join(tmp.dir, 'data', 'broken');
    cpSync(src.data, broken, { recursive: true });
    await rewriteTable(broken, 'dim_account', (rel) => `SELECT * EXCLUDE (status) FROM ${rel}`);
    // still marked as dnr's output: the changed table is caught on read (exit 2 naming it), before any gate
    const onRead = await runDnr(['validate', '--warehouse', broken, '--meta', src.meta, '--out', path.join(tmp.dir, 'qc-broken'), '--strict', '--only', 'schema'], { cwd: tmp.dir });
    expect(onRead.exitCode).toBe(2);
    expect(onRead.stderr).toMatch(/table dim_account \(parquet\/dim_account\.parquet\) does not match its manifest/);
    // handed over without dnr's marker (as another tool would): the gates judge it
    rmSync(path.join(broken, '.dnr-output.json'));
    const dropped = await runDnr(['validate', '--warehouse', broken, '--meta', src.meta, '--out', path.join(tmp.dir, 'qc-broken'), '--strict', '--only', 'schema'], { cwd: tmp.dir });
    expect(dropped.exitCode).toBe(3);
    expect(dropped.stderr).toContain('schema.dim_account (measured missing column status');

    const dup = path.join(tmp.dir, 'data', 'dup');
    cpSync(src.data, dup, { recursive: true });
    rmSync(path.join(dup, '.dnr-output.json'));
    await rewriteTable(dup, 'fact_card_transaction', (rel) => `SELECT * FROM ${rel} UNION ALL SELECT * FROM ${rel} USING SAMPLE 5 PERCENT (bernoulli, 7)`);
    const dupd = await runDnr(['validate', '--warehouse', dup, '--meta', src.meta, '--out', path.join(tmp.dir, 'qc-dup'), '--strict', '--only', 'schema', '--only', 'defects', '--json'], { cwd: tmp.dir });
    expect(dupd.exitCode).toBe(3);
    const err = JSON.parse(dupd.stdout).error;
    expect(err.message).toContain('defects.duplicate.fact_card_transaction (measured 0.05');
    expect(err.message).toContain('defects.duplicate.fact_card_transaction.later_loaded_at');
    expect(err.message).toContain('schema.fact_card_transaction.integrity');
  });

  it('trajectory gates follow the manifest: T2 growth and T3 decline pass their own checks', async () => {
    for (const t of ['T2', 'T3']) {
      const d = dirs(`nb-${t}`);
      const g = await runDnr(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--trajectory', t, '--out', d.data, '--meta', d.meta, '-q'], { cwd: tmp.dir });
      expect(g.exitCode, g.stderr).toBe(0);
      const r = await runDnr(['validate', '--warehouse', d.data, '--meta', d.meta, '--out', path.join(tmp.dir, `qc-${t}`), '--only', 'trajectory', '--strict', '--json'], { cwd: tmp.dir });
      expect(r.exitCode, r.stdout).toBe(0);
      const [row] = JSON.parse(r.stdout).rows as Row[];
      expect(row.gate).toBe(t === 'T2' ? 'trajectory.T2.inflow_growth_pct' : 'trajectory.T3.active_growth_pct');
      expect(Number(row.measured)).toSatisfy((v: number) => (t === 'T2' ? v >= 2 : v <= -0.5));
    }
  });

  it('neobank T1 band is the declared trend ± 3 standard errors: the default passes, a real 6 %/month sign-up trend fails', async () => {
    const base = dirs('neobank');
    const ok = await runDnr(['validate', '--warehouse', base.data, '--meta', base.meta, '--out', path.join(tmp.dir, 'qc-t1'), '--only', 'trajectory', '--strict', '--json'], { cwd: tmp.dir });
    expect(ok.exitCode, ok.stdout).toBe(0);
    const [row] = JSON.parse(ok.stdout).rows as Row[];
    expect(row.gate).toBe('trajectory.T1.inflow_growth_pct');
    // the declared 0.4 %/month trend through the fitted months' seasonality (0.48 for this window), ± 3 SE of the fit
    expect(row.detail).toContain('declared 0.48 %/month (trend 0.4 %/month');
    expect(row.detail).toContain('± 3 standard errors');
    const [lo, hi] = String(row.bound).replace(/[[\]]/g, '').split(',').map(Number);
    expect((lo + hi) / 2).toBeGreaterThan(0.48);
    expect(hi - lo).toBeGreaterThan(2);
    expect(hi).toBeLessThan(6);
    const d = dirs('nb-t1-trend6');
    writeFileSync(path.join(tmp.dir, 'trend6.yaml'), 'behaviour:\n  neobank:\n    inflow:\n      trend_pct_per_month: 6\n');
    const g = await runDnr(['gen-warehouse', '--config', 'trend6.yaml', '--archetype', 'neobank', '--scale', 'small', '--trajectory', 'T1', '--out', d.data, '--meta', d.meta, '-q'], { cwd: tmp.dir });
    expect(g.exitCode, g.stderr).toBe(0);
    // validated with the default config: the band still comes from the behaviour the warehouse was generated with
    const bad = await runDnr(['validate', '--warehouse', d.data, '--meta', d.meta, '--out', path.join(tmp.dir, 'qc-t1-6'), '--only', 'trajectory', '--json'], { cwd: tmp.dir });
    const [r6] = JSON.parse(bad.stdout).rows as Row[];
    expect(r6.detail).toContain('trend 6 %/month');
    expect(Number(r6.measured)).toBeGreaterThan(4);
    expect(r6.verdict).toBe('pass');
    // the same data judged against the default 0.4 %/month declaration fails
    rmSync(path.join(d.data, 'behaviour.json'));
    rmSync(path.join(d.meta, 'behaviour.json'), { force: true });
    const fail = await runDnr(['validate', '--warehouse', d.data, '--meta', d.meta, '--out', path.join(tmp.dir, 'qc-t1-6b'), '--only', 'trajectory', '--strict', '--json'], { cwd: tmp.dir });
    expect(fail.exitCode).toBe(3);
  });

  it('LLM spend: no ledger passes with 0; a ledger over its cap fails --strict naming the purpose', async () => {
    const d = dirs('neobank');
    const meta = path.join(tmp.dir, 'meta', 'spend');
    cpSync(d.meta, meta, { recursive: true });
    const ok = await runDnr(['validate', '--warehouse', d.data, '--meta', meta, '--out', path.join(tmp.dir, 'qc-spend'), '--only', 'llm_spend', '--strict', '--json'], { cwd: tmp.dir });
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout).rows).toMatchObject([{ gate: 'llm_spend.total_usd', measured: 0, verdict: 'pass' }]);
    const settle = (usd: number, seq: number) => JSON.stringify({ run: 'r', seq, purpose: 'comms', model: 'gpt-4o-mini', key: `k${seq}`, event: 'settle', actual_usd: usd, ts: '2026-01-01T00:00:00Z' });
    writeFileSync(path.join(meta, 'comms_llm_ledger.jsonl'), `${settle(0.7, 1)}\n${settle(0.45, 2)}\n{"torn`);
    const over = await runDnr(['validate', '--warehouse', d.data, '--meta', meta, '--out', path.join(tmp.dir, 'qc-spend'), '--only', 'llm_spend', '--strict'], { cwd: tmp.dir });
    expect(over.exitCode).toBe(3);
    expect(over.stderr).toContain('llm_spend.comms_usd (measured 1.15, bound ≤ 1)');
  });

  it('bad input exits 2: a missing --comms folder, a folder that is not a warehouse, no flags', async () => {
    const d = dirs('neobank');
    const noComms = await runDnr(['validate', '--warehouse', d.data, '--comms', path.join(tmp.dir, 'nope'), '--out', path.join(tmp.dir, 'qc-x')], { cwd: tmp.dir });
    expect(noComms.exitCode).toBe(2);
    expect(noComms.stderr).toContain(`--comms ${path.join(tmp.dir, 'nope')} is not a folder`);
    const notWh = await runDnr(['validate', '--warehouse', d.meta], { cwd: tmp.dir });
    expect(notWh.exitCode).toBe(2);
    expect(notWh.stderr).toContain('has no manifest.json');
    const empty = path.join(tmp.dir, 'comms-empty');
    mkdirSync(empty);
    const emptyRun = await runDnr(['validate', '--warehouse', d.data, '--comms', empty, '--out', path.join(tmp.dir, 'qc-empty'), '--only', 'comms', '--only', 'nlq_tokens'], { cwd: tmp.dir });
    expect(emptyRun.exitCode).toBe(0);
    const rows = readResult(path.join(tmp.dir, 'qc-empty')).rows;
    expect(rows.find((x) => x.gate === 'comms.slack_messages.schema')).toMatchObject({ verdict: 'fail', measured: 'missing', detail: `no slack_messages.parquet in ${empty}` });
    const corrupt = path.join(tmp.dir, 'data', 'corrupt');
    cpSync(d.data, corrupt, { recursive: true });
    writeFileSync(path.join(corrupt, 'parquet', 'dim_plan.parquet'), 'not parquet');
    const bad = await runDnr(['validate', '--warehouse', corrupt, '--meta', d.meta, '--out', path.join(tmp.dir, 'qc-x')], { cwd: tmp.dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(`--warehouse ${corrupt}: table dim_plan (parquet/dim_plan.parquet) cannot be read (parquet/dim_plan.parquet changed after dnr wrote it)`);
    const none = await runDnr(['validate'], { cwd: tmp.dir });
    expect(none.exitCode).toBe(2);
    expect(existsSync(path.join(tmp.dir, 'qc-x'))).toBe(false);
    expect(readdirSync(tmp.dir).some((f) => f.startsWith('.qc-x'))).toBe(false);
  });
});

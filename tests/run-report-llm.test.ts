import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ledgerBookedUsd, readLedger } from '../packages/core/dist/index.js';
import { DNR_BIN, runDnr, tempDir } from './helpers/cli.js';
import { deadEndpoint, SERVER_PROFILES, startLlmServer, type ChatRequestBody, type LlmServerOptions, type LlmTestServer, type ServerBehaviour } from './helpers/llm-server.js';

/*
 * `dnr run-report` with the LLM engine against loopback servers that behave like real ones. In every
 * mode: the exit code, per-source coverage, the summary lines, and the money — the server's own bill
 * (tokens it generated × pricing) stays under the cap, also across a kill -9 and a resumed run.
 */

const KEY = 'sk-test-run-report-KEY-0123456789';
const PRICE = { input_per_mtok: 0.15, output_per_mtok: 0.6 };
const SOURCES = ['slack', 'email', 'nlq'] as const;

let tmp: ReturnType<typeof tempDir>;
let server: LlmTestServer | undefined;
let wh: string;
let comms: string;
let n = 0;

/** Answers like a model: the label of a thread or NLQ, or entities. */
function responder(body: ChatRequestBody): string {
  const system = body.messages[0].content;
  if (system.startsWith('Find which warehouse tables')) return '{"entities":[{"table":"fact_card_transaction","column":"merchant_id","confidence":0.7}]}';
  if (system.startsWith('You label natural-language questions')) return '{"theme":"freshness_ingest_lag","confidence":0.8}';
  return '{"relevance":"positive","theme":"duplicates_dedup","confidence":0.9}';
}

beforeAll(async () => {
  tmp = tempDir('dnr-rr-llm-');
  wh = path.join(tmp.dir, 'data', 'neobank');
  comms = path.join(tmp.dir, 'comms', 'neobank');
  const g = await runDnr(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--quiet'], { cwd: tmp.dir });
  expect(g.exitCode, g.stderr).toBe(0);
  const c = await runDnr(['gen-comms', '--archetype', 'neobank', '--slack', '40', '--email', '12', '--nlq', '24', '--quiet'], { cwd: tmp.dir });
  expect(c.exitCode, c.stderr).toBe(0);
}, 300_000);
afterAll(() => tmp?.cleanup());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(behaviour: ServerBehaviour = {}, extra: Partial<LlmServerOptions> = {}): Promise<LlmTestServer> {
  server = await startLlmServer({ responder, behaviour, ...extra });
  return server;
}

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
  out: string;
  runDir: string;
  budget: Record<string, unknown> & { sources: Record<string, { coverage_pct: number; after_prefilter: number; classified: number; parse_errors: number; refusals: number; errors: number; partial: boolean }>; entities: Record<string, number | string | null> };
}

/** run-report into a fresh out/run folder (or the given run id), cache under the temp folder. */
async function report(env: Record<string, string>, opts: { runId?: string; json?: boolean; out?: string } = {}): Promise<Run> {
  const id = opts.runId ?? `m${n++}`;
  const out = opts.out ?? path.join(tmp.dir, 'reports', id);
  const args = ['run-report', '--warehouse', wh, '--comms', comms, '--out', out, '--run-id', id, '--quiet', ...(opts.json ? ['--json'] : [])];
  const r = await runDnr(args, { cwd: tmp.dir, env: { OPENAI_API_KEY: KEY, DNR_CACHE__DIR: path.join('.cache', `llm-${id}`), ...env } });
  const runDir = path.join(tmp.dir, 'runs', id);
  const budgetFile = path.join(runDir, 'budget.json');
  const budget = existsSync(budgetFile) ? JSON.parse(readFileSync(budgetFile, 'utf8')) : undefined;
  return { ...r, out, runDir, budget };
}

/** Coverage = classified ÷ kept per source; "Themes: ok" only when no source is partial or under the floor and nothing stopped early. */
function expectStatusLine(r: Run) {
  for (const src of SOURCES) {
    const x = r.budget.sources[src];
    expect(x.coverage_pct).toBeCloseTo(x.after_prefilter === 0 ? 100 : (100 * x.classified) / x.after_prefilter, 1);
    if (x.coverage_pct < 20) expect(x.partial).toBe(true);
  }
  const partial = Boolean(r.budget.early_stop) || SOURCES.some((src) => r.budget.sources[src].partial);
  expect(r.stdout).toMatch(partial ? /^Themes: partial \(.+\)\. Failing guardrails/m : /^Themes: ok\. Failing guardrails/m);
}

const coverage = (r: Run) => Object.fromEntries(SOURCES.map((s) => [s, r.budget.sources[s].coverage_pct]));
const isEntities = (b: ChatRequestBody) => b.messages[0].content.startsWith('Find which');
/** The server's own bill: everything, classification only, or entity extraction only. */
const billed = (s: LlmTestServer, purpose?: 'classify' | 'entities') => s.billedUsd(PRICE, purpose === undefined ? undefined : (b) => (purpose === 'entities') === isEntities(b));

// Several real CLI runs per test on a shared 2-core machine: generous per-test timeouts.
describe('run-report with the LLM engine against real server behaviours', { timeout: 400_000 }, () => {
  it('a reasoning model: exit 2 naming the output limit to raise; with room to reason, every source classified and "Themes: ok"', async () => {
    const s = await serve({ ...SERVER_PROFILES.openaiReasoning, reasoning: { tokens: 150, place: 'field' } });
    const cut = await report({ OPENAI_BASE_URL: s.baseURL });
    expect(cut.exitCode).toBe(2);
    expect(cut.stderr).toMatch(/Error: LLM classify stopped: the first 3 requests all failed the same way: the answer was cut at the output-token limit \(64, classification\.max_output_tokens/);
    expect(cut.stderr).toMatch(/Hint: Raise classification\.max_output_tokens/);
    // The user sees what was booked (the ledger in the run folder outlives the failed run), and it covers the server's bill.
    const ledger = path.join(cut.runDir, 'llm_ledger_classify.jsonl');
    const booked = ledgerBookedUsd(readLedger(readFileSync(ledger, 'utf8')));
    expect(booked).toBeGreaterThan(0);
    expect(booked).toBeGreaterThanOrEqual(billed(s) - 1e-12);
    expect(cut.stderr).toContain(`Spend booked so far for classify: $${booked.toFixed(6)} of the $1.00 cap in ${s.requestCount()} requests; every request is in ${ledger}.`);
    expect(existsSync(cut.out)).toBe(false);
    expect(billed(s)).toBeLessThanOrEqual(1);

    const before = billed(s);
    const ok = await report({ OPENAI_BASE_URL: s.baseURL, DNR_CLASSIFICATION__MAX_OUTPUT_TOKENS: '400', DNR_ENTITIES__MAX_OUTPUT_TOKENS: '400' });
    expect(ok.exitCode, ok.stderr).toBe(0);
    for (const src of SOURCES) expect(ok.budget.sources[src].coverage_pct).toBe(100);
    expect(ok.stdout).toMatch(/^Themes: ok\. Failing guardrails: \d+/m);
    expect(ok.stdout).toMatch(/^LLM spend: classification \$0\.\d+ of \$1\.0000 \(\d+ requests, 0 from cache, 0 parse errors, 0 refusals, 0 failed requests\); entities \$0\.\d+ of \$0\.1000/m);
    expect(ok.budget.request_params).toEqual({ token_param: 'max_completion_tokens', temperature: 'omit', json_mode: 'json_schema', stream: 'off' });
    // Entities get the same negotiation (and their own output limit), not a hard-coded max_tokens/temperature 0.
    const entityBodies = s.bodies.filter(isEntities);
    expect(entityBodies.length).toBeGreaterThan(0);
    expect(entityBodies.every((b) => b.max_completion_tokens === 400 && b.temperature === undefined && b.max_tokens === undefined)).toBe(true);
    expect(ok.budget.entities.errors).toBe(0);
    const spent = Number(ok.budget.actual_usd) + Number(ok.budget.entities.actual_usd);
    expect(billed(s) - before).toBeLessThanOrEqual(spent + 2e-6); // budget.json rounds USD to 1e-6
    expect(Number(ok.budget.actual_usd)).toBeLessThanOrEqual(1);
  });

  it('a JSON-schema-only local server without usage, under a tight cap: worst cases booked, the cap holds, the status line says why', async () => {
    const s = await serve({ ...SERVER_PROFILES.lmStudio, usage: 'none' });
    const cap = 0.002;
    const r = await report({ OPENAI_BASE_URL: s.baseURL, DNR_CLASSIFICATION__API_CAP_USD: String(cap), DNR_ENTITIES__API_CAP_USD: '0.0005' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(s.bodies.filter((b) => b.response_format?.type !== 'json_schema').map((b) => [b.response_format, b.messages.at(-1)?.content.slice(0, 60)])).toEqual([]);
    expect(billed(s, 'classify')).toBeGreaterThan(0);
    expect(Number(r.budget.actual_usd)).toBeGreaterThan(0);
    expect(Number(r.budget.actual_usd)).toBeLessThanOrEqual(cap);
    expect(Number(r.budget.no_usage)).toBe(Number(r.budget.requests));
    expect(billed(s, 'classify')).toBeLessThanOrEqual(cap);
    expect(billed(s, 'entities')).toBeLessThanOrEqual(0.0005);
    expect(billed(s, 'classify')).toBeLessThanOrEqual(Number(r.budget.actual_usd) + 1e-9);
    // The budget sampled to fit: coverage is what was classified, and the status line says why it is partial.
    expect(r.budget.sampled).toBe(true);
    expectStatusLine(r);
    expect(r.stdout).toMatch(/without usage booked at worst case/);
  });

  it('a local reasoning model with <think> blocks (and without the opening tag): no parse errors, every source classified', async () => {
    const s = await serve({ reasoning: { tokens: 30, place: 'think_no_open' }, contentParts: true });
    const r = await report({ OPENAI_BASE_URL: s.baseURL, DNR_CLASSIFICATION__MAX_OUTPUT_TOKENS: '200' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(coverage(r)).toEqual({ slack: 100, email: 100, nlq: 100 });
    for (const src of SOURCES) expect(r.budget.sources[src].parse_errors).toBe(0);
    expect(r.stdout).toMatch(/^Themes: ok\./m);
  });

  it('usage with null counts under a tight cap: never booked at $0, the cap holds by the server’s own count', async () => {
    const s = await serve({ usage: 'null_fields' });
    const cap = 0.0015;
    const r = await report({ OPENAI_BASE_URL: s.baseURL, DNR_CLASSIFICATION__API_CAP_USD: String(cap), DNR_ENTITIES__API_CAP_USD: '0.0003' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(Number(r.budget.actual_usd)).toBeGreaterThan(0);
    expect(Number(r.budget.actual_usd)).toBeLessThanOrEqual(cap);
    expect(billed(s, 'classify')).toBeLessThanOrEqual(cap);
    expect(billed(s, 'entities')).toBeLessThanOrEqual(0.0003);
    expectStatusLine(r);
  });

  it('some entity requests fail: counted in budget.json and shown in the summary line', async () => {
    let entityCalls = 0;
    const s = await serve({}, { fault: (_i, b) => (isEntities(b) && entityCalls++ % 2 === 1 ? { kind: 'status', status: 500, message: 'entity backend overloaded' } : undefined) });
    const r = await report({ OPENAI_BASE_URL: s.baseURL, DNR_CLASSIFICATION__RETRIES: '0' });
    expect(r.exitCode, r.stderr).toBe(0);
    const errors = Number(r.budget.entities.errors);
    expect(errors).toBeGreaterThan(0);
    expect(r.budget.entities.first_error).toMatch(/HTTP 500 .*entity backend overloaded/);
    expect(r.stdout).toContain(`${errors} failed request${errors === 1 ? '' : 's'}; first error: HTTP 500`);
    expect(billed(s, 'entities')).toBeLessThanOrEqual(0.1);
    expect(billed(s, 'entities')).toBeLessThanOrEqual(Number(r.budget.entities.actual_usd) + 1e-9);
  });

  it('a rejected key or a wrong port: exit 2 at once naming the variable, key never shown, no report written', async () => {
    const s = await serve({}, { requireKey: 'sk-the-right-one-000000' });
    const bad = await report({ OPENAI_BASE_URL: s.baseURL }, { json: true });
    expect(bad.exitCode).toBe(2);
    const err = JSON.parse(bad.stdout).error;
    expect(err.message).toMatch(/HTTP 401/);
    expect(err.suggestion).toContain('OPENAI_API_KEY (value hidden)');
    expect(bad.stdout + bad.stderr).not.toContain(KEY.slice(3));
    expect(s.requestCount()).toBe(1);
    expect(existsSync(bad.out)).toBe(false);

    const url = await deadEndpoint();
    const down = await report({ OPENAI_BASE_URL: url, DNR_CLASSIFICATION__RETRIES: '0' });
    expect(down.exitCode).toBe(2);
    expect(down.stderr).toContain(`Error: LLM classify stopped: cannot reach ${url} (connect ECONNREFUSED`);
    expect(down.stderr).toContain('(OPENAI_BASE_URL)');
  });

  it('the same 4xx on the first entity requests stops the run with exit 2 naming entities', async () => {
    const s = await serve({}, { fault: (_i, b) => (isEntities(b) ? { kind: 'status', status: 422, message: 'Unprocessable: unknown field entities' } : undefined) });
    const r = await report({ OPENAI_BASE_URL: s.baseURL });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Error: LLM entities stopped: the first 3 requests all failed the same way: HTTP 422 .*unknown field entities/);
    expect(s.bodies.filter(isEntities).length).toBe(3);
    // HTTP error statuses are not billed: nothing booked for entities.
    expect(r.stderr).toMatch(/Spend booked so far for entities: \$0\.000000 of the \$0\.10 cap in 3 requests/);
  });

  it('kill -9 during classification, twice: a rerun with the same run id (or another run id into the same folder) starts from what was booked, and all processes together stay under one cap', async () => {
    const s = await serve({}, { latencyMs: 120 });
    const cap = 0.004;
    const out = path.join(tmp.dir, 'reports', 'killed');
    const env = { OPENAI_BASE_URL: s.baseURL, DNR_CLASSIFICATION__API_CAP_USD: String(cap), DNR_CACHE__DIR: '.cache/llm-killed' };
    const ledgerOf = (id: string) => path.join(tmp.dir, 'runs', id, 'llm_ledger_classify.jsonl');
    const reserves = (id: string) => (existsSync(ledgerOf(id)) ? readLedger(readFileSync(ledgerOf(id), 'utf8')).filter((e) => e.event === 'reserve').length : 0);

    /** Start run-report, kill -9 it once `atReserves` requests of this process were reserved (some still in flight). */
    async function killDuring(id: string, atReserves: number): Promise<number> {
      const before = reserves(id);
      const args = [DNR_BIN, 'run-report', '--warehouse', wh, '--comms', comms, '--out', out, '--run-id', id, '--quiet'];
      const child = spawn(process.execPath, args, { cwd: tmp.dir, env: { ...process.env, OPENAI_API_KEY: KEY, NO_COLOR: '1', TZ: 'UTC', ...env }, stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? -9 : code)));
      for (let i = 0; i < 1200 && reserves(id) - before < atReserves; i++) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGKILL');
      expect(await exited).toBe(-9);
      const entries = readLedger(readFileSync(ledgerOf(id), 'utf8'));
      expect(entries.some((e) => e.event === 'close')).toBe(false);
      return ledgerBookedUsd(entries);
    }

    const bookedA = await killDuring('killed-a', 8);
    expect(bookedA).toBeGreaterThan(0);
    // Another run id into the same report folder takes over what run a booked.
    const bookedB = await killDuring('killed-b', 6);
    expect(bookedB).toBeGreaterThan(0);
    const resumeLine = readLedger(readFileSync(ledgerOf('killed-b'), 'utf8')).find((e) => e.event === 'resume');
    expect(resumeLine?.estimated_usd).toBeCloseTo(bookedA, 9);
    const billedByKilled = billed(s, 'classify');

    // Run a again (same run id): it starts from everything both killed processes booked.
    const again = await report(env, { runId: 'killed-a', out });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(Number(again.budget.resumed_usd)).toBeCloseTo(bookedA + bookedB, 6);
    expect(Number(again.budget.actual_usd)).toBeLessThanOrEqual(cap);
    expect(again.stdout).toMatch(/booked by an interrupted earlier run/);
    expectStatusLine(again);
    // The server's own bill of classification over the three processes stays under the one cap.
    expect(billed(s, 'classify')).toBeGreaterThan(billedByKilled);
    expect(billed(s, 'classify')).toBeLessThanOrEqual(cap);
    for (const id of ['killed-a', 'killed-b']) expect(readLedger(readFileSync(ledgerOf(id), 'utf8')).at(-1)?.event).toBe('close');
    // A finished run's ledger is archived by the next run, which starts at $0 (answers now come from the cache).
    const next = await report(env, { runId: 'killed-a', out });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(Number(next.budget.resumed_usd)).toBe(0);
    expect(existsSync(path.join(tmp.dir, 'runs', 'killed-a', 'llm_history_classify.jsonl'))).toBe(true);
  });
});

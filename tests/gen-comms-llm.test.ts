import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryRows, readLedger, withDuckDB } from '../packages/core/dist/index.js';
import { runDnr, tempDir } from './helpers/cli.js';
import { deadEndpoint, startLlmServer, type ChatRequestBody, type LlmTestServer } from './helpers/llm-server.js';

const KEY = 'sk-test-comms-KEY-never-written-42424242';
const SMALL = ['--slack', '24', '--email', '8', '--nlq', '10'];

let tmp: ReturnType<typeof tempDir>;
let server: LlmTestServer | undefined;
beforeEach(() => {
  tmp = tempDir('dnr-comms-llm-');
  mkdirSync(path.join(tmp.dir, 'meta', 'neobank'), { recursive: true });
  writeFileSync(
    path.join(tmp.dir, 'meta', 'neobank', 'defects.json'),
    JSON.stringify({
      archetype: 'neobank',
      quality: 'typical',
      seed: 42,
      defects: [{ kind: 'null_spike', table: 'fact_card_transaction', column: 'merchant_id', target_rate: 0.1, rows_affected: 10, rows_total: 100, days: ['2026-02-17'], params: {} }],
    }),
  );
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  tmp.cleanup();
});

/** Answers like a model would, in the JSON shape the prompt asks for; leaks PII and a foreign link to prove the scrub. */
function responder(body: ChatRequestBody): string {
  const prompt = body.messages.at(-1)?.content ?? '';
  const n = /exactly (\d+) messages/.exec(prompt);
  if (n) {
    return JSON.stringify({
      messages: Array.from({ length: Number(n[1]) }, (_, i) =>
        i === 0 ? 'LLMTEXT root: the merchant_id join drops rows, mail ops.lead@corp.com or see https://evil.com/x' : `LLMTEXT reply ${i}: checking the orphan keys, call +1 415 555 0199`,
      ),
    });
  }
  if (prompt.includes('"subject"')) return JSON.stringify({ subject: 'LLMTEXT subject', body: 'LLMTEXT body about stale card transactions, details https://jira.example/browse/DATA-1' });
  return JSON.stringify({ query: 'LLMTEXT how many duplicate txn_id yesterday' });
}

function env(baseURL: string, extra: Record<string, string> = {}) {
  return { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: baseURL, ...extra };
}

async function texts(dir: string): Promise<string[]> {
  return withDuckDB({ timeZone: 'UTC' }, async (c) => {
    const r = await queryRows<{ t: string }>(
      c,
      `SELECT text AS t FROM '${dir}/slack_messages.parquet' UNION ALL SELECT subject || ' ' || body_text FROM '${dir}/email_messages.parquet' UNION ALL SELECT query_text FROM '${dir}/nlq.parquet'`,
    );
    return r.map((x) => x.t);
  });
}

describe('dnr gen-comms --engine llm against a loopback OpenAI-compatible server', { timeout: 300_000 }, () => {
  it('writes every item through the LLM in JSON mode, ≤5 in flight, under the cap, scrubbed; a second run is all cache', async () => {
    server = await startLlmServer({ responder, latencyMs: 15 });
    const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...SMALL, '--engine', 'llm', '--json'], { cwd: tmp.dir, env: env(server.baseURL) });
    expect(r.exitCode).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.written.llm).toEqual({ slack: 24, email: 8, nlq: 10 });
    expect(res.written.template).toEqual({ slack: 0, email: 0, nlq: 0 });
    expect(server.requestCount()).toBe(42);
    expect(server.maxInFlight()).toBeLessThanOrEqual(5);
    for (const b of server.bodies) {
      expect(b.model).toBe('gpt-4o-mini');
      expect(b.temperature).toBe(0.9);
      expect(b.max_tokens).toBeGreaterThan(0);
      // The answer's own schema (strict structured output) where the server takes it.
      expect(b.response_format?.type).toBe('json_schema');
      expect(['slack_thread', 'email', 'nlq']).toContain(b.response_format?.json_schema?.name);
    }
    // the spend ledger documents the corpus it sits next to
    const ledgerFile = path.join(tmp.dir, 'comms', 'neobank', 'llm_ledger.jsonl');
    const ledger = readLedger(readFileSync(ledgerFile, 'utf8'));
    const actual = ledger.filter((e) => e.event === 'settle').reduce((a, e) => a + (e.actual_usd ?? 0), 0);
    expect(actual).toBeGreaterThan(0);
    expect(actual).toBeLessThanOrEqual(1);
    expect(res.llm.actualUsd).toBeCloseTo(actual, 10);
    const out = path.join(tmp.dir, 'comms', 'neobank');
    const all = await texts(out);
    expect(all.filter((t) => t.includes('LLMTEXT')).length).toBe(all.length);
    for (const t of all) {
      expect(t).not.toMatch(/@corp\.com|evil\.com|555 0199/);
    }
    expect(all.some((t) => t.includes('https://jira.example/browse/DATA-1'))).toBe(true);
    // the key is never written anywhere we wrote
    for (const f of [ledgerFile, path.join(out, 'manifest.json')]) expect(readFileSync(f, 'utf8')).not.toContain(KEY.slice(3));

    // labels do not depend on the engine: same seed, template engine ⇒ same labels
    const labelsLlm = readFileSync(path.join(tmp.dir, 'meta', 'neobank', 'labels_slack.parquet'));
    const again = await runDnr(['gen-comms', '--archetype', 'neobank', ...SMALL, '--engine', 'llm', '--out', 'again', '--json'], { cwd: tmp.dir, env: env(server.baseURL) });
    expect(again.exitCode).toBe(0);
    expect(server.requestCount()).toBe(42);
    const res2 = JSON.parse(again.stdout);
    expect(res2.llm).toMatchObject({ requests: 0, cacheHits: 42, actualUsd: 0 });
    // each corpus has its own ledger: the second one is all cache hits, the first is untouched
    const latest = readLedger(readFileSync(path.join(tmp.dir, 'again', 'llm_ledger.jsonl'), 'utf8'));
    expect(latest.filter((e) => e.event === 'cache_hit').length).toBe(42);
    expect(latest.filter((e) => e.event === 'settle').length).toBe(0);
    expect(readLedger(readFileSync(ledgerFile, 'utf8'))).toEqual(ledger);
    expect(res2.files.slack_messages).toEqual(res.files.slack_messages);
    const tpl = await runDnr(['gen-comms', '--archetype', 'neobank', ...SMALL, '--out', 'tpl'], { cwd: tmp.dir });
    expect(tpl.exitCode).toBe(0);
    expect(readFileSync(path.join(tmp.dir, 'tpl', 'labels_slack.parquet')).equals(labelsLlm)).toBe(true);
  });

  it('stops at the cap with a slow, failing server and lets the template engine write the rest', async () => {
    let n = 0;
    // every third distinct request fails once (500 or 429 + retry-after); its retry succeeds
    const seen = new Set<string>();
    server = await startLlmServer({
      responder,
      latencyMs: () => 10 + ((n++ * 13) % 40),
      fault: (_i, body) => {
        const key = JSON.stringify(body.messages);
        if (seen.has(key)) return undefined;
        seen.add(key);
        return seen.size % 3 === 1 ? { kind: 'status', status: 500 } : seen.size % 3 === 2 ? { kind: 'status', status: 429, retryAfterMs: 20 } : undefined;
      },
    });
    const cap = 0.003;
    const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...SMALL, '--engine', 'llm', '--json'], {
      cwd: tmp.dir,
      env: env(server.baseURL, { DNR_COMMS__API_CAP_USD: String(cap) }),
    });
    expect(r.exitCode).toBe(0);
    const res = JSON.parse(r.stdout);
    const llm = res.written.llm.slack + res.written.llm.email + res.written.llm.nlq;
    const template = res.written.template.slack + res.written.template.email + res.written.template.nlq;
    expect(llm + template).toBe(42);
    expect(llm).toBeGreaterThan(0);
    expect(template).toBeGreaterThan(0);
    // sources interleave: the cap does not starve e-mail and NLQ behind the Slack threads
    expect(res.written.llm.slack).toBeGreaterThan(0);
    expect(res.written.llm.email + res.written.llm.nlq).toBeGreaterThan(0);
    expect(res.warnings.join(' ')).toMatch(/spend cap reached/);
    const ledger = readLedger(readFileSync(path.join(tmp.dir, 'comms', 'neobank', 'llm_ledger.jsonl'), 'utf8'));
    const actual = ledger.filter((e) => e.event === 'settle').reduce((a, e) => a + (e.actual_usd ?? 0), 0);
    expect(actual).toBeLessThanOrEqual(cap);
    expect(res.llm.actualUsd).toBeLessThanOrEqual(cap);
    expect(server.maxInFlight()).toBeLessThanOrEqual(5);
    const all = await texts(path.join(tmp.dir, 'comms', 'neobank'));
    expect(all.filter((t) => !t.includes('LLMTEXT')).length).toBeGreaterThan(0);
  });

  it('an interrupted run (ledger left open by kill -9) is resumed: the new run starts from what it booked and stays under one cap', async () => {
    server = await startLlmServer({ responder });
    const cap = 0.01;
    const ledgerFile = path.join(tmp.dir, 'meta', 'neobank', 'comms_llm_ledger.jsonl');
    // A killed run: 0.008 settled, and a request of worst case 0.0015 still in flight when the process died.
    const line = (e: Record<string, unknown>) => JSON.stringify({ run: 'dead', purpose: 'comms', model: 'gpt-4o-mini', key: 'k', ts: '2026-01-01T00:00:00Z', ...e });
    writeFileSync(
      ledgerFile,
      [line({ seq: 0, event: 'reserve', rid: 'dead:0', estimated_usd: 0.009 }), line({ seq: 1, event: 'settle', rid: 'dead:0', actual_usd: 0.008 }), line({ seq: 2, event: 'reserve', rid: 'dead:1', estimated_usd: 0.0015 }), ''].join('\n'),
    );
    const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...SMALL, '--engine', 'llm', '--json'], { cwd: tmp.dir, env: env(server.baseURL, { DNR_COMMS__API_CAP_USD: String(cap) }) });
    expect(r.exitCode, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.llm.resumedUsd).toBeCloseTo(0.0095, 12);
    expect(res.llm.actualUsd).toBeLessThanOrEqual(cap);
    expect(server.billedUsd({ input_per_mtok: 0.15, output_per_mtok: 0.6 })).toBeLessThanOrEqual(cap - 0.0095 + 1e-12);
    expect(res.warnings.join(' ')).toMatch(/spend cap reached/);
    expect(res.written.template.slack + res.written.template.email + res.written.template.nlq).toBeGreaterThan(0);
    // The finished run's ledger is closed; the next run archives it and starts at $0.
    expect(readLedger(readFileSync(ledgerFile, 'utf8')).at(-1)?.event).toBe('close');
  });

  it('an endpoint that is down stops at once: exit 2 naming OPENAI_BASE_URL, nothing written', async () => {
    const url = await deadEndpoint();
    const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...SMALL, '--engine', 'llm'], { cwd: tmp.dir, env: env(url, { DNR_CLASSIFICATION__RETRIES: '0' }) });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`Error: LLM comms stopped: cannot reach ${url} (connect ECONNREFUSED`);
    expect(r.stderr).toContain(`Endpoint ${url} (OPENAI_BASE_URL)`);
    expect(r.stderr).toMatch(/Hint: Start the server or fix OPENAI_BASE_URL/);
    expect(existsSync(path.join(tmp.dir, 'comms', 'neobank'))).toBe(false);
    const json = await runDnr(['gen-comms', '--archetype', 'neobank', ...SMALL, '--engine', 'llm', '--json'], { cwd: tmp.dir, env: env(url, { DNR_CLASSIFICATION__RETRIES: '0' }) });
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout).error).toMatchObject({ name: 'LlmEndpointError', exitCode: 2 });
  });

  it('a rejected key stops at once: exit 2 naming the key variable, the key never shown', async () => {
    server = await startLlmServer({ responder, requireKey: 'sk-the-right-one-000000' });
    const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...SMALL, '--engine', 'llm'], { cwd: tmp.dir, env: env(server.baseURL) });
    expect(r.exitCode).toBe(2);
    expect(server.requestCount()).toBe(1);
    expect(r.stderr).toMatch(/HTTP 401 .*Incorrect API key provided/);
    expect(r.stderr).toContain('OPENAI_API_KEY (value hidden)');
    expect(r.stderr).not.toContain(KEY.slice(3));
  });

  it('without an API key the llm engine says which variable is missing and writes the template corpus', async () => {
    const r = await runDnr(['gen-comms', '--archetype', 'neobank', ...SMALL, '--engine', 'llm', '--json'], { cwd: tmp.dir });
    expect(r.exitCode).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.warnings.join(' ')).toMatch(/OPENAI_API_KEY/);
    expect(res.written.template).toEqual({ slack: 24, email: 8, nlq: 10 });
    expect(existsSync(path.join(tmp.dir, '.cache'))).toBe(false);
  });
});

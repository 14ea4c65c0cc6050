import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLlmClient, estimateCostUsd, readLedger, type LlmClientOptions } from '../packages/core/dist/index.js';
import { tempDir } from './helpers/cli.js';
import { deadEndpoint, startLlmServer, type LlmTestServer } from './helpers/llm-server.js';

const KEY = 'sk-test-THIS-KEY-MUST-NEVER-BE-WRITTEN-0123456789';
const PRICING = { 'gpt-4o-mini': { input_per_mtok: 0.15, output_per_mtok: 0.6 } };

let tmp: ReturnType<typeof tempDir>;
let server: LlmTestServer | undefined;
beforeEach(() => {
  tmp = tempDir('dnr-llm-');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  tmp.cleanup();
});

function client(baseURL: string, over: Partial<LlmClientOptions> = {}) {
  return createLlmClient({
    baseURL,
    apiKey: KEY,
    model: 'gpt-4o-mini',
    temperature: 0,
    maxOutputTokens: 64,
    concurrency: 5,
    timeoutMs: 5000,
    retries: 2,
    pricing: PRICING,
    capUsd: 1,
    purpose: 'classify',
    ledgerPath: path.join(tmp.dir, 'ledger.jsonl'),
    cacheDir: path.join(tmp.dir, 'cache'),
    backoffBaseMs: 5,
    ...over,
  });
}

const msg = (i: number) => [
  { role: 'system' as const, content: 'Classify the thread. Answer JSON {"theme": string}.' },
  { role: 'user' as const, content: `thread ${i}: the orders join drops rows, orphan buyer ids again` },
];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('LLM client against a loopback OpenAI-compatible server', () => {
  it('sends model, temperature, max tokens and JSON mode; parses the answer; reports usage and cost', async () => {
    server = await startLlmServer({ responder: () => '{"theme":"join_keys_orphans"}' });
    const c = client(server.baseURL, { temperature: 0.3 });
    const r = await c.completeJson(msg(1));
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.json).toEqual({ theme: 'join_keys_orphans' });
    expect(r.cached).toBe(false);
    const body = server.bodies[0];
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.temperature).toBe(0.3);
    expect(body.max_tokens).toBe(64);
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(r.costUsd).toBeCloseTo(estimateCostUsd({ model: 'gpt-4o-mini', inputTokens: r.usage!.prompt_tokens, outputTokens: r.usage!.completion_tokens, pricing: PRICING }), 12);
    expect(server.authHeaders[0]).toBe(`Bearer ${KEY}`);
    const per = await c.completeJson(msg(2), { maxOutputTokens: 10 });
    expect(per.status).toBe('ok');
    expect(server.bodies[1].max_tokens).toBe(10);
  });

  it('never has more than 5 requests in flight', async () => {
    server = await startLlmServer({ latencyMs: 150 });
    const c = client(server.baseURL, { cacheDir: null });
    const results = await Promise.all(Array.from({ length: 23 }, (_, i) => c.completeJson(msg(i))));
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    expect(server.requestCount()).toBe(23);
    expect(server.maxInFlight()).toBe(5);
  });

  it('retries a 429 after the retry-after wait and a 500 with backoff', async () => {
    server = await startLlmServer({
      fault: (n) => (n === 0 ? { kind: 'status', status: 429, retryAfterS: 1 } : n === 1 ? { kind: 'status', status: 500 } : undefined),
    });
    const c = client(server.baseURL);
    const t0 = performance.now();
    const r = await c.completeJson(msg(1));
    const waited = performance.now() - t0;
    expect(r.status).toBe('ok');
    expect(server.requestCount()).toBe(3);
    // retry-after: 1 s was honoured (a lower bound, not a timing budget)
    expect(waited).toBeGreaterThanOrEqual(950);
    const ledger = readLedger(readFileSync(path.join(tmp.dir, 'ledger.jsonl'), 'utf8'));
    expect(ledger.filter((e) => e.event === 'release').map((e) => e.note)).toEqual(['HTTP 429', 'HTTP 500']);
  });

  it('gives up after 2 retries with a clear error', async () => {
    server = await startLlmServer({ fault: () => ({ kind: 'status', status: 503 }) });
    const r = await client(server.baseURL).completeJson(msg(1));
    expect(r.status).toBe('error');
    if (r.status === 'ok') return;
    expect(r.reason).toMatch(/HTTP 503.*after 3 attempts/);
    expect(server.requestCount()).toBe(3);
  });

  it('an invalid key is reported without retrying and without echoing the key', async () => {
    server = await startLlmServer({ requireKey: 'sk-the-right-one-000000' });
    const r = await client(server.baseURL).completeJson(msg(1));
    expect(r.status).toBe('error');
    if (r.status === 'ok') return;
    expect(r.kind).toBe('auth');
    expect(r.reason).toMatch(/401/);
    expect(r.reason).not.toContain(KEY);
    expect(server.requestCount()).toBe(1);
  });

  it('malformed JSON gets one repair request; still malformed ⇒ parse_error', async () => {
    server = await startLlmServer({ responder: () => '{"theme":"duplicates_dedup"}', fault: (n) => (n === 0 ? { kind: 'malformed' } : undefined) });
    const ok = await client(server.baseURL).completeJson(msg(1));
    expect(ok.status).toBe('ok');
    expect(server.requestCount()).toBe(2);
    expect(server.bodies[1].messages.at(-1)?.content).toMatch(/not the valid JSON object/);
    server.set({ fault: () => ({ kind: 'truncated' }) });
    const bad = await client(server.baseURL).completeJson(msg(2));
    expect(bad.status).toBe('parse_error');
    expect(server.requestCount()).toBe(4);
  });

  it('strips code fences locally without a repair request', async () => {
    server = await startLlmServer({ responder: () => '```json\n{"a": 1,}\n```' });
    const r = await client(server.baseURL).completeJson(msg(1));
    expect(r.status === 'ok' && r.json).toEqual({ a: 1 });
    expect(server.requestCount()).toBe(1);
  });

  it('times out a hanging request, retries, and books the worst case as spent', async () => {
    server = await startLlmServer({ fault: (n) => (n === 0 ? { kind: 'hang' } : undefined) });
    const c = client(server.baseURL, { timeoutMs: 1500 });
    const r = await c.completeJson(msg(1));
    expect(r.status).toBe('ok');
    expect(server.requestCount()).toBe(2);
    const ledger = readLedger(readFileSync(path.join(tmp.dir, 'ledger.jsonl'), 'utf8'));
    const timeout = ledger.find((e) => e.note === 'timeout');
    expect(timeout?.actual_usd).toBe(timeout?.estimated_usd);
  });

  it('the cap is never overrun, even with a slow, failing server, and refused requests are not sent', async () => {
    let n = 0;
    server = await startLlmServer({
      latencyMs: () => 20 + ((n++ * 37) % 60),
      fault: (i) => (i % 4 === 1 ? { kind: 'status', status: 500 } : i % 7 === 3 ? { kind: 'hang' } : i % 5 === 2 ? { kind: 'truncated' } : undefined),
      responder: () => JSON.stringify({ theme: 'freshness_ingest_lag', pad: 'x'.repeat(400) }),
    });
    // worst case per call ≈ (≈60 prompt + 200 out) tokens ≈ $0.00013: a $0.002 cap fits ~15 reservations
    const cap = 0.002;
    const c = client(server.baseURL, { capUsd: cap, maxOutputTokens: 200, timeoutMs: 250, cacheDir: null });
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => c.completeJson(msg(i))));
    const s = c.spend();
    expect(s.actualUsd).toBeLessThanOrEqual(cap);
    expect(s.reservedUsd).toBeCloseTo(0, 12);
    expect(s.notSent).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === 'cap_exceeded').length).toBeGreaterThan(0);
    const ledger = readLedger(readFileSync(path.join(tmp.dir, 'ledger.jsonl'), 'utf8'));
    const actual = ledger.filter((e) => e.event === 'settle').reduce((a, e) => a + (e.actual_usd ?? 0), 0);
    expect(actual).toBeLessThanOrEqual(cap);
    expect(actual).toBeCloseTo(s.actualUsd, 12);
    // every request the server saw was reserved first (a request can also time out before it arrives)
    expect(ledger.filter((e) => e.event === 'reserve').length).toBeGreaterThanOrEqual(server.requestCount());
    expect(server.maxInFlight()).toBeLessThanOrEqual(5);
  });

  it('a cap too small for one request sends nothing', async () => {
    server = await startLlmServer();
    const c = client(server.baseURL, { capUsd: 0.000001 });
    const r = await c.completeJson(msg(1));
    expect(r.status).toBe('cap_exceeded');
    expect(server.requestCount()).toBe(0);
    expect(c.spend()).toMatchObject({ requests: 0, notSent: 1, actualUsd: 0 });
  });

  it('a second run is answered from the cache with zero requests; a corrupt entry is refetched', async () => {
    server = await startLlmServer({ responder: (b) => JSON.stringify({ echo: b.messages[1].content.length }) });
    const first = client(server.baseURL);
    const a = await Promise.all([1, 2, 3].map((i) => first.completeJson(msg(i))));
    expect(server.requestCount()).toBe(3);
    first.close(); // the run finished: the next one starts a new ledger
    const second = client(server.baseURL);
    const b = await Promise.all([1, 2, 3].map((i) => second.completeJson(msg(i))));
    expect(server.requestCount()).toBe(3);
    expect(b.map((r) => r.status === 'ok' && r.cached)).toEqual([true, true, true]);
    expect(b.map((r) => r.status === 'ok' && r.json)).toEqual(a.map((r) => r.status === 'ok' && r.json));
    expect(second.spend()).toMatchObject({ requests: 0, cacheHits: 3, actualUsd: 0 });
    second.close();
    // parameters are part of the key: another temperature is a miss
    const warmer = client(server.baseURL, { temperature: 0.5 });
    await warmer.completeJson(msg(1));
    warmer.close();
    expect(server.requestCount()).toBe(4);
    // corrupt every entry: a third run refetches instead of failing
    const files = filesUnder(path.join(tmp.dir, 'cache')).filter((f) => path.basename(f) !== 'endpoints.json');
    expect(files.length).toBe(4);
    for (const f of files) writeFileSync(f, '{"key": "trunc');
    const third = client(server.baseURL);
    const c3 = await third.completeJson(msg(2));
    third.close();
    expect(c3.status === 'ok' && !c3.cached).toBe(true);
    expect(server.requestCount()).toBe(5);
    const again = await client(server.baseURL).completeJson(msg(2));
    expect(again.status === 'ok' && again.cached).toBe(true);
  });

  it('identical requests in flight at the same time are sent once', async () => {
    server = await startLlmServer({ latencyMs: 30, responder: () => '{"theme":"duplicates_dedup"}' });
    const c = client(server.baseURL);
    const rs = await Promise.all([c.completeJson(msg(1)), c.completeJson(msg(1)), c.completeJson(msg(2))]);
    expect(rs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(server.requestCount()).toBe(2);
    expect(rs.map((r) => r.status === 'ok' && r.cached)).toEqual([false, true, false]);
    expect(c.spend()).toMatchObject({ requests: 2, cacheHits: 1 });
  });

  it('the API key is never written to the ledger or the cache', async () => {
    server = await startLlmServer({ fault: (n) => (n === 0 ? { kind: 'status', status: 500, message: `bad key ${KEY}` } : undefined) });
    const c = client(server.baseURL);
    await c.completeJson(msg(1));
    const written = [path.join(tmp.dir, 'ledger.jsonl'), ...filesUnder(path.join(tmp.dir, 'cache'))];
    expect(written.length).toBeGreaterThan(1);
    for (const f of written) expect(readFileSync(f, 'utf8')).not.toContain(KEY.slice(3, 20));
  });

  it('an endpoint that is down gives a network error naming the URL', async () => {
    const url = await deadEndpoint();
    mkdirSync(path.join(tmp.dir, 'x'));
    const c = client(url);
    const r = await c.completeJson(msg(1));
    expect(r.status).toBe('error');
    if (r.status === 'ok') return;
    expect(r.kind).toBe('network');
    expect(r.reason).toContain(url.replace(/\/v1$/, ''));
    expect(c.spend().actualUsd).toBe(0);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLlmClient, readLedger, resetNegotiators, type AnswerSchema, type LlmClient, type LlmClientOptions, type LlmResult } from '../packages/core/dist/index.js';
import { tempDir } from './helpers/cli.js';
import { deadEndpoint, SERVER_PROFILES, startLlmServer, type LlmServerOptions, type LlmTestServer, type ServerBehaviour } from './helpers/llm-server.js';

/*
 * The LLM client against servers that behave like real ones (see the loopback server's profiles).
 * In every mode: what the client returns, what it sent, and the money — the server's own bill (the
 * tokens it generated × pricing) stays under the cap, and what the client booked is never less than
 * that bill.
 */

const KEY = 'sk-test-servers-KEY-0123456789abcdef';
const PRICE = { input_per_mtok: 0.15, output_per_mtok: 0.6 };
const PRICING = { 'gpt-4o-mini': PRICE, 'o3-mini': PRICE };
const SCHEMA: AnswerSchema = {
  name: 'label',
  schema: { type: 'object', properties: { theme: { type: 'string' } }, required: ['theme'], additionalProperties: false },
};

let tmp: ReturnType<typeof tempDir>;
let server: LlmTestServer | undefined;
beforeEach(() => {
  tmp = tempDir('dnr-llm-servers-');
  resetNegotiators();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  tmp.cleanup();
});

const ledgerFile = () => path.join(tmp.dir, 'ledger.jsonl');

function client(baseURL: string, over: Partial<LlmClientOptions> = {}): LlmClient {
  return createLlmClient({
    baseURL,
    apiKey: KEY,
    model: 'gpt-4o-mini',
    temperature: 0,
    maxOutputTokens: 64,
    concurrency: 5,
    timeoutMs: 3000,
    retries: 2,
    pricing: PRICING,
    capUsd: 1,
    purpose: 'classify',
    ledgerPath: ledgerFile(),
    cacheDir: path.join(tmp.dir, 'cache'),
    backoffBaseMs: 5,
    ...over,
  });
}

const msg = (i: number) => [
  { role: 'system' as const, content: 'Label the thread. Reply with JSON {"theme": string}.' },
  { role: 'user' as const, content: `thread ${i}: the orders join drops rows, orphan buyer ids again` },
];

async function serve(behaviour: ServerBehaviour, extra: Partial<LlmServerOptions> = {}): Promise<LlmTestServer> {
  server = await startLlmServer({ responder: () => '{"theme":"join_keys_orphans"}', behaviour, ...extra });
  return server;
}

async function ask(c: LlmClient, n: number, from = 0): Promise<LlmResult[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => c.completeJson(msg(from + i), { schema: SCHEMA })));
}

/** The money invariants of every mode. */
function expectSpendSafe(c: LlmClient, s: LlmTestServer, cap: number) {
  const billed = s.billedUsd(PRICE);
  const spend = c.spend();
  expect(billed).toBeLessThanOrEqual(cap + 1e-12);
  expect(spend.actualUsd).toBeGreaterThanOrEqual(billed - 1e-12);
  expect(spend.actualUsd).toBeLessThanOrEqual(cap + 1e-12);
  expect(Number.isFinite(spend.actualUsd)).toBe(true);
  expect(spend.reservedUsd).toBeCloseTo(0, 12);
}

const statuses = (rs: LlmResult[]) => rs.map((r) => (r.status === 'ok' ? 'ok' : `${r.status}:${r.kind}`));

describe('parameter negotiation against real server behaviours', () => {
  it('an OpenAI reasoning model: adapts once to max_completion_tokens and no temperature, remembers it, and says when the output limit is too small', async () => {
    const s = await serve(SERVER_PROFILES.openaiReasoning);
    // 64 output tokens: the model reasons for 120 first, so every answer is cut (finish_reason length).
    const small = client(s.baseURL, { cacheDir: null, concurrency: 1 });
    const cut = await ask(small, 6);
    expect(statuses(cut).slice(0, 3)).toEqual(['parse_error:truncated', 'parse_error:truncated', 'parse_error:truncated']);
    expect(small.fatal()?.message).toMatch(/first 3 requests all failed the same way: the answer was cut at the output-token limit \(64/);
    expect(small.fatal()?.suggestion).toMatch(/classification\.max_output_tokens/);
    // No repair request for a cut answer, nothing sent after the stop: 2 negotiating 400s + 3 answers.
    expect(s.requestCount()).toBe(5);
    expectSpendSafe(small, s, 1);

    resetNegotiators();
    const before = s.requestCount();
    const c = client(s.baseURL, { maxOutputTokens: 400 });
    const rs = await ask(c, 12);
    expect(statuses(rs).every((x) => x === 'ok')).toBe(true);
    const sent = s.bodies.slice(before);
    // One 400 per rejected parameter, although 5 workers started at once.
    expect(sent.filter((b) => b.max_tokens !== undefined).length).toBe(1);
    expect(sent.filter((b) => b.temperature !== undefined).length).toBe(2);
    expect(sent.length).toBe(12 + 2);
    expect(sent.at(-1)).toMatchObject({ max_completion_tokens: 400, response_format: { type: 'json_schema', json_schema: { name: 'label', strict: true } } });
    expect(sent.at(-1)?.temperature).toBeUndefined();
    expect(c.params()).toEqual({ tokenParam: 'max_completion_tokens', temperature: 'omit', jsonMode: 'json_schema', stream: 'off' });
    expectSpendSafe(c, s, 1);
    c.close();

    // A new process starts with what worked (from the cache folder): no 400 at all.
    resetNegotiators();
    const learned = JSON.parse(readFileSync(path.join(tmp.dir, 'cache', 'endpoints.json'), 'utf8'));
    expect(Object.values(learned)[0]).toMatchObject({ tokenParam: 'max_completion_tokens', temperature: 'omit', jsonMode: 'json_schema' });
    const n = s.requestCount();
    const next = client(s.baseURL, { maxOutputTokens: 400 });
    expect(statuses(await ask(next, 3, 100))).toEqual(['ok', 'ok', 'ok']);
    expect(s.requestCount() - n).toBe(3);
  });

  it('a model named like a reasoning model starts on max_completion_tokens without a 400', async () => {
    const s = await serve({ reject: ['max_tokens'] });
    const c = client(s.baseURL, { model: 'o3-mini' });
    expect(statuses(await ask(c, 3))).toEqual(['ok', 'ok', 'ok']);
    expect(s.requestCount()).toBe(3);
    expect(s.bodies.every((b) => b.max_completion_tokens === 64 && b.max_tokens === undefined)).toBe(true);
  });

  it('LM Studio (json_schema only, string error bodies): sends the schema and never json_object', async () => {
    const s = await serve(SERVER_PROFILES.lmStudio);
    const c = client(s.baseURL);
    expect(statuses(await ask(c, 5))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(s.bodies.every((b) => b.response_format?.type === 'json_schema')).toBe(true);
    expect(s.bodies[0].response_format?.json_schema?.schema).toEqual(SCHEMA.schema);
    // Fixed to json_object, which the server rejects: no adaptation, the purpose stops after the first requests.
    resetNegotiators();
    const fixed = client(s.baseURL, { request: { tokenLimit: 'auto', temperature: 'auto', jsonMode: 'json_object' }, cacheDir: null, ledgerPath: undefined });
    const rs = await ask(fixed, 5, 50);
    expect(statuses(rs).slice(0, 3)).toEqual(['error:http', 'error:http', 'error:http']);
    expect(statuses(rs).slice(3)).toEqual(['error:fatal', 'error:fatal']);
    expect(fixed.fatal()?.message).toMatch(/'response_format\.type' must be 'json_schema' or 'text'/);
    expect(fixed.fatal()?.suggestion).toMatch(/classification\.request/);
  });

  it('a strict local server (max_tokens only, no json_schema, vLLM error bodies, content parts)', async () => {
    const s = await serve(SERVER_PROFILES.strictLocal);
    const c = client(s.baseURL, { model: 'o3-mini' });
    expect(statuses(await ask(c, 6))).toEqual(Array(6).fill('ok'));
    expect(c.params()).toMatchObject({ tokenParam: 'max_tokens', jsonMode: 'json_object' });
    expect(s.requestCount()).toBe(6 + 2);
    expectSpendSafe(c, s, 1);
  });

  it('a server that rejects any response_format: JSON mode none, answers still parsed strictly', async () => {
    const s = await serve({ reject: ['response_format'], errorStyle: 'fastapi', wrap: 'prose' });
    const c = client(s.baseURL);
    expect(statuses(await ask(c, 4))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(c.params()?.jsonMode).toBe('none');
    expect(s.bodies.at(-1)?.response_format).toBeUndefined();
    expect(s.requestCount()).toBe(4 + 2);
  });

  it('a server that only streams: negotiates stream, then drops stream_options; no usage ⇒ worst case booked', async () => {
    const s = await serve(SERVER_PROFILES.streamOnly);
    const c = client(s.baseURL);
    const rs = await ask(c, 4);
    expect(statuses(rs)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(c.params()?.stream).toBe('plain');
    expect(s.bodies.at(-1)).toMatchObject({ stream: true });
    expect(s.bodies.at(-1)?.stream_options).toBeUndefined();
    expect(c.spend().noUsage).toBe(4);
    expectSpendSafe(c, s, 1);
    // A server that streams although stream:false was asked is read as well.
    await s.close();
    const s2 = await serve({ streamAlways: true });
    const c2 = client(s2.baseURL, { cacheDir: null, ledgerPath: undefined });
    expect(statuses(await ask(c2, 2, 10))).toEqual(['ok', 'ok']);
  });
});

describe('answer extraction', () => {
  it.each([
    ['<think> before the JSON', { reasoning: { tokens: 40, place: 'think' } }],
    ['</think> without the opening tag', SERVER_PROFILES.localReasoning],
    ['reasoning_content field', { reasoning: { tokens: 40, place: 'field' } }],
    ['gpt-oss harmony channels', { reasoning: { tokens: 40, place: 'harmony' } }],
    ['content as a list of parts', { contentParts: true }],
    ['code fences', { wrap: 'fence' }],
    ['a BOM and whitespace', { wrap: 'bom' }],
    ['trailing text with braces', { wrap: 'trailing_text' }],
    ['prose around the JSON', { wrap: 'prose' }],
  ] as Array<[string, ServerBehaviour]>)('%s: parsed without a repair request', async (_name, behaviour) => {
    const s = await serve(behaviour);
    const c = client(s.baseURL, { maxOutputTokens: 200 });
    const rs = await ask(c, 4);
    expect(rs.map((r) => (r.status === 'ok' ? r.json : r))).toEqual(Array(4).fill({ theme: 'join_keys_orphans' }));
    expect(s.requestCount()).toBe(4);
    expectSpendSafe(c, s, 1);
  });

  it('refusals are recorded as refusals, not parse errors, and get no repair request', async () => {
    const s = await serve({ refuse: (b) => b.messages[1].content.startsWith('thread 1:') });
    const c = client(s.baseURL);
    const rs = await ask(c, 4);
    expect(statuses(rs)).toEqual(['ok', 'refusal:refusal', 'ok', 'ok']);
    expect(rs[1].status !== 'ok' && rs[1].reason).toMatch(/refused: I'm sorry/);
    expect(s.requestCount()).toBe(4);
  });

  it('a model that refuses everything stops the purpose after the first requests', async () => {
    const s = await serve({ refuse: () => true });
    const c = client(s.baseURL, { concurrency: 1 });
    const rs = await ask(c, 6);
    expect(statuses(rs)).toEqual(['refusal:refusal', 'refusal:refusal', 'refusal:refusal', 'error:fatal', 'error:fatal', 'error:fatal']);
    expect(s.requestCount()).toBe(3);
  });
});

describe('spend that cannot overrun', () => {
  // The worst case of one request here is ≈ (50 prompt × 1.1 + 16 + schema) in + 64 out ≈ $0.00005.
  const CAP = 0.0004;

  it.each(['none', 'null', 'null_fields', 'no_completion', 'negative', 'strings', 'total_only'] as const)('usage %s: every answer stays booked at its worst case and the cap holds', async (usage) => {
    const s = await serve({ usage });
    const c = client(s.baseURL, { capUsd: CAP, cacheDir: null });
    const rs = await ask(c, 30);
    const ok = rs.filter((r) => r.status === 'ok').length;
    expect(ok).toBeGreaterThan(0);
    expect(rs.filter((r) => r.status === 'cap_exceeded').length).toBe(30 - ok);
    const spend = c.spend();
    expect(spend.noUsage).toBe(ok);
    expect(spend.actualUsd).toBeCloseTo(spend.estimatedUsd, 12);
    expectSpendSafe(c, s, CAP);
    const ledger = readLedger(readFileSync(ledgerFile(), 'utf8'));
    expect(ledger.filter((e) => e.event === 'settle').every((e) => e.actual_usd === e.estimated_usd)).toBe(true);
  });

  it('usage of zeros cannot lower the booking below what dnr counted itself', async () => {
    const s = await serve({ usage: 'zeros' });
    const c = client(s.baseURL, { capUsd: CAP, cacheDir: null });
    await ask(c, 30);
    expect(c.spend().actualUsd).toBeGreaterThan(0);
    expectSpendSafe(c, s, CAP);
  });

  it.each([
    ['a 200 body cut off mid-JSON', { kind: 'truncated_body' }],
    ['a connection dropped mid-body', { kind: 'drop' }],
    ['a 200 with an error object', { kind: 'error_in_200' }],
    ['a 200 without usage', { kind: 'no_usage' }],
  ] as const)('%s stays booked at its worst case (never at zero), is retried, and the cap holds', async (_name, fault) => {
    const s = await serve({}, { fault: (n) => (n % 2 === 0 ? fault : undefined) });
    const c = client(s.baseURL, { capUsd: CAP, cacheDir: null });
    const rs = await ask(c, 20);
    expect(rs.some((r) => r.status === 'ok')).toBe(true);
    const settles = readLedger(readFileSync(ledgerFile(), 'utf8')).filter((e) => e.event === 'settle');
    const worst = settles.filter((e) => e.actual_usd === e.estimated_usd);
    expect(worst.length).toBeGreaterThanOrEqual(Math.floor(s.requestCount() / 2));
    expectSpendSafe(c, s, CAP);
  });

  it.each(['truncated_body', 'drop'] as const)('every answer cut off after the status line (%s): the purpose stops saying the server answered and what was booked, never "cannot reach"', async (kind) => {
    const s = await serve({}, { fault: () => ({ kind }) });
    const c = client(s.baseURL, { capUsd: CAP, cacheDir: null, retries: 0 });
    const rs = await ask(c, 5);
    expect(statuses(rs)).toEqual(['error:cut_off', 'error:cut_off', 'error:cut_off', 'error:fatal', 'error:fatal']);
    const reasons = rs.slice(0, 3).map((r) => (r.status === 'ok' ? '' : r.reason));
    for (const r of reasons) expect(r).toMatch(/^the answer from .* was cut off: .*booked at its worst case \$0\.\d{6}$/);
    expect(reasons.join(' ')).toMatch(kind === 'drop' ? /answered HTTP 200 but the connection dropped while the body was read/ : /the body was cut off after \d+ bytes/);
    const fatal = c.fatal();
    expect(fatal?.kind).toBe('cut_off');
    expect(fatal?.message).toMatch(/first 3 requests all failed the same way: the answer from .* was cut off/);
    expect(`${fatal?.message} ${fatal?.suggestion}`).not.toMatch(/cannot reach|Start the server/);
    expect(fatal?.suggestion).toMatch(/server was reached/);
    // Each cut-off answer stays booked at its worst case: what the client booked covers the server's bill.
    const settles = readLedger(readFileSync(ledgerFile(), 'utf8')).filter((e) => e.event === 'settle');
    expect(settles).toHaveLength(3);
    expect(settles.every((e) => e.actual_usd === e.estimated_usd && (e.actual_usd ?? 0) > 0)).toBe(true);
    expectSpendSafe(c, s, CAP);
  });

  it('a server that ignores the token limit is stopped after its first answer', async () => {
    const s = await serve({ ignoreMaxTokens: true }, { responder: () => JSON.stringify({ theme: 'x', pad: 'word '.repeat(300) }) });
    const c = client(s.baseURL, { concurrency: 1 });
    const rs = await ask(c, 4);
    expect(statuses(rs)).toEqual(['error:untrusted', 'error:fatal', 'error:fatal', 'error:fatal']);
    expect(c.fatal()?.message).toMatch(/does not honour the token limit/);
    expect(c.spend().actualUsd).toBeGreaterThanOrEqual(s.billedUsd(PRICE) - 1e-12);
  });

  it('a resumed run starts from the ledger: two processes together stay under one cap', async () => {
    const s = await serve({}, { latencyMs: 30 });
    const first = client(s.baseURL, { capUsd: CAP, cacheDir: null });
    // The first process is "killed" with requests in flight: nothing settles them.
    void ask(first, 5);
    await new Promise((r) => setTimeout(r, 10));
    const booked = readLedger(readFileSync(ledgerFile(), 'utf8'));
    expect(booked.filter((e) => e.event === 'reserve').length).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    const second = client(s.baseURL, { capUsd: CAP, cacheDir: null });
    expect(second.spend().resumedUsd).toBeGreaterThan(0);
    await ask(second, 40, 100);
    expect(second.spend().actualUsd).toBeLessThanOrEqual(CAP + 1e-12);
    expect(s.billedUsd(PRICE)).toBeLessThanOrEqual(CAP + 1e-12);
    // After the run is closed, the next run starts again at $0 and the old lines are kept.
    second.close();
    const third = client(s.baseURL, { capUsd: CAP, cacheDir: null });
    expect(third.spend().actualUsd).toBe(0);
    expect(readFileSync(path.join(tmp.dir, 'history.jsonl'), 'utf8')).toContain('"close"');
  });
});

describe('loud failures', () => {
  it('401: stops at once, names the key variable, never shows the key', async () => {
    const s = await serve({}, { requireKey: 'sk-the-right-one-000000' });
    const c = client(s.baseURL, { keyVar: 'MY_LLM_KEY' });
    const rs = await ask(c, 5);
    expect(statuses(rs)).toEqual(['error:auth', 'error:fatal', 'error:fatal', 'error:fatal', 'error:fatal']);
    expect(s.requestCount()).toBe(1);
    const f = c.fatal()!;
    expect(f.message).toMatch(/HTTP 401/);
    expect(f.message).toMatch(/Incorrect API key provided/);
    expect(f.suggestion).toMatch(/MY_LLM_KEY \(value hidden\)/);
    expect(`${f.message} ${f.suggestion}`).not.toContain(KEY.slice(3));
  });

  it('unreachable endpoint: stops naming OPENAI_BASE_URL', async () => {
    const url = await deadEndpoint();
    const c = client(url, { retries: 1 });
    const rs = await ask(c, 3);
    expect(statuses(rs)[0]).toBe('error:network');
    expect(c.fatal()?.message).toContain(`Endpoint ${url} (OPENAI_BASE_URL)`);
    expect(c.fatal()?.message).toMatch(/ECONNREFUSED/);
    expect(c.spend().actualUsd).toBe(0);
  });

  it('404 model not found stops at once, naming the model setting', async () => {
    const s = await serve({}, { onlyModel: 'something-else' });
    const c = client(s.baseURL);
    await ask(c, 4);
    expect(s.requestCount()).toBe(1);
    expect(c.fatal()?.message).toMatch(/HTTP 404.*does not exist/);
    expect(c.fatal()?.suggestion).toMatch(/classification\.model/);
  });

  it('429 insufficient_quota is not retried and stops the purpose', async () => {
    const s = await serve({}, { fault: () => ({ kind: 'status', status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota.' }) });
    const c = client(s.baseURL);
    await ask(c, 3);
    expect(s.requestCount()).toBe(1);
    expect(c.fatal()?.kind).toBe('quota');
  });

  it.each([
    ['413 with an HTML page', { kind: 'html', status: 413 }, /HTML page: 413/],
    ['400 context length (no parameter to negotiate)', { kind: 'status', status: 400, message: "This model's maximum context length is 128000 tokens." }, /maximum context length/],
    ['200 with empty choices', { kind: 'empty_choices' }, /choices was empty/],
    ['200 with a null message', { kind: 'null_message' }, /message was null/],
  ] as const)('%s on the first requests: the purpose stops with the server message', async (_name, fault, pattern) => {
    const s = await serve({}, { fault: () => fault });
    const c = client(s.baseURL);
    const rs = await ask(c, 6);
    expect(statuses(rs).filter((x) => x === 'error:fatal').length).toBe(3);
    expect(c.fatal()?.message).toMatch(/first 3 requests all failed the same way/);
    expect(c.fatal()?.message).toMatch(pattern);
    expectSpendSafe(c, s, 1);
  });

  it('the same failures after a success are per item: counted, not fatal', async () => {
    const s = await serve({}, { fault: (n) => (n >= 1 ? { kind: 'status', status: 400, message: 'context length exceeded' } : undefined) });
    const c = client(s.baseURL, { concurrency: 1 });
    const rs = await ask(c, 5);
    expect(statuses(rs)).toEqual(['ok', 'error:http', 'error:http', 'error:http', 'error:http']);
    expect(c.fatal()).toBeNull();
  });

  it('502 HTML pages and 429 without retry-after are retried with backoff', async () => {
    const s = await serve({}, { fault: (n) => (n === 0 ? { kind: 'html', status: 502 } : n === 1 ? { kind: 'status', status: 429 } : undefined) });
    const c = client(s.baseURL, { concurrency: 1 });
    const rs = await ask(c, 1);
    expect(statuses(rs)).toEqual(['ok']);
    expect(s.requestCount()).toBe(3);
    const notes = readLedger(readFileSync(ledgerFile(), 'utf8')).filter((e) => e.event === 'release').map((e) => e.note);
    expect(notes).toEqual(['HTTP 502', 'HTTP 429']);
  });
});

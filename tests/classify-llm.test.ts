import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema, ledgerBookedUsd, queryRows, readLedger, sqlString, withDuckDB, type ConfigInput } from '../packages/core/dist/index.js';
import { analyzeComms } from '../packages/report/dist/index.js';
import { startLlmServer, type ChatRequestBody, type LlmTestServer } from './helpers/llm-server.js';
import { handwritten, writeHandwrittenCorpus } from './rules-engine-support.js';

/*
 * The LLM engine against the loopback OpenAI-compatible server. The server answers like an oracle:
 * it recognises the hand-written item in the prompt and returns its label, so what lands in preds/
 * can be checked item by item.
 */
let corpusDir: string;
let labels: Map<string, { relevance: string | null; theme: string | null }>;
const runDirs: string[] = [];
const servers: LlmTestServer[] = [];

const oracle = (() => {
  const byText: Array<{ key: string; relevance: string | null; theme: string | null; nlq: boolean }> = [];
  for (const s of handwritten.slack()) byText.push({ key: s.messages[0].text, relevance: s.relevance, theme: s.theme, nlq: false });
  for (const e of handwritten.email()) byText.push({ key: e.subject, relevance: e.relevance, theme: e.theme, nlq: false });
  for (const q of handwritten.nlq()) byText.push({ key: `Question: ${q.text}`, relevance: null, theme: q.theme, nlq: true });
  return (body: ChatRequestBody): string => {
    if (body.messages[0].content.startsWith('Find which warehouse tables')) return '{"entities":[{"table":"fact_card_transaction","column":"merchant_id","confidence":0.7},{"table":"no_such_table","column":null,"confidence":0.9}]}';
    const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
    const hit = byText.find((b) => user.includes(b.key));
    if (!hit) return '{"relevance":"negative","theme":null,"confidence":0.5}';
    return hit.nlq ? JSON.stringify({ theme: hit.theme, confidence: 0.8 }) : JSON.stringify({ relevance: hit.relevance, theme: hit.theme, confidence: 0.9 });
  };
})();

beforeAll(async () => {
  corpusDir = mkdtempSync(path.join(tmpdir(), 'dnr-c2-llm-corpus-'));
  ({ labels } = await writeHandwrittenCorpus(corpusDir, { replicas: 2, days: 6 }));
});
afterAll(() => rmSync(corpusDir, { recursive: true, force: true }));
afterEach(async () => {
  for (const d of runDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  for (const s of servers.splice(0)) await s.close();
});
const newRunDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'dnr-c2-llm-run-'));
  runDirs.push(d);
  return d;
};
const cfg = (classification: ConfigInput['classification'] = {}) => ConfigSchema.parse({ cache: { enabled: false }, classification: { retries: 1, timeout_s: 5, ...classification } });

interface PredRow { id: string; source: string; relevance: string | null; theme: string | null; confidence: number; engine: string; status: string }
const readPreds = (runDir: string) => withDuckDB({ timeZone: 'UTC' }, (c) => queryRows<PredRow>(c, `SELECT * FROM read_parquet(${sqlString(path.join(runDir, 'preds', '*.parquet'))}) ORDER BY id`));

describe('analyzeComms with the LLM engine', () => {
  it('a tiny cap never overruns: stops early, samples, and records coverage in budget.json', async () => {
    const server = await startLlmServer({ responder: oracle });
    servers.push(server);
    const runDir = newRunDir();
    const cap = 0.0006;
    const res = await analyzeComms({ archetype: 'neobank', commsDir: corpusDir, config: cfg({ api_cap_usd: cap }), env: { OPENAI_API_KEY: 'sk-test-123456', OPENAI_BASE_URL: server.baseURL }, runDir, engine: 'llm', noLlm: false });
    const budget = JSON.parse(readFileSync(path.join(runDir, 'budget.json'), 'utf8'));
    // Spend recomputed from what the server answered (usage it reported) stays under the cap.
    const served = server.bodies.filter((b) => !b.messages[0].content.startsWith('Find which warehouse tables')).length;
    expect(served).toBeGreaterThan(0);
    expect(budget.actual_usd).toBeLessThanOrEqual(cap);
    expect(res.budget.actualUsd).toBe(budget.actual_usd);
    expect(budget.cap_usd).toBe(cap);
    expect(budget.sampled).toBe(true);
    expect(budget.estimate_usd).toBeGreaterThan(cap * 0.75);
    expect(budget.requests).toBe(served);
    const preds = await readPreds(runDir);
    const notSent = preds.filter((p) => p.status === 'not_sent').length;
    const ok = preds.filter((p) => p.status === 'ok' && p.engine === 'llm').length;
    expect(ok).toBe(served);
    expect(notSent).toBeGreaterThan(0);
    // Coverage per source and per bucket is recorded, and a source under the 20% floor is flagged.
    for (const s of ['slack', 'email', 'nlq'] as const) {
      const src = budget.sources[s];
      expect(src.coverage_pct).toBeCloseTo((100 * src.classified) / src.after_prefilter, 1);
      expect(src.below_floor).toBe(src.coverage_pct < 20);
      expect(res.sources[s].belowFloor).toBe(src.below_floor);
    }
    expect(budget.buckets.length).toBeGreaterThan(3);
    for (const b of budget.buckets) expect(b.sampled).toBeLessThanOrEqual(b.items);
    expect(res.budget.earlyStop || budget.sampled_estimate_usd <= cap).toBe(true);
    expect(res.budget.earlyStop).toBe(budget.early_stop);
    if (budget.early_stop) expect(res.status).toBe('partial');
  });

  it('normal cap: ≤5 in flight, parse errors excluded and counted, a failing source is partial while the others finish', async () => {
    const server = await startLlmServer({
      responder: oracle,
      latencyMs: 15,
      // NLQ questions about funnels get garbage (also for the repair request); every email request fails with 500.
      fault: (_n, body) => {
        const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
        if (user.startsWith('Email thread')) return { kind: 'status', status: 500 };
        if (user.startsWith('Question:') && /funnel|conversion|utm/.test(user)) return { kind: 'malformed' };
        return undefined;
      },
    });
    servers.push(server);
    const runDir = newRunDir();
    const res = await analyzeComms({ archetype: 'marketplace', commsDir: corpusDir, config: cfg(), env: { OPENAI_API_KEY: 'sk-test-123456', OPENAI_BASE_URL: server.baseURL }, runDir, engine: 'llm', noLlm: false });
    expect(server.maxInFlight()).toBeLessThanOrEqual(5);
    expect(server.maxInFlight()).toBeGreaterThanOrEqual(2);
    const preds = await readPreds(runDir);
    const byId = new Map(preds.map((p) => [p.id, p]));
    // parse errors: the 3 funnel/conversion/utm NLQs × 2 replicas
    const parseErr = preds.filter((p) => p.status === 'parse_error');
    expect(parseErr.length).toBe(6);
    expect(parseErr.every((p) => p.source === 'nlq' && p.theme === null)).toBe(true);
    expect(res.parseErrors).toBe(6);
    expect(res.sources.nlq.parseErrors).toBe(6);
    // excluded from demand: NLQ attribution count = oracle-labelled attribution NLQs that did not fail
    const attribution = res.themes.find((t) => t.theme === 'attribution_funnel_gaps')!;
    const okAttribution = preds.filter((p) => p.source === 'nlq' && p.status === 'ok' && p.theme === 'attribution_funnel_gaps').length;
    expect(attribution.bySource.nlq.items).toBe(okAttribution);
    expect(okAttribution).toBe([...labels.entries()].filter(([id, l]) => id.startsWith('hw-q') && l.theme === 'attribution_funnel_gaps').length - 6);
    // email failed after retries: partial, with the reason; slack and nlq complete
    expect(res.sources.email.partial).toBe(true);
    expect(res.sources.email.partialReason).toMatch(/500/);
    expect(preds.filter((p) => p.source === 'email').every((p) => p.status !== 'ok' || p.engine === 'rules')).toBe(true);
    expect(res.sources.slack.partial).toBe(false);
    expect(res.status).toBe('partial');
    for (const p of preds.filter((x) => x.source === 'slack' && x.engine === 'llm')) {
      expect(p.status).toBe('ok');
      expect(p.relevance).toBe(labels.get(p.id)!.relevance);
      expect(p.theme).toBe(labels.get(p.id)!.theme);
    }
    expect(res.sources.slack.classified).toBe(res.sources.slack.afterPrefilter);
    expect(byId.get('hw-q01-r0')!.theme).toBe('metric_definition_mismatch');
    // the key goes only in the Authorization header
    expect(server.authHeaders.every((h) => h === 'Bearer sk-test-123456')).toBe(true);
    expect(readFileSync(path.join(runDir, 'budget.json'), 'utf8')).not.toContain('sk-test-123456');
  });

  it('stops a source after N consecutive parse errors', async () => {
    const server = await startLlmServer({ responder: oracle, fault: (_n, body) => (body.messages.some((m) => m.content.startsWith('Question:')) ? { kind: 'malformed' } : undefined) });
    servers.push(server);
    const runDir = newRunDir();
    const res = await analyzeComms({ archetype: 'neobank', commsDir: corpusDir, config: cfg({ max_consecutive_parse_errors: 4, concurrency: 1 }), env: { OPENAI_API_KEY: 'sk-test-123456', OPENAI_BASE_URL: server.baseURL }, runDir, engine: 'llm', noLlm: false });
    const preds = (await readPreds(runDir)).filter((p) => p.source === 'nlq');
    expect(preds.filter((p) => p.status === 'parse_error').length).toBe(4);
    expect(preds.filter((p) => p.status === 'not_sent').length).toBe(preds.length - 4);
    expect(res.sources.nlq.partial).toBe(true);
    expect(res.sources.nlq.partialReason).toMatch(/4 consecutive parse errors/);
    expect(res.sources.slack.partial).toBe(false);
    // LLM entity extraction ran for positive items the rules found nothing in, under its own cap; unknown tables dropped
    const budget = JSON.parse(readFileSync(path.join(runDir, 'budget.json'), 'utf8'));
    expect(budget.entities.requests).toBeGreaterThan(0);
    expect(budget.entities.actual_usd).toBeLessThanOrEqual(0.1);
    const ents = await withDuckDB({ timeZone: 'UTC' }, (c) => queryRows<{ table_name: string; engine: string }>(c, `SELECT table_name, engine FROM read_parquet(${sqlString(path.join(runDir, 'entities.parquet'))})`));
    const llmEnts = ents.filter((e) => e.engine === 'llm');
    expect(llmEnts.length).toBeGreaterThan(0);
    expect(llmEnts.every((e) => e.table_name === 'fact_card_transaction')).toBe(true);
  });
});

describe('a cap too small to classify anything', () => {
  it('sends nothing and says so (early stop, every source partial and below the floor)', async () => {
    const server = await startLlmServer({ responder: oracle });
    servers.push(server);
    const runDir = newRunDir();
    const res = await analyzeComms({ archetype: 'neobank', commsDir: corpusDir, config: cfg({ api_cap_usd: 0.000001 }), env: { OPENAI_API_KEY: 'sk-test-123456', OPENAI_BASE_URL: server.baseURL }, runDir, engine: 'llm', noLlm: false });
    expect(server.bodies.filter((b) => !b.messages[0].content.startsWith('Find which')).length).toBe(0);
    expect(res.budget.earlyStop).toBe(true);
    expect(res.status).toBe('partial');
    for (const s of ['slack', 'email', 'nlq'] as const) {
      expect(res.sources[s].belowFloor).toBe(true);
      expect(res.sources[s].partialReason).toMatch(/too small to classify any item/);
    }
    const budget = JSON.parse(readFileSync(path.join(runDir, 'budget.json'), 'utf8'));
    expect(budget.early_stop_reason).toMatch(/too small/);
    expect(budget.actual_usd).toBe(0);
  });
});

describe('an endpoint that is down', () => {
  it('stops at once with an input error (exit 2) naming OPENAI_BASE_URL, and books nothing', async () => {
    const { deadEndpoint } = await import('./helpers/llm-server.js');
    const baseURL = await deadEndpoint();
    const runDir = newRunDir();
    const run = analyzeComms({ archetype: 'neobank', commsDir: corpusDir, config: cfg({ retries: 0 }), env: { OPENAI_API_KEY: 'sk-test-123456', OPENAI_BASE_URL: baseURL }, runDir, engine: 'llm', noLlm: false });
    const error = await run.then(() => null, (e: unknown) => e as Error & { exitCode?: number; suggestion?: string });
    expect(error?.name).toBe('LlmEndpointError');
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain(`cannot reach ${baseURL} (connect ECONNREFUSED`);
    expect(error?.message).toContain('(OPENAI_BASE_URL)');
    expect(error?.suggestion).toMatch(/dnr doctor/);
    const ledger = readLedger(readFileSync(path.join(runDir, 'llm_ledger_classify.jsonl'), 'utf8'));
    expect(ledgerBookedUsd(ledger)).toBe(0);
    expect(ledger.filter((e) => e.event === 'reserve').length).toBe(1);
  });
});

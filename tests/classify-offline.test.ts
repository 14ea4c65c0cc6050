import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema, queryRows, sqlString, withDuckDB } from '../packages/core/dist/index.js';
import { analyzeComms } from '../packages/report/dist/index.js';
import { startLlmServer, type LlmTestServer } from './helpers/llm-server.js';
import { writeHandwrittenCorpus } from './rules-engine-support.js';

const config = ConfigSchema.parse({ cache: { enabled: false } });
let corpusDir: string;
let labels: Map<string, { relevance: string | null; theme: string | null }>;
let server: LlmTestServer;
const runDirs: string[] = [];

beforeAll(async () => {
  corpusDir = mkdtempSync(path.join(tmpdir(), 'dnr-c2-corpus-'));
  ({ labels } = await writeHandwrittenCorpus(corpusDir, { replicas: 2, days: 6 }));
  server = await startLlmServer({ responder: () => '{"relevance":"negative","theme":null,"confidence":0.9}' });
});
afterAll(async () => {
  rmSync(corpusDir, { recursive: true, force: true });
  await server.close();
});
afterEach(() => {
  for (const d of runDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const newRunDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'dnr-c2-run-'));
  runDirs.push(d);
  return d;
};
const env = () => ({ OPENAI_API_KEY: 'sk-test-not-real', OPENAI_BASE_URL: server.baseURL });

async function readParquet<T>(file: string): Promise<T[]> {
  return withDuckDB({ timeZone: 'UTC' }, (c) => queryRows<T>(c, `SELECT * FROM read_parquet(${sqlString(file)}) ORDER BY ALL`));
}

describe('analyzeComms offline', () => {
  it('--no-llm with engine llm makes no network call and reports themes as skipped with the reason', async () => {
    const runDir = newRunDir();
    const before = server.requestCount();
    const res = await analyzeComms({ archetype: 'neobank', commsDir: corpusDir, config, env: env(), runDir, engine: 'llm', noLlm: true });
    expect(server.requestCount()).toBe(before);
    expect(res.status).toBe('skipped');
    expect(res.engine).toBe('none');
    expect(res.skippedReason).toMatch(/--no-llm/);
    expect(res.themes).toEqual([]);
    const preds = await readParquet<{ status: string; theme: string | null }>(path.join(runDir, 'preds', 'slack.parquet'));
    expect(preds.length).toBe(res.sources.slack.items);
    expect(new Set(preds.map((p) => p.status))).toEqual(new Set(['skipped']));
    const budget = JSON.parse(readFileSync(path.join(runDir, 'budget.json'), 'utf8'));
    expect(budget.actual_usd).toBe(0);
    expect(budget.estimate_usd).toBeGreaterThan(0);
    expect(budget.requests).toBe(0);
  });

  it('engine llm without an API key skips themes with a reason naming the variable, and calls nothing', async () => {
    const runDir = newRunDir();
    const before = server.requestCount();
    const res = await analyzeComms({ archetype: 'neobank', commsDir: corpusDir, config, env: { OPENAI_BASE_URL: server.baseURL }, runDir, engine: 'llm', noLlm: false });
    expect(server.requestCount()).toBe(before);
    expect(res.status).toBe('skipped');
    expect(res.skippedReason).toMatch(/OPENAI_API_KEY/);
  });

  it('--no-llm with engine rules makes no network call and classifies every item with zero spend', async () => {
    const runDir = newRunDir();
    const before = server.requestCount();
    const res = await analyzeComms({ archetype: 'neobank', commsDir: corpusDir, config, env: env(), runDir, engine: 'rules', noLlm: true });
    expect(server.requestCount()).toBe(before);
    expect(res.status).toBe('ok');
    expect(res.engine).toBe('rules');
    expect(res.budget.actualUsd).toBe(0);
    for (const s of ['slack', 'email', 'nlq'] as const) {
      expect(res.sources[s].items).toBeGreaterThan(0);
      expect(res.sources[s].classified).toBe(res.sources[s].items);
      expect(res.sources[s].coveragePct).toBe(100);
    }
    // predictions contract
    const preds = await withDuckDB({ timeZone: 'UTC' }, async (c) => {
      const types = await queryRows<{ column_name: string; column_type: string }>(c, `DESCRIBE SELECT * FROM read_parquet(${sqlString(path.join(runDir, 'preds', 'email.parquet'))})`);
      expect(types.map((t) => `${t.column_name}:${t.column_type}`)).toEqual(['id:VARCHAR', 'source:VARCHAR', 'relevance:VARCHAR', 'theme:VARCHAR', 'confidence:DOUBLE', 'engine:VARCHAR', 'status:VARCHAR']);
      return queryRows<{ id: string; source: string; relevance: string | null; theme: string | null; confidence: number; engine: string; status: string }>(
        c,
        `SELECT * FROM read_parquet(${sqlString(path.join(runDir, 'preds', '*.parquet'))})`,
      );
    });
    expect(preds.length).toBe(labels.size);
    let relOk = 0;
    let rel = 0;
    for (const p of preds) {
      expect(p.engine).toBe('rules');
      expect(p.status).toBe('ok');
      expect(p.confidence).toBeGreaterThan(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
      if (p.source === 'nlq') expect(p.relevance).toBeNull();
      else {
        rel++;
        if (p.relevance === labels.get(p.id)!.relevance) relOk++;
        if (p.relevance !== 'positive') expect(p.theme).toBeNull();
      }
    }
    expect(relOk / rel).toBeGreaterThan(0.9);
    // demand: shares over themes sum to 1, recomputed from the predictions with the final source weights
    const total = res.themes.reduce((a, t) => a + t.demand, 0);
    expect(total).toBeCloseTo(1, 4);
    const w = { slack: res.sources.slack.weight, email: res.sources.email.weight, nlq: res.sources.nlq.weight };
    expect(w.slack + w.email + w.nlq).toBeCloseTo(1, 4);
    for (const s of ['slack', 'email', 'nlq'] as const) {
      expect(w[s]).toBeGreaterThanOrEqual(0.15 - 1e-6);
      expect(w[s]).toBeLessThanOrEqual(0.6 + 1e-6);
    }
    for (const t of res.themes) {
      let expected = 0;
      for (const s of ['slack', 'email', 'nlq'] as const) {
        const themed = preds.filter((p) => p.source === s && p.theme !== null && (s === 'nlq' || p.relevance === 'positive'));
        expected += w[s] * (themed.filter((p) => p.theme === t.theme).length / themed.length);
        expect(t.bySource[s].items).toBe(themed.filter((p) => p.theme === t.theme).length);
      }
      expect(t.demand).toBeCloseTo(expected, 3);
    }
    // entities and prefilter persisted
    const ents = await readParquet<{ id: string; table_name: string; confidence: number }>(path.join(runDir, 'entities.parquet'));
    expect(ents.length).toBeGreaterThan(0);
    expect(ents.some((e) => e.id.startsWith('hw-s03') && e.table_name === 'fact_card_transaction')).toBe(true);
    const pf = await readParquet<{ id: string; prefilter_score: number; reasons: string[] }>(path.join(runDir, 'prefilter.parquet'));
    expect(pf.length).toBe(res.sources.slack.items + res.sources.email.items);
    const s03 = pf.find((r) => r.id === 'hw-s03-r0')!;
    const s24 = pf.find((r) => r.id === 'hw-s24-r0')!;
    expect(s03.prefilter_score).toBeGreaterThan(0.35);
    expect(s24.prefilter_score).toBeLessThan(0.35);
    expect(s03.reasons.some((r) => r.startsWith('keywords:'))).toBe(true);
  });
});

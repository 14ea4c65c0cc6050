import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDnr, tempDir } from './helpers/cli.js';
import { deadEndpoint, SERVER_PROFILES, startLlmServer, type LlmTestServer } from './helpers/llm-server.js';

/** `dnr doctor` against loopback servers that behave like real ones. */
const KEY = 'sk-test-doctor-KEY-0123456789';
const PRICE = { input_per_mtok: 0.15, output_per_mtok: 0.6 };

let tmp: ReturnType<typeof tempDir>;
let server: LlmTestServer | undefined;
beforeEach(() => {
  tmp = tempDir('dnr-doctor-');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  tmp.cleanup();
});

const env = (baseURL: string, extra: Record<string, string> = {}) => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: baseURL, ...extra });

describe('dnr doctor', { timeout: 300_000 }, () => {
  it('a reasoning model: shows the parameters that work, usage, latency and the probe cost; saves what works', async () => {
    server = await startLlmServer({ responder: () => '{"ok": true}', behaviour: { ...SERVER_PROFILES.openaiReasoning, reasoning: { tokens: 20, place: 'field' } } });
    const r = await runDnr(['doctor', '--json'], { cwd: tmp.dir, env: env(server.baseURL) });
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ endpoint: server.baseURL, endpoint_source: 'OPENAI_BASE_URL', key_var: 'OPENAI_API_KEY', ok: true });
    expect(report.purposes.map((p: { purpose: string }) => p.purpose)).toEqual(['classify', 'entities', 'comms']);
    for (const p of report.purposes) {
      expect(p).toMatchObject({ ok: true, model: 'gpt-4o-mini', token_param: 'max_completion_tokens', temperature: 'omitted', json_mode: 'json_schema', stream: 'off', usage_returned: true, error: null });
      expect(p.latency_ms).toBeGreaterThanOrEqual(0);
      expect(p.probe_cost_usd).toBeGreaterThan(0);
    }
    // Negotiation happens once per (endpoint, model): the first purpose pays the two 400s.
    expect(report.purposes.map((p: { requests: number }) => p.requests)).toEqual([3, 1, 1]);
    expect(server.requestCount()).toBe(5);
    // The probe cost is the server's own bill.
    expect(report.total_cost_usd).toBeCloseTo(server.billedUsd(PRICE), 8);
    expect(Object.values(JSON.parse(readFileSync(path.join(tmp.dir, '.cache', 'llm', 'endpoints.json'), 'utf8')))[0]).toMatchObject({ tokenParam: 'max_completion_tokens', temperature: 'omit' });
    expect(readFileSync(path.join(tmp.dir, '.cache', 'llm', 'endpoints.json'), 'utf8')).not.toContain(KEY);

    const human = await runDnr(['doctor', '--purpose', 'classify'], { cwd: tmp.dir, env: env(server.baseURL) });
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain(`LLM endpoint ${server.baseURL} (OPENAI_BASE_URL), key from OPENAI_API_KEY.`);
    expect(human.stdout).toMatch(/classify gpt-4o-mini: ok — max_completion_tokens=64, temperature omitted, JSON mode json_schema; usage returned; HTTP \d+ ms \(start-up \d+ ms\); probe cost \$0\.0000\d+ in 3 requests/);
  });

  it('a JSON-schema-only local server without usage: says that every request is booked at its worst case', async () => {
    server = await startLlmServer({ responder: () => '{"ok": true}', behaviour: { ...SERVER_PROFILES.lmStudio, usage: 'none' } });
    const r = await runDnr(['doctor', '--purpose', 'entities'], { cwd: tmp.dir, env: env(server.baseURL) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/entities gpt-4o-mini: ok — max_tokens=128, temperature sent, JSON mode json_schema; NO usage \(every request is booked at its worst case\)/);
  });

  it('an output limit too small for a reasoning model: exit 2 with the setting to raise; details in --json', async () => {
    server = await startLlmServer({ responder: () => '{"ok": true}', behaviour: { reasoning: { tokens: 200, place: 'think' } } });
    const r = await runDnr(['doctor', '--purpose', 'classify', '--json'], { cwd: tmp.dir, env: env(server.baseURL) });
    expect(r.exitCode).toBe(2);
    const { error } = JSON.parse(r.stdout);
    expect(error.message).toMatch(/classify failed \(.*cut at the output-token limit \(64, classification\.max_output_tokens/);
    expect(error.details.purposes[0]).toMatchObject({ purpose: 'classify', ok: false, token_param: 'max_tokens' });
    const fixed = await runDnr(['doctor', '--purpose', 'classify'], { cwd: tmp.dir, env: env(server.baseURL, { DNR_CLASSIFICATION__MAX_OUTPUT_TOKENS: '400' }) });
    expect(fixed.exitCode, fixed.stderr).toBe(0);
  });

  it('a local model priced from the environment: the help example\'s settings work; purposes left on the default model are named, and the one the server lacks fails naming its key', async () => {
    server = await startLlmServer({ responder: () => '{"ok": true}', onlyModel: 'llama3.1:8b', latencyMs: 150 });
    const local = { DNR_CLASSIFICATION__MODEL: 'llama3.1:8b', DNR_PRICING: '{"llama3.1:8b":{"input_per_mtok":0,"output_per_mtok":0}}' };
    const one = await runDnr(['doctor', '--purpose', 'classify', '--json'], { cwd: tmp.dir, env: env(server.baseURL, local) });
    expect(one.exitCode, one.stderr).toBe(0);
    const probe = JSON.parse(one.stdout);
    expect(probe.purposes[0]).toMatchObject({ purpose: 'classify', model: 'llama3.1:8b', ok: true, probe_cost_usd: 0, requests: 1 });
    // Latency is the HTTP request (the server waits 150 ms); client start-up is reported apart.
    expect(probe.purposes[0].latency_ms).toBeGreaterThanOrEqual(140);
    expect(probe.purposes[0].startup_ms).toBeGreaterThanOrEqual(0);
    expect(probe.warnings).toEqual([]);

    const all = await runDnr(['doctor'], { cwd: tmp.dir, env: env(server.baseURL, local) });
    expect(all.exitCode).toBe(2);
    expect(all.stdout).toMatch(/classify +llama3\.1:8b: ok/);
    expect(all.stdout).toMatch(/entities +gpt-4o-mini: FAILED/);
    expect(all.stdout).toMatch(/Warning: entities\.model is the default gpt-4o-mini while classification\.model is llama3\.1:8b: entity extraction sends gpt-4o-mini to .*DNR_ENTITIES__MODEL/);
    expect(all.stdout).toMatch(/Warning: comms\.model is the default gpt-4o-mini/);
    expect(all.stderr).toMatch(/entities failed \(LLM entities stopped: HTTP 404/);
    expect(all.stderr).toMatch(/Hint: Check entities\.model \("gpt-4o-mini"\)/);
  });

  it('unreachable endpoint, rejected key, no key, unknown model price: exit 2 with the variable or key to fix', async () => {
    const url = await deadEndpoint();
    const down = await runDnr(['doctor', '--purpose', 'classify'], { cwd: tmp.dir, env: env(url, { DNR_CLASSIFICATION__RETRIES: '0' }) });
    expect(down.exitCode).toBe(2);
    expect(down.stdout).toMatch(/classify gpt-4o-mini: FAILED — tried max_tokens=64, temperature sent, JSON mode json_schema; usage unknown; HTTP \d+ ms \(start-up \d+ ms\); probe cost \$0\.000000 in 1 request/);
    expect(down.stderr).toContain('(OPENAI_BASE_URL)');
    expect(down.stderr).toMatch(/Hint: Start the server or fix OPENAI_BASE_URL/);

    server = await startLlmServer({ requireKey: 'sk-the-right-one-000000' });
    const bad = await runDnr(['doctor', '--purpose', 'comms'], { cwd: tmp.dir, env: env(server.baseURL) });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/HTTP 401/);
    expect(bad.stderr).toContain('OPENAI_API_KEY (value hidden)');
    // The server's message ends with a period: ours does not add a second one.
    expect(bad.stderr).toMatch(/provided: \S*\[redacted\]\. Endpoint/);
    expect(bad.stderr).not.toMatch(/[^.]\.\.(\s|$)/);
    expect(`${bad.stdout}${bad.stderr}`).not.toContain(KEY.slice(3));

    const noKey = await runDnr(['doctor'], { cwd: tmp.dir, env: { OPENAI_BASE_URL: server.baseURL } });
    expect(noKey.exitCode).toBe(2);
    expect(noKey.stderr).toMatch(/OPENAI_API_KEY \(classification\.env_key_var\) is not set/);
    // doctor has no offline mode: the hint names the commands that need no key, not flags doctor lacks.
    expect(noKey.stderr).toContain('`dnr quickstart --no-llm`');
    expect(noKey.stderr).not.toMatch(/\(--no-llm/);

    writeFileSync(path.join(tmp.dir, 'dnr.yaml'), 'classification:\n  model: llama3.1:8b\n');
    const unpriced = await runDnr(['doctor', '--config', 'dnr.yaml'], { cwd: tmp.dir, env: env(server.baseURL) });
    expect(unpriced.exitCode).toBe(2);
    expect(unpriced.stderr).toMatch(/classification\.model: model "llama3\.1:8b" has no price: add pricing\."llama3\.1:8b"/);
    expect(existsSync(path.join(tmp.dir, '.cache', 'llm', 'endpoints.json'))).toBe(false);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDnr } from './helpers/cli.js';
import { startLlmServer, type LlmTestServer } from './helpers/llm-server.js';

/* The real `dnr run-report --no-llm` with OPENAI_BASE_URL pointing at a loopback server and a key set: zero requests. */
let root: string;
let server: LlmTestServer;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'dnr-c2-cli-'));
  server = await startLlmServer({ responder: () => '{"relevance":"negative","theme":null,"confidence":0.5}' });
  const wh = await runDnr(['gen-warehouse', '--archetype', 'marketplace', '--scale', 'small', '--months', '3', '--out', 'data/marketplace', '-q', '--json'], { cwd: root });
  expect(wh.exitCode, wh.stderr + wh.stdout).toBe(0);
  const cm = await runDnr(['gen-comms', '--archetype', 'marketplace', '--slack', '300', '--email', '80', '--nlq', '100', '--out', 'comms/marketplace', '-q', '--json'], { cwd: root });
  expect(cm.exitCode, cm.stderr + cm.stdout).toBe(0);
}, 180_000);
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('run-report --no-llm', () => {
  it.each([
    ['llm', 'skipped'],
    ['rules', 'ok'],
  ])('engine %s: no network call, themes %s', async (engine, themesStatus) => {
    const before = server.requestCount();
    const r = await runDnr(['run-report', '--warehouse', 'data/marketplace', '--comms', 'comms/marketplace', '--out', `reports/${engine}`, '--no-llm', '--engine', engine, '--json', '-q'], {
      cwd: root,
      env: { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-test-should-not-be-used' },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(server.requestCount()).toBe(before);
    const out = JSON.parse(r.stdout) as { run_dir: string };
    const themes = JSON.parse(readFileSync(path.join(root, `reports/${engine}`, 'themes.json'), 'utf8')) as { status: string; themes: unknown[] };
    expect(themes.status).toBe(themesStatus);
    expect(themes.themes.length > 0).toBe(engine === 'rules');
    const budget = JSON.parse(readFileSync(path.join(out.run_dir, 'budget.json'), 'utf8')) as { requests: number; actual_usd: number };
    expect(budget.requests).toBe(0);
    expect(budget.actual_usd).toBe(0);
  });
});

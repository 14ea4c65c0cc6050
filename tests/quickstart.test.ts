import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDnr, tempDir, type CliResult } from './helpers/cli.js';

const ARCHETYPES = ['neobank', 'marketplace'] as const;
const REPORT_FILES = ['exec_summary.json', 'exec_summary.md', 'report.html', 'data_health.json', 'data_health.csv', 'themes.json', 'themes.md'];
const RUN_FILES = ['budget.json', 'entities.parquet', 'run.json', 'preds/slack.parquet', 'preds/email.parquet', 'preds/nlq.parquet'];

let tmp: ReturnType<typeof tempDir>;
let result: CliResult;
let out: {
  scale: string;
  no_llm: boolean;
  index: string;
  html: string;
  archetypes: Array<{ archetype: string; paths: Record<string, string>; themes_status: string; validate: { passed: boolean; fail: number }; actions: unknown[] }>;
};

beforeAll(async () => {
  tmp = tempDir('dnr-quickstart-');
  // A loopback-free run: any accidental network use would need OPENAI_BASE_URL; point it at a closed port.
  result = await runDnr(['quickstart', '--fast', '--no-llm', '--seed', '42', '--json'], { cwd: tmp.dir, env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-never-used' } });
  out = JSON.parse(result.stdout);
}, 600_000);
afterAll(() => tmp.cleanup());

describe('dnr quickstart --fast --no-llm', () => {
  it('exits 0 with a JSON summary of both archetypes', () => {
    expect(result.exitCode, result.stderr).toBe(0);
    expect(out.scale).toBe('small');
    expect(out.no_llm).toBe(true);
    expect(out.archetypes.map((a) => a.archetype)).toEqual([...ARCHETYPES]);
    for (const a of out.archetypes) {
      expect(a.themes_status).toBe('skipped');
      expect(a.validate.passed).toBe(true);
      expect(a.validate.fail).toBe(0);
      expect(a.actions.length).toBeGreaterThan(0);
    }
  });

  it('writes every report output for both archetypes', () => {
    for (const a of out.archetypes) {
      for (const f of REPORT_FILES) expect(existsSync(path.join(a.paths.report, f)), `${a.archetype}/${f}`).toBe(true);
      for (const f of RUN_FILES) expect(existsSync(path.join(a.paths.run, f)), `${a.archetype} run/${f}`).toBe(true);
      for (const fig of ['health_daily', 'ingest_lag', 'null_spikes', 'theme_demand', 'revenue_trend', 'score_breakdown']) {
        const png = path.join(a.paths.report, 'figures', `${fig}.png`);
        expect(existsSync(png), png).toBe(true);
        expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
        expect(statSync(png).size).toBeGreaterThan(5_000);
      }
      expect(existsSync(path.join(a.paths.qc, 'validate.json'))).toBe(true);
      const md = readFileSync(path.join(a.paths.report, 'exec_summary.md'), 'utf8');
      expect(md).toContain('Data health');
      expect(md).toContain(a.archetype === 'neobank' ? 'Subscription invoices (full history)' : 'Marketplace evening coverage');
      expect(md).not.toContain(a.archetype === 'neobank' ? 'Marketplace evening coverage' : 'Subscription invoices (full history)');
      // Plain --no-llm keeps themes skipped, and the memo says in one line how to get them offline.
      expect(md).toContain('Demand was not measured');
      expect(md).toContain('dnr quickstart --no-llm --engine rules');
    }
  });

  it('writes reports/index.html linking each archetype page', () => {
    expect(out.html).toBe(path.join(path.dirname(out.index), 'index.html'));
    const html = readFileSync(out.html, 'utf8');
    for (const a of ARCHETYPES) expect(html).toContain(`href="${a}/report.html"`);
  });

  it('reports/index.md links every output and every link resolves', () => {
    const index = readFileSync(out.index, 'utf8');
    const links = [...index.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(30);
    for (const l of links) expect(existsSync(path.resolve(path.dirname(out.index), l)), l).toBe(true);
    for (const a of ARCHETYPES) {
      for (const f of REPORT_FILES) expect(index).toContain(`${a}/${f}`);
      expect(index).toContain(`${a}/qc/validate.md`);
    }
  });

  it('with --json prints nothing but the JSON result on stdout and no progress', () => {
    expect(result.stdout.trim().startsWith('{')).toBe(true);
    expect(result.stdout).not.toContain('gen-comms');
    expect(result.stderr).not.toContain('done:');
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows, sqlString, withDuckDB } from '../packages/core/dist/index.js';
import { fitWindow } from '../packages/comms/dist/index.js';
import { runDnr, tempDir } from './helpers/cli.js';

// .env and DNR_ variables as a user's shell and editor produce them; the gen-comms window inside the warehouse's.

// Several real CLI runs per test: generous limits for a loaded 2-core machine (performance is measured in `pnpm bench`).
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir('dnr-config-e2e-');
});
afterAll(() => tmp.cleanup());

const config = (env: Record<string, string> = {}) => runDnr(['config', '--json'], { cwd: tmp.dir, env });
// Errors and warnings go to stderr without --json (with it, an error is the JSON on stdout).
const plainConfig = (env: Record<string, string> = {}) => runDnr(['config'], { cwd: tmp.dir, env });
const entry = (stdout: string, key: string) => (JSON.parse(stdout).entries as Array<{ path: string; value: unknown; layer: string; source: string }>).find((e) => e.path === key);

describe('.env and DNR_ variables', () => {
  it('a .env saved with a byte-order mark and CRLF: its first variable counts, with the file and line as its origin', async () => {
    writeFileSync(path.join(tmp.dir, '.env'), '\uFEFFDNR_WAREHOUSE__SEED=7\r\nexport OPENAI_API_KEY="sk-line2"\r\n');
    const r = await config();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(entry(r.stdout, 'warehouse.seed')).toMatchObject({ value: 7, layer: 'env', source: 'DNR_WAREHOUSE__SEED in .env:1' });
  });

  it('a line that is not KEY=value is exit 2 naming .env and the line, instead of swallowing or dropping others', async () => {
    for (const [text, line] of [
      ['DNR_WAREHOUSE__SEED=7\nDNR_WAREHOUSE__MONTHS 6\nDNR_WAREHOUSE__TZ=UTC\n', 2],
      ['=oops\nDNR_WAREHOUSE__SEED=7\n', 1],
    ] as const) {
      writeFileSync(path.join(tmp.dir, '.env'), text);
      const r = await plainConfig();
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(`.env:${line}: cannot parse this line`);
    }
  });

  it('unrelated DNR_ variables are ignored with one warning; a section typo is exit 2 naming the variable', async () => {
    writeFileSync(path.join(tmp.dir, '.env'), 'DNR_WAREHOUSE__SEED=7\n');
    const ok = await config({ DNR_HOME: '/x', DNR_LOG_LEVEL: 'debug' });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(entry(ok.stdout, 'warehouse.seed')?.value).toBe(7);
    // the warning is on stderr even with --json, and only once
    expect(ok.stderr.match(/ignoring/g)).toHaveLength(1);
    expect(ok.stderr).toContain('ignoring DNR_HOME, DNR_LOG_LEVEL');
    const typo = await plainConfig({ DNR_WAREHOSE__SEED: '7' });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain('DNR_WAREHOSE__SEED: "warehose" is not a config section; did you mean DNR_WAREHOUSE__SEED?');
    const key = await plainConfig({ DNR_WAREHOUSE__SEDE: '7' });
    expect(key.exitCode).toBe(2);
    expect(key.stderr).toContain('warehouse.sede: unknown key (from env DNR_WAREHOUSE__SEDE)');
  });
});

describe('gen-comms window inside the warehouse window', () => {
  it('a 1-month warehouse: the comms window shrinks to it, with a warning, and no message predates the data', async () => {
    writeFileSync(path.join(tmp.dir, '.env'), '');
    const g = await runDnr(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--months', '1', '-q'], { cwd: tmp.dir });
    expect(g.exitCode, g.stderr).toBe(0);
    const c = await runDnr(['gen-comms', '--archetype', 'neobank', '--slack', '60', '--email', '20', '--nlq', '30', '--json'], { cwd: tmp.dir });
    expect(c.exitCode, c.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(tmp.dir, 'data', 'neobank', 'manifest.json'), 'utf8'));
    const res = JSON.parse(c.stdout);
    expect(res.window.start).toBe(manifest.start_date);
    expect(res.warnings.join(' ')).toContain(`comms window shrunk to the warehouse window: ${manifest.start_date} → ${manifest.end_date}`);
    const [first] = await withDuckDB({ timeZone: 'UTC' }, (conn) =>
      queryRows<{ d: string }>(
        conn,
        `SELECT min(CAST(timezone('America/Los_Angeles', timezone('UTC', ts)) AS DATE))::VARCHAR AS d FROM (SELECT ts FROM read_parquet(${sqlString(path.join(tmp.dir, 'comms', 'neobank', 'slack_messages.parquet'))}) UNION ALL SELECT ts FROM read_parquet(${sqlString(path.join(tmp.dir, 'comms', 'neobank', 'nlq.parquet'))}))`,
      ),
    );
    expect(first.d >= manifest.start_date).toBe(true);
  });

  it('a warehouse window shorter than a week cannot hold a comms window: exit 2 (checked on the window rule itself)', () => {
    const warnings: string[] = [];
    expect(() => fitWindow('2026-06-30', 12, 'UTC', '2026-06-26', warnings)).toThrow(/too short for a comms window of at least 7 days/);
    const w = fitWindow('2026-06-30', 12, 'UTC', '2026-06-01', warnings);
    expect(w.start).toBe('2026-06-01');
    expect(w.days).toHaveLength(30);
  });
});

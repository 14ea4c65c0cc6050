import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers/cli.js';

// `pnpm bench` records start-up in reports/bench/bench.json through the same harness as its steps. Only the
// start-up part runs here (one timed run per command); the numbers are recorded, never asserted against a target.
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir('dnr-bench-startup-');
});
afterAll(() => tmp.cleanup());

interface StartupEntry {
  command: string;
  runs: number;
  median_s: number;
  min_s: number;
  max_s: number;
  median_cpu_s: number | null;
  peak_rss_mb: number | null;
  target_s: number | null;
  meets_target: boolean | null;
}

describe('bench: start-up', () => {
  it('--steps startup times dnr --version and --help (and the Node.js floor) and writes them to bench.json', () => {
    const out = path.join(tmp.dir, 'bench.json');
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'bench.mjs'), '--steps', 'startup', '--startup-runs', '1', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const bench = JSON.parse(readFileSync(out, 'utf8')) as { startup: StartupEntry[] | null; steps: unknown[] };
    expect(bench.steps).toEqual([]);
    const byName = Object.fromEntries((bench.startup ?? []).map((e) => [e.command, e]));
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(["node -e ''", 'dnr --version', 'dnr --help']));
    for (const name of ['dnr --version', 'dnr --help']) {
      const e = byName[name];
      expect(e.runs).toBe(1);
      expect(e.median_s).toBeGreaterThan(0);
      expect(e.min_s).toBeLessThanOrEqual(e.median_s);
      expect(e.target_s).toBe(0.6);
      expect(e.meets_target).toBe(e.median_s <= 0.6);
      // dnr starts Node.js and more: never faster than the bare Node.js floor's fastest run by much.
      expect(e.peak_rss_mb ?? Infinity).toBeGreaterThan(byName["node -e ''"].peak_rss_mb ?? 0);
    }
    expect(byName["node -e ''"].target_s).toBeNull();
  });

  it('--no-startup leaves it out; a bad --startup-runs is refused', () => {
    const bad = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'bench.mjs'), '--startup-runs', '0'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--startup-runs');
    const out = path.join(tmp.dir, 'none.json');
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'bench.mjs'), '--no-startup', '--archetypes', '', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).startup).toBeNull();
  });
});

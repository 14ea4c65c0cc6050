import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDnr, tempDir } from './helpers/cli.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('dnr config', () => {
  it('--json reports the env value over YAML, with its layer', async () => {
    mkdirSync(path.join(tmp.dir, 'configs'));
    writeFileSync(path.join(tmp.dir, 'configs', 'default.yaml'), 'warehouse:\n  seed: 1\n');
    const r = await runDnr(['config', '--json'], { cwd: tmp.dir, env: { DNR_WAREHOUSE__SEED: '2' } });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.config.warehouse.seed).toBe(2);
    expect(out.configFile).toBe(path.join('configs', 'default.yaml'));
    const entry = out.entries.find((e: { path: string }) => e.path === 'warehouse.seed');
    expect(entry).toEqual({ path: 'warehouse.seed', value: 2, layer: 'env', source: 'DNR_WAREHOUSE__SEED' });
    expect(r.stderr).toBe('');
  });

  it('human output names the layer of each value', async () => {
    const r = await runDnr(['config'], { cwd: tmp.dir, env: { DNR_COMMS__SEED: '5' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/comms\.seed\s+5 {2}\(env: DNR_COMMS__SEED\)/);
    expect(r.stdout).toMatch(/warehouse\.seed\s+42 {2}\(default\)/);
  });

  it('malformed YAML exits 2 with line and column', async () => {
    writeFileSync(path.join(tmp.dir, 'bad.yaml'), 'warehouse:\n  seed: [1, 2\n');
    const r = await runDnr(['config', '--config', 'bad.yaml'], { cwd: tmp.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: malformed YAML \(line \d+, column \d+\)/);
    expect(r.stdout).toBe('');
  });

  it('unknown key exits 2 naming the key path (also as --json)', async () => {
    writeFileSync(path.join(tmp.dir, 'c.yaml'), 'report:\n  slos:\n    key_nul_pct: 1\n');
    const r = await runDnr(['config', '--config', 'c.yaml', '--json'], { cwd: tmp.dir });
    expect(r.exitCode).toBe(2);
    const err = JSON.parse(r.stdout).error;
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('report.slos.key_nul_pct: unknown key (from yaml c.yaml:3:5)');
  });

  it('wrong type exits 2 naming path, value and expectation', async () => {
    const r = await runDnr(['config'], { cwd: tmp.dir, env: { DNR_CLASSIFICATION__CONCURRENCY: 'many' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('classification.concurrency: Expected number, received string; got "many" (from env DNR_CLASSIFICATION__CONCURRENCY)');
  });

  it('an unknown flag is a usage error (exit 2)', async () => {
    const r = await runDnr(['config', '--nope'], { cwd: tmp.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--nope');
  });
});

describe('dnr init', () => {
  it('scaffolds an empty folder and refuses to overwrite without --force', async () => {
    const target = path.join(tmp.dir, 'work');
    const r = await runDnr(['init', target, '--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.written).toContain(path.join('configs', 'default.yaml'));
    for (const f of ['configs/default.yaml', '.env.example', 'data/.gitkeep', 'comms/.gitkeep', 'reports/.gitkeep', 'runs/.gitkeep', 'meta/.gitkeep', '.gitignore']) {
      expect(existsSync(path.join(target, f)), f).toBe(true);
    }
    expect(readFileSync(path.join(target, '.gitignore'), 'utf8')).toContain('.env\n');

    // the scaffolded config is valid and is picked up from the folder
    const cfg = await runDnr(['config', '--json'], { cwd: target });
    expect(cfg.exitCode).toBe(0);
    expect(JSON.parse(cfg.stdout).configFile).toBe(path.join('configs', 'default.yaml'));

    writeFileSync(path.join(target, 'configs', 'default.yaml'), 'warehouse:\n  seed: 5\n');
    const again = await runDnr(['init', target]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('not overwriting');
    expect(again.stderr).toContain('--force');
    expect(readFileSync(path.join(target, 'configs', 'default.yaml'), 'utf8')).toBe('warehouse:\n  seed: 5\n');

    const forced = await runDnr(['init', target, '--force', '--quiet']);
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(path.join(target, 'configs', 'default.yaml'), 'utf8')).toContain('seed: 42');
    // --force never loses the user's version: it is kept next to it
    expect(readFileSync(path.join(target, 'configs', 'default.yaml.orig'), 'utf8')).toBe('warehouse:\n  seed: 5\n');
    expect(existsSync(path.join(target, '.env.example.orig'))).toBe(false);
    const proc = await runDnr(['init', '/proc/dnr-init'], { timeoutMs: 60_000 });
    expect(proc.exitCode).toBe(2);
    expect(proc.stderr).toContain('pseudo-filesystem');
    // .gitignore lines are not duplicated
    const gi = readFileSync(path.join(target, '.gitignore'), 'utf8');
    expect(gi.match(/^\.env$/gm)?.length).toBe(1);
  });

  it('--help shows examples', async () => {
    const r = await runDnr(['init', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain('dnr init my-analysis');
  });
});

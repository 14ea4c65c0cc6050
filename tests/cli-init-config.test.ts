import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDnr, tempDir } from './helpers/cli.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('dnr-init-config-');
});
afterEach(() => tmp.cleanup());

interface Explained {
  configFile: string | null;
  entries: Array<{ path: string; value: unknown; layer: string; source: string }>;
}

describe('dnr init keeps provenance meaningful', () => {
  it('writes a short starter config that sets nothing: every value stays a default until the user sets it', async () => {
    const init = await runDnr(['init', '.', '--quiet'], { cwd: tmp.dir });
    expect(init.exitCode, init.stderr).toBe(0);
    const text = readFileSync(path.join(tmp.dir, 'configs', 'default.yaml'), 'utf8');
    expect(text.split('\n').length).toBeLessThan(40);
    expect(text).toContain('dnr config --defaults');
    expect(text).toMatch(/^# {3}scale: evaluation {2}# /m);

    const before = JSON.parse((await runDnr(['config', '--json'], { cwd: tmp.dir })).stdout) as Explained;
    expect(before.configFile).toBe(path.join('configs', 'default.yaml'));
    expect(before.entries.filter((e) => e.layer !== 'default')).toEqual([]);

    // Uncommenting one key makes exactly that key come from the file, with its line.
    writeFileSync(path.join(tmp.dir, 'configs', 'default.yaml'), text.replace('# warehouse:', 'warehouse:').replace('#   seed: 42', '  seed: 9'));
    const after = JSON.parse((await runDnr(['config', '--json'], { cwd: tmp.dir })).stdout) as Explained;
    const fromFile = after.entries.filter((e) => e.layer === 'yaml');
    expect(fromFile.map((e) => [e.path, e.value])).toEqual([['warehouse.seed', 9]]);
    expect(fromFile[0].source).toMatch(/^configs\/default\.yaml:\d+:3$/);
  });
});

describe('dnr config --defaults', () => {
  it('prints the full default configuration as commented YAML that parses back to the defaults', async () => {
    const r = await runDnr(['config', '--defaults'], { cwd: tmp.dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(200);
    const json = JSON.parse((await runDnr(['config', '--defaults', '--json'], { cwd: tmp.dir })).stdout) as { defaults: Record<string, unknown>; yaml: string };
    expect(json.yaml).toBe(r.stdout);
    expect(r.stdout).toMatch(/^ {2}# Seed of the warehouse generator\.\n {2}seed: 42$/m);

    // Saved as the config file, it is valid and changes nothing.
    writeFileSync(path.join(tmp.dir, 'full.yaml'), r.stdout);
    const resolved = JSON.parse((await runDnr(['config', '--json', '--config', 'full.yaml'], { cwd: tmp.dir })).stdout) as Explained & { config: unknown };
    expect(resolved.config).toEqual(json.defaults);
  });
});

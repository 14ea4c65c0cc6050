import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { loadConfig } from './load.js';
import { renderDefaultConfigYaml, renderStarterConfigYaml, STARTER_KEYS } from './render.js';
import { ConfigSchema } from './schema/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dnr-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function yaml(text: string, name = 'configs/default.yaml') {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), text);
}

function loadError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('loadConfig layering', () => {
  it('uses schema defaults when nothing else is given', () => {
    const r = loadConfig({ cwd: dir, env: {} });
    expect(r.config.warehouse.seed).toBe(42);
    expect(r.config.classification.prefilter_threshold).toBe(0.35);
    expect(r.origins['warehouse.seed']).toEqual({ layer: 'default', source: 'schema default' });
    expect(r.configFile).toBeUndefined();
  });

  it('YAML beats defaults and records file:line:col', () => {
    yaml('warehouse:\n  scale: small\n  seed: 1\n');
    const r = loadConfig({ cwd: dir, env: {} });
    expect(r.config.warehouse.seed).toBe(1);
    expect(r.config.warehouse.scale).toBe('small');
    expect(r.config.warehouse.months).toBe(18);
    expect(r.origins['warehouse.seed']).toEqual({ layer: 'yaml', source: 'configs/default.yaml:3:3' });
  });

  it('env beats YAML; flags beat env', () => {
    yaml('warehouse:\n  seed: 1\n');
    const env = { DNR_WAREHOUSE__SEED: '2', DNR_CLASSIFICATION__MODEL: 'gpt-4o-mini' };
    const r = loadConfig({ cwd: dir, env });
    expect(r.config.warehouse.seed).toBe(2);
    expect(r.origins['warehouse.seed']).toEqual({ layer: 'env', source: 'DNR_WAREHOUSE__SEED' });

    const f = loadConfig({ cwd: dir, env, flags: { 'warehouse.seed': { flag: '--seed', value: 3 } } });
    expect(f.config.warehouse.seed).toBe(3);
    expect(f.origins['warehouse.seed']).toEqual({ layer: 'flag', source: '--seed' });
    expect(f.origins['warehouse.scale'].layer).toBe('default');
  });

  it('loads .env from the working folder, real env winning', () => {
    writeFileSync(path.join(dir, '.env'), 'DNR_WAREHOUSE__MONTHS=6\nDNR_WAREHOUSE__SEED=9\nOPENAI_API_KEY=sk-from-dotenv\n');
    const r = loadConfig({ cwd: dir, env: { DNR_WAREHOUSE__SEED: '11' } });
    expect(r.config.warehouse.months).toBe(6);
    expect(r.config.warehouse.seed).toBe(11);
    expect(r.env.OPENAI_API_KEY).toBe('sk-from-dotenv');
  });

  it('an explicit --config file replaces the default YAML', () => {
    yaml('warehouse:\n  seed: 1\n');
    yaml('comms:\n  seed: 5\n', 'other.yaml');
    const r = loadConfig({ cwd: dir, env: {}, configPath: 'other.yaml' });
    expect(r.config.comms.seed).toBe(5);
    expect(r.config.warehouse.seed).toBe(42);
    expect(r.configFile).toBe('other.yaml');
  });
});

describe('loadConfig errors (exit 2)', () => {
  it('malformed YAML names the line and column', () => {
    yaml('warehouse:\n  seed: 1\n  scale: [small\n');
    const e = loadError(() => loadConfig({ cwd: dir, env: {} }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/configs\/default\.yaml:\d+:\d+: malformed YAML \(line \d+, column \d+\)/);
  });

  it('reports the exact position of a bad indentation', () => {
    yaml('warehouse:\n  seed: 1\n scale: small\n');
    const e = loadError(() => loadConfig({ cwd: dir, env: {} }));
    expect(e.message).toContain('line 3');
  });

  it('unknown key names the key path and file position', () => {
    yaml('warehouse:\n  seed: 1\n  colour: blue\n');
    const e = loadError(() => loadConfig({ cwd: dir, env: {} }));
    expect(e.message).toContain('warehouse.colour: unknown key (from yaml configs/default.yaml:3:3)');
  });

  it('unknown env key names the variable', () => {
    const e = loadError(() => loadConfig({ cwd: dir, env: { DNR_WAREHOUSE__NOPE: '1' } }));
    expect(e.message).toContain('warehouse.nope: unknown key (from env DNR_WAREHOUSE__NOPE)');
  });

  it('wrong type names path, value, expected type and layer', () => {
    yaml('warehouse:\n  seed: forty-two\n');
    const e = loadError(() => loadConfig({ cwd: dir, env: {} }));
    expect(e.message).toContain('warehouse.seed: Expected number, received string; got "forty-two" (from yaml configs/default.yaml:2:3)');
  });

  it('bad enum lists the allowed values', () => {
    const e = loadError(() => loadConfig({ cwd: dir, env: { DNR_WAREHOUSE__SCALE: 'huge' } }));
    expect(e.message).toMatch(/warehouse\.scale: "huge" is not one of small, evaluation, large\. \(from env DNR_WAREHOUSE__SCALE\)/);
  });

  it('out-of-range months from a flag names the flag', () => {
    const e = loadError(() => loadConfig({ cwd: dir, env: {}, flags: { 'warehouse.months': { flag: '--months', value: 0 } } }));
    expect(e.message).toContain('warehouse.months');
    expect(e.message).toContain('(from flag --months)');
  });

  it('cross-field rule: scoring weights must sum to 1', () => {
    yaml('report:\n  scoring_weights: {revenue: 0.5}\n');
    const e = loadError(() => loadConfig({ cwd: dir, env: {} }));
    expect(e.message).toContain('report.scoring_weights: weights must sum to 1 (got 0.9000); to change one weight, set all three; got {"revenue":0.5,"demand":0.25,"severity":0.15}');
  });

  it('a missing --config file is an input error naming it', () => {
    const e = loadError(() => loadConfig({ cwd: dir, env: {}, configPath: 'nope.yaml' }));
    expect(e.message).toContain('nope.yaml');
    expect(e.exitCode).toBe(2);
  });

  it('a non-mapping YAML document is rejected', () => {
    yaml('- a\n- b\n');
    expect(loadError(() => loadConfig({ cwd: dir, env: {} })).message).toContain('must be a YAML mapping');
  });
});

describe('committed configs/default.yaml', () => {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

  it('is the starter config dnr init writes: it sets nothing, so every value stays a visible default', () => {
    const text = readFileSync(path.join(repo, 'configs', 'default.yaml'), 'utf8');
    expect(text).toBe(renderStarterConfigYaml());
    yaml(text);
    const r = loadConfig({ cwd: dir, env: {} });
    expect(r.config).toEqual(ConfigSchema.parse({}));
    expect(Object.values(r.origins).every((o) => o.layer === 'default')).toBe(true);
  });

  it('lists the usual keys with their real defaults: uncommenting them sets exactly those values', () => {
    const uncommented = renderStarterConfigYaml()
      .split('\n')
      .filter((l) => /^# {0,3}[a-z_]+:/.test(l))
      .map((l) => l.slice(2).replace(/ {2}# .*$/, ''))
      .join('\n');
    yaml(uncommented);
    const r = loadConfig({ cwd: dir, env: {} });
    expect(r.config).toEqual(ConfigSchema.parse({}));
    const fromYaml = Object.entries(r.origins).filter(([, o]) => o.layer === 'yaml').map(([k]) => k);
    expect(fromYaml.sort()).toEqual([...STARTER_KEYS].sort());
  });

  it('parses back to the defaults and documents every key', () => {
    const text = renderDefaultConfigYaml();
    yaml(text);
    const r = loadConfig({ cwd: dir, env: {} });
    expect(r.config).toEqual(ConfigSchema.parse({}));
    const keyLines = text.split('\n').filter((l) => /^\s*[a-z_]+:/.test(l));
    const lines = text.split('\n');
    const undocumented = keyLines.filter((l) => {
      const i = lines.indexOf(l);
      return !lines[i - 1]?.trim().startsWith('#') && !/^\s+(small|evaluation|large):/.test(l);
    });
    expect(undocumented.filter((l) => !/^\s+(dim_|fact_|snapshot_)/.test(l))).toEqual([]);
  });
});

describe('.env and DNR_ environment variables', () => {
  const dotenv = (text: string) => writeFileSync(path.join(dir, '.env'), text);

  it('reads a .env saved with a byte-order mark, CRLF line ends, export prefixes, quotes and comments', () => {
    dotenv('\uFEFFDNR_WAREHOUSE__SEED=7\r\n# a comment\r\nexport DNR_WAREHOUSE__MONTHS=6 # six\r\nOPENAI_API_KEY="sk-quoted #not-a-comment"\r\nOPENAI_BASE_URL=\'http://127.0.0.1:9/v1\'\r\n');
    const r = loadConfig({ cwd: dir, env: {} });
    expect(r.config.warehouse.seed).toBe(7);
    expect(r.origins['warehouse.seed']).toEqual({ layer: 'env', source: `DNR_WAREHOUSE__SEED in ${path.relative(process.cwd(), path.join(dir, '.env'))}:1` });
    expect(r.config.warehouse.months).toBe(6);
    expect(r.env.OPENAI_API_KEY).toBe('sk-quoted #not-a-comment');
    expect(r.env.OPENAI_BASE_URL).toBe('http://127.0.0.1:9/v1');
  });

  it('keeps multi-line quoted values and reports a line that is not KEY=value with file:line', () => {
    dotenv('A="one\ntwo"\nDNR_WAREHOUSE__SEED=5\n');
    const ok = loadConfig({ cwd: dir, env: {} });
    expect(ok.env.A).toBe('one\ntwo');
    expect(ok.config.warehouse.seed).toBe(5);
    dotenv('DNR_WAREHOUSE__MONTHS 6\nDNR_WAREHOUSE__SEED=5\n');
    expect(loadError(() => loadConfig({ cwd: dir, env: {} })).message).toMatch(/\.env:1: cannot parse this line: "DNR_WAREHOUSE__MONTHS 6"/);
    dotenv('DNR_WAREHOUSE__SEED=5\n=orphan value\n');
    expect(loadError(() => loadConfig({ cwd: dir, env: {} })).message).toMatch(/\.env:2: cannot parse this line: "=orphan value"/);
  });

  it('ignores DNR_ variables that name no config section, with one warning', () => {
    const r = loadConfig({ cwd: dir, env: { DNR_HOME: '/x', DNR_OTHER_TOOL__MODE: 'fast', DNR_WAREHOUSE__SEED: '3' } });
    expect(r.config.warehouse.seed).toBe(3);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings?.[0]).toMatch(/^ignoring DNR_HOME, DNR_OTHER_TOOL__MODE: they name no dnr config section/);
  });

  it('a typo in a section name is an error naming the variable and the likely fix', () => {
    dotenv('DNR_WAREHOSE__SEED=7\n');
    const e = loadError(() => loadConfig({ cwd: dir, env: {} }));
    expect(e.message).toMatch(/DNR_WAREHOSE__SEED in .*\.env:1: "warehose" is not a config section; did you mean DNR_WAREHOUSE__SEED\?/);
    const e2 = loadError(() => loadConfig({ cwd: dir, env: { DNR_COMS__SEED: '1' } }));
    expect(e2.message).toContain('did you mean DNR_COMMS__SEED?');
  });

  it('one underscore between a section and its key is an error suggesting two (not ignored as another tool\'s variable)', () => {
    dotenv('DNR_WAREHOUSE_SEED=7\n');
    const e = loadError(() => loadConfig({ cwd: dir, env: {} }));
    expect(e.message).toMatch(/DNR_WAREHOUSE_SEED in .*\.env:1: sections and keys are separated by two underscores; did you mean DNR_WAREHOUSE__SEED\?/);
    const e2 = loadError(() => loadConfig({ cwd: dir, env: { DNR_CLASSIFICATION_API_CAP_USD: '5' } }));
    expect(e2.message).toContain('did you mean DNR_CLASSIFICATION__API_CAP_USD?');
    // a variable whose first word is no section stays another tool's, ignored with the warning
    dotenv('\n');
    expect(loadConfig({ cwd: dir, env: { DNR_LOG_LEVEL: 'debug' } }).warnings?.[0]).toMatch(/^ignoring DNR_LOG_LEVEL/);
  });

  it('a typo under a known section is an error whose origin is the variable, not "default"', () => {
    dotenv('DNR_WAREHOUSE__SEDE=7\n');
    const e = loadError(() => loadConfig({ cwd: dir, env: {} }));
    expect(e.message).toMatch(/warehouse\.sede: unknown key \(from env DNR_WAREHOUSE__SEDE in .*\.env:1\)/);
  });
});

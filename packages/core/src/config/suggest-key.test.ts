import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { allowedKeys, envVarFor, suggestConfigPath } from './suggest-key.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dnr-suggest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error: unknown) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('did-you-mean for config keys', () => {
  it('suggests the nearest key at the same level, sections included', () => {
    expect(suggestConfigPath(['warehouse', 'sead'])).toBe('warehouse.seed');
    expect(suggestConfigPath(['warehose'])).toBe('warehouse');
    expect(suggestConfigPath(['report', 'slos', 'key_nul_pct'])).toBe('report.slos.key_null_pct');
    expect(suggestConfigPath(['classification', 'modle'])).toBe('classification.model');
    expect(suggestConfigPath(['warehouse', 'colour'])).toBeUndefined();
    expect(allowedKeys(['paths'])).toEqual(expect.arrayContaining(['data', 'comms', 'reports', 'meta', 'runs']));
    expect(envVarFor('classification.api_cap_usd')).toBe('DNR_CLASSIFICATION__API_CAP_USD');
  });

  it('a typo in a table name of the scale targets is an unknown key too (YAML and env), a correct one overrides only itself', () => {
    mkdirSync(path.join(dir, 'configs'));
    writeFileSync(path.join(dir, 'configs', 'default.yaml'), 'warehouse:\n  scales:\n    small:\n      dim_customr: 5\n');
    expect(messageOf(() => loadConfig({ cwd: dir, env: {} }))).toContain('warehouse.scales.small.dim_customr: unknown key (from yaml configs/default.yaml:4:7). Did you mean warehouse.scales.small.dim_customer?');
    writeFileSync(path.join(dir, 'configs', 'default.yaml'), 'warehouse:\n  scales:\n    small:\n      dim_customer: 5\n');
    expect(messageOf(() => loadConfig({ cwd: dir, env: { DNR_WAREHOUSE__SCALES__SMALL__FACT_ORDR: '9' } }))).toContain('Did you mean warehouse.scales.small.fact_order');
    const small = loadConfig({ cwd: dir, env: {} }).config.warehouse.scales.small;
    expect([small.dim_customer, small.dim_account, small.fact_order]).toEqual([5, 2_080, 30_000]);
  });

  it('names the suggestion in the YAML error, with the file position of the typo', () => {
    mkdirSync(path.join(dir, 'configs'));
    writeFileSync(path.join(dir, 'configs', 'default.yaml'), 'warehouse:\n  sead: 7\nreprot:\n  window_days: 7\n');
    const m = messageOf(() => loadConfig({ cwd: dir, env: {} }));
    expect(m).toContain('warehouse.sead: unknown key (from yaml configs/default.yaml:2:3). Did you mean warehouse.seed?');
    expect(m).toContain('reprot: unknown key (from yaml configs/default.yaml:3:1). Did you mean report?');
  });

  it('a renamed key says what replaced it (buyer activity_sigma → activity_shape), whatever the layer', () => {
    mkdirSync(path.join(dir, 'configs'));
    writeFileSync(path.join(dir, 'configs', 'default.yaml'), 'behaviour:\n  marketplace:\n    buyers:\n      heterogeneity:\n        activity_sigma: 0.35\n');
    const m = messageOf(() => loadConfig({ cwd: dir, env: {} }));
    expect(m).toContain('behaviour.marketplace.buyers.heterogeneity.activity_sigma: renamed to behaviour.marketplace.buyers.heterogeneity.activity_shape (buyer intensity is gamma-distributed now');
    expect(m).toContain('(from yaml configs/default.yaml:5:9)');
    rmSync(path.join(dir, 'configs', 'default.yaml'));
    expect(messageOf(() => loadConfig({ cwd: dir, env: { DNR_BEHAVIOUR__MARKETPLACE__BUYERS__HETEROGENEITY__ACTIVITY_SIGMA: '0.3' } }))).toContain(
      'activity_sigma: renamed to behaviour.marketplace.buyers.heterogeneity.activity_shape',
    );
    // the neobank key of the same name is still current
    writeFileSync(path.join(dir, 'configs', 'default.yaml'), 'behaviour:\n  neobank:\n    heterogeneity:\n      activity_sigma: 0.5\n');
    expect(loadConfig({ cwd: dir, env: {} }).config.behaviour.neobank.heterogeneity.activity_sigma).toBe(0.5);
  });

  it('names the variable to use for an environment typo', () => {
    const m = messageOf(() => loadConfig({ cwd: dir, env: { DNR_CLASSIFICATION__API_CAP: '0.5' } }));
    expect(m).toContain('classification.api_cap: unknown key (from env DNR_CLASSIFICATION__API_CAP). Did you mean classification.api_cap_usd (DNR_CLASSIFICATION__API_CAP_USD)?');
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../config/index.js';
import { InputError } from '../errors.js';
import { llmClientFromConfig, purposeSettings } from './from-config.js';

const resolved = (env: NodeJS.ProcessEnv, config = {}) => ({ config: ConfigSchema.parse(config), env, cwd: '/tmp', origins: {} });

describe('llmClientFromConfig', () => {
  it('reads the key from the configured variable and fails with its name when missing', () => {
    expect(() => llmClientFromConfig(resolved({}), 'classify')).toThrow(InputError);
    expect(() => llmClientFromConfig(resolved({}), 'classify')).toThrow(/OPENAI_API_KEY/);
    expect(() => llmClientFromConfig(resolved({ OPENAI_API_KEY: 'sk-x' }, { classification: { env_key_var: 'MY_KEY' } }), 'classify')).toThrow(/MY_KEY/);
    const c = llmClientFromConfig(resolved({ MY_KEY: 'sk-x' }, { classification: { env_key_var: 'MY_KEY' } }), 'classify');
    expect(c.purpose).toBe('classify');
  });

  it('applies the cap and model of each purpose', () => {
    const env = { OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const cfg = { entities: { api_cap_usd: 0.1 }, comms: { api_cap_usd: 0.5 }, classification: { api_cap_usd: 0.75 } };
    expect(llmClientFromConfig(resolved(env, cfg), 'classify').spend().capUsd).toBe(0.75);
    expect(llmClientFromConfig(resolved(env, cfg), 'entities').spend().capUsd).toBe(0.1);
    expect(llmClientFromConfig(resolved(env, cfg), 'comms').spend().capUsd).toBe(0.5);
    expect(llmClientFromConfig(resolved(env, cfg), 'comms', { capUsd: 0.01 }).spend().capUsd).toBe(0.01);
    expect(llmClientFromConfig(resolved(env), 'classify').model).toBe('gpt-4o-mini');
  });

  it('gives entities their own temperature, output limit and request shape (not hard-coded)', () => {
    const config = ConfigSchema.parse({
      entities: { temperature: 1, max_output_tokens: 900, request: { token_limit: 'max_completion_tokens', temperature: 'omit', json_mode: 'none' } },
    });
    expect(purposeSettings(config, 'entities')).toEqual({
      model: 'gpt-4o-mini',
      capUsd: 0.1,
      maxOutputTokens: 900,
      temperature: 1,
      request: { tokenLimit: 'max_completion_tokens', temperature: 'omit', jsonMode: 'none' },
      configSection: 'entities',
    });
    expect(purposeSettings(ConfigSchema.parse({}), 'classify').request).toEqual({ tokenLimit: 'auto', temperature: 'auto', jsonMode: 'auto' });
  });

  it('a model without a price is a config error naming the key to add', () => {
    const r = ConfigSchema.safeParse({ entities: { model: 'llama3.1:8b' } });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error.issues[0].path).toEqual(['entities', 'model']);
    expect(r.error.issues[0].message).toMatch(/pricing\."llama3\.1:8b"/);
    expect(ConfigSchema.safeParse({ classification: { model: 'toString' } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ entities: { model: 'llama3.1:8b' }, pricing: { 'gpt-4o-mini': { input_per_mtok: 0.15, output_per_mtok: 0.6 }, 'llama3.1:8b': { input_per_mtok: 0, output_per_mtok: 0 } } }).success).toBe(true);
  });
});

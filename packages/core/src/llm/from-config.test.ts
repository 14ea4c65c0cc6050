import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../config/index.js';
import { InputError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import { defaultModelWarnings, llmClientFromConfig, purposeSettings } from './from-config.js';

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

describe('pricing a local model', () => {
  const price = { input_per_mtok: 0, output_per_mtok: 0 };
  it('DNR_PRICING as JSON keeps names with "." ":" "/" and capitals, and the built-in price of the other purposes\' default model', () => {
    const env = { DNR_CLASSIFICATION__MODEL: 'llama3.1:8b', DNR_ENTITIES__MODEL: 'Qwen/Qwen2.5-7B-Instruct', DNR_PRICING: '{"llama3.1:8b":{"input_per_mtok":0,"output_per_mtok":0},"Qwen/Qwen2.5-7B-Instruct":{"input_per_mtok":0.1,"output_per_mtok":0.2}}' };
    const { config } = loadConfig({ cwd: '/nonexistent-dnr-dir', env });
    expect(config.pricing['llama3.1:8b']).toEqual(price);
    expect(config.pricing['Qwen/Qwen2.5-7B-Instruct']).toEqual({ input_per_mtok: 0.1, output_per_mtok: 0.2 });
    expect(config.pricing['gpt-4o-mini']).toEqual({ input_per_mtok: 0.15, output_per_mtok: 0.6 });
  });

  it('a config entry overrides the built-in price; a model without any price is still an error', () => {
    expect(ConfigSchema.parse({ pricing: { 'gpt-4o-mini': { input_per_mtok: 1, output_per_mtok: 2 } } }).pricing['gpt-4o-mini']).toEqual({ input_per_mtok: 1, output_per_mtok: 2 });
    expect(() => ConfigSchema.parse({ classification: { model: 'llama3.1:8b' } })).toThrow(/model \\"llama3\.1:8b\\" has no price/);
    expect(() => ConfigSchema.parse({ classification: { model: 'llama3.1:8b' }, pricing: { 'llama3.1:8b': price } })).not.toThrow();
  });
});

describe('defaultModelWarnings', () => {
  const local = { classification: { model: 'llama3.1:8b' }, pricing: { 'llama3.1:8b': { input_per_mtok: 0, output_per_mtok: 0 } } };
  it('names each purpose left on the default model when another uses the server\'s own, at a configured endpoint only', () => {
    const w = defaultModelWarnings(resolved({ OPENAI_BASE_URL: 'http://localhost:11434/v1' }, local), ['classify', 'entities', 'comms']);
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/^entities\.model is the default gpt-4o-mini while classification\.model is llama3\.1:8b: entity extraction sends gpt-4o-mini to http:\/\/localhost:11434\/v1 \(OPENAI_BASE_URL\)\. .*set entities\.model \(DNR_ENTITIES__MODEL\)/);
    expect(w[1]).toMatch(/^comms\.model is the default/);
    expect(defaultModelWarnings(resolved({}, local), ['classify', 'entities'])).toEqual([]);
    expect(defaultModelWarnings(resolved({ OPENAI_BASE_URL: 'http://x/v1' }), ['classify', 'entities', 'comms'])).toEqual([]);
    expect(defaultModelWarnings(resolved({ OPENAI_BASE_URL: 'http://x/v1' }, local), ['classify'])).toEqual([]);
    const both = { ...local, entities: { model: 'llama3.1:8b' } };
    expect(defaultModelWarnings(resolved({ OPENAI_BASE_URL: 'http://x/v1' }, both), ['classify', 'entities'])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../config/index.js';
import { InputError } from '../errors.js';
import { llmClientFromConfig } from './from-config.js';

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
});

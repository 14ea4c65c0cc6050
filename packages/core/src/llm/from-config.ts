import path from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { InputError } from '../errors.js';
import { createLlmClient } from './client.js';
import type { LlmClient, LlmClientOptions, LlmPurpose } from './types.js';

/** Output-token cap of a comms text request: an email of ≤180 tokens plus its JSON wrapper. */
const COMMS_MAX_OUTPUT_TOKENS = 400;

/**
 * The client of a purpose with the configured model, cap and parameters. The key is read from the
 * variable named by classification.env_key_var (in resolved.env, which includes `.env`), the endpoint
 * from OPENAI_BASE_URL. Throws InputError naming the variable when no key is set.
 */
export function llmClientFromConfig(resolved: ResolvedConfig, purpose: LlmPurpose, overrides: Partial<LlmClientOptions> = {}): LlmClient {
  const { config, env, cwd } = resolved;
  const c = config.classification;
  const keyVar = c.env_key_var;
  const apiKey = overrides.apiKey ?? env[keyVar];
  if (!apiKey) {
    throw new InputError(`No API key: the environment variable ${keyVar} (classification.env_key_var) is not set.`, {
      suggestion: `Set ${keyVar} in the environment or .env, or run offline (--no-llm / --engine template).`,
    });
  }
  const byPurpose = {
    classify: { model: c.model, capUsd: c.api_cap_usd, maxOutputTokens: c.max_output_tokens, temperature: c.temperature },
    entities: { model: config.entities.model, capUsd: config.entities.api_cap_usd, maxOutputTokens: 128, temperature: 0 },
    comms: { model: config.comms.model, capUsd: config.comms.api_cap_usd, maxOutputTokens: COMMS_MAX_OUTPUT_TOKENS, temperature: config.comms.temperature },
  }[purpose];
  return createLlmClient({
    baseURL: env.OPENAI_BASE_URL || undefined,
    concurrency: c.concurrency,
    timeoutMs: c.timeout_s * 1000,
    retries: c.retries,
    pricing: config.pricing,
    purpose,
    cacheDir: config.cache.enabled ? path.resolve(cwd, config.cache.dir) : null,
    ...byPurpose,
    ...overrides,
    apiKey,
  });
}

import path from 'node:path';
import type { Config, LlmRequestConfig, ResolvedConfig } from '../config/index.js';
import { DEFAULT_LLM_MODEL } from '../config/schema/report.js';
import { InputError } from '../errors.js';
import { displayEndpoint } from './capabilities.js';
import { createLlmClient } from './client.js';
import { OFFLINE_ADVICE } from './offline-advice.js';
import type { RequestSettings } from './params.js';
import type { LlmClient, LlmClientOptions, LlmPurpose } from './types.js';

/** Output-token cap of a comms text request when the caller gives none: an email of ≤180 tokens plus its JSON wrapper. */
const COMMS_MAX_OUTPUT_TOKENS = 400;

export const requestSettings = (r: LlmRequestConfig): RequestSettings => ({ tokenLimit: r.token_limit, temperature: r.temperature, jsonMode: r.json_mode });

/** Model, cap, output limit, temperature and request shape of a purpose, from its config section. */
export function purposeSettings(config: Config, purpose: LlmPurpose): Pick<LlmClientOptions, 'model' | 'capUsd' | 'maxOutputTokens' | 'temperature' | 'request' | 'configSection'> {
  const c = config.classification;
  const e = config.entities;
  const m = config.comms;
  switch (purpose) {
    case 'classify':
      return { model: c.model, capUsd: c.api_cap_usd, maxOutputTokens: c.max_output_tokens, temperature: c.temperature, request: requestSettings(c.request), configSection: 'classification' };
    case 'entities':
      return { model: e.model, capUsd: e.api_cap_usd, maxOutputTokens: e.max_output_tokens, temperature: e.temperature, request: requestSettings(e.request), configSection: 'entities' };
    case 'comms':
      return { model: m.model, capUsd: m.api_cap_usd, maxOutputTokens: COMMS_MAX_OUTPUT_TOKENS, temperature: m.temperature, request: requestSettings(m.request), configSection: 'comms' };
  }
}

/**
 * The API key of the configured variable, or an InputError (exit 2) naming the variable, with advice
 * (`OFFLINE_ADVICE`) fitting the asking command (default: a run-report/quickstart classification).
 */
export function apiKeyFrom(resolved: Pick<ResolvedConfig, 'config' | 'env'>, askedBy: LlmPurpose | 'doctor' = 'classify'): string {
  const keyVar = resolved.config.classification.env_key_var;
  const apiKey = resolved.env[keyVar];
  if (!apiKey) {
    const advice = OFFLINE_ADVICE[askedBy];
    throw new InputError(`No API key: the environment variable ${keyVar} (classification.env_key_var) is not set.`, {
      suggestion: `Set ${keyVar} in the environment or .env (a local server that ignores keys still needs a value, e.g. ${keyVar}=local)${askedBy === 'doctor' ? '. ' + advice : ', ' + advice}`,
    });
  }
  return apiKey;
}

/**
 * The client of a purpose with the configured model, cap, parameters and request shape. The key is
 * read from the variable named by classification.env_key_var (in resolved.env, which includes
 * `.env`), the endpoint from OPENAI_BASE_URL. Throws InputError naming the variable when no key is set.
 */
export function llmClientFromConfig(resolved: ResolvedConfig, purpose: LlmPurpose, overrides: Partial<LlmClientOptions> = {}): LlmClient {
  const { config, env, cwd } = resolved;
  const c = config.classification;
  const apiKey = overrides.apiKey ?? apiKeyFrom(resolved, purpose);
  return createLlmClient({
    baseURL: env.OPENAI_BASE_URL || undefined,
    concurrency: c.concurrency,
    timeoutMs: c.timeout_s * 1000,
    retries: c.retries,
    pricing: config.pricing,
    purpose,
    cacheDir: config.cache.enabled ? path.resolve(cwd, config.cache.dir) : null,
    keyVar: c.env_key_var,
    ...purposeSettings(config, purpose),
    ...overrides,
    apiKey,
  });
}

const PURPOSE_WORDS: Record<LlmPurpose, string> = { classify: 'classification', entities: 'entity extraction', comms: 'the comms llm engine' };

/**
 * Warnings for a non-default endpoint (OPENAI_BASE_URL set) where some of `purposes` use a model other than
 * the built-in default while others still use the default: the usual sign of a local server configured for
 * one purpose only (the others would send gpt-4o-mini to it). One line per purpose still on the default,
 * naming its config key and variable; empty when every purpose has its own model or none does.
 */
export function defaultModelWarnings(resolved: Pick<ResolvedConfig, 'config' | 'env'>, purposes: readonly LlmPurpose[]): string[] {
  const baseURL = resolved.env.OPENAI_BASE_URL;
  if (!baseURL) return [];
  const models = purposes.map((p) => {
    const { model, configSection } = purposeSettings(resolved.config, p);
    return { purpose: p, model, configSection: configSection ?? p };
  });
  const own = models.filter((m) => m.model !== DEFAULT_LLM_MODEL);
  if (own.length === 0) return [];
  return models
    .filter((m) => m.model === DEFAULT_LLM_MODEL)
    .map(
      (m) =>
        `${m.configSection}.model is the default ${DEFAULT_LLM_MODEL} while ${own.map((o) => `${o.configSection}.model is ${o.model}`).join(' and ')}: ` +
        `${PURPOSE_WORDS[m.purpose]} sends ${DEFAULT_LLM_MODEL} to ${displayEndpoint(baseURL)} (OPENAI_BASE_URL). If that server does not serve it, set ${m.configSection}.model ` +
        `(DNR_${m.configSection.toUpperCase()}__MODEL) and its pricing entry.`,
    );
}

import { z } from 'zod';
import { share, usd } from './common.js';
import { DEFAULT_LLM_MODEL } from './report.js';

/**
 * How requests are shaped for the endpoint (the same three settings for classification, entities and
 * comms). `auto` starts with what works on OpenAI and adapts once per endpoint and model when the
 * server rejects a parameter with a 400 that names it; what works is remembered in the cache folder.
 */
export const LlmRequestSchema = z
  .object({
    token_limit: z
      .enum(['auto', 'max_tokens', 'max_completion_tokens'])
      .default('auto')
      .describe(
        'Output-token limit parameter: auto (max_tokens; max_completion_tokens for OpenAI reasoning models o1/o3/o4/gpt-5, or after a 400 naming max_tokens) | max_tokens (most local servers, older gateways) | max_completion_tokens (OpenAI reasoning models).',
      ),
    temperature: z
      .enum(['auto', 'send', 'omit'])
      .default('auto')
      .describe('Whether the temperature is sent: auto (sent; omitted after a 400 naming it — reasoning models accept only their default) | send | omit.'),
    json_mode: z
      .enum(['auto', 'json_schema', 'json_object', 'none'])
      .default('auto')
      .describe(
        "JSON mode: auto (json_schema with the answer's schema, then json_object, then none, stepping down after a 400 naming response_format) | json_schema (OpenAI structured outputs; LM Studio accepts only this) | json_object | none (no response_format; the answer is still parsed strictly).",
      ),
  })
  .strict()
  .default({});

export type LlmRequestConfig = z.infer<typeof LlmRequestSchema>;

const temperature = (d: number) => z.number().min(0).max(2).default(d);
const maxOutputTokens = (d: number) => z.number().int().min(1).max(32_768).default(d);

export const ClassificationSchema = z
  .object({
    engine: z.enum(['llm', 'rules']).default('llm').describe('Classifier: llm (OpenAI-compatible) | rules (offline).'),
    provider: z.literal('openai').default('openai').describe('LLM provider protocol (OpenAI-compatible Chat Completions).'),
    model: z.string().min(1).default(DEFAULT_LLM_MODEL).describe('Model name sent to the endpoint and used for pricing (needs a pricing entry).'),
    temperature: temperature(0).describe('Sampling temperature (sent unless request.temperature omits it).'),
    max_output_tokens: maxOutputTokens(64).describe(
      'Max output tokens per call (reserved in the cost guard). Reasoning models count their reasoning here: give them several hundred or more.',
    ),
    request: LlmRequestSchema.describe('Request shape for classification: token-limit parameter, temperature, JSON mode.'),
    concurrency: z.number().int().min(1).max(64).default(5).describe('Requests in flight at most (every purpose).'),
    api_cap_usd: usd.default(1.0).describe('Hard spend cap per archetype and run for classification, USD.'),
    prefilter_threshold: share.default(0.35).describe('Threads with prefilter score at or above this are kept.'),
    env_key_var: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name').default('OPENAI_API_KEY').describe('Name of the environment variable holding the API key (every purpose).'),
    timeout_s: z.number().positive().max(600).default(15).describe('Per-request timeout including reading the answer, seconds (every purpose).'),
    retries: z.number().int().min(0).max(10).default(2).describe('Retries after a failed request: 408/409/429/5xx, timeouts, connection errors (backoff, honours retry-after; every purpose).'),
    thread_input_tokens: z.number().int().min(50).max(100_000).default(900).describe('Input-token budget per thread call.'),
    thread_max_messages: z.number().int().min(1).max(500).default(20).describe('Messages per thread call at most.'),
    max_consecutive_parse_errors: z.number().int().min(1).max(10_000).default(50).describe('Stop a source after this many parse errors in a row.'),
  })
  .strict()
  .default({})
  .describe('Theme/relevance classification by the LLM engine (and the shared LLM connection settings).');

export const EntitiesSchema = z
  .object({
    provider: z.literal('openai').default('openai').describe('LLM provider protocol.'),
    model: z.string().min(1).default(DEFAULT_LLM_MODEL).describe('Model for entity extraction (needs a pricing entry).'),
    temperature: temperature(0).describe('Sampling temperature (sent unless request.temperature omits it).'),
    max_output_tokens: maxOutputTokens(128).describe('Max output tokens per call (reserved in the cost guard); more for reasoning models.'),
    request: LlmRequestSchema.describe('Request shape for entity extraction: token-limit parameter, temperature, JSON mode.'),
    api_cap_usd: usd.default(0.1).describe('Hard spend cap per archetype and run for entity extraction, USD.'),
  })
  .strict()
  .default({})
  .describe('Entity extraction: tables and columns a message is about.');

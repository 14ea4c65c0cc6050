import { z } from 'zod';
import { share, usd } from './common.js';

export const ClassificationSchema = z
  .object({
    engine: z.enum(['llm', 'rules']).default('llm').describe('Classifier: llm (OpenAI-compatible) | rules (offline).'),
    provider: z.literal('openai').default('openai').describe('LLM provider protocol (OpenAI-compatible Chat Completions).'),
    model: z.string().min(1).default('gpt-4o-mini').describe('Model name sent to the endpoint and used for pricing.'),
    temperature: z.number().min(0).max(2).default(0).describe('Sampling temperature.'),
    max_output_tokens: z.number().int().min(1).max(4096).default(64).describe('Max output tokens per call (reserved in the cost guard).'),
    concurrency: z.number().int().min(1).max(64).default(5).describe('Requests in flight at most.'),
    api_cap_usd: usd.default(1.0).describe('Hard spend cap per archetype for classification, USD.'),
    prefilter_threshold: share.default(0.35).describe('Threads with prefilter score at or above this are kept.'),
    env_key_var: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name').default('OPENAI_API_KEY').describe('Name of the environment variable holding the API key.'),
    timeout_s: z.number().positive().max(600).default(15).describe('Per-request timeout, seconds.'),
    retries: z.number().int().min(0).max(10).default(2).describe('Retries after a failed request (backoff, honours retry-after).'),
    thread_input_tokens: z.number().int().min(50).max(100_000).default(900).describe('Input-token budget per thread call.'),
    thread_max_messages: z.number().int().min(1).max(500).default(20).describe('Messages per thread call at most.'),
    max_consecutive_parse_errors: z.number().int().min(1).max(10_000).default(50).describe('Stop a source after this many parse errors in a row.'),
  })
  .strict()
  .default({})
  .describe('Theme/relevance classification (SPEC §7.3).');

export const EntitiesSchema = z
  .object({
    provider: z.literal('openai').default('openai').describe('LLM provider protocol.'),
    model: z.string().min(1).default('gpt-4o-mini').describe('Model for entity extraction.'),
    api_cap_usd: usd.default(0.1).describe('Hard spend cap per archetype for entity extraction, USD.'),
  })
  .strict()
  .default({})
  .describe('Entity extraction (SPEC §7.4).');

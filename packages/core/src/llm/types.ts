import type { Config } from '../config/index.js';

export type LlmPurpose = 'classify' | 'entities' | 'comms';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type LlmFailureStatus = 'parse_error' | 'cap_exceeded' | 'error';

/**
 * What went wrong, for callers that react differently: `network` = endpoint down or unreachable,
 * `timeout`, `auth` = invalid key (401/403), `http` = other non-retryable status, `rate_limit` / `server` =
 * still failing after retries, `aborted`.
 */
export type LlmErrorKind = 'network' | 'timeout' | 'auth' | 'http' | 'rate_limit' | 'server' | 'aborted' | 'parse' | 'cap';

export type LlmResult =
  | { status: 'ok'; json: unknown; raw: string; usage: LlmUsage; cached: boolean; costUsd: number }
  | { status: LlmFailureStatus; reason: string; kind?: LlmErrorKind };

export interface LlmSpend {
  capUsd: number;
  /** Worst-case cost of requests in flight right now. */
  reservedUsd: number;
  /** Sum of the worst-case reservations of every request sent. */
  estimatedUsd: number;
  /** Settled spend: actual `usage` cost, or the worst case when a sent request's usage is unknown (timeout). */
  actualUsd: number;
  /** HTTP requests sent (each attempt counts). */
  requests: number;
  cacheHits: number;
  /** Requests refused by the cost guard. */
  notSent: number;
}

export interface LlmClientOptions {
  /** Any OpenAI-compatible endpoint; default the SDK's (api.openai.com). */
  baseURL?: string;
  apiKey: string;
  model: string;
  temperature: number;
  maxOutputTokens: number;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  pricing: Config['pricing'];
  capUsd: number;
  purpose: LlmPurpose;
  /** JSONL spend ledger, appended per request (estimate before sending, actual after). */
  ledgerPath?: string;
  /** Disk cache folder; null or undefined disables the cache. */
  cacheDir?: string | null;
  signal?: AbortSignal;
  /** Base of the exponential backoff when the server gives no retry-after, ms (default 500). */
  backoffBaseMs?: number;
  /** Longest wait honoured from a retry-after header, ms (default 30 s). */
  maxRetryAfterMs?: number;
}

export interface CompleteOptions {
  maxOutputTokens?: number;
}

export interface LlmClient {
  readonly model: string;
  readonly purpose: LlmPurpose;
  completeJson(messages: ChatMessage[], opts?: CompleteOptions): Promise<LlmResult>;
  spend(): LlmSpend;
}

import type { Config } from '../config/index.js';
import type { RequestParams, RequestSettings } from './params.js';

export type LlmPurpose = 'classify' | 'entities' | 'comms';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** The JSON Schema of an answer, sent with `response_format: json_schema` (strict) when the server takes it. */
export interface AnswerSchema {
  /** `[a-zA-Z0-9_-]{1,64}` */
  name: string;
  schema: Record<string, unknown>;
}

export type LlmFailureStatus = 'parse_error' | 'refusal' | 'cap_exceeded' | 'error';

/**
 * What went wrong: `network` = endpoint unreachable, `timeout`, `auth` = key rejected (401/403),
 * `quota` = account without credit, `not_found` = model or route unknown (404), `http` = another 4xx the
 * parameters could not be negotiated away, `rate_limit` / `server` = still failing after retries,
 * `bad_response` = a 2xx without a usable answer (HTML page, `error` object, no choices), `cut_off` = the
 * server answered but the body stopped early (cut-off JSON, connection dropped or timeout mid-body; billed),
 * `parse` = the answer was not the JSON asked for (also after one repair request), `truncated` = cut at
 * the output-token limit, `empty` = no answer text, `refusal`, `cap` = refused by the cost guard,
 * `untrusted` = the server ignores the token limit, `fatal` = the client stopped (see `LlmClient.fatal`).
 */
export type LlmErrorKind =
  | 'network'
  | 'timeout'
  | 'auth'
  | 'quota'
  | 'not_found'
  | 'http'
  | 'rate_limit'
  | 'server'
  | 'bad_response'
  | 'cut_off'
  | 'aborted'
  | 'parse'
  | 'truncated'
  | 'empty'
  | 'refusal'
  | 'cap'
  | 'untrusted'
  | 'fatal';

export type LlmResult =
  | {
      status: 'ok';
      json: Record<string, unknown>;
      raw: string;
      /** The server's complete usage, or null when it sent none (the worst case was booked instead). */
      usage: LlmUsage | null;
      cached: boolean;
      /** USD booked for this answer (0 from the cache). */
      costUsd: number;
    }
  | { status: LlmFailureStatus; reason: string; kind: LlmErrorKind };

/** Why a purpose cannot go on: the command exits 2 with this message. */
export interface LlmFatal {
  kind: LlmErrorKind;
  message: string;
  suggestion: string;
}

export interface LlmSpend {
  capUsd: number;
  /** Worst-case cost of requests in flight right now. */
  reservedUsd: number;
  /** Sum of the worst-case reservations of every request sent by this process. */
  estimatedUsd: number;
  /**
   * Booked spend of the run, including what earlier (interrupted) processes of the same run booked:
   * per request the server's usage cost (at least what dnr counted itself), or the worst case when the
   * usage is missing or incomplete, the body was cut off, or the request timed out.
   */
  actualUsd: number;
  /** Part of actualUsd booked by earlier processes of the same run (from the ledger). */
  resumedUsd: number;
  /** HTTP requests sent (each attempt counts). */
  requests: number;
  cacheHits: number;
  /** Requests refused by the cost guard. */
  notSent: number;
  /** Answers without a complete numeric usage (booked at their worst case). */
  noUsage: number;
  /** Time spent in HTTP requests of this process (sent until the body was read), ms; client start-up and tokenizing excluded. */
  httpMs: number;
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
  /** Token-limit parameter, temperature and JSON mode (default all `auto`). */
  request?: RequestSettings;
  /** JSONL spend ledger, appended per request; a ledger of an interrupted run is resumed (see `resumeLedger`). */
  ledgerPath?: string;
  /**
   * Ledgers of other interrupted runs that wrote the same outputs (e.g. another run id into the same report
   * folder): what they booked counts toward this run's cap, and `close()` closes them too.
   */
  resumeAlso?: string[];
  /** Disk cache folder (also keeps the learned parameters); null or undefined disables it. */
  cacheDir?: string | null;
  /** false: answers are neither read from nor written to the cache (probes); learned parameters still are. */
  cacheAnswers?: boolean;
  signal?: AbortSignal;
  /** Base of the exponential backoff when the server gives no retry-after, ms (default 500). */
  backoffBaseMs?: number;
  /** Longest wait honoured from a retry-after header, ms (default 30 s). */
  maxRetryAfterMs?: number;
  /** For messages: the variable holding the key (default OPENAI_API_KEY). */
  keyVar?: string;
  /** For messages: the config section of the purpose's settings, e.g. `classification` (default: by purpose). */
  configSection?: string;
}

export interface CompleteOptions {
  maxOutputTokens?: number;
  /** The answer's schema: sent in json_schema mode, part of the cache key. */
  schema?: AnswerSchema;
}

export interface LlmClient {
  readonly model: string;
  readonly purpose: LlmPurpose;
  /** Endpoint without credentials, for messages and reports. */
  readonly endpoint: string;
  completeJson(messages: ChatMessage[], opts?: CompleteOptions): Promise<LlmResult>;
  spend(): LlmSpend;
  /** Set once the purpose cannot go on (key rejected, endpoint unreachable, the same failure on the first requests). */
  fatal(): LlmFatal | null;
  /** Parameters the last request was sent with (null before the first). */
  params(): RequestParams | null;
  /** Mark the run's ledger complete: the next run starts a new ledger instead of resuming this one. */
  close(): void;
}

import { lazyModule } from '../lazy.js';
import pLimit from 'p-limit';
import { randomBytes } from 'node:crypto';
import { countChatTokens } from '../tokens.js';
import { LlmDiskCache, llmCacheKey } from './cache.js';
import { CostGuard } from './guard.js';
import { cleanJson, tryParseJson } from './json.js';
import { SpendLedger } from './ledger.js';
import { estimateCostUsd, modelPrice } from './pricing.js';
import type { ChatMessage, CompleteOptions, LlmClient, LlmClientOptions, LlmErrorKind, LlmResult, LlmUsage } from './types.js';

// The SDK loads on the first client, not at import (start-up time).
const openaiSdk = lazyModule<typeof import('openai')>('openai');

/**
 * Prompt-token margin of the reservation: a compatible server may tokenize a little differently
 * from tiktoken, so the worst case is reserved as 110% of our count plus 16 tokens.
 */
const PROMPT_MARGIN = 1.1;
const PROMPT_SLACK = 16;

const REPAIR_PROMPT = 'Your previous reply was not valid JSON. Reply again with only the complete, valid JSON object and nothing else.';

type Attempt =
  | { ok: true; content: string; usage: LlmUsage; costUsd: number }
  | { ok: false; status: 'cap_exceeded' | 'error'; reason: string; kind: LlmErrorKind };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Wait asked for by the server: retry-after-ms, retry-after (seconds or HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers.get('retry-after');
  if (ra === null) return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Create the one LLM client of a purpose: JSON-only Chat Completions under a fail-closed cost cap. */
export function createLlmClient(options: LlmClientOptions): LlmClient {
  // Fail closed up front: an unpriced model cannot be guarded.
  modelPrice(options.model, options.pricing);
  const OpenAI = openaiSdk().default;
  const sdk = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs, maxRetries: 0 });
  const limit = pLimit(Math.max(1, options.concurrency));
  const guard = new CostGuard(options.capUsd);
  const ledger = new SpendLedger(options.ledgerPath);
  const cache = options.cacheDir ? new LlmDiskCache(options.cacheDir) : undefined;
  const run = randomBytes(6).toString('hex');
  const backoffBase = options.backoffBaseMs ?? 500;
  const maxRetryAfter = options.maxRetryAfterMs ?? 30_000;
  const inflight = new Map<string, Promise<LlmResult>>();
  let seq = 0;
  let requests = 0;
  let cacheHits = 0;
  let notSent = 0;

  const redact = (text: string): string => {
    let out = text;
    if (options.apiKey) out = out.split(options.apiKey).join('[redacted]');
    return out.replace(/sk-[A-Za-z0-9_*-]{6,}/g, 'sk-[redacted]');
  };

  const cost = (usage: LlmUsage) =>
    estimateCostUsd({ model: options.model, inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens, pricing: options.pricing });

  /** One HTTP request with retries; every attempt reserves its worst case first. */
  async function send(messages: ChatMessage[], maxOutputTokens: number, key: string): Promise<Attempt> {
    const promptEst = countChatTokens(messages, options.model);
    const worstUsd = estimateCostUsd({
      model: options.model,
      inputTokens: Math.ceil(promptEst * PROMPT_MARGIN) + PROMPT_SLACK,
      outputTokens: maxOutputTokens,
      pricing: options.pricing,
    });
    const base = { run, purpose: options.purpose, model: options.model, key };
    let last: Attempt = { ok: false, status: 'error', reason: 'not attempted', kind: 'network' };
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      if (options.signal?.aborted) return { ok: false, status: 'error', reason: 'aborted', kind: 'aborted' };
      const reservation = guard.reserve(worstUsd);
      if (reservation === null) {
        notSent++;
        const s = guard.snapshot();
        ledger.append({ ...base, seq: seq++, event: 'not_sent', attempt, prompt_tokens_est: promptEst, max_output_tokens: maxOutputTokens, estimated_usd: worstUsd });
        return {
          ok: false,
          status: 'cap_exceeded',
          kind: 'cap',
          reason: `cap $${options.capUsd.toFixed(4)} would be exceeded: settled $${s.actualUsd.toFixed(6)} + in flight $${s.reservedUsd.toFixed(6)} + worst case $${worstUsd.toFixed(6)}`,
        };
      }
      ledger.append({ ...base, seq: seq++, event: 'reserve', attempt, prompt_tokens_est: promptEst, max_output_tokens: maxOutputTokens, estimated_usd: worstUsd });
      requests++;
      let waitMs: number | undefined;
      try {
        const response = await sdk.chat.completions.create(
          {
            model: options.model,
            messages,
            temperature: options.temperature,
            max_tokens: maxOutputTokens,
            response_format: { type: 'json_object' },
          },
          { signal: options.signal },
        );
        const u = response.usage;
        const usage: LlmUsage | null = u ? { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens } : null;
        // Without usage the worst case stays booked: fail closed.
        const actual = usage ? cost(usage) : worstUsd;
        guard.settle(reservation, actual);
        ledger.append({ ...base, seq: seq++, event: 'settle', attempt, estimated_usd: worstUsd, actual_usd: actual, usage });
        const content = response.choices?.[0]?.message?.content ?? '';
        return { ok: true, content, usage: usage ?? { prompt_tokens: promptEst, completion_tokens: maxOutputTokens }, costUsd: actual };
      } catch (error: unknown) {
        if (error instanceof OpenAI.APIUserAbortError) {
          guard.settle(reservation, worstUsd);
          ledger.append({ ...base, seq: seq++, event: 'settle', attempt, estimated_usd: worstUsd, actual_usd: worstUsd, usage: null, note: 'aborted' });
          return { ok: false, status: 'error', reason: 'aborted', kind: 'aborted' };
        }
        if (error instanceof OpenAI.APIConnectionTimeoutError) {
          // The server may have done (and billed) the work: keep the worst case booked.
          guard.settle(reservation, worstUsd);
          ledger.append({ ...base, seq: seq++, event: 'settle', attempt, estimated_usd: worstUsd, actual_usd: worstUsd, usage: null, note: 'timeout' });
          last = { ok: false, status: 'error', kind: 'timeout', reason: `timed out after ${options.timeoutMs} ms` };
        } else if (error instanceof OpenAI.APIConnectionError) {
          guard.release(reservation);
          ledger.append({ ...base, seq: seq++, event: 'release', attempt, estimated_usd: worstUsd, actual_usd: 0, usage: null, note: 'connection error' });
          const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
          last = { ok: false, status: 'error', kind: 'network', reason: redact(`cannot reach ${sdk.baseURL} (${error.message}${cause})`) };
        } else if (error instanceof OpenAI.APIError) {
          // An HTTP error status: no completion was generated, nothing billed.
          guard.release(reservation);
          const status = error.status ?? 0;
          ledger.append({ ...base, seq: seq++, event: 'release', attempt, estimated_usd: worstUsd, actual_usd: 0, usage: null, note: `HTTP ${status}` });
          const message = redact(`HTTP ${status} from ${sdk.baseURL}: ${error.message}`);
          if (status === 401 || status === 403) return { ok: false, status: 'error', kind: 'auth', reason: `${message} (check the API key)` };
          const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
          if (!retryable) return { ok: false, status: 'error', kind: 'http', reason: message };
          last = { ok: false, status: 'error', kind: status === 429 ? 'rate_limit' : 'server', reason: message };
          waitMs = retryAfterMs(error.headers);
        } else {
          guard.release(reservation);
          ledger.append({ ...base, seq: seq++, event: 'release', attempt, estimated_usd: worstUsd, actual_usd: 0, usage: null, note: 'unexpected error' });
          const message = error instanceof Error ? error.message : String(error);
          return { ok: false, status: 'error', kind: 'http', reason: redact(message) };
        }
      }
      if (attempt < options.retries) {
        const backoff = backoffBase * 2 ** attempt * (1 + Math.random() * 0.25);
        await sleep(Math.min(waitMs ?? backoff, maxRetryAfter), options.signal);
      }
    }
    return { ...last, reason: `${last.reason} (after ${options.retries + 1} attempts)` };
  }

  const keyOf = (messages: ChatMessage[], maxOutputTokens: number) =>
    llmCacheKey({ model: options.model, messages, temperature: options.temperature, maxOutputTokens, responseFormat: 'json_object' });

  async function completeJson(messages: ChatMessage[], opts: CompleteOptions = {}): Promise<LlmResult> {
    const maxOutputTokens = opts.maxOutputTokens ?? options.maxOutputTokens;
    const key = keyOf(messages, maxOutputTokens);
    const hit = cache?.get(key);
    if (hit) {
      const parsed = tryParseJson(hit.raw);
      if (parsed.ok) {
        cacheHits++;
        ledger.append({ run, purpose: options.purpose, model: options.model, key, seq: seq++, event: 'cache_hit', actual_usd: 0, usage: hit.usage });
        return { status: 'ok', json: parsed.value, raw: hit.raw, usage: hit.usage, cached: true, costUsd: 0 };
      }
      // a corrupt entry is ignored and refetched (and overwritten below)
    }
    const first = await send(messages, maxOutputTokens, key);
    if (!first.ok) return { status: first.status, reason: first.reason, kind: first.kind };
    let raw = first.content;
    let usage = first.usage;
    let costUsd = first.costUsd;
    let value: unknown = tryParseJson(raw).ok ? JSON.parse(raw) : cleanJson(raw);
    if (value === undefined) {
      // The one repair attempt: show the model its answer and ask for valid JSON only.
      const repairMessages: ChatMessage[] = [...messages, { role: 'assistant', content: raw }, { role: 'user', content: REPAIR_PROMPT }];
      const second = await send(repairMessages, maxOutputTokens, key);
      if (!second.ok) {
        return second.status === 'cap_exceeded'
          ? { status: 'cap_exceeded', reason: second.reason, kind: 'cap' }
          : { status: 'parse_error', reason: `answer was not valid JSON and the repair request failed: ${second.reason}`, kind: 'parse' };
      }
      usage = { prompt_tokens: usage.prompt_tokens + second.usage.prompt_tokens, completion_tokens: usage.completion_tokens + second.usage.completion_tokens };
      costUsd += second.costUsd;
      const repaired = tryParseJson(second.content).ok ? JSON.parse(second.content) : cleanJson(second.content);
      if (repaired === undefined) {
        return { status: 'parse_error', reason: `answer was not valid JSON, also after one repair attempt: ${JSON.stringify(raw.slice(0, 80))}`, kind: 'parse' };
      }
      value = repaired;
      raw = second.content;
    }
    if (!(typeof value === 'object' && value !== null)) {
      return { status: 'parse_error', reason: `answer was JSON but not an object: ${JSON.stringify(raw.slice(0, 80))}`, kind: 'parse' };
    }
    const canonical = tryParseJson(raw).ok ? raw : JSON.stringify(value);
    cache?.set({ key, model: options.model, raw: canonical, usage });
    return { status: 'ok', json: value, raw: canonical, usage, cached: false, costUsd };
  }

  return {
    model: options.model,
    purpose: options.purpose,
    completeJson: async (messages, opts) => {
      // An identical request already in flight: wait for it, then answer from the cache it fills.
      const key = keyOf(messages, opts?.maxOutputTokens ?? options.maxOutputTokens);
      const pending = cache ? inflight.get(key) : undefined;
      if (pending) await pending;
      const p = limit(() => completeJson(messages, opts));
      if (cache && !pending) {
        inflight.set(key, p);
        void p.finally(() => inflight.delete(key));
      }
      return p;
    },
    spend: () => ({ ...guard.snapshot(), requests, cacheHits, notSent }),
  };
}

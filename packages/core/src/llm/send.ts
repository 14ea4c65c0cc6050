import type OpenAI from 'openai';
import { countChatTokens, countTokens } from '../tokens.js';
import type { ChoiceView } from './answer.js';
import { saveLearned } from './capabilities.js';
import type { CostGuard } from './guard.js';
import type { SpendLedger } from './ledger.js';
import { namedDimensions, type ParamNegotiator, type RequestParams, type RequestSettings } from './params.js';
import { completeUsage, type CompletionBody } from './response.js';
import { requestBody, sendOnce, type AttemptOutcome } from './transport.js';
import type { AnswerSchema, ChatMessage, LlmErrorKind, LlmUsage } from './types.js';

/**
 * One logical request: reserve the worst case, send, negotiate parameters on a 400/422 that names
 * one, retry transient failures with backoff, and book what the request cost. Booking rules:
 * - an HTTP error status, or a connection that provably never reached the server: released ($0);
 * - a 2xx with a complete numeric `usage`: the usage cost, but never less than what dnr can count
 *   itself (its prompt count and the visible answer), so a server reporting zeros cannot lower it;
 * - everything else that reached the server (usage null/missing/NaN/negative, a body cut off, an
 *   `error` in a 2xx, a timeout, a connection dropped mid-answer): the reserved worst case stays booked.
 */

export interface SendContext {
  sdk: OpenAI;
  model: string;
  purpose: string;
  temperature: number;
  timeoutMs: number;
  retries: number;
  signal?: AbortSignal;
  backoffBaseMs: number;
  maxRetryAfterMs: number;
  settings: RequestSettings;
  negotiator: ParamNegotiator;
  negotiatorKey: string;
  cacheDir: string | null | undefined;
  guard: CostGuard;
  ledger: SpendLedger;
  run: string;
  nextSeq: () => number;
  nextRid: () => string;
  /** `httpMs`: time spent in HTTP requests (sending until the body is read), ms. */
  counters: { requests: number; notSent: number; noUsage: number; httpMs: number };
  lastParams: { value: RequestParams | null };
  /** USD of `input` prompt tokens and `output` completion tokens. */
  cost: (input: number, output: number) => number;
  redact: (text: string) => string;
  endpoint: string;
  /** Why the purpose stopped (checked before every attempt: a request waiting for its turn must not go out after a fatal failure). */
  stopped: () => string | null;
}

export type SendResult =
  | { ok: true; choice: ChoiceView; usage: LlmUsage | null; costUsd: number }
  | { ok: false; status: 'cap_exceeded' | 'error'; kind: LlmErrorKind; reason: string; httpStatus?: number };

/**
 * Prompt-token margin of the reservation: a compatible server may tokenize differently from tiktoken,
 * so the worst case is reserved as 110% of our count plus 16 tokens (plus the schema's tokens in
 * json_schema mode, which servers put into the prompt).
 */
const PROMPT_MARGIN = 1.1;
const PROMPT_SLACK = 16;
/** A server may count a couple of special tokens more than the limit it was given; beyond this it ignores the limit. */
const LIMIT_SLACK = 8;

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

/** Kind and retryability of an HTTP error status. */
function httpKind(status: number, code: string | null, message: string): { kind: LlmErrorKind; retry: boolean } {
  if (status === 401 || status === 403) return { kind: 'auth', retry: false };
  if (status === 402 || code === 'insufficient_quota' || /insufficient[_ ]quota|exceeded your current quota|billing/i.test(message)) return { kind: 'quota', retry: false };
  if (status === 404) return { kind: 'not_found', retry: false };
  if (status === 429) return { kind: 'rate_limit', retry: true };
  if (status === 408 || status === 409 || status >= 500) return { kind: 'server', retry: true };
  return { kind: 'http', retry: false };
}

function visibleText(choice: ChoiceView): string {
  const c = choice.content;
  if (typeof c === 'string') return c;
  return Array.isArray(c) ? c.map((p: unknown) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join('') : '';
}

/** What a 2xx costs (see the booking rules above) and whether its usage can be trusted. */
function bookCompletion(ctx: SendContext, body: CompletionBody, promptEst: number, maxOut: number, worstUsd: number): { usd: number; usage: LlmUsage | null; overLimit: boolean } {
  const usage = completeUsage(body.usage);
  if (!usage) return { usd: worstUsd, usage: null, overLimit: false };
  const visible = body.ok ? countTokens(visibleText(body.choice), ctx.model) : 0;
  const usd = Math.max(ctx.cost(usage.prompt_tokens, usage.completion_tokens), ctx.cost(promptEst, visible));
  return { usd, usage, overLimit: usage.completion_tokens > maxOut + LIMIT_SLACK };
}

const BODY_PROBLEM_RETRY = new Set(['error']);
/** Bodies that stopped early: the server was reached, the answer generated and billed. */
const CUT_OFF = new Set(['truncated', 'cut_off']);

/** Send one request (with negotiation and retries); books every attempt in the guard and the ledger. */
export async function sendRequest(ctx: SendContext, messages: ChatMessage[], maxOut: number, key: string, schema?: AnswerSchema): Promise<SendResult> {
  const release = await ctx.negotiator.turn(() => ctx.negotiator.paramsFor(ctx.settings));
  try {
    return await sendLoop(ctx, messages, maxOut, key, schema);
  } finally {
    release();
  }
}

async function sendLoop(ctx: SendContext, messages: ChatMessage[], maxOut: number, key: string, schema?: AnswerSchema): Promise<SendResult> {
  const base = { run: ctx.run, purpose: ctx.purpose, model: ctx.model, key };
  let last: SendResult = { ok: false, status: 'error', kind: 'network', reason: 'not attempted' };
  let attempt = 0;
  let negotiations = 0;
  while (attempt <= ctx.retries) {
    if (ctx.signal?.aborted) return { ok: false, status: 'error', kind: 'aborted', reason: 'aborted' };
    const stop = ctx.stopped();
    if (stop) return { ok: false, status: 'error', kind: 'fatal', reason: stop };
    const params = ctx.negotiator.paramsFor(ctx.settings);
    const schemaTokens = params.jsonMode === 'json_schema' && schema ? countTokens(JSON.stringify(schema.schema), ctx.model) : 0;
    const promptEst = countChatTokens(messages, ctx.model) + schemaTokens;
    const worstUsd = ctx.cost(Math.ceil(promptEst * PROMPT_MARGIN) + PROMPT_SLACK, maxOut);
    const reservation = ctx.guard.reserve(worstUsd);
    if (reservation === null) {
      ctx.counters.notSent++;
      const s = ctx.guard.snapshot();
      ctx.ledger.append({ ...base, seq: ctx.nextSeq(), event: 'not_sent', attempt, prompt_tokens_est: promptEst, max_output_tokens: maxOut, estimated_usd: worstUsd });
      return {
        ok: false,
        status: 'cap_exceeded',
        kind: 'cap',
        reason: `cap $${s.capUsd.toFixed(4)} would be exceeded: booked $${s.actualUsd.toFixed(6)} + in flight $${s.reservedUsd.toFixed(6)} + this request's worst case $${worstUsd.toFixed(6)}`,
      };
    }
    const rid = ctx.nextRid();
    ctx.ledger.append({ ...base, seq: ctx.nextSeq(), event: 'reserve', rid, attempt, prompt_tokens_est: promptEst, max_output_tokens: maxOut, estimated_usd: worstUsd });
    ctx.counters.requests++;
    ctx.lastParams.value = params;
    const body = requestBody(ctx.model, messages, maxOut, ctx.temperature, params, schema);
    const t0 = performance.now();
    const outcome = await sendOnce(ctx.sdk, body, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    ctx.counters.httpMs += performance.now() - t0;
    const settled = settleOutcome(ctx, outcome, { base, rid, reservation, attempt, promptEst, maxOut, worstUsd, params });
    if (settled.done) return settled.result;
    if (settled.negotiated && negotiations++ < 8) continue; // a 400 is not billed and not a retry
    last = settled.result;
    if (!settled.retry) return last;
    if (attempt < ctx.retries) {
      const backoff = ctx.backoffBaseMs * 2 ** attempt * (1 + Math.random() * 0.25);
      await sleep(Math.min(settled.waitMs ?? backoff, ctx.maxRetryAfterMs), ctx.signal);
    }
    attempt++;
  }
  const attempts = ctx.retries + 1;
  return last.ok || attempts === 1 ? last : { ...last, reason: `${last.reason} (after ${attempts} attempts)` };
}

interface AttemptInfo {
  base: { run: string; purpose: string; model: string; key: string };
  rid: string;
  reservation: number;
  attempt: number;
  promptEst: number;
  maxOut: number;
  worstUsd: number;
  params: RequestParams;
}

type Settled =
  | { done: true; result: SendResult }
  | { done: false; negotiated: boolean; retry: boolean; waitMs?: number; result: Extract<SendResult, { ok: false }> };

/** Book one attempt's outcome and decide what happens next. */
function settleOutcome(ctx: SendContext, outcome: AttemptOutcome, a: AttemptInfo): Settled {
  const book = (usd: number, usage: LlmUsage | null, note?: string) => {
    ctx.guard.settle(a.reservation, usd);
    ctx.ledger.append({ ...a.base, seq: ctx.nextSeq(), event: 'settle', rid: a.rid, attempt: a.attempt, estimated_usd: a.worstUsd, actual_usd: usd, usage, ...(note ? { note } : {}) });
  };
  const releaseBooking = (note: string) => {
    ctx.guard.release(a.reservation);
    ctx.ledger.append({ ...a.base, seq: ctx.nextSeq(), event: 'release', rid: a.rid, attempt: a.attempt, estimated_usd: a.worstUsd, actual_usd: 0, usage: null, note });
  };
  const fail = (kind: LlmErrorKind, reason: string, retry: boolean, extra: { waitMs?: number; httpStatus?: number; negotiated?: boolean } = {}): Settled => ({
    done: false,
    negotiated: extra.negotiated ?? false,
    retry,
    waitMs: extra.waitMs,
    result: { ok: false, status: 'error', kind, reason: ctx.redact(reason), httpStatus: extra.httpStatus },
  });

  switch (outcome.type) {
    case 'aborted':
      book(a.worstUsd, null, 'aborted');
      return { done: true, result: { ok: false, status: 'error', kind: 'aborted', reason: 'aborted' } };
    case 'timeout':
      // The server may have done (and billed) the work: the worst case stays booked.
      book(a.worstUsd, null, 'timeout');
      return fail('timeout', `timed out: ${outcome.message}`, true);
    case 'connection':
      if (!outcome.sent) {
        releaseBooking('not sent');
        return fail('network', `cannot reach ${ctx.endpoint} (${outcome.message})`, true);
      }
      book(a.worstUsd, null, 'connection lost');
      return fail('network', `no answer from ${ctx.endpoint}: the connection dropped after the request was sent (${outcome.message}); booked at its worst case $${a.worstUsd.toFixed(6)}`, true);
    case 'http_error':
      return httpFailure(ctx, outcome, a, releaseBooking, fail);
    case 'completion':
      return completionOutcome(ctx, outcome.body, a, book, fail);
  }
}

function httpFailure(
  ctx: SendContext,
  e: Extract<AttemptOutcome, { type: 'http_error' }>,
  a: AttemptInfo,
  releaseBooking: (note: string) => void,
  fail: (kind: LlmErrorKind, reason: string, retry: boolean, extra?: { waitMs?: number; httpStatus?: number; negotiated?: boolean }) => Settled,
): Settled {
  // An HTTP error status: no completion was generated, nothing billed.
  releaseBooking(`HTTP ${e.status}`);
  const reason = `HTTP ${e.status} from ${ctx.endpoint}: ${e.message}`;
  if (e.status === 400 || e.status === 422) {
    const dims = namedDimensions(`${e.message} ${e.code ?? ''}`, e.param, a.params);
    const moved = ctx.negotiator.adapt(dims, a.params, ctx.settings);
    if (moved.length > 0) return fail('http', reason, false, { negotiated: true, httpStatus: e.status });
  }
  const { kind, retry } = httpKind(e.status, e.code, e.message);
  return fail(kind, reason, retry, { waitMs: retry ? retryAfterMs(e.headers) : undefined, httpStatus: e.status });
}

function completionOutcome(
  ctx: SendContext,
  body: CompletionBody,
  a: AttemptInfo,
  book: (usd: number, usage: LlmUsage | null, note?: string) => void,
  fail: (kind: LlmErrorKind, reason: string, retry: boolean, extra?: { waitMs?: number; httpStatus?: number; negotiated?: boolean }) => Settled,
): Settled {
  const b = bookCompletion(ctx, body, a.promptEst, a.maxOut, a.worstUsd);
  if (!b.usage) ctx.counters.noUsage++;
  book(b.usd, b.usage, b.usage ? undefined : body.ok ? 'no complete usage: worst case kept' : body.problem);
  if (b.overLimit) {
    return { done: true, result: { ok: false, status: 'error', kind: 'untrusted', reason: `the server returned ${b.usage?.completion_tokens} completion tokens for a limit of ${a.maxOut} (${a.params.tokenParam}): it does not honour the token limit, so the spend cannot be bounded` } };
  }
  if (!body.ok) {
    if (CUT_OFF.has(body.problem)) {
      // The server was reached and generated (and bills) the answer: not an endpoint problem.
      return fail('cut_off', `the answer from ${ctx.endpoint} was cut off: ${body.detail}; booked at its worst case $${b.usd.toFixed(6)}`, true);
    }
    const reason = `${ctx.endpoint} answered 2xx without a usable completion: ${body.detail}`;
    return fail('bad_response', reason, BODY_PROBLEM_RETRY.has(body.problem));
  }
  if (ctx.negotiator.confirm(a.params)) {
    try {
      saveLearned(ctx.cacheDir, ctx.negotiatorKey, ctx.negotiator.learned());
    } catch {
      // A read-only cache folder only costs the next run its negotiation.
    }
  }
  return { done: true, result: { ok: true, choice: body.choice, usage: b.usage, costUsd: b.usd } };
}

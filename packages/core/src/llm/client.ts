import pLimit from 'p-limit';
import { randomBytes } from 'node:crypto';
import { extractAnswer, type ChoiceView } from './answer.js';
import { LlmDiskCache, llmCacheKey } from './cache.js';
import { displayEndpoint, negotiatorFor } from './capabilities.js';
import { FailureMonitor } from './failures.js';
import { CostGuard } from './guard.js';
import { parseJsonObject } from './json.js';
import { openLedgerBookedUsd, resumeLedger, SpendLedger } from './ledger.js';
import { AUTO_SETTINGS } from './params.js';
import { estimateCostUsd, modelPrice } from './pricing.js';
import { sendRequest, type SendContext, type SendResult } from './send.js';
import { createSdk } from './transport.js';
import type { AnswerSchema, ChatMessage, CompleteOptions, LlmClient, LlmClientOptions, LlmResult } from './types.js';

export { retryAfterMs } from './send.js';

const REPAIR_PROMPT = 'Your previous reply was not the valid JSON object asked for. Reply again with only the complete, valid JSON object and nothing else.';

const SECTION: Record<LlmClientOptions['purpose'], string> = { classify: 'classification', entities: 'entities', comms: 'comms' };

/** Replace the key (and anything shaped like an OpenAI key) in text that may be shown or written. */
function redactor(apiKey: string): (text: string) => string {
  return (text) => {
    let out = text;
    if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
    return out.replace(/sk-[A-Za-z0-9_*.-]{6,}/g, 'sk-[redacted]');
  };
}

function sendContext(options: LlmClientOptions, startUsd: number, stopped: () => string | null): SendContext {
  const run = randomBytes(6).toString('hex');
  const { key, negotiator } = negotiatorFor(options.baseURL, options.model, options.cacheDir);
  let seq = 0;
  let rid = 0;
  return {
    sdk: createSdk(options.apiKey, options.baseURL, options.timeoutMs),
    model: options.model,
    purpose: options.purpose,
    temperature: options.temperature,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    signal: options.signal,
    backoffBaseMs: options.backoffBaseMs ?? 500,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
    settings: options.request ?? AUTO_SETTINGS,
    negotiator,
    negotiatorKey: key,
    cacheDir: options.cacheDir,
    guard: new CostGuard(options.capUsd, startUsd),
    ledger: new SpendLedger(options.ledgerPath),
    run,
    nextSeq: () => seq++,
    nextRid: () => `${run}:${rid++}`,
    counters: { requests: 0, notSent: 0, noUsage: 0 },
    lastParams: { value: null },
    cost: (input, output) => estimateCostUsd({ model: options.model, inputTokens: input, outputTokens: output, pricing: options.pricing }),
    redact: redactor(options.apiKey),
    endpoint: displayEndpoint(options.baseURL),
    stopped,
  };
}

type Parsed = { ok: true; json: Record<string, unknown>; raw: string } | { ok: false; status: 'parse_error' | 'refusal'; kind: 'parse' | 'truncated' | 'empty' | 'refusal'; reason: string; text: string };

/** The JSON object of one choice, or why there is none. */
function parseChoice(choice: ChoiceView, maxOut: number, section: string): Parsed {
  const answer = extractAnswer(choice);
  if (answer.kind === 'refusal') return { ok: false, status: 'refusal', kind: 'refusal', reason: `the model refused: ${answer.reason}`, text: '' };
  const text = answer.kind === 'text' ? answer.text : '';
  const json = text ? parseJsonObject(text) : undefined;
  if (json) return { ok: true, json, raw: JSON.stringify(json) };
  if (choice.finishReason === 'length') {
    return { ok: false, status: 'parse_error', kind: 'truncated', reason: `the answer was cut at the output-token limit (${maxOut}, ${section}.max_output_tokens; finish_reason length) before it was complete`, text };
  }
  if (answer.kind === 'empty') return { ok: false, status: 'parse_error', kind: 'empty', reason: answer.reason, text };
  return { ok: false, status: 'parse_error', kind: 'parse', reason: `the answer was not a JSON object: ${JSON.stringify(text.slice(0, 80))}`, text };
}

/** Create the one LLM client of a purpose: JSON-only Chat Completions under a fail-closed cost cap. */
export function createLlmClient(options: LlmClientOptions): LlmClient {
  // Fail closed up front: an unpriced model cannot be guarded.
  modelPrice(options.model, options.pricing);
  const section = options.configSection ?? SECTION[options.purpose];
  const monitor = new FailureMonitor({
    purpose: options.purpose,
    endpoint: displayEndpoint(options.baseURL),
    endpointSource: options.baseURL ? 'OPENAI_BASE_URL' : 'the default endpoint; set OPENAI_BASE_URL for another server',
    keyVar: `${options.keyVar ?? 'OPENAI_API_KEY'} (value hidden)`,
    configSection: section,
    model: options.model,
  });
  const others = (options.resumeAlso ?? []).filter((f) => f !== options.ledgerPath && openLedgerBookedUsd(f) > 0);
  const startUsd = resumeLedger(options.ledgerPath) + others.reduce((a, f) => a + openLedgerBookedUsd(f), 0);
  const ctx = sendContext(options, startUsd, () => monitor.fatal?.message ?? null);
  const limit = pLimit(Math.max(1, options.concurrency));
  const cache = options.cacheDir && options.cacheAnswers !== false ? new LlmDiskCache(options.cacheDir) : undefined;
  const inflight = new Map<string, Promise<LlmResult>>();
  let cacheHits = 0;
  if (startUsd > 0) {
    const note = others.length ? `booked by earlier processes of this run and of ${others.join(', ')}` : 'booked by earlier processes of this run';
    ctx.ledger.append({ run: ctx.run, seq: ctx.nextSeq(), purpose: options.purpose, model: options.model, event: 'resume', estimated_usd: startUsd, note });
  }

  const keyOf = (messages: ChatMessage[], maxOut: number, schema?: AnswerSchema) => llmCacheKey({ model: options.model, messages, temperature: options.temperature, maxOutputTokens: maxOut, schema });

  /** A failed request or answer: counted by the monitor, which may stop the purpose. */
  const failed = (status: 'parse_error' | 'refusal' | 'cap_exceeded' | 'error', kind: Parameters<FailureMonitor['failure']>[0], reason: string, httpStatus?: number): LlmResult => {
    monitor.failure(kind, reason, httpStatus);
    return { status, kind, reason };
  };

  async function answer(messages: ChatMessage[], maxOut: number, key: string, schema?: AnswerSchema): Promise<LlmResult> {
    const first = await sendRequest(ctx, messages, maxOut, key, schema);
    if (!first.ok) return failed(first.status, first.kind, first.reason, first.httpStatus);
    let parsed = parseChoice(first.choice, maxOut, section);
    let usage = first.usage;
    let costUsd = first.costUsd;
    if (!parsed.ok && parsed.kind !== 'refusal' && parsed.kind !== 'truncated') {
      // The one repair request: the model sees its answer and is asked for the JSON object only.
      const repair: ChatMessage[] = [...messages, { role: 'assistant', content: parsed.text }, { role: 'user', content: REPAIR_PROMPT }];
      const second: SendResult = await sendRequest(ctx, repair, maxOut, key, schema);
      if (!second.ok) {
        if (second.status === 'cap_exceeded') return { status: 'cap_exceeded', kind: 'cap', reason: second.reason };
        return failed('parse_error', 'parse', `${parsed.reason}, and the repair request failed: ${second.reason}`);
      }
      costUsd += second.costUsd;
      usage = usage && second.usage ? { prompt_tokens: usage.prompt_tokens + second.usage.prompt_tokens, completion_tokens: usage.completion_tokens + second.usage.completion_tokens } : null;
      const again = parseChoice(second.choice, maxOut, section);
      parsed = again.ok ? again : { ...again, reason: `${parsed.reason}; also after one repair request` };
    }
    if (!parsed.ok) return failed(parsed.status, parsed.kind, parsed.reason);
    monitor.success();
    cache?.set({ key, model: options.model, raw: parsed.raw, usage });
    return { status: 'ok', json: parsed.json, raw: parsed.raw, usage, cached: false, costUsd };
  }

  async function completeJson(messages: ChatMessage[], opts: CompleteOptions = {}): Promise<LlmResult> {
    const fatal = monitor.fatal;
    if (fatal) return { status: 'error', kind: 'fatal', reason: fatal.message };
    const maxOut = opts.maxOutputTokens ?? options.maxOutputTokens;
    const key = keyOf(messages, maxOut, opts.schema);
    const hit = cache?.get(key);
    const json = hit ? parseJsonObject(hit.raw) : undefined;
    if (hit && json) {
      cacheHits++;
      ctx.ledger.append({ run: ctx.run, purpose: options.purpose, model: options.model, key, seq: ctx.nextSeq(), event: 'cache_hit', actual_usd: 0, usage: hit.usage });
      return { status: 'ok', json, raw: hit.raw, usage: hit.usage, cached: true, costUsd: 0 };
    }
    // A corrupt entry is ignored, refetched and overwritten.
    return untilFirstSuccess(() => answer(messages, maxOut, key, opts.schema));
  }

  /**
   * Until one request of this purpose has worked, requests go one at a time: a purpose whose first
   * requests all fail the same way stops after FIRST_REQUESTS of them, not after `concurrency` more.
   */
  let probe: Promise<void> | null = null;
  async function untilFirstSuccess(fn: () => Promise<LlmResult>): Promise<LlmResult> {
    while (!monitor.succeeded && probe) await probe;
    if (monitor.succeeded) return fn();
    let release!: () => void;
    probe = new Promise<void>((resolve) => (release = resolve));
    try {
      return await fn();
    } finally {
      probe = null;
      release();
    }
  }

  return {
    model: options.model,
    purpose: options.purpose,
    endpoint: ctx.endpoint,
    completeJson: async (messages, opts) => {
      // An identical request already in flight: wait for it, then answer from the cache it fills.
      const key = keyOf(messages, opts?.maxOutputTokens ?? options.maxOutputTokens, opts?.schema);
      const pending = cache ? inflight.get(key) : undefined;
      if (pending) await pending;
      const p = limit(() => completeJson(messages, opts));
      if (cache && !pending) {
        inflight.set(key, p);
        void p.finally(() => inflight.delete(key));
      }
      return p;
    },
    spend: () => ({ ...ctx.guard.snapshot(), requests: ctx.counters.requests, cacheHits, notSent: ctx.counters.notSent, noUsage: ctx.counters.noUsage }),
    fatal: () => monitor.fatal,
    params: () => ctx.lastParams.value,
    close: () => {
      const line = { run: ctx.run, purpose: options.purpose, model: options.model, event: 'close' as const };
      // The interrupted runs whose spend this run took over are finished with it.
      for (const f of others) new SpendLedger(f).append({ ...line, seq: 0, note: `taken over by ${options.ledgerPath ?? 'another run'}` });
      ctx.ledger.append({ ...line, seq: ctx.nextSeq(), estimated_usd: ctx.guard.snapshot().actualUsd });
    },
  };
}


import pLimit from 'p-limit';
import { randomBytes } from 'node:crypto';
import { LlmDiskCache, llmCacheKey } from './cache.js';
import { displayEndpoint, negotiatorFor } from './capabilities.js';
import { answerWithRepair, FirstSuccessGate, type Completer } from './complete.js';
import { FailureMonitor } from './failures.js';
import { CostGuard } from './guard.js';
import { parseJsonObject } from './json.js';
import { openLedgerBookedUsd, resumeLedger, SpendLedger } from './ledger.js';
import { AUTO_SETTINGS } from './params.js';
import { estimateCostUsd, modelPrice } from './pricing.js';
import type { SendContext } from './send.js';
import { createSdk } from './transport.js';
import type { CompleteOptions, LlmClient, LlmClientOptions, LlmResult } from './types.js';

export { retryAfterMs } from './send.js';

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
    counters: { requests: 0, notSent: 0, noUsage: 0, httpMs: 0 },
    lastParams: { value: null },
    cost: (input, output) => estimateCostUsd({ model: options.model, inputTokens: input, outputTokens: output, pricing: options.pricing }),
    redact: redactor(options.apiKey),
    endpoint: displayEndpoint(options.baseURL),
    stopped,
  };
}

function monitorFor(options: LlmClientOptions, section: string): FailureMonitor {
  return new FailureMonitor({
    purpose: options.purpose,
    endpoint: displayEndpoint(options.baseURL),
    endpointSource: options.baseURL ? 'OPENAI_BASE_URL' : 'the default endpoint; set OPENAI_BASE_URL for another server',
    keyVar: `${options.keyVar ?? 'OPENAI_API_KEY'} (value hidden)`,
    configSection: section,
    model: options.model,
  });
}

/** What this run already booked: its own ledger (if interrupted) and those of other interrupted runs it takes over. */
function resumedSpend(options: LlmClientOptions): { startUsd: number; others: string[] } {
  const others = (options.resumeAlso ?? []).filter((f) => f !== options.ledgerPath && openLedgerBookedUsd(f) > 0);
  return { startUsd: resumeLedger(options.ledgerPath) + others.reduce((a, f) => a + openLedgerBookedUsd(f), 0), others };
}

/** Create the one LLM client of a purpose: JSON-only Chat Completions under a fail-closed cost cap. */
export function createLlmClient(options: LlmClientOptions): LlmClient {
  // Fail closed up front: an unpriced model cannot be guarded.
  modelPrice(options.model, options.pricing);
  const section = options.configSection ?? SECTION[options.purpose];
  const monitor = monitorFor(options, section);
  const { startUsd, others } = resumedSpend(options);
  const ctx = sendContext(options, startUsd, () => monitor.fatal?.message ?? null);
  const cache = options.cacheDir && options.cacheAnswers !== false ? new LlmDiskCache(options.cacheDir) : undefined;
  const completer: Completer = { ctx, monitor, cache, section };
  const gate = new FirstSuccessGate(monitor);
  const limit = pLimit(Math.max(1, options.concurrency));
  const inflight = new Map<string, Promise<LlmResult>>();
  const line = { run: ctx.run, purpose: options.purpose, model: options.model };
  let cacheHits = 0;
  if (startUsd > 0) ctx.ledger.append({ ...line, seq: ctx.nextSeq(), event: 'resume', estimated_usd: startUsd, note: `booked by interrupted earlier processes${others.length ? ` (also ${others.join(', ')})` : ''}` });

  const keyOf = (messages: Parameters<LlmClient['completeJson']>[0], opts: CompleteOptions = {}) =>
    llmCacheKey({ model: options.model, messages, temperature: options.temperature, maxOutputTokens: opts.maxOutputTokens ?? options.maxOutputTokens, schema: opts.schema });

  const completeJson: LlmClient['completeJson'] = async (messages, opts = {}) => {
    if (monitor.fatal) return { status: 'error', kind: 'fatal', reason: monitor.fatal.message };
    const key = keyOf(messages, opts);
    const hit = cache?.get(key);
    const json = hit ? parseJsonObject(hit.raw) : undefined;
    if (hit && json) {
      cacheHits++;
      ctx.ledger.append({ ...line, key, seq: ctx.nextSeq(), event: 'cache_hit', actual_usd: 0, usage: hit.usage });
      return { status: 'ok', json, raw: hit.raw, usage: hit.usage, cached: true, costUsd: 0 };
    }
    // A corrupt entry is ignored, refetched and overwritten.
    return gate.run(() => answerWithRepair(completer, messages, opts.maxOutputTokens ?? options.maxOutputTokens, key, opts.schema));
  };

  return {
    model: options.model,
    purpose: options.purpose,
    endpoint: ctx.endpoint,
    completeJson: async (messages, opts) => {
      // An identical request already in flight: wait for it, then answer from the cache it fills.
      const key = keyOf(messages, opts);
      const pending = cache ? inflight.get(key) : undefined;
      if (pending) await pending;
      const p = limit(() => completeJson(messages, opts));
      if (cache && !pending) {
        inflight.set(key, p);
        void p.finally(() => inflight.delete(key));
      }
      return p;
    },
    spend: () => ({ ...ctx.guard.snapshot(), requests: ctx.counters.requests, cacheHits, notSent: ctx.counters.notSent, noUsage: ctx.counters.noUsage, httpMs: ctx.counters.httpMs }),
    fatal: () => monitor.fatal,
    params: () => ctx.lastParams.value,
    close: () => {
      // The interrupted runs whose spend this run took over are finished with it.
      for (const f of others) new SpendLedger(f).append({ ...line, seq: 0, event: 'close', note: `taken over by ${options.ledgerPath ?? 'another run'}` });
      ctx.ledger.append({ ...line, seq: ctx.nextSeq(), event: 'close', estimated_usd: ctx.guard.snapshot().actualUsd });
    },
  };
}

import type { ChatMessage, LlmClient, LlmResult } from '@dnr/core';
import type { CommsSource, Prediction } from '../../types.js';
import { parseNlqAnswer, parseThreadAnswer } from './prompt.js';

/** One request to make: an item and its prompt. */
export interface LlmJob {
  id: string;
  source: CommsSource;
  messages: ChatMessage[];
}

export interface ClassifyLlmOptions {
  client: LlmClient;
  /** Requests in flight at most (classification.concurrency). */
  concurrency: number;
  /** Stop a source after this many parse errors in a row. */
  maxConsecutiveParseErrors: number;
  /** Stop a source after this many failed requests (after retries) in a row. */
  maxConsecutiveErrors?: number;
  onDone?: () => void;
}

export interface LlmSourceStats {
  sent: number;
  classified: number;
  parseErrors: number;
  errors: number;
  notSent: number;
  partial: boolean;
  partialReason: string | null;
  stoppedByParseErrors: boolean;
}

export interface ClassifyLlmResult {
  predictions: Map<string, Prediction>;
  stats: Record<CommsSource, LlmSourceStats>;
  /** The cost guard refused a request: everything after it was not sent. */
  earlyStop: boolean;
  earlyStopReason: string | null;
}

const emptyStats = (): LlmSourceStats => ({ sent: 0, classified: 0, parseErrors: 0, errors: 0, notSent: 0, partial: false, partialReason: null, stoppedByParseErrors: false });

/**
 * The LLM engine (SPEC §7.3): a fixed pool of `concurrency` workers takes jobs in order. A cap refusal
 * stops everything (hard stop before overrun); a source stops after N consecutive parse errors, or
 * after repeated failures once retries are exhausted (the source is marked partial, others continue);
 * an invalid key stops everything. Stopped jobs are recorded as not_sent.
 */
export async function classifyLlm(jobs: readonly LlmJob[], options: ClassifyLlmOptions): Promise<ClassifyLlmResult> {
  const predictions = new Map<string, Prediction>();
  const stats: Record<CommsSource, LlmSourceStats> = { slack: emptyStats(), email: emptyStats(), nlq: emptyStats() };
  const consecutiveParse: Record<CommsSource, number> = { slack: 0, email: 0, nlq: 0 };
  const consecutiveErrors: Record<CommsSource, number> = { slack: 0, email: 0, nlq: 0 };
  const stopped = new Set<CommsSource>();
  const maxErrors = options.maxConsecutiveErrors ?? 3;
  let earlyStop = false;
  let earlyStopReason: string | null = null;
  let fatal = false;
  let next = 0;

  const record = (job: LlmJob, p: Omit<Prediction, 'id' | 'source' | 'engine'>) => predictions.set(job.id, { id: job.id, source: job.source, engine: 'llm', ...p });

  const handle = (job: LlmJob, result: LlmResult) => {
    const s = stats[job.source];
    if (result.status === 'cap_exceeded') {
      s.notSent++;
      earlyStop = true;
      earlyStopReason ??= result.reason;
      record(job, { relevance: null, theme: null, confidence: 0, status: 'not_sent' });
      return;
    }
    s.sent++;
    if (result.status === 'error') {
      s.errors++;
      consecutiveErrors[job.source]++;
      s.partial = true;
      s.partialReason ??= `LLM request failed after retries: ${result.reason}`;
      record(job, { relevance: null, theme: null, confidence: 0, status: 'error' });
      if (result.kind === 'auth') fatal = true;
      if (consecutiveErrors[job.source] >= maxErrors) stopped.add(job.source);
      return;
    }
    consecutiveErrors[job.source] = 0;
    const parsed = result.status === 'ok' ? (job.source === 'nlq' ? parseNlqAnswer(result.json) : parseThreadAnswer(result.json)) : undefined;
    if (!parsed) {
      s.parseErrors++;
      consecutiveParse[job.source]++;
      record(job, { relevance: null, theme: null, confidence: 0, status: 'parse_error' });
      if (consecutiveParse[job.source] >= options.maxConsecutiveParseErrors) {
        stopped.add(job.source);
        s.stoppedByParseErrors = true;
        s.partial = true;
        s.partialReason ??= `stopped after ${options.maxConsecutiveParseErrors} consecutive parse errors`;
      }
      return;
    }
    consecutiveParse[job.source] = 0;
    s.classified++;
    record(job, {
      relevance: 'relevance' in parsed ? parsed.relevance : null,
      theme: parsed.theme,
      confidence: Math.round(parsed.confidence * 10_000) / 10_000,
      status: 'ok',
    });
  };

  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (earlyStop || fatal || stopped.has(job.source)) {
        stats[job.source].notSent++;
        record(job, { relevance: null, theme: null, confidence: 0, status: 'not_sent' });
        options.onDone?.();
        continue;
      }
      const result = await options.client.completeJson(job.messages);
      handle(job, result);
      options.onDone?.();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  if (fatal) {
    for (const s of Object.values(stats)) if (s.errors > 0 || s.notSent > 0) s.partial = true;
  }
  for (const [src, s] of Object.entries(stats) as Array<[CommsSource, LlmSourceStats]>) {
    if (s.notSent > 0 && !earlyStop && !s.partial && stopped.has(src)) s.partial = true;
  }
  return { predictions, stats, earlyStop, earlyStopReason };
}

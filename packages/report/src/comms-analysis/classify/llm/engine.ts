import type { AnswerSchema, ChatMessage, LlmClient, LlmFatal, LlmResult } from '@dnr/core';
import type { CommsSource, Prediction } from '../../types.js';
import { NLQ_ANSWER_SCHEMA, parseNlqAnswer, parseThreadAnswer, THREAD_ANSWER_SCHEMA } from './prompt.js';

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
  /** Answers that were not the JSON asked for (also after a repair request), cut at the token limit, or empty. */
  parseErrors: number;
  /** Answers the model refused to give. */
  refusals: number;
  /** Requests that failed after retries (HTTP errors, timeouts, unusable bodies). */
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
  /** The endpoint cannot be used (the caller exits 2 with this). */
  fatal: LlmFatal | null;
}

const emptyStats = (): LlmSourceStats => ({ sent: 0, classified: 0, parseErrors: 0, refusals: 0, errors: 0, notSent: 0, partial: false, partialReason: null, stoppedByParseErrors: false });

export const answerSchemaOf = (source: CommsSource): AnswerSchema => (source === 'nlq' ? NLQ_ANSWER_SCHEMA : THREAD_ANSWER_SCHEMA);

type RecordFn = (job: LlmJob, p: Omit<Prediction, 'id' | 'source' | 'engine'>) => void;
const unlabelled = (status: Prediction['status']) => ({ relevance: null, theme: null, confidence: 0, status });

/** Per-source bookkeeping of results: counts, stop rules and the prediction of each job. */
class SourceTracker {
  readonly stats: Record<CommsSource, LlmSourceStats> = { slack: emptyStats(), email: emptyStats(), nlq: emptyStats() };
  readonly stopped = new Set<CommsSource>();
  earlyStopReason: string | null = null;
  private readonly consecutiveParse: Record<CommsSource, number> = { slack: 0, email: 0, nlq: 0 };
  private readonly consecutiveErrors: Record<CommsSource, number> = { slack: 0, email: 0, nlq: 0 };

  constructor(
    private readonly options: ClassifyLlmOptions,
    private readonly record: RecordFn,
  ) {}

  notSent(job: LlmJob): void {
    this.stats[job.source].notSent++;
    this.record(job, unlabelled('not_sent'));
  }

  handle(job: LlmJob, result: LlmResult): void {
    const s = this.stats[job.source];
    if (result.status === 'cap_exceeded') {
      this.earlyStopReason ??= result.reason;
      return this.notSent(job);
    }
    if (result.status === 'error' && result.kind === 'fatal') return this.notSent(job);
    s.sent++;
    if (result.status === 'error') return this.error(job, result.reason);
    this.consecutiveErrors[job.source] = 0;
    if (result.status === 'refusal') {
      s.refusals++;
      return this.record(job, unlabelled('refusal'));
    }
    const parsed = result.status === 'ok' ? (job.source === 'nlq' ? parseNlqAnswer(result.json) : parseThreadAnswer(result.json)) : undefined;
    if (!parsed) return this.parseError(job);
    this.consecutiveParse[job.source] = 0;
    s.classified++;
    this.record(job, {
      relevance: 'relevance' in parsed ? parsed.relevance : null,
      theme: parsed.theme,
      confidence: Math.round(parsed.confidence * 10_000) / 10_000,
      status: 'ok',
    });
  }

  private error(job: LlmJob, reason: string): void {
    const s = this.stats[job.source];
    s.errors++;
    s.partial = true;
    s.partialReason ??= `LLM request failed after retries: ${reason}`;
    this.record(job, unlabelled('error'));
    if (++this.consecutiveErrors[job.source] >= (this.options.maxConsecutiveErrors ?? 3)) this.stopped.add(job.source);
  }

  private parseError(job: LlmJob): void {
    const s = this.stats[job.source];
    s.parseErrors++;
    this.record(job, unlabelled('parse_error'));
    if (++this.consecutiveParse[job.source] >= this.options.maxConsecutiveParseErrors) {
      this.stopped.add(job.source);
      s.stoppedByParseErrors = true;
      s.partial = true;
      s.partialReason ??= `stopped after ${this.options.maxConsecutiveParseErrors} consecutive parse errors`;
    }
  }
}

/**
 * The LLM engine: a fixed pool of `concurrency` workers takes jobs in order. A cap refusal stops
 * everything (hard stop before overrun); a source stops after N consecutive parse errors, or after
 * repeated failures once retries are exhausted (the source is marked partial, others continue);
 * when the client declares the endpoint unusable (key rejected, unreachable, the same failure on the
 * first requests) everything stops and `fatal` says why. Stopped jobs are recorded as not_sent.
 */
export async function classifyLlm(jobs: readonly LlmJob[], options: ClassifyLlmOptions): Promise<ClassifyLlmResult> {
  const predictions = new Map<string, Prediction>();
  const tracker = new SourceTracker(options, (job, p) => predictions.set(job.id, { id: job.id, source: job.source, engine: 'llm', ...p }));
  const halted = () => tracker.earlyStopReason !== null || options.client.fatal() !== null;
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (halted() || tracker.stopped.has(job.source)) tracker.notSent(job);
      else tracker.handle(job, await options.client.completeJson(job.messages, { schema: answerSchemaOf(job.source) }));
      options.onDone?.();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  for (const [src, s] of Object.entries(tracker.stats) as Array<[CommsSource, LlmSourceStats]>) {
    if (s.notSent > 0 && tracker.earlyStopReason === null && !s.partial && tracker.stopped.has(src)) s.partial = true;
  }
  return { predictions, stats: tracker.stats, earlyStop: tracker.earlyStopReason !== null, earlyStopReason: tracker.earlyStopReason, fatal: options.client.fatal() };
}

import { extractAnswer, type ChoiceView } from './answer.js';
import type { LlmDiskCache } from './cache.js';
import type { FailureMonitor } from './failures.js';
import { parseJsonObject } from './json.js';
import { sendRequest, type SendContext } from './send.js';
import type { AnswerSchema, ChatMessage, LlmErrorKind, LlmResult } from './types.js';

/**
 * One answer of a purpose: send, extract the JSON object, one repair request when the answer was
 * not JSON (never for a refusal or an answer cut at the token limit), cache the result, and tell the
 * failure monitor how it went.
 */

const REPAIR_PROMPT = 'Your previous reply was not the valid JSON object asked for. Reply again with only the complete, valid JSON object and nothing else.';

export interface Completer {
  ctx: SendContext;
  monitor: FailureMonitor;
  cache: LlmDiskCache | undefined;
  /** Config section of the purpose, for messages (`classification`). */
  section: string;
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

/** A failed request or answer: counted by the monitor, which may stop the purpose. */
function failed(c: Completer, status: 'parse_error' | 'refusal' | 'error', kind: LlmErrorKind, reason: string, httpStatus?: number): LlmResult {
  c.monitor.failure(kind, reason, httpStatus);
  return { status, kind, reason };
}

export async function answerWithRepair(c: Completer, messages: ChatMessage[], maxOut: number, key: string, schema?: AnswerSchema): Promise<LlmResult> {
  const first = await sendRequest(c.ctx, messages, maxOut, key, schema);
  if (!first.ok) return first.status === 'cap_exceeded' ? { status: 'cap_exceeded', kind: 'cap', reason: first.reason } : failed(c, 'error', first.kind, first.reason, first.httpStatus);
  let parsed = parseChoice(first.choice, maxOut, c.section);
  let usage = first.usage;
  let costUsd = first.costUsd;
  if (!parsed.ok && parsed.kind !== 'refusal' && parsed.kind !== 'truncated') {
    // The one repair request: the model sees its answer and is asked for the JSON object only.
    const repair: ChatMessage[] = [...messages, { role: 'assistant', content: parsed.text }, { role: 'user', content: REPAIR_PROMPT }];
    const second = await sendRequest(c.ctx, repair, maxOut, key, schema);
    if (!second.ok) {
      if (second.status === 'cap_exceeded') return { status: 'cap_exceeded', kind: 'cap', reason: second.reason };
      return failed(c, 'parse_error', 'parse', `${parsed.reason}, and the repair request failed: ${second.reason}`);
    }
    costUsd += second.costUsd;
    usage = usage && second.usage ? { prompt_tokens: usage.prompt_tokens + second.usage.prompt_tokens, completion_tokens: usage.completion_tokens + second.usage.completion_tokens } : null;
    const again = parseChoice(second.choice, maxOut, c.section);
    parsed = again.ok ? again : { ...again, reason: `${parsed.reason}; also after one repair request` };
  }
  if (!parsed.ok) return failed(c, parsed.status, parsed.kind, parsed.reason);
  c.monitor.success();
  c.cache?.set({ key, model: c.ctx.model, raw: parsed.raw, usage });
  return { status: 'ok', json: parsed.json, raw: parsed.raw, usage, cached: false, costUsd };
}

/**
 * Until one request of the purpose has worked, requests go one at a time: a purpose whose first
 * requests all fail the same way stops after FIRST_REQUESTS of them, not after `concurrency` more.
 */
export class FirstSuccessGate {
  private probe: Promise<void> | null = null;

  constructor(private readonly monitor: FailureMonitor) {}

  async run(fn: () => Promise<LlmResult>): Promise<LlmResult> {
    while (!this.monitor.succeeded && this.probe) await this.probe;
    if (this.monitor.succeeded) return fn();
    let release!: () => void;
    this.probe = new Promise<void>((resolve) => (release = resolve));
    try {
      return await fn();
    } finally {
      this.probe = null;
      release();
    }
  }
}

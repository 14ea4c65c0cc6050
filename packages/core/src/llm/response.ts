import type { ChoiceView } from './answer.js';
import type { LlmUsage } from './types.js';

/**
 * A 2xx body read as text and normalised: a JSON chat completion, or a server-sent-event stream
 * (servers that stream although `stream: false` was asked, or after `stream: true` was negotiated).
 * `usage` stays raw here; `completeUsage` decides whether it can be trusted.
 */
export type CompletionBody =
  | { ok: true; choice: ChoiceView; usage: unknown }
  /**
   * `problem`: `truncated` = JSON cut off; `cut_off` = the connection dropped or timed out while the body was read; `html` = a web page, not the API; `not_json` = other text;
   * `error` = an `error` object in a 2xx body; `no_choices` / `no_message` = valid JSON without an answer.
   */
  | { ok: false; problem: 'truncated' | 'cut_off' | 'html' | 'not_json' | 'error' | 'no_choices' | 'no_message'; detail: string; usage: unknown };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The message of an `error` field (object with message, or a string), one line, ≤ 300 characters. */
export function errorText(error: unknown): string {
  const msg = isRecord(error) ? (error.message ?? error.msg ?? error.detail ?? JSON.stringify(error)) : error;
  return String(typeof msg === 'string' ? msg : JSON.stringify(msg)).replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** Title or first text of an HTML page (a gateway's error page or a web UI at the wrong URL). */
export function htmlSummary(text: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const body = (title ?? text.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
  return body.slice(0, 160) || 'an HTML page';
}

export const looksLikeHtml = (text: string): boolean => /^\s*(<!doctype html|<html|<head|<body)/i.test(text);

function fromJson(value: Record<string, unknown>): CompletionBody {
  const usage = value.usage;
  const choices = value.choices;
  if (!Array.isArray(choices) || choices.length === 0) {
    if (value.error !== undefined && value.error !== null) return { ok: false, problem: 'error', detail: errorText(value.error), usage };
    return { ok: false, problem: 'no_choices', detail: Array.isArray(choices) ? 'choices was empty' : 'no choices in the answer', usage };
  }
  const first = choices[0] as unknown;
  if (!isRecord(first)) return { ok: false, problem: 'no_message', detail: 'choices[0] was not an object', usage };
  const finishReason = typeof first.finish_reason === 'string' ? first.finish_reason : null;
  const message = 'message' in first ? first.message : first.delta;
  if (!isRecord(message)) {
    // Legacy completion shape: choices[0].text.
    if (typeof first.text === 'string') return { ok: true, choice: { content: first.text, refusal: null, finishReason }, usage };
    return { ok: false, problem: 'no_message', detail: `choices[0].message was ${message === null ? 'null' : 'missing'}`, usage };
  }
  return { ok: true, choice: { content: message.content, refusal: message.refusal, finishReason, toolArguments: toolArguments(message.tool_calls) }, usage };
}

/** `arguments` of the first tool call, when the server answered that way. */
function toolArguments(calls: unknown): unknown {
  const first = Array.isArray(calls) ? (calls[0] as unknown) : undefined;
  return isRecord(first) && isRecord(first.function) ? first.function.arguments : undefined;
}

/** Join a server-sent-event stream of chat.completion.chunk objects into one answer. */
function fromEventStream(text: string): CompletionBody {
  let content = '';
  let refusal = '';
  let finishReason: string | null = null;
  let usage: unknown;
  let sawChunk = false;
  let done = false;
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return { ok: false, problem: 'truncated', detail: 'an event of the stream was cut off', usage };
    }
    if (!isRecord(chunk)) continue;
    if (chunk.error !== undefined && chunk.error !== null) return { ok: false, problem: 'error', detail: errorText(chunk.error), usage: chunk.usage ?? usage };
    sawChunk = true;
    if (isRecord(chunk.usage)) usage = chunk.usage;
    const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : undefined;
    if (!choice) continue;
    if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
    const delta = isRecord(choice.delta) ? choice.delta : isRecord(choice.message) ? choice.message : undefined;
    if (typeof delta?.content === 'string') content += delta.content;
    else if (Array.isArray(delta?.content)) content += delta.content.map((p: unknown) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join('');
    if (typeof delta?.refusal === 'string') refusal += delta.refusal;
  }
  if (!sawChunk) return { ok: false, problem: 'no_choices', detail: 'the event stream held no chunk', usage };
  if (!done && finishReason === null) return { ok: false, problem: 'truncated', detail: 'the event stream ended before the last chunk', usage };
  return { ok: true, choice: { content, refusal: refusal || null, finishReason }, usage };
}

/** Read a 2xx body: JSON completion, event stream, HTML page, or something cut off. */
export function parseCompletionBody(rawText: string, contentType: string | null): CompletionBody {
  const text = rawText.replace(/^\uFEFF/, '');
  if (/text\/event-stream/i.test(contentType ?? '') || /^\s*data:/.test(text)) return fromEventStream(text);
  if (looksLikeHtml(text)) return { ok: false, problem: 'html', detail: htmlSummary(text), usage: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const t = text.trim();
    if (t.startsWith('{') || t.startsWith('[')) return { ok: false, problem: 'truncated', detail: `the body was cut off after ${text.length} bytes`, usage: undefined };
    return { ok: false, problem: 'not_json', detail: t ? `the body was not JSON: ${JSON.stringify(t.slice(0, 80))}` : 'the body was empty', usage: undefined };
  }
  if (!isRecord(value)) return { ok: false, problem: 'not_json', detail: 'the body was JSON but not an object', usage: undefined };
  return fromJson(value);
}

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/**
 * `usage` only when both counts are finite non-negative numbers: null, missing, NaN, strings and
 * negative counts make it incomplete (null), and the cost guard then keeps the worst case booked.
 */
export function completeUsage(raw: unknown): LlmUsage | null {
  if (!isRecord(raw)) return null;
  const prompt = count(raw.prompt_tokens);
  const completion = count(raw.completion_tokens);
  if (prompt === undefined || completion === undefined) return null;
  return { prompt_tokens: prompt, completion_tokens: completion };
}

import { describe, expect, it } from 'vitest';
import { extractAnswer, stripReasoning } from './answer.js';
import { completeUsage, parseCompletionBody } from './response.js';

const choice = (content: unknown, extra: { refusal?: unknown; finishReason?: string | null } = {}) => ({ content, refusal: extra.refusal ?? null, finishReason: extra.finishReason ?? 'stop' });

describe('answer text', () => {
  it('drops reasoning blocks, also without the opening tag, unclosed ones and harmony channels', () => {
    expect(stripReasoning('<think>\nlet me see {"x": 1}\n</think>\n{"a": 1}')).toBe('{"a": 1}');
    expect(stripReasoning('<THINKING>hmm</THINKING><reasoning step="1">more</reasoning> {"a": 1}')).toBe('{"a": 1}');
    expect(stripReasoning('the user wants a label, so {"wrong": 1}\n</think>\n\n{"a": 2}')).toBe('{"a": 2}');
    expect(stripReasoning('<think>still thinking when the limit hit {"a":')).toBe('');
    expect(stripReasoning('<|channel|>analysis<|message|>thinking<|end|><|start|>assistant<|channel|>final<|message|>{"a": 3}')).toBe('{"a": 3}');
    expect(stripReasoning('<|channel|>analysis<|message|>only thinking')).toBe('');
    expect(stripReasoning('{"a": "no reasoning"}')).toBe('{"a": "no reasoning"}');
  });

  it('joins text parts, ignores other parts, and tells refusals and empty answers apart', () => {
    expect(extractAnswer(choice([{ type: 'text', text: '{"a":' }, { type: 'image_url', image_url: { url: 'x' } }, { type: 'text', text: ' 1}' }]))).toEqual({ kind: 'text', text: '{"a": 1}' });
    expect(extractAnswer(choice([{ type: 'reasoning', text: 'secret' }, { type: 'output_text', text: '{"b": 2}' }]))).toEqual({ kind: 'text', text: '{"b": 2}' });
    expect(extractAnswer(choice({ type: 'text', text: '{"c": 3}' }))).toEqual({ kind: 'text', text: '{"c": 3}' });
    expect(extractAnswer(choice(null, { refusal: "I can't help with that." }))).toEqual({ kind: 'refusal', reason: "I can't help with that." });
    expect(extractAnswer(choice('', { finishReason: 'content_filter' })).kind).toBe('refusal');
    expect(extractAnswer(choice(null)).kind).toBe('empty');
    expect(extractAnswer(choice('<think>only reasoning</think>'))).toEqual({ kind: 'empty', reason: 'the answer held only reasoning, no final answer' });
    expect(extractAnswer(choice(42)).kind).toBe('empty');
    // A gateway handing back the parsed object, a model answering with a tool call.
    expect(extractAnswer(choice({ theme: 'x', confidence: 0.5 }))).toEqual({ kind: 'text', text: '{"theme":"x","confidence":0.5}' });
    expect(extractAnswer({ ...choice(null), toolArguments: '{"a": 1}' })).toEqual({ kind: 'text', text: '{"a": 1}' });
  });
});

describe('2xx bodies', () => {
  const ok = (message: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ choices: [{ index: 0, message, finish_reason: 'stop' }], ...extra });

  it('reads JSON completions, tolerating a BOM; reports what is missing', () => {
    const b = parseCompletionBody(`\uFEFF${ok({ role: 'assistant', content: '{"a":1}' }, { usage: { prompt_tokens: 5, completion_tokens: 2 } })}`, 'application/json');
    expect(b.ok && b.choice.content).toBe('{"a":1}');
    expect(parseCompletionBody(JSON.stringify({ choices: [] }), 'application/json')).toMatchObject({ ok: false, problem: 'no_choices' });
    expect(parseCompletionBody(JSON.stringify({ choices: [{ message: null, finish_reason: 'stop' }] }), null)).toMatchObject({ ok: false, problem: 'no_message', detail: 'choices[0].message was null' });
    expect(parseCompletionBody(JSON.stringify({ error: { message: 'upstream overloaded', code: 529 } }), 'application/json')).toMatchObject({ ok: false, problem: 'error', detail: 'upstream overloaded' });
    expect(parseCompletionBody('{"choices":[{"message":{"content":"{\\"a', 'application/json')).toMatchObject({ ok: false, problem: 'truncated' });
    expect(parseCompletionBody('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>', 'text/html')).toMatchObject({ ok: false, problem: 'html', detail: '502 Bad Gateway' });
    expect(parseCompletionBody('', 'application/json')).toMatchObject({ ok: false, problem: 'not_json' });
    expect(parseCompletionBody(JSON.stringify({ choices: [{ text: '{"a":1}', finish_reason: 'stop' }] }), null)).toMatchObject({ ok: true, choice: { content: '{"a":1}' } });
  });

  it('joins an event stream, with usage from the last chunk; a stream cut off is truncated', () => {
    const chunks = [
      { choices: [{ delta: { role: 'assistant', content: '{"a"' } }] },
      { choices: [{ delta: { reasoning_content: 'hidden' } }] },
      { choices: [{ delta: { content: ': 1}' }, finish_reason: 'stop' }] },
      { choices: [], usage: { prompt_tokens: 9, completion_tokens: 4 } },
    ];
    const sse = `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`;
    const b = parseCompletionBody(sse, 'text/event-stream');
    expect(b).toMatchObject({ ok: true, choice: { content: '{"a": 1}', finishReason: 'stop' }, usage: { prompt_tokens: 9, completion_tokens: 4 } });
    // A server that streams although stream:false was asked (content-type says JSON).
    expect(parseCompletionBody(sse, 'application/json').ok).toBe(true);
    const cut = chunks.slice(0, 1).map((c) => `data: ${JSON.stringify(c)}\n\n`).join('');
    expect(parseCompletionBody(cut, 'text/event-stream')).toMatchObject({ ok: false, problem: 'truncated' });
    expect(parseCompletionBody(`data: ${JSON.stringify({ error: { message: 'rate limited mid-stream' } })}\n\n`, 'text/event-stream')).toMatchObject({ ok: false, problem: 'error' });
  });

  it('trusts usage only when both counts are finite non-negative numbers', () => {
    expect(completeUsage({ prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 })).toEqual({ prompt_tokens: 10, completion_tokens: 3 });
    expect(completeUsage({ prompt_tokens: 0, completion_tokens: 0 })).toEqual({ prompt_tokens: 0, completion_tokens: 0 });
    for (const bad of [null, undefined, {}, { prompt_tokens: null, completion_tokens: null }, { prompt_tokens: 10 }, { prompt_tokens: 10, completion_tokens: Number.NaN }, { prompt_tokens: -1, completion_tokens: 3 }, { prompt_tokens: '10', completion_tokens: '3' }, { total_tokens: 13 }]) {
      expect(completeUsage(bad)).toBeNull();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { countChatTokens, countTokens, encodingForModel, truncateToTokens } from '../tokens.js';
import { llmCacheKey } from './cache.js';
import { retryAfterMs } from './client.js';
import { CostGuard } from './guard.js';
import { parseJsonObject } from './json.js';
import { estimateCostUsd } from './pricing.js';

const PRICING = { 'gpt-4o-mini': { input_per_mtok: 0.15, output_per_mtok: 0.6 } };

describe('cost guard', () => {
  it('reserves the worst case, refuses what could overrun the cap, settles with the actual', () => {
    const g = new CostGuard(1);
    const a = g.reserve(0.6);
    expect(a).not.toBeNull();
    expect(g.reserve(0.5)).toBeNull();
    const b = g.reserve(0.4);
    expect(b).not.toBeNull();
    g.settle(a as number, 0.1);
    expect(g.snapshot()).toMatchObject({ reservedUsd: 0.4, actualUsd: 0.1, estimatedUsd: 1 });
    expect(g.reserve(0.5)).not.toBeNull();
    g.release(b as number);
    expect(g.snapshot().reservedUsd).toBeCloseTo(0.5, 12);
    expect(g.reserve(-1)).toBeNull();
    expect(g.reserve(Number.NaN)).toBeNull();
  });

  it('never books less than the worst case for an unknown cost, and starts from what a resumed run booked', () => {
    const g = new CostGuard(1, 0.7);
    expect(g.snapshot()).toMatchObject({ actualUsd: 0.7, resumedUsd: 0.7 });
    expect(g.reserve(0.31)).toBeNull();
    const a = g.reserve(0.1) as number;
    g.settle(a, Number.NaN);
    expect(g.snapshot().actualUsd).toBeCloseTo(0.8, 12);
    const b = g.reserve(0.1) as number;
    g.settle(b, -5);
    expect(g.snapshot().actualUsd).toBeCloseTo(0.9, 12);
    expect(g.reserve(0.1000001)).toBeNull();
  });

  it('prices tokens from the table and fails closed for an unpriced model', () => {
    expect(estimateCostUsd({ model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 1_000_000, pricing: PRICING })).toBeCloseTo(0.75, 12);
    expect(() => estimateCostUsd({ model: 'gpt-9', inputTokens: 1, outputTokens: 1, pricing: PRICING })).toThrow(/No price for model "gpt-9"/);
  });
});

describe('tokens', () => {
  it('uses o200k_base for gpt-4o-mini and counts like tiktoken', () => {
    expect(encodingForModel('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingForModel('gpt-3.5-turbo')).toBe('cl100k_base');
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('')).toBe(0);
    expect(countChatTokens([{ role: 'user', content: 'hello world' }])).toBe(3 + 3 + 1 + 2);
    const cut = truncateToTokens('one two three four five six seven eight', 4);
    expect(countTokens(cut)).toBeLessThanOrEqual(4);
    expect(cut.length).toBeGreaterThan(0);
  });
});

describe('JSON clean-up, retry-after and cache key', () => {
  it('strips fences, prose, trailing text, a BOM and trailing commas; does not guess truncated JSON', () => {
    expect(parseJsonObject('```json\n{"a": [1, 2,],}\n```')).toEqual({ a: [1, 2] });
    expect(parseJsonObject('Sure! {"theme": "x"} hope this helps')).toEqual({ theme: 'x' });
    expect(parseJsonObject('{"theme": "x"} and also {"other": 1}')).toEqual({ theme: 'x' });
    expect(parseJsonObject('{"t": "a } brace in a string", "n": 1} trailing }')).toEqual({ t: 'a } brace in a string', n: 1 });
    expect(parseJsonObject('\uFEFF  \n {"a": 1}\n\n')).toEqual({ a: 1 });
    expect(parseJsonObject('I think {it is} this: {"a": {"b": 2}}')).toEqual({ a: { b: 2 } });
    expect(parseJsonObject('{"theme": "join_ke')).toBeUndefined();
    expect(parseJsonObject('[1, 2]')).toBeUndefined();
    expect(parseJsonObject('no json here')).toBeUndefined();
  });

  it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(retryAfterMs(new Headers({}))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('keys the cache on model, messages, parameters and the answer schema only', () => {
    const base = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }], temperature: 0, maxOutputTokens: 64 };
    const k = llmCacheKey(base);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(llmCacheKey({ ...base })).toBe(k);
    expect(llmCacheKey({ ...base, temperature: 0.5 })).not.toBe(k);
    expect(llmCacheKey({ ...base, maxOutputTokens: 65 })).not.toBe(k);
    expect(llmCacheKey({ ...base, model: 'gpt-4o' })).not.toBe(k);
    expect(llmCacheKey({ ...base, messages: [{ role: 'user', content: 'hi!' }] })).not.toBe(k);
    expect(llmCacheKey({ ...base, schema: { name: 'a', schema: { type: 'object' } } })).not.toBe(k);
  });
});

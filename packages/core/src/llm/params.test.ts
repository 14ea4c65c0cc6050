import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayEndpoint, negotiatorFor, resetNegotiators, saveLearned } from './capabilities.js';
import { ledgerBookedUsd, readLedger, resumeLedger, SpendLedger } from './ledger.js';
import { AUTO_SETTINGS, namedDimensions, ParamNegotiator, type RequestParams } from './params.js';

const sent: RequestParams = { tokenParam: 'max_tokens', temperature: 'send', jsonMode: 'json_schema', stream: 'off' };

describe('which parameter a 400 names', () => {
  it('reads OpenAI, LM Studio, vLLM and pydantic style messages, and ignores unrelated 400s', () => {
    expect(namedDimensions("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', sent)).toEqual(['tokenParam']);
    expect(namedDimensions("Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.", null, sent)).toEqual(['temperature']);
    expect(namedDimensions("'response_format.type' must be 'json_schema' or 'text'", null, { ...sent, jsonMode: 'json_object' })).toEqual(['jsonMode']);
    expect(namedDimensions('[{"loc":["body","max_completion_tokens"],"msg":"Extra inputs are not permitted","type":"extra_forbidden"}]', null, { ...sent, tokenParam: 'max_completion_tokens' })).toEqual(['tokenParam']);
    expect(namedDimensions('json_schema response format is not supported by this server', null, sent)).toEqual(['jsonMode']);
    expect(namedDimensions('Only streaming requests are supported: set stream to true', null, sent)).toEqual(['stream']);
    expect(namedDimensions("This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.", null, sent)).toEqual([]);
    expect(namedDimensions('temperature is not supported', null, { ...sent, temperature: 'omit' })).toEqual([]);
  });
});

describe('parameter negotiation', () => {
  it('steps an auto dimension down once per rung, never past a fixed setting, never back up', () => {
    const n = new ParamNegotiator('gpt-4o-mini');
    expect(n.paramsFor(AUTO_SETTINGS)).toEqual(sent);
    expect(n.adapt(['jsonMode'], sent, AUTO_SETTINGS)).toEqual(['jsonMode']);
    // A second worker failing with the same (old) rung moves it no further.
    n.adapt(['jsonMode'], sent, AUTO_SETTINGS);
    expect(n.paramsFor(AUTO_SETTINGS).jsonMode).toBe('json_object');
    n.adapt(['jsonMode'], { ...sent, jsonMode: 'json_object' }, AUTO_SETTINGS);
    expect(n.paramsFor(AUTO_SETTINGS).jsonMode).toBe('none');
    expect(n.adapt(['jsonMode'], { ...sent, jsonMode: 'none' }, AUTO_SETTINGS)).toEqual([]);
    const fixed = { ...AUTO_SETTINGS, temperature: 'send' as const };
    expect(n.adapt(['temperature'], sent, fixed)).toEqual([]);
    expect(n.paramsFor({ ...AUTO_SETTINGS, jsonMode: 'json_object' }).jsonMode).toBe('json_object');
  });

  it('starts OpenAI reasoning models on max_completion_tokens', () => {
    expect(new ParamNegotiator('o3-mini').paramsFor(AUTO_SETTINGS).tokenParam).toBe('max_completion_tokens');
    expect(new ParamNegotiator('gpt-5').paramsFor(AUTO_SETTINGS).tokenParam).toBe('max_completion_tokens');
    expect(new ParamNegotiator('openai/o4-mini').paramsFor(AUTO_SETTINGS).tokenParam).toBe('max_completion_tokens');
    expect(new ParamNegotiator('gpt-5-chat-latest').paramsFor(AUTO_SETTINGS).tokenParam).toBe('max_tokens');
    expect(new ParamNegotiator('llama3.1:8b').paramsFor(AUTO_SETTINGS).tokenParam).toBe('max_tokens');
  });

  it('lets one request probe unconfirmed parameters while the others wait', async () => {
    const n = new ParamNegotiator('m');
    const order: string[] = [];
    const params = () => n.paramsFor(AUTO_SETTINGS);
    const first = await n.turn(params);
    const second = n.turn(params).then((release) => {
      order.push('second');
      release();
    });
    await new Promise((r) => setTimeout(r, 10));
    order.push('first done');
    expect(n.confirm(params())).toBe(true);
    first();
    await second;
    expect(order).toEqual(['first done', 'second']);
    // Confirmed parameters pass without waiting.
    const again = await n.turn(params);
    again();
  });

  it('remembers what works per endpoint and model in the cache folder, without credentials', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dnr-params-'));
    try {
      resetNegotiators();
      const url = 'http://user:secret@127.0.0.1:9/v1/?api-key=abc';
      expect(displayEndpoint(url)).toBe('http://127.0.0.1:9/v1');
      const { key, negotiator } = negotiatorFor(url, 'm1', dir);
      negotiator.adapt(['tokenParam', 'temperature'], sent, AUTO_SETTINGS);
      saveLearned(dir, key, negotiator.learned());
      const text = readFileSync(path.join(dir, 'endpoints.json'), 'utf8');
      expect(text).not.toContain('secret');
      expect(text).not.toContain('abc');
      resetNegotiators();
      const again = negotiatorFor(url, 'm1', dir).negotiator;
      expect(again.paramsFor(AUTO_SETTINGS)).toMatchObject({ tokenParam: 'max_completion_tokens', temperature: 'omit', jsonMode: 'json_schema' });
      expect(negotiatorFor(url, 'other-model', dir).negotiator.paramsFor(AUTO_SETTINGS).tokenParam).toBe('max_tokens');
      writeFileSync(path.join(dir, 'endpoints.json'), '{corrupt');
      resetNegotiators();
      expect(negotiatorFor(url, 'm1', dir).negotiator.paramsFor(AUTO_SETTINGS)).toEqual(sent);
    } finally {
      resetNegotiators();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('spend ledger across processes', () => {
  it('books settled amounts, releases at 0 and requests left in flight at their worst case; a closed run is archived', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dnr-ledger-'));
    try {
      const file = path.join(dir, 'ledger.jsonl');
      const l = new SpendLedger(file);
      const base = { run: 'r', purpose: 'classify', model: 'm', key: 'k' };
      l.append({ ...base, seq: 0, event: 'reserve', rid: 'r:0', estimated_usd: 0.3 });
      l.append({ ...base, seq: 1, event: 'settle', rid: 'r:0', actual_usd: 0.1 });
      l.append({ ...base, seq: 2, event: 'reserve', rid: 'r:1', estimated_usd: 0.3 });
      l.append({ ...base, seq: 3, event: 'release', rid: 'r:1' });
      l.append({ ...base, seq: 4, event: 'reserve', rid: 'r:2', estimated_usd: 0.25 });
      // the process dies here, with r:2 in flight; the torn line is skipped
      writeFileSync(file, `${readFileSync(file, 'utf8')}{"run":"r","seq":5,"ev`);
      expect(ledgerBookedUsd(readLedger(readFileSync(file, 'utf8')))).toBeCloseTo(0.35, 12);
      expect(resumeLedger(file)).toBeCloseTo(0.35, 12);
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n`);
      l.append({ ...base, seq: 6, event: 'close' });
      expect(resumeLedger(file)).toBe(0);
      expect(readFileSync(path.join(dir, 'history.jsonl'), 'utf8')).toContain('"r:2"');
      expect(resumeLedger(file)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

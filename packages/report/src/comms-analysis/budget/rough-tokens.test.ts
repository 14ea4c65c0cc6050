import { describe, expect, it } from 'vitest';
import { countChatTokens } from '@dnr/core';
import { nlqMessages, threadMessages } from '../classify/llm/prompt.js';
import type { CommsMessage, CommsThread, NlqItem } from '../types.js';
import { roughNlqPromptTokens, roughThreadPromptTokens } from './rough-tokens.js';

const message = (i: number, text: string): CommsMessage => ({
  messageId: `m${i}`,
  ts: new Date(Date.UTC(2026, 5, 1, 9, i)),
  userId: `u${i}`,
  role: i === 0 ? 'data_eng' : 'analytics_eng',
  text,
  isRoot: i === 0,
  hasLink: false,
  linkDomains: [],
  hasAttachment: false,
  attachmentNames: [],
  hasCode: false,
});

const thread = (texts: string[]): CommsThread =>
  ({ id: 't1', source: 'slack', channel: 'data-eng', bucket: 'platform', ts: new Date(Date.UTC(2026, 5, 1, 9)), messages: texts.map((t, i) => message(i, t)) }) as CommsThread;

describe('rough prompt tokens (no tokeniser)', () => {
  const texts = [
    'fact_card_transaction has null merchant_id since Tuesday, the revenue dashboard is off by 4%',
    'yeah the ingest job failed twice overnight, I reran it at 6am',
    'can we backfill the missing rows before the Monday exec review?',
  ];
  const options = { maxInputTokens: 600, maxMessages: 12, model: 'gpt-4o-mini' };

  it('is within 35% of the tiktoken count of the prompt the LLM engine would send', () => {
    const exact = countChatTokens(threadMessages(thread(texts), options), options.model);
    const rough = roughThreadPromptTokens(thread(texts), options);
    expect(Math.abs(rough - exact) / exact).toBeLessThan(0.35);
    const q = { id: 'q1', text: 'weekly active customers by card tier last 8 weeks', ts: new Date(), app: 'bi', sql: '' } as unknown as NlqItem;
    const exactNlq = countChatTokens(nlqMessages(q), options.model);
    expect(Math.abs(roughNlqPromptTokens(q) - exactNlq) / exactNlq).toBeLessThan(0.35);
  });

  it('caps the thread body at the input budget and the message cap, like the prompt builder', () => {
    const long = thread(Array.from({ length: 40 }, (_, i) => `message ${i} `.repeat(40)));
    const capped = roughThreadPromptTokens(long, { maxInputTokens: 300, maxMessages: 12 });
    const uncapped = roughThreadPromptTokens(long, { maxInputTokens: 1_000_000, maxMessages: 12 });
    const fewer = roughThreadPromptTokens(long, { maxInputTokens: 1_000_000, maxMessages: 2 });
    expect(uncapped - capped).toBeGreaterThan(1_000);
    expect(fewer).toBeLessThan(uncapped);
    expect(capped).toBeLessThan(300 + 400);
  });
});

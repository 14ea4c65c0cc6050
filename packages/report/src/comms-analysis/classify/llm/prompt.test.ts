import { countTokens } from '@dnr/core';
import { describe, expect, it } from 'vitest';
import type { CommsThread } from '../../types.js';
import { nlqMessages, parseNlqAnswer, parseThreadAnswer, selectThreadMessages, threadMessages } from './prompt.js';

const thread = (n: number, roles: (i: number) => CommsThread['messages'][number]['role'], text: (i: number) => string): CommsThread => ({
  id: 't1',
  source: 'slack',
  channel: 'c',
  bucket: 'platform',
  ts: new Date('2026-05-01T00:00:00Z'),
  messages: Array.from({ length: n }, (_, i) => ({ messageId: `m${i}`, ts: new Date(Date.UTC(2026, 4, 1, 0, i)), userId: `u${i}`, role: roles(i), text: text(i), isRoot: i === 0, hasLink: false, linkDomains: [], hasAttachment: false, attachmentNames: [], hasCode: false })),
});

describe('role-aware thread input', () => {
  it('always keeps the root and every exec message, then fills with scored messages under 900 tokens and 20 messages', () => {
    const t = thread(60, (i) => (i % 17 === 5 ? 'exec' : 'other'), (i) => (i % 3 === 0 ? `duplicate rows in fact_order again, message ${i} ${'detail '.repeat(20)}` : `ok thanks ${i}`));
    const sel = selectThreadMessages(t, { maxInputTokens: 900, maxMessages: 20, model: 'gpt-4o-mini' });
    expect(sel[0].isRoot).toBe(true);
    for (const m of t.messages.filter((x) => x.role === 'exec')) expect(sel).toContain(m);
    expect(sel.length).toBeLessThanOrEqual(20);
    const tokens = sel.reduce((a, m) => a + countTokens(`[${m.isRoot ? 'root' : 'reply'} ${m.role}] ${m.text}`) + 1, 0);
    expect(tokens).toBeLessThanOrEqual(900);
    // scored (data) messages are preferred over chatter
    const chosenReplies = sel.filter((m) => !m.isRoot && m.role !== 'exec');
    expect(chosenReplies.filter((m) => m.text.startsWith('duplicate')).length).toBeGreaterThan(chosenReplies.length / 2);
    // shown in time order
    for (let i = 1; i < sel.length; i++) expect(sel[i].ts.getTime()).toBeGreaterThanOrEqual(sel[i - 1].ts.getTime());
    const msgs = threadMessages(t, { maxInputTokens: 900, maxMessages: 20, model: 'gpt-4o-mini' });
    expect(msgs[0].role).toBe('system');
    expect(msgs[1].content.startsWith('Slack thread in a platform channel:')).toBe(true);
  });

  it('takes newest first among equally scored messages', () => {
    const t = thread(30, () => 'other', (i) => `chatter number ${i} ${'word '.repeat(60)}`);
    const sel = selectThreadMessages(t, { maxInputTokens: 300, maxMessages: 20, model: 'gpt-4o-mini' });
    const replies = sel.filter((m) => !m.isRoot).map((m) => Number(m.messageId.slice(1)));
    expect(replies.length).toBeGreaterThan(0);
    expect(Math.min(...replies)).toBeGreaterThan(30 - 1 - replies.length - 1);
  });
});

describe('answer validation', () => {
  it('accepts the contract and rejects everything else', () => {
    expect(parseThreadAnswer({ relevance: 'positive', theme: 'duplicates_dedup', confidence: 0.8 })).toEqual({ relevance: 'positive', theme: 'duplicates_dedup', confidence: 0.8 });
    expect(parseThreadAnswer({ relevance: 'hard_negative', theme: 'duplicates_dedup', confidence: 0.7 })).toEqual({ relevance: 'hard_negative', theme: null, confidence: 0.7 });
    expect(parseThreadAnswer({ relevance: 'positive', theme: null, confidence: 0.8 })).toBeUndefined();
    expect(parseThreadAnswer({ relevance: 'maybe', theme: null, confidence: 0.8 })).toBeUndefined();
    expect(parseThreadAnswer({ relevance: 'negative', theme: null, confidence: 1.5 })).toBeUndefined();
    expect(parseThreadAnswer({ relevance: 'positive', theme: 'weather', confidence: 0.5 })).toBeUndefined();
    expect(parseThreadAnswer([1, 2])).toBeUndefined();
    expect(parseNlqAnswer({ theme: 'freshness_ingest_lag', confidence: '0.6' })).toEqual({ theme: 'freshness_ingest_lag', confidence: 0.6 });
    expect(parseNlqAnswer({ theme: null, confidence: 0.6 })).toBeUndefined();
    expect(nlqMessages({ id: 'q', source: 'nlq', ts: new Date(0), userId: 'u', role: 'other', app: 'bi', text: ' late data? ', sql: null, success: true })[1].content).toBe('Question: late data?');
  });
});

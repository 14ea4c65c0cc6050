import { describe, expect, it } from 'vitest';
import type { CommsThread } from '../types.js';
import { isThreadMet } from './met.js';

const thread = (texts: string[], links: string[][] = []): CommsThread => ({
  id: 't',
  source: 'slack',
  channel: 'c',
  bucket: 'platform',
  ts: new Date('2026-05-01T00:00:00Z'),
  messages: texts.map((text, i) => ({ messageId: `m${i}`, ts: new Date(Date.UTC(2026, 4, 1, 0, i)), userId: 'u', role: 'data_eng', text, isRoot: i === 0, hasLink: (links[i] ?? []).length > 0, linkDomains: links[i] ?? [], hasAttachment: false, attachmentNames: [], hasCode: false })),
});

describe('isThreadMet', () => {
  it('is met on fix/merge/resolution language or a dbt/looker link in a reply', () => {
    expect(isThreadMet(thread(['orders are duplicated', 'looking', 'fix is merged, numbers match now']))).toBe(true);
    expect(isThreadMet(thread(['need access to payments', 'granted read access to fact_payment for your group']))).toBe(true);
    expect(isThreadMet(thread(['metric is off', 'updated the model'], [[], ['dbt.example']]))).toBe(false);
    expect(isThreadMet(thread(['metric is off', 'updated the model, deployed'], [[], ['dbt.example']]))).toBe(true);
  });

  it('is unmet without resolution, when only the root says fixed, or when reopened later', () => {
    expect(isThreadMet(thread(['the join drops rows', '+1 also seeing it', 'any update?']))).toBe(false);
    expect(isThreadMet(thread(['fixed typo in title: the join drops rows', 'still broken for me']))).toBe(false);
    expect(isThreadMet(thread(['lag again', 'fixed', 'broke again this morning']))).toBe(false);
    expect(isThreadMet(thread(['need masked emails', 'not sign-off yet, in the meantime use the masked view']))).toBe(false);
  });
});

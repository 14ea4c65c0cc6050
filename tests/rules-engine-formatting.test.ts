import { describe, expect, it } from 'vitest';
import { classifyRulesThreads, type CommsThread } from '../packages/report/dist/index.js';

const T0 = Date.UTC(2026, 3, 2, 15, 0, 0);
const thread = (id: string, source: 'slack' | 'email', texts: string[]): CommsThread => ({
  id,
  source,
  channel: 'c',
  bucket: 'analytics',
  ts: new Date(T0),
  messages: texts.map((text, i) => ({ messageId: `${id}-${i}`, ts: new Date(T0 + i * 60_000), userId: `u${i}`, role: i === 0 ? 'pm' : 'data_eng', text, isRoot: i === 0, hasLink: false, linkDomains: [], hasAttachment: false, attachmentNames: [], hasCode: false })),
});
const decide = (t: CommsThread) => {
  const p = classifyRulesThreads([t])[0];
  return { relevance: p.relevance, theme: p.theme, confidence: p.confidence };
};

describe('the offline classifier reads formatted messages like plain ones', () => {
  it.each([
    ['seeing duplicate rows in the orders table since the backfill, can we dedupe?'],
    ['the revenue dashboard has not refreshed since monday, is the load stuck?'],
    ['can someone grant me read access to the finance schema in snowflake?'],
  ])('Slack italics, bold, strike, code and mentions: %s', (plain) => {
    const words = plain.split(' ');
    const wrap = (l: string, r = l) => words.map((w, i) => (i % 3 === 1 && /^[a-z]+$/.test(w) ? `${l}${w}${r}` : w)).join(' ');
    const want = decide(thread('p', 'slack', [plain]));
    for (const variant of [wrap('_'), wrap('*'), wrap('~'), wrap('`'), `<@U024BE7LH> ${plain} :eyes:`]) {
      const got = decide(thread('v', 'slack', [variant]));
      expect({ variant, relevance: got.relevance, theme: got.theme }).toEqual({ variant, relevance: want.relevance, theme: want.theme });
    }
  });

  it('scores an e-mail on its new text, not on the quoted reply or the signature', () => {
    const own = 'Subject: Re: team lunch\nFriday at noon works for me, I will book the usual place.';
    const withQuote = `${own}\n\nOn Tue, 3 Jun 2025 at 09:12, Ana Example <ana@example.com> wrote:\n> The fact_orders table has duplicate rows since the backfill and revenue is double counted.\n> Can the data team dedupe it?\n\nThanks,\nBo Example\nFinance | Example Co`;
    expect(decide(thread('q', 'email', [withQuote]))).toEqual(decide(thread('o', 'email', [own])));
  });
});

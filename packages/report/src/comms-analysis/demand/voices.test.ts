import { describe, expect, it } from 'vitest';
import type { CommsCorpus, CommsThread, Prediction } from '../types.js';
import { collectVoices, examplesFor, itemRef, quoteText, statedCounts } from './voices.js';

const thread = (id: string, source: 'slack' | 'email', role: CommsThread['messages'][number]['role'], text: string): CommsThread => ({
  id,
  source,
  channel: 'c',
  bucket: 'platform',
  ts: new Date('2026-06-10T12:00:00Z'),
  messages: [{ messageId: `${id}-m`, ts: new Date('2026-06-10T12:00:00Z'), userId: `u-${id}`, role, text, isRoot: true, hasLink: false, linkDomains: [], hasAttachment: false, attachmentNames: [], hasCode: false }],
});
const pred = (id: string, source: 'slack' | 'email' | 'nlq', confidence: number): Prediction => ({ id, source, relevance: 'positive', theme: 'duplicates_dedup', confidence, engine: 'rules', status: 'ok' });

describe('who is asking', () => {
  it('anonymises quotes: @-mentions and e-mail addresses replaced, long text cut at a word', () => {
    expect(quoteText('cc @nb-u0071 and <@U123>, mail jane.doe@example.com\n\nthanks')).toBe('cc @colleague and @colleague, mail [e-mail] thanks');
    const long = quoteText('word '.repeat(100));
    expect(long.length).toBeLessThanOrEqual(241);
    expect(long.endsWith('word…')).toBe(true);
    expect(itemRef('nb-t000001')).toMatch(/^[0-9a-f]{6}$/);
  });

  it('counts items, people and roles; window items and peak; examples prefer the window, then diverse sources and roles', () => {
    const corpus: CommsCorpus = {
      slack: [thread('s1', 'slack', 'data_eng', 'dupes in fact_payment'), thread('s2', 'slack', 'data_eng', 'more dupes'), thread('s3', 'slack', 'finance', 'old dupes')],
      email: [thread('e1', 'email', 'finance', 'Duplicate invoices\nHello, invoices counted twice')],
      nlq: [],
    };
    const days: Record<string, string> = { s1: '2026-06-10', s2: '2026-06-10', s3: '2025-12-01', e1: '2026-06-12' };
    const v = collectVoices({
      corpus,
      predictions: { slack: [pred('s1', 'slack', 0.9), pred('s2', 'slack', 0.95), pred('s3', 'slack', 0.99)], email: [pred('e1', 'email', 0.8)], nlq: [] },
      dayOf: (id) => days[id],
      window: { start: '2026-06-01', end: '2026-06-30' },
    }).duplicates_dedup!;
    expect(v.items).toBe(4);
    expect(v.window_items).toBe(3);
    expect(v.window_peak_day).toBe('2026-06-10');
    expect(v.people).toBe(4);
    expect(v.roles).toEqual([{ role: 'data_eng', items: 2 }, { role: 'finance', items: 2 }]);
    // In-window first: s2 (0.95), then e1 (another source and role); s3, six months before the window, is no example.
    expect(v.examples.map((x) => x.id)).toEqual(['s2', 'e1', 's1']);
    expect(v.examples.find((x) => x.id === 'e1')!.text).toBe('Duplicate invoices — Hello, invoices counted twice');
    // For an action on payments, only the message naming the table is quoted.
    const june = { start: '2026-06-01', end: '2026-06-30', days: 30 };
    expect(examplesFor(v.examples, ['fact_payment', 'payments'], june).map((x) => x.id)).toEqual(['s1']);
    // Another table named by none of them: no quote rather than a quote about something else.
    expect(examplesFor(v.examples, ['fact_order', 'orders'], june)).toEqual([]);
    // 'invoices' is named by e1 (in the window) and not by the old s3; a window a year later quotes nothing.
    expect(examplesFor(v.examples, ['invoices'], june).map((x) => x.id)).toEqual(['e1']);
    expect(examplesFor(v.examples, ['invoices'], { start: '2027-06-01', end: '2027-06-30', days: 30 })).toEqual([]);
    // The month before the window still counts as near; s3 (Dec 2025) is six months before.
    expect(examplesFor(v.examples, ['dupes'], { start: '2026-07-01', end: '2026-07-30', days: 30 }).map((x) => x.id).sort()).toEqual(['s1', 's2']);
  });

  it('does not quote a message stating more rows than the table holds in the window', () => {
    expect(statedCounts('I found 4,597 duplicate order_ids in fact_order, see DATA-10423 and /pull/12345 on 2026-06-30 (12.5%)')).toEqual([4597]);
    expect(statedCounts('a retried load wrote 14733 card transactions twice, 35 of them today')).toEqual([14733]);
    const v = (id: string, text: string) => ({ ref: id, id, source: 'email' as const, role: 'data_eng' as const, day: '2026-06-20', text });
    const june = { start: '2026-06-01', end: '2026-06-30', days: 30 };
    const quotes = [v('a', 'found 4,597 duplicate order_ids in orders'), v('b', 'orders show up twice'), v('c', '76 orders loaded twice')];
    expect(examplesFor(quotes, ['orders'], june, 3, 1600).map((x) => x.id)).toEqual(['b', 'c']);
    expect(examplesFor(quotes, ['orders'], june, 3, 5000).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});

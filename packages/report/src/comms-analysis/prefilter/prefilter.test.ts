import { describe, expect, it } from 'vitest';
import type { CommsThread } from '../types.js';
import { prefilterThreads, scoreThread } from './prefilter.js';

const thread = (id: string, texts: string[], opts: { ts?: string; bucket?: string; channel?: string; role?: CommsThread['messages'][number]['role']; code?: boolean; links?: string[] } = {}): CommsThread => {
  const ts = new Date(opts.ts ?? '2026-05-10T18:00:00Z');
  return {
    id,
    source: 'slack',
    channel: opts.channel ?? 'c1',
    bucket: opts.bucket ?? 'platform',
    ts,
    messages: texts.map((text, i) => ({ messageId: `${id}-${i}`, ts: new Date(ts.getTime() + i * 60_000), userId: `u${i}`, role: opts.role ?? 'other', text, isRoot: i === 0, hasLink: (opts.links ?? []).length > 0, linkDomains: opts.links ?? [], hasAttachment: false, attachmentNames: [], hasCode: opts.code ?? false })),
  };
};

describe('prefilter', () => {
  it('scores data problems above near-miss chatter, with reasons', () => {
    const data = scoreThread(thread('a', ['we have duplicate rows in fact_order after the replay, counts are inflated']));
    const near = scoreThread(thread('b', ['I got a duplicate invite for the offsite, join the call at 3']));
    const chat = scoreThread(thread('c', ['who wants pizza']));
    expect(data.score).toBeGreaterThanOrEqual(0.35);
    expect(near.score).toBeLessThan(0.35);
    expect(chat.score).toBe(0);
    expect(data.reasons.some((r) => r.startsWith('keywords:+'))).toBe(true);
    expect(near.reasons.some((r) => r.startsWith('near_miss:-'))).toBe(true);
  });

  it('adds structure, role and event-correlation boosts', () => {
    const plain = scoreThread(thread('a', ['the numbers look off in the report']));
    const withRole = scoreThread(thread('a', ['the numbers look off in the report'], { role: 'exec' }));
    const withCode = scoreThread(thread('a', ['the numbers look off in the report'], { code: true, links: ['looker.example'] }));
    expect(withRole.score).toBeGreaterThan(plain.score);
    expect(withCode.score).toBeGreaterThan(plain.score);
    const t = thread('e', ['the numbers look off in the report'], { ts: '2026-05-11T10:00:00Z' });
    const [noEvent] = prefilterThreads([t], { threshold: 0.35, timeZone: 'America/Los_Angeles' });
    const [withEvent] = prefilterThreads([t], { threshold: 0.35, timeZone: 'America/Los_Angeles', events: [{ days: ['2026-05-10'] }] });
    const [farEvent] = prefilterThreads([t], { threshold: 0.35, timeZone: 'America/Los_Angeles', events: [{ days: ['2026-04-01'] }] });
    expect(withEvent.prefilterScore).toBeCloseTo(noEvent.prefilterScore + 0.12, 6);
    expect(withEvent.reasons).toContain('event:+0.12');
    expect(farEvent.prefilterScore).toBe(noEvent.prefilterScore);
  });

  it('keeps ≥ threshold, else the top N per local day per channel, and drops non-allowlisted buckets', () => {
    const threads = [
      thread('hi', ['duplicate rows in fact_order, the join drops orphaned customer_id keys']),
      ...Array.from({ length: 5 }, (_, i) => thread(`lo${i}`, [i < 4 ? `the dashboard ${'looks odd '.repeat(i + 1)}` : 'lunch?'])),
      thread('social', ['duplicate rows in fact_order'], { bucket: 'social' }),
    ];
    const res = prefilterThreads(threads, { threshold: 0.35, timeZone: 'UTC', topPerDayChannel: 3 });
    const by = new Map(res.map((r) => [r.id, r]));
    expect(by.get('hi')!.keptBy).toBe('threshold');
    expect(by.get('social')!.kept).toBe(false);
    expect(by.get('social')!.keptBy).toBe('bucket_not_allowed');
    const fallback = res.filter((r) => r.keptBy === 'top_per_day_channel');
    expect(fallback.length).toBe(2); // 3 per day×channel including the one above threshold
    expect(by.get('lo4')!.kept).toBe(false); // zero score is never kept
  });
});

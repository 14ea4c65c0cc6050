import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_OPTIONS, itemFeatures, type FeatureItem, type FeatureOptions } from './features.js';

const msg = (text: string, isRoot: boolean) => ({ text, role: 'other' as const, isRoot, hasCode: false, linkDomains: [], attachmentNames: [] });
const slack = (...texts: string[]): FeatureItem => ({ source: 'slack', messages: texts.map((t, i) => msg(t, i === 0)) });
const opts = (o: Partial<FeatureOptions>): FeatureOptions => ({ ...DEFAULT_FEATURE_OPTIONS, ...o });

const CHATTER = 'pizza is here in the kitchen, grab a slice before the all hands, there is also cake and coffee for everyone on the fourth floor';
const PROBLEM = 'orders doubled overnight';

describe('itemFeatures: how the messages of a thread combine', () => {
  it('sum: one bag over the thread, so a short reply is diluted by a long chatty root', () => {
    const alone = itemFeatures(slack(PROBLEM), opts({ pool: 'sum' })).get('u:doubled')!;
    const diluted = itemFeatures(slack(CHATTER, PROBLEM), opts({ pool: 'sum' })).get('u:doubled')!;
    expect(diluted).toBeLessThan(alone / 2);
  });

  it('max: each message normalised on its own, so the reply keeps the weight it has alone', () => {
    const alone = itemFeatures(slack(PROBLEM), opts({ pool: 'max' })).get('u:doubled')!;
    const inThread = itemFeatures(slack(CHATTER, PROBLEM), opts({ pool: 'max' })).get('u:doubled')!;
    expect(inThread).toBeCloseTo(alone, 6);
    // a word in two messages takes the larger of its two per-message values, never their sum
    const twice = itemFeatures(slack(PROBLEM, PROBLEM), opts({ pool: 'max' })).get('u:doubled')!;
    expect(twice).toBeCloseTo(alone, 6);
  });

  it('both: the summed bag and the pooled bag (m-prefixed), each scaled by 1/sqrt(2)', () => {
    const f = itemFeatures(slack(PROBLEM), opts({ pool: 'both' }));
    const sum = itemFeatures(slack(PROBLEM), opts({ pool: 'sum' })).get('u:doubled')!;
    expect(f.get('u:doubled')).toBeCloseTo(sum * Math.SQRT1_2, 6);
    expect(f.get('mu:doubled')).toBeCloseTo(sum * Math.SQRT1_2, 6);
  });

  it('character n-grams only in the range asked for, none when null', () => {
    const grams = (o: Partial<FeatureOptions>) => [...itemFeatures(slack('duplicates'), opts(o)).keys()].filter((k) => k.startsWith('c:'));
    expect(grams({ charNgrams: null })).toEqual([]);
    expect(new Set(grams({ charNgrams: [3, 3] }).map((k) => k.length - 2))).toEqual(new Set([3]));
    expect(grams({ charNgrams: [3, 5] })).toContain('c:<dupl');
  });

  it('groupNorm: word n-grams and character n-grams each have unit norm on their own', () => {
    const norm = (f: Map<string, number>, char: boolean) => Math.hypot(...[...f].filter(([k]) => /^[ubc]:/.test(k) && k.startsWith('c:') === char).map(([, v]) => v));
    const split = itemFeatures(slack(PROBLEM), opts({ pool: 'max', groupNorm: true }));
    expect(norm(split, false)).toBeCloseTo(1, 6);
    expect(norm(split, true)).toBeCloseTo(1, 6);
    // one norm over both: the many character n-grams leave the words a small share
    const joint = itemFeatures(slack(PROBLEM), opts({ pool: 'max' }));
    expect(Math.hypot(norm(joint, false), norm(joint, true))).toBeCloseTo(1, 6);
    expect(norm(joint, false)).toBeLessThan(0.5);
    expect(split.get('u:doubled')!).toBeGreaterThan(2 * joint.get('u:doubled')!);
  });

  it('lexCounts: distinct data-word hits and "data word, no problem framing" as K: features', () => {
    const keys = (text: string) => [...itemFeatures(slack(text), opts({ lexCounts: true })).keys()].filter((k) => k.startsWith('K:'));
    expect(keys('who is up for tacos at noon')).toEqual(expect.arrayContaining(['K:dw:0', 'K:trap:0', 'K:prob:0']));
    expect(keys('my office badge stopped working again')).toEqual(expect.arrayContaining(['K:trap:1', 'K:dw-noprob', 'K:trap-only']));
    expect([...itemFeatures(slack('tacos'), opts({})).keys()].some((k) => k.startsWith('K:'))).toBe(false);
  });

  it("subject: an e-mail's first line, without Re:/Fwd: prefixes, as s: features", () => {
    const mail: FeatureItem = { source: 'email', messages: [msg('Subject: Re: Fwd: Stale revenue numbers\n\nhi all, see below', true)] };
    const keys = [...itemFeatures(mail, opts({ subject: true })).keys()].filter((k) => k.startsWith('s:'));
    expect(keys.sort()).toEqual(['s:numbers', 's:revenue', 's:stale']);
    expect([...itemFeatures(mail, opts({ subject: false })).keys()].some((k) => k.startsWith('s:'))).toBe(false);
  });
});

describe('itemFeatures: problem language near a data word', () => {
  const near = (text: string) => itemFeatures(slack(text), opts({ problemNear: 40 }));
  it('flags a complaint about a data object, not the same word in an everyday sense', () => {
    expect(near('the orders table is stale since monday').get('P:near')).toBe(1);
    expect(near('the orders table is stale since monday').get('P:near:prob.symptom')).toBe(1);
    expect(near('my charger is missing, left it in the meeting room').has('P:near')).toBe(false);
    expect(near('my charger is missing, left it in the meeting room').get('P:alone')).toBe(1);
    // a theme phrase counts as a data word too, and "are stale" is one: the option does not separate these
    expect(near('the bagels in the kitchen are stale').get('P:near')).toBe(1);
  });
  it('is off unless asked for', () => {
    expect([...itemFeatures(slack('the orders table is stale'), opts({})).keys()].some((k) => k.startsWith('P:'))).toBe(false);
  });
});

describe('itemFeatures: an e-mail’s quoted history', () => {
  const mail = (text: string): FeatureItem => ({ source: 'email', messages: [msg(text, true)] });
  const REPLY = 'Thanks, works now! See you at the offsite.\n\nOn Tue, 24 Nov 2026 at 15:02, Sanjay <s@example.com> wrote:\n> Could I get read access to the orders schema? Getting permission denied.';
  it('reads the quoted messages as one more reply, scaled by `quoted`', () => {
    const f = itemFeatures(mail(REPLY), opts({ pool: 'max', quoted: 0.5 }));
    expect(f.get('u:permission')).toBeGreaterThan(0);
    const full = itemFeatures(mail(REPLY), opts({ pool: 'max', quoted: 1 }));
    expect(full.get('u:permission')!).toBeCloseTo(2 * f.get('u:permission')!, 6);
    // the newest message's own words are not scaled
    expect(full.get('u:offsite')).toBeCloseTo(f.get('u:offsite')!, 6);
  });
  it('does not read them when `quoted` is off', () => {
    expect(itemFeatures(mail(REPLY), opts({ pool: 'max' })).has('u:permission')).toBe(false);
  });
});

describe('itemFeatures: pasted links', () => {
  const keys = (text: string) => [...itemFeatures(slack(text), opts({})).keys()];
  it('a link is one word for its kind, without the URL path and query string as words', () => {
    const k = keys('the tile https://company.looker.com/dashboards/412?Region=EMEA&Date%20Range=last%2030%20days is off');
    expect(k.filter((x) => x.startsWith('u:')).sort()).toEqual(['u:datatoollink', 'u:is', 'u:off', 'u:the', 'u:tile']);
    expect(k).toContain('b:tile datatoollink');
    // the link word has no character n-grams of its own
    expect(k.some((x) => x.startsWith('c:') && x.includes('link'))).toBe(false);
  });
  it('each kind of link has its own word', () => {
    const k = keys('sheet https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0 vs https://github.com/acme/dbt/pull/7 and https://acme.zoom.us/j/1');
    expect(k.filter((x) => x.startsWith('u:') && x.endsWith('link')).sort()).toEqual(['u:codelink', 'u:sheetlink', 'u:weblink']);
  });
});

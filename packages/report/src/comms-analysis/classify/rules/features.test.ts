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

  it("subject: an e-mail's first line, without Re:/Fwd: prefixes, as s: features", () => {
    const mail: FeatureItem = { source: 'email', messages: [msg('Subject: Re: Fwd: Stale revenue numbers\n\nhi all, see below', true)] };
    const keys = [...itemFeatures(mail, opts({ subject: true })).keys()].filter((k) => k.startsWith('s:'));
    expect(keys.sort()).toEqual(['s:numbers', 's:revenue', 's:stale']);
    expect([...itemFeatures(mail, opts({ subject: false })).keys()].some((k) => k.startsWith('s:'))).toBe(false);
  });
});

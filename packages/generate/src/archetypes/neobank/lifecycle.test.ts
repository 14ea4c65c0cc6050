import { describe, expect, it } from 'vitest';
import { NeobankBehaviourSchema, type NeobankBehaviour } from '@dnr/core';
import { eventWindow } from '../../behaviour/window.js';
import { inflowDayWeights } from '../../behaviour/inflow.js';
import { cardExpiry, simulateAccounts } from './accounts.js';
import { simulateCustomers } from './customers.js';
import { declineDayShifts, declineIncidents } from './declines.js';
import { applyGrowthEvents } from './growth.js';
import { neobankModel } from './model.js';
import { simulateRecurring } from './recurring.js';
import { simulateSubscriptions } from './subscriptions.js';

const WINDOW = eventWindow('2026-06-30', 18, 'America/Los_Angeles');
const model = (patch: Record<string, unknown> = {}) => neobankModel(NeobankBehaviourSchema.parse(patch) as NeobankBehaviour, WINDOW, 42, 'T1');
const localDate = (m: ReturnType<typeof model>, utc: number) => new Date(Date.parse(`${m.window.startDate}T00:00:00Z`) + m.clock.dayOf(utc) * 86_400_000).toISOString().slice(0, 10);

describe('neobank cards expire at the end of their expiry month and are renewed ahead', () => {
  const m = model();
  it('cardExpiry: the last second of the expiry month on the bank clock', () => {
    const issued = m.clock.midnight(40) + 15 * 3600; // 2025-02-10 local
    const exp = cardExpiry(m, issued, 1);
    expect(localDate(m, exp)).toBe('2026-02-28');
    expect(localDate(m, exp + 1)).toBe('2026-03-01');
  });

  it('expired cards: expiry on a month end, a renewal issued 30–60 days before and activated before it for most', () => {
    const c = simulateCustomers(m, 12_000);
    const ac = simulateAccounts(m, c);
    const expired = ac.cards.map((card, k) => ({ card, k })).filter(({ card }) => card.endReason === 'expired');
    expect(expired.length).toBeGreaterThan(200);
    let monthEnd = 0;
    const leads: number[] = [];
    let switchedBefore = 0;
    for (const { card, k } of expired) {
      if (localDate(m, card.ended + 1).endsWith('-01')) monthEnd++;
      const next = ac.cards[k + 1];
      expect(next.account).toBe(card.account);
      leads.push((card.ended - next.issued) / 86400);
      if (card.retired < card.ended) switchedBefore++;
    }
    expect(monthEnd).toBe(expired.length);
    leads.sort((a, b) => a - b);
    expect(leads[Math.floor(leads.length / 2)]).toBeGreaterThan(35);
    expect(leads[Math.floor(leads.length / 2)]).toBeLessThan(55);
    expect(switchedBefore / expired.length).toBeGreaterThan(0.8);
  });
});

describe('neobank sign-up growth events', () => {
  it('scale the day weights inside their dates only, ramping in and fading', () => {
    const b = NeobankBehaviourSchema.parse({ growth_events: { push: { from: '2025-03-01', to: '2025-03-31', multiplier: 2, ramp_days: 0 }, dip: { from: '2025-06-01', multiplier: 0.5, ramp_days: 10 } } }) as NeobankBehaviour;
    const w = new Float64Array(200).fill(1);
    applyGrowthEvents(b, '2025-01-01', 0, w);
    expect(w[58]).toBe(1); // 2025-02-28
    expect(w[59]).toBe(2); // 2025-03-01
    expect(w[89]).toBe(2); // 2025-03-31
    expect(w[90]).toBe(1);
    expect(w[151]).toBeCloseTo(0.95, 6); // 2025-06-01: day 1 of a 10-day ramp
    expect(w[199]).toBeCloseTo(0.5, 6); // lasting
  });

  it('default events make monthly sign-ups move by more than the smooth curve', () => {
    const cv = (patch: Record<string, unknown>) => {
      const b = NeobankBehaviourSchema.parse(patch) as NeobankBehaviour;
      const w = inflowDayWeights(b.inflow, 0.4, '2025-01-01', -1095, 546, [], 'signup');
      applyGrowthEvents(b, '2025-01-01', -1095, w);
      const months: number[] = [];
      for (let j = 0; j + 30 <= w.length; j += 30) months.push(w.slice(j, j + 30).reduce((x, y) => x + y, 0));
      const mean = months.reduce((x, y) => x + y, 0) / months.length;
      return Math.sqrt(months.reduce((x, y) => x + (y - mean) ** 2, 0) / months.length) / mean;
    };
    expect(cv({})).toBeGreaterThan(cv({ growth_events: {} }) + 0.05);
  });
});

describe('neobank decline rate moves over time', () => {
  const m = model();
  it('month-of-year, month-end and policy terms per day', () => {
    const s = declineDayShifts(m);
    const at = (d: number) => s[d + 2];
    // 2025-01-10: January 0.1, before any policy change
    expect(at(9)).toBeCloseTo(0.1, 6);
    // 2025-01-31: January + month end
    expect(at(30)).toBeCloseTo(0.25, 6);
    // 2025-06-10: June 0 + the fraud model (−0.2, rolled out)
    expect(at(160)).toBeCloseTo(-0.2, 6);
    // 2025-12-10: December 0.16 − 0.2 + 0.24
    expect(at(343)).toBeCloseTo(0.2, 6);
  });

  it('incidents on the bank clock', () => {
    const [outage] = declineIncidents(m);
    expect(outage.to - outage.from).toBe(5 * 3600);
    expect(localDate(m, outage.from)).toBe('2025-08-14');
    expect(outage.logOdds).toBe(2.8);
  });
});

describe('neobank dunning recovery depends on the segment, plan and balance', () => {
  it('overall recovery 60–85%, gig workers recover less than salaried customers', () => {
    const m = model();
    const c = simulateCustomers(m, 30_000);
    const ac = simulateAccounts(m, c);
    const subs = simulateSubscriptions(m, c, ac);
    const bySeg = new Map<string, { failed: number; recovered: number }>();
    for (const e of subs.events) {
      if (e.type !== 'payment_failed' && e.type !== 'payment_recovered') continue;
      const seg = m.segmentNames[c.segment[e.customer]];
      const x = bySeg.get(seg) ?? { failed: 0, recovered: 0 };
      if (e.type === 'payment_failed') x.failed++;
      else x.recovered++;
      bySeg.set(seg, x);
    }
    const all = [...bySeg.values()].reduce((a, x) => ({ failed: a.failed + x.failed, recovered: a.recovered + x.recovered }), { failed: 0, recovered: 0 });
    expect(all.failed).toBeGreaterThan(300);
    const rate = all.recovered / all.failed;
    expect(rate).toBeGreaterThan(0.6);
    expect(rate).toBeLessThan(0.85);
    const r = (s: string) => bySeg.get(s)!.recovered / bySeg.get(s)!.failed;
    expect(r('salaried_primary') - r('gig_worker')).toBeGreaterThan(0.1);
  });
});

/**
 * The onboarding funnel after KYC, measured on the simulated world: the share of verified customers
 * who get a checking account and the share of still-open, month-old checking accounts that get a card.
 * Both draws are plain Bernoulli trials at the declared conversions, so each share must be within 4
 * binomial standard errors of it.
 */
function postKyc(patch: Record<string, unknown>, n = 30_000) {
  const m = model(patch);
  const c = simulateCustomers(m, n);
  const ac = simulateAccounts(m, c);
  const hasCard = new Set(ac.cards.map((k) => k.account));
  let verified = 0;
  let opened = 0;
  let accounts = 0;
  let carded = 0;
  for (let i = 0; i < c.n; i++) {
    // decided a day before the window end: the account (minutes later) cannot be cut off by the end
    if (c.kyc[i] !== 0 || c.kycDecided[i] >= m.endUtc - 86400) continue;
    verified++;
    const a = ac.checkingOf[i];
    if (a < 0) continue;
    opened++;
    const acct = ac.accounts[a];
    // month-old accounts never closed: neither the window end nor a closure can cut the card issue short
    if (acct.opened >= m.endUtc - 30 * 86400 || Number.isFinite(acct.closed)) continue;
    accounts++;
    if (hasCard.has(a)) carded++;
  }
  return { m, c, ac, verified, opened, accounts, carded };
}

const within = (k: number, n: number, p: number) => Math.abs(k / n - p) <= 4 * Math.sqrt((p * (1 - p)) / n) + 1e-12;

describe('neobank onboarding drops off after KYC: not every verified customer gets an account, nor every account a card', () => {
  it('default conversions (account 0.96, card 0.95) within 4 binomial standard errors, and each drop-out recorded as an exit', () => {
    const w = postKyc({});
    expect(w.verified).toBeGreaterThan(20_000);
    expect(w.accounts).toBeGreaterThan(10_000);
    expect(within(w.opened, w.verified, 0.96), `account ${w.opened}/${w.verified}`).toBe(true);
    expect(within(w.carded, w.accounts, 0.95), `card ${w.carded}/${w.accounts}`).toBe(true);
    // the drop-outs are real (not a 0.999 leak): a few percent each
    expect(1 - w.opened / w.verified).toBeGreaterThan(0.03);
    expect(1 - w.carded / w.accounts).toBeGreaterThan(0.035);
    const { c, ac } = w;
    const hasCard = new Set(ac.cards.map((k) => k.account));
    for (let i = 0; i < c.n; i++) {
      const a = ac.checkingOf[i];
      if (ac.exit[i] === 1) expect(a).toBe(-1);
      if (ac.exit[i] === 2) expect(a >= 0 && !hasCard.has(a)).toBe(true);
      if (ac.exit[i] !== 0) expect(c.kyc[i]).toBe(0);
    }
    const exits = (x: number) => ac.exit.filter((e) => e === x).length;
    expect(exits(1)).toBeGreaterThan(0.03 * w.verified);
    expect(exits(2)).toBeGreaterThan(0.035 * w.opened);
  });

  it('drop-outs have nothing downstream: no account ⇒ no account, card, first spend, premium or card-on-file service; no card ⇒ no first spend or card-on-file service', () => {
    const { m, c, ac } = postKyc({}, 12_000);
    const subs = simulateSubscriptions(m, c, ac);
    const recurring = simulateRecurring(m, c, ac);
    const withAccount = new Set(ac.accounts.map((a) => a.customer));
    const withCard = new Set(ac.cards.map((k) => k.customer));
    const billed = new Set(recurring.map((r) => r.customer));
    let noAccount = 0;
    let noCard = 0;
    for (let i = 0; i < c.n; i++) {
      if (ac.exit[i] === 1) {
        noAccount++;
        expect(withAccount.has(i) || withCard.has(i) || subs.premium.has(i) || billed.has(i)).toBe(false);
        expect(Number.isNaN(ac.firstSpend[i])).toBe(true);
      }
      if (ac.exit[i] === 2) {
        noCard++;
        expect(withAccount.has(i)).toBe(true);
        expect(withCard.has(i) || billed.has(i)).toBe(false);
        expect(Number.isNaN(ac.firstSpend[i])).toBe(true);
      }
    }
    expect(noAccount).toBeGreaterThan(100);
    expect(noCard).toBeGreaterThan(100);
    // card-less customers keep their account and can still be premium (the plan needs an account, not a card)
    const cardlessPremium = [...subs.premium.keys()].filter((i) => ac.exit[i] === 2).length;
    expect(cardlessPremium).toBeGreaterThan(0);
  });

  it('the conversions come from config: 0.7 and 0.8 are measured as such; 1 and 1 leave no drop-out', () => {
    const w = postKyc({ onboarding: { account_open: { conversion: 0.7 }, card_issue: { conversion: 0.8 } } }, 20_000);
    expect(within(w.opened, w.verified, 0.7), `account ${w.opened}/${w.verified}`).toBe(true);
    expect(within(w.carded, w.accounts, 0.8), `card ${w.carded}/${w.accounts}`).toBe(true);
    const all = postKyc({ onboarding: { account_open: { conversion: 1 }, card_issue: { conversion: 1 } } }, 20_000);
    expect(all.opened).toBe(all.verified);
    expect(all.carded).toBe(all.accounts);
    expect(all.ac.exit.every((e) => e === 0)).toBe(true);
  });
});

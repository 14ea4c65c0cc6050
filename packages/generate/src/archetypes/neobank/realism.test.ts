import { describe, expect, it } from 'vitest';
import { NeobankBehaviourSchema, type NeobankBehaviour } from '@dnr/core';
import { eventWindow } from '../../behaviour/window.js';
import { simulateAccounts, type AccountsAndCards } from './accounts.js';
import { simulateCustomers, type Customers } from './customers.js';
import { neobankModel, type NeobankModel } from './model.js';
import { simulateSubscriptions } from './subscriptions.js';

const WINDOW = eventWindow('2026-06-30', 18, 'America/Los_Angeles');

function world(patch: Record<string, unknown> = {}, n = 30_000): { m: NeobankModel; c: Customers; ac: AccountsAndCards } {
  const b: NeobankBehaviour = NeobankBehaviourSchema.parse(patch);
  const m = neobankModel(b, WINDOW, 42, 'T1');
  const c = simulateCustomers(m, n);
  return { m, c, ac: simulateAccounts(m, c) };
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];

describe('neobank lags have tails of days (no 24 h wall)', () => {
  const { m, c, ac } = world();
  it('sign-up → documents submitted: most within the session, a tail of days', () => {
    const lagsH: number[] = [];
    for (let i = 0; i < c.n; i++) if (Number.isFinite(c.kycSubmitted[i])) lagsH.push((c.kycSubmitted[i] - c.signup[i]) / 3600);
    const within24 = lagsH.filter((x) => x <= 24).length / lagsH.length;
    const over3d = lagsH.filter((x) => x > 72).length / lagsH.length;
    // declared: 84% fast (median 12 min), 16% slow (median 60 h, log-sd 0.9) → ≈ 87% within a day, ≈ 6% after 3 days
    expect(within24).toBeGreaterThan(0.82);
    expect(within24).toBeLessThan(0.92);
    expect(over3d).toBeGreaterThan(0.03);
    expect(quantile(lagsH, 0.5)).toBeLessThan(2);
    expect(quantile(lagsH, 0.99)).toBeGreaterThan(24 * 5);
  });

  it('account opened → first card issued: most within a day, a long tail of days (no 24 h wall)', () => {
    const lagsH = ac.accounts.flatMap((a, j) => {
      const card = ac.cards.find((k) => k.account === j);
      return a.type === 'checking' && card ? [(card.issued - a.opened) / 3600] : [];
    });
    const within24 = lagsH.filter((x) => x <= 24).length / lagsH.length;
    // default onboarding.card_issue: a lognormal body (median 10 h) and a 20% tail around 80 h
    expect(within24).toBeGreaterThan(0.55);
    expect(within24).toBeLessThan(0.85);
    const at = (lo: number, hi: number) => lagsH.filter((x) => x > lo && x <= hi).length;
    expect(at(24, 28) / Math.max(1, at(20, 24))).toBeGreaterThan(0.5);
    expect(lagsH.filter((x) => x > 24 * 4).length / lagsH.length).toBeGreaterThan(0.04);
  });

  it('manual review opens minutes after submission, not at a fixed offset', () => {
    const s: number[] = [];
    for (let i = 0; i < c.n; i++) if (c.kycReview[i]) s.push(Math.round(c.kycReviewAt[i] - c.kycSubmitted[i]));
    expect(s.length).toBeGreaterThan(500);
    expect(quantile(s, 0.9) / Math.max(1, quantile(s, 0.1))).toBeGreaterThan(4);
    expect(quantile(s, 0.5)).toBeGreaterThan(60);
    expect(quantile(s, 0.5)).toBeLessThan(1800);
  });

  it('dunning: failure → cancellation varies (jittered retries, grace period), and some pay late in grace', () => {
    const subs = simulateSubscriptions(m, c, ac);
    const lastFail = new Map<number, number>();
    const cancelD: number[] = [];
    const recoverD: number[] = [];
    for (const e of [...subs.events].sort((a, b) => a.at - b.at)) {
      if (e.type === 'payment_failed') lastFail.set(e.customer, e.at);
      const f = lastFail.get(e.customer);
      if (f === undefined) continue;
      if (e.type === 'dunning_cancelled') cancelD.push((e.at - f) / 86400);
      if (e.type === 'payment_recovered') recoverD.push((e.at - f) / 86400);
    }
    expect(cancelD.length).toBeGreaterThan(30);
    // distinct to the second (day fractions at 1e-5): a fixed delay would give one value
    expect(new Set(cancelD.map((d) => d.toFixed(5))).size).toBeGreaterThan(cancelD.length * 0.9);
    expect(quantile(cancelD, 0.9) - quantile(cancelD, 0.1)).toBeGreaterThan(2);
    // recoveries after the last scheduled retry (day 5) are grace-period payments
    expect(recoverD.filter((d) => d > 6.5).length).toBeGreaterThan(0);
  });
});

/** Share of verified 2025 sign-ups of a calendar month (1–12) who make a first card spend. */
function spendingShareByMonth(m: NeobankModel, c: Customers, ac: AccountsAndCards): Array<{ month: number; n: number; p: number }> {
  const by = new Map<number, { n: number; k: number }>();
  for (let i = 0; i < c.n; i++) {
    if (c.kyc[i] !== 0) continue;
    const d = m.clock.dayOf(c.signup[i]) - m.days.fromDay;
    if (m.days.year[d] !== 2025) continue;
    const x = by.get(m.days.month[d] + 1) ?? { n: 0, k: 0 };
    x.n++;
    if (Number.isFinite(ac.firstSpend[i])) x.k++;
    by.set(m.days.month[d] + 1, x);
  }
  return [...by].sort((a, b) => a[0] - b[0]).map(([month, x]) => ({ month, n: x.n, p: x.k / x.n }));
}

describe('acquisition campaigns make monthly cohorts differ', () => {
  const se = (a: { n: number; p: number }, b: { n: number; p: number }) => Math.sqrt((a.p * (1 - a.p)) / a.n + (b.p * (1 - b.p)) / b.n);

  it('a January bonus cohort spends less often than the referral-push cohort, by many standard errors', () => {
    const { m, c, ac } = world({}, 60_000);
    const rows = spendingShareByMonth(m, c, ac);
    const jan = rows.find((r) => r.month === 1)!;
    const jun = rows.find((r) => r.month === 6)!;
    expect(jan.n).toBeGreaterThan(500);
    expect((jun.p - jan.p) / se(jan, jun)).toBeGreaterThan(5);
  });

  it('without campaigns or shocks the same months are clones (difference within noise)', () => {
    const { m, c, ac } = world({ acquisition_campaigns: {}, cohort_shocks: { activity_sigma: 0, churn_sigma: 0, kyc_sigma: 0 }, vintage: {} }, 60_000);
    const rows = spendingShareByMonth(m, c, ac);
    const jan = rows.find((r) => r.month === 1)!;
    const jun = rows.find((r) => r.month === 6)!;
    expect(Math.abs(jun.p - jan.p) / se(jan, jun)).toBeLessThan(3);
  });

  it('the dormant multiplier and segment tilt of a campaign reach its sign-ups only', () => {
    const campaigns = { test_push: { from: '2025-03-01', to: '2025-03-31', dormant_multiplier: 6, segment_tilt: { traveller: 5 } } };
    const { m, c } = world({ acquisition_campaigns: campaigns, cohort_shocks: { activity_sigma: 0, churn_sigma: 0, kyc_sigma: 0 } }, 60_000);
    const traveller = m.segmentNames.indexOf('traveller');
    const stats = (month: number) => {
      let n = 0;
      let dormant = 0;
      let trav = 0;
      for (let i = 0; i < c.n; i++) {
        const d = m.clock.dayOf(c.signup[i]) - m.days.fromDay;
        if (m.days.year[d] !== 2025 || m.days.month[d] + 1 !== month) continue;
        n++;
        dormant += c.dormant[i];
        trav += c.segment[i] === traveller ? 1 : 0;
      }
      return { dormant: dormant / n, traveller: trav / n };
    };
    const mar = stats(3);
    const feb = stats(2);
    expect(mar.dormant).toBeGreaterThan(3 * feb.dormant);
    expect(mar.traveller).toBeGreaterThan(2.5 * feb.traveller);
  });
});

describe('premium takers spend differently all along (self-selection), not only more often while premium', () => {
  it('customers who ever hold a paid plan have bigger usual tickets and more travel and dining in their mix', async () => {
    const { applyPremiumTakers } = await import('./customers.js');
    const { m, c, ac } = world({}, 20_000);
    const subs = simulateSubscriptions(m, c, ac);
    const before = { ticket: Float32Array.from(c.ticket), cum: Float32Array.from(c.sectorCum) };
    applyPremiumTakers(m, c, subs.premium);
    const S = c.sectorCum.length / c.n;
    const travel = 4; // SECTORS: grocery, dining, transport, retail, travel, …
    const share = (cum: ArrayLike<number>, i: number, j: number) => cum[i * S + j] - (j > 0 ? cum[i * S + j - 1] : 0);
    const takers = [...subs.premium.keys()];
    expect(takers.length).toBeGreaterThan(500);
    let ratio = 0;
    for (const i of takers) {
      // default ticket_lift 0.3, travel ×1.8 (renormalised: the share grows, by less than 1.8× where it was already large)
      expect(c.ticket[i] / before.ticket[i]).toBeCloseTo(1.3, 5);
      expect(share(c.sectorCum, i, travel)).toBeGreaterThan(share(before.cum, i, travel));
      expect(c.sectorCum[i * S + S - 1]).toBe(1);
      ratio += share(c.sectorCum, i, travel) / share(before.cum, i, travel) / takers.length;
    }
    expect(ratio).toBeGreaterThan(1.55);
    expect(ratio).toBeLessThan(1.8);
    // everyone else is untouched
    const others = Array.from({ length: c.n }, (_, i) => i).filter((i) => !subs.premium.has(i)).slice(0, 200);
    for (const i of others) expect(c.ticket[i]).toBe(before.ticket[i]);
  });
});

import type { RandomStream } from '@dnr/core';
import { cumulativeTenureHazard, invertTenureHazard, tenureHazardRate } from '../../behaviour/hazard.js';
import { lagSeconds } from '../../behaviour/lag.js';
import type { Account, AccountsAndCards } from './accounts.js';
import type { Customers } from './customers.js';
import type { NeobankModel } from './model.js';

export const PLAN_FREE = 1;
export const PLAN_PREMIUM = 2;
export const PLAN_ANNUAL = 3;
const PRICE: Record<number, number> = { [PLAN_PREMIUM]: 999, [PLAN_ANNUAL]: 9990 };

export type SubscriptionEventType = 'upgrade' | 'plan_switch' | 'cancel_requested' | 'downgrade' | 'payment_failed' | 'payment_recovered' | 'dunning_cancelled';

export interface SubscriptionEvent {
  customer: number;
  at: number;
  type: SubscriptionEventType;
  plan: number;
  previous: number;
}

export interface Invoice {
  customer: number;
  plan: number;
  /** Period start/end as timeline days (local dates, end inclusive). */
  startDay: number;
  endDay: number;
  /** Unix seconds, NaN = never paid. */
  paidAt: number;
  amountCents: number;
  /** Unix seconds of the first charge attempt (the invoice's event time when unpaid). */
  dueAt: number;
}

export interface Subscriptions {
  events: SubscriptionEvent[];
  /** Invoices with a period start inside the window. */
  invoices: Invoice[];
  /** Paid-plan intervals per customer [from, to) (for the premium spend lift). */
  premium: Map<number, Array<[number, number]>>;
  /** Multiplier applied to the upgrade hazard to reach the configured premium share. */
  upgradeScale: number;
}

/**
 * The premium state machine of every customer with a checking account, with the upgrade hazard's
 * level solved (bisection) so the share of customers with a paid invoice in the window matches
 * `subscriptions.premium_share`; its timing, cadence switches, cancellations and dunning come from config.
 */
export function simulateSubscriptions(m: NeobankModel, c: Customers, ac: AccountsAndCards): Subscriptions {
  const target = Math.round(m.b.subscriptions.premium_share * c.n);
  const payers = (s: Subscriptions) => new Set(s.invoices.map((x) => x.customer)).size;
  const tol = Math.max(1, Math.floor(target * 0.003));
  const runs = new Map<number, { run: Subscriptions; f: number }>();
  const f = (x: number) => {
    const run = runSubscriptions(m, c, ac, Math.exp(x));
    const r = { run, f: payers(run) - target };
    runs.set(x, r);
    return r.f;
  };
  // bracket the root in log(scale) (payers rise with the upgrade hazard), then regula falsi (Illinois)
  let a = 0;
  let fa = f(a);
  let b = fa < 0 ? Math.log(4) : -Math.log(4);
  let fb = f(b);
  for (let k = 0; k < 12 && Math.sign(fa) === Math.sign(fb) && Math.abs(fb) > tol; k++) {
    [a, fa] = [b, fb];
    b = b + (b - 0 > 0 ? Math.log(4) : -Math.log(4));
    fb = f(b);
  }
  let side = 0;
  for (let it = 0; it < 30 && Math.abs(fa) > tol && Math.abs(fb) > tol && Math.sign(fa) !== Math.sign(fb); it++) {
    const x = (a * fb - b * fa) / (fb - fa);
    const fx = f(x);
    if (Math.sign(fx) === Math.sign(fb)) {
      [b, fb] = [x, fx];
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      [a, fa] = [x, fx];
      if (side === 1) fb /= 2;
      side = 1;
    }
  }
  return [...runs.values()].reduce((p, q) => (Math.abs(q.f) < Math.abs(p.f) ? q : p)).run;
}

const MONTH_S = 30.4375 * 86400;
/** Upgrade hazard multiplier once the customer no longer uses the card. */
const CHURNED_UPGRADE = 0.2;

/**
 * When a free customer upgrades, from E ~ Exp(1): the tenure hazard (× propensity × scale) from account
 * opening, or the constant win-back hazard (propensity null); a fifth of it after the customer churned.
 */
function nextUpgrade(m: NeobankModel, from: number, opened: number, churn: number, e: number, propensity: number | null): number {
  const s = m.b.subscriptions;
  if (propensity === null) {
    const rate = s.winback / MONTH_S;
    if (rate <= 0) return Infinity;
    const t = from + e / rate;
    return t <= churn || from >= churn ? (from >= churn ? from + e / (rate * CHURNED_UPGRADE) : t) : churn + (e - (churn - from) * rate) / (rate * CHURNED_UPGRADE);
  }
  if (propensity <= 0 || s.upgrade.monthly <= 0) return Infinity;
  const tenure = (x: number) => (x - opened) / MONTH_S;
  const h0 = cumulativeTenureHazard(s.upgrade, tenure(from));
  const active = propensity * (from < churn ? 1 : CHURNED_UPGRADE);
  const up = opened + invertTenureHazard(s.upgrade, h0 + e / active) * MONTH_S;
  if (up <= churn || from >= churn) return up;
  const used = (cumulativeTenureHazard(s.upgrade, tenure(churn)) - h0) * propensity;
  return opened + invertTenureHazard(s.upgrade, cumulativeTenureHazard(s.upgrade, tenure(churn)) + (e - used) / (propensity * CHURNED_UPGRADE)) * MONTH_S;
}

/**
 * Log-odds of customer i's first dunning retry succeeding on a monthly plan: retry_success, less for a
 * riskier segment (decline_risk^−risk_retry_exponent: thinner balances), plus the customer's own balance
 * effect (normal, customer_retry_sigma; one draw per customer).
 */
export function retryLogOdds(m: NeobankModel, i: number, declineRisk: number): number {
  const s = m.b.subscriptions;
  const p = Math.min(Math.max(s.retry_success, 1e-6), 1 - 1e-6);
  return Math.log(p / (1 - p)) - s.risk_retry_exponent * Math.log(declineRisk) + s.customer_retry_sigma * m.rs('subscription.balance').standardNormal(i);
}

/**
 * Dunning after a failed renewal charge of `plan`: retries around the scheduled days (lognormal jitter
 * of retry_jitter_sigma), the j-th succeeding with odds exp(`logOdds` + annual_retry_log_odds on the
 * annual plan) × retry_decay^j; after the last failed retry a grace period (dunning_grace) that ends in
 * a payment (grace_recovery) or the cancellation. Returns the payment time (NaN = never paid), the
 * cancellation time (Infinity when paid) and the next draw index.
 */
function dunning(m: NeobankModel, i: number, failedAt: number, stop: number, draw: number, plan: number, logOdds: number): { paidAt: number; cancelAt: number; draw: number } {
  const s = m.b.subscriptions;
  const rs = m.rs('subscription.dunning');
  let last = failedAt;
  const lo0 = logOdds + (plan === PLAN_ANNUAL ? s.annual_retry_log_odds : 0);
  for (const [j, rd] of s.retry_days.entries()) {
    const retryAt = Math.max(last + 3600, failedAt + rd * 86400 * Math.exp(s.retry_jitter_sigma * rs.standardNormal(i, draw++)));
    last = retryAt;
    if (retryAt >= stop) return { paidAt: NaN, cancelAt: Infinity, draw };
    const lo = lo0 + j * Math.log(s.retry_decay);
    if (rs.uniform(i, draw++) < 1 / (1 + Math.exp(-lo))) return { paidAt: retryAt, cancelAt: Infinity, draw };
  }
  const graceEnd = last + lagSeconds(s.dunning_grace, rs.standardNormal(i, draw++));
  if (rs.uniform(i, draw++) < s.grace_recovery) {
    const paid = last + rs.uniform(i, draw++) * (graceEnd - last);
    if (paid < stop) return { paidAt: paid, cancelAt: Infinity, draw };
  }
  return { paidAt: NaN, cancelAt: graceEnd, draw };
}

/** One pass of the state machine with the upgrade hazard × scale, over the customers with a checking account. */
function runSubscriptions(m: NeobankModel, c: Customers, ac: AccountsAndCards, scale: number): Subscriptions {
  const rs = m.rs('subscription');
  const out: Subscriptions = { events: [], invoices: [], premium: new Map(), upgradeScale: scale };
  for (let i = 0; i < c.n; i++) {
    const a = ac.checkingOf[i];
    if (a >= 0) customerSubscriptions(m, rs, c, ac.accounts[a], i, scale, out);
  }
  return out;
}

/** A premium spell being simulated: the customer's draws and the spell's fixed facts; `draw` and `plan` advance. */
interface Spell {
  /** The customer's index and the next draw index of its 'subscription' stream. */
  i: number;
  draw: number;
  /** The plan billed now (PLAN_PREMIUM or PLAN_ANNUAL). */
  plan: number;
  /** Unix seconds: the upgrade that started the spell, the customer's churn, and the account's closure or the window end. */
  upAt: number;
  churn: number;
  stop: number;
  /** Chance that a renewal charge fails (the segment's decline risk scales its odds). */
  failP: number;
  /** Log-odds of the first dunning retry succeeding on the monthly plan (retryLogOdds). */
  retryLogOdds: number;
}

/**
 * Customer i's premium spells on checking account `acct`: free until the next upgrade (or, after a
 * cancellation, win-back) drawn from its hazard in one step, then a premium spell; at most 20 spells.
 * Appends events, invoices and the customer's paid-plan intervals to `out`.
 */
function customerSubscriptions(m: NeobankModel, rs: RandomStream, c: Customers, acct: Account, i: number, scale: number, out: Subscriptions): void {
  const s = m.b.subscriptions;
  const seg = m.b.segments[m.segmentNames[c.segment[i]]];
  const stop = Math.min(acct.closed, m.endUtc);
  const failOdds = (s.payment_failure / (1 - s.payment_failure)) * Math.sqrt(seg.decline_risk);
  const failP = failOdds / (1 + failOdds);
  const retryLo = retryLogOdds(m, i, seg.decline_risk);
  let t = acct.opened;
  let draw = 0;
  let wasPremium = false;
  let spell = 0;
  while (t < stop && spell < 20) {
    const upAt = nextUpgrade(m, t, acct.opened, c.churn[i], -Math.log(rs.uniform(i, 1000 + spell++)), wasPremium ? null : seg.premium_propensity * scale);
    if (!(upAt < stop)) break;
    wasPremium = true;
    const plan = rs.uniform(i, draw++) < s.annual_at_upgrade ? PLAN_ANNUAL : PLAN_PREMIUM;
    const sp: Spell = { i, draw, plan, upAt, churn: c.churn[i], stop, failP, retryLogOdds: retryLo };
    out.events.push({ customer: i, at: upAt, type: 'upgrade', plan: sp.plan, previous: PLAN_FREE });
    const endedAt = premiumSpell(m, rs, sp, out);
    draw = sp.draw;
    const list = out.premium.get(i) ?? [];
    list.push([upAt, endedAt]);
    out.premium.set(i, list);
    t = endedAt;
  }
}

/**
 * The billing periods of a premium spell from its upgrade day (monthly or annual, anchored on the
 * upgrade's day of month): each period's charge (charged in the small hours, 02–08 h local, of its
 * start; the first at the upgrade itself), then a cancellation or a cadence switch. Returns the spell
 * end (Unix s): a dunning cancellation, the end of a cancelled period, or `sp.stop`; at most 200 periods.
 */
function premiumSpell(m: NeobankModel, rs: RandomStream, sp: Spell, out: Subscriptions): number {
  const anchorDay = m.clock.dayOf(sp.upAt);
  const dom = m.days.domOf(anchorDay);
  let k = 0;
  let periodStart = anchorDay;
  // the renewal job runs in the small hours (02–08 h local) of a period's first day, over that day's real
  // hours: it charges the period and applies what was scheduled for the period end (a downgrade, a cadence switch)
  const renewalAt = (day: number, u: number) => (day < m.clock.toDay ? m.hours.billing.utcAt(day, u, (u * 1024) % 1) : Infinity);
  let due = renewalAt(periodStart, rs.uniform(sp.i, sp.draw++));
  for (let period = 0; period < 200; period++) {
    const at = period === 0 ? sp.upAt : due;
    if (at >= sp.stop) return sp.stop;
    const months = sp.plan === PLAN_ANNUAL ? 12 : 1;
    const nextStart = m.days.addMonths(anchorDay, k + months, dom);
    const dunned = chargePeriod(m, rs, sp, out, period === 0, at, periodStart, nextStart);
    if (!Number.isNaN(dunned)) return dunned;
    due = renewalAt(nextStart, rs.uniform(sp.i, sp.draw++));
    const cancelled = cancelOrSwitch(m, rs, sp, out, at, due, months);
    if (!Number.isNaN(cancelled)) return cancelled;
    k += months;
    periodStart = nextStart;
  }
  return sp.stop;
}

/**
 * The charge of a period (local days startDay … nextStart − 1) due at Unix s `at`: the first one
 * succeeds 5 s after the upgrade; a renewal fails with `sp.failP` and goes to dunning. Appends the
 * payment events and the period's invoice (periods starting before the window have none; paid after
 * the window end = unpaid). Returns the spell end when dunning cancelled it, else NaN.
 */
function chargePeriod(m: NeobankModel, rs: RandomStream, sp: Spell, out: Subscriptions, first: boolean, at: number, startDay: number, nextStart: number): number {
  const { i, plan } = sp;
  let paidAt = NaN;
  let endedAt = NaN;
  if (first || rs.uniform(i, sp.draw++) >= sp.failP) paidAt = at + (first ? 5 : 0);
  else {
    out.events.push({ customer: i, at, type: 'payment_failed', plan, previous: plan });
    const d = dunning(m, i, at, sp.stop, sp.draw, plan, sp.retryLogOdds);
    sp.draw = d.draw;
    paidAt = d.paidAt;
    if (!Number.isNaN(paidAt)) out.events.push({ customer: i, at: paidAt, type: 'payment_recovered', plan, previous: plan });
    else {
      if (d.cancelAt < sp.stop) out.events.push({ customer: i, at: d.cancelAt, type: 'dunning_cancelled', plan: PLAN_FREE, previous: plan });
      endedAt = Math.min(d.cancelAt, sp.stop);
    }
  }
  if (startDay >= 0) out.invoices.push({ customer: i, plan, startDay, endDay: nextStart - 1, paidAt: paidAt < m.endUtc ? paidAt : NaN, amountCents: PRICE[plan], dueAt: at });
  return endedAt;
}

/**
 * After a period's charge at Unix s `at`: a voluntary cancel (tenure hazard, × 4 once the card is no
 * longer used) requested during the period and effective at its end, or else a cadence switch (monthly ↔
 * annual) at the next period start, which updates `sp.plan`; both applied by the next period's renewal
 * job at Unix s `periodEnd` (Infinity beyond the simulated days). Returns the spell end
 * when cancelled, else NaN.
 */
function cancelOrSwitch(m: NeobankModel, rs: RandomStream, sp: Spell, out: Subscriptions, at: number, periodEnd: number, months: number): number {
  const s = m.b.subscriptions;
  const { i, plan } = sp;
  const cancelRate = tenureHazardRate(s.cancel, (at - sp.upAt) / MONTH_S) * (at > sp.churn ? 4 : 1);
  const pCancel = 1 - Math.exp(-cancelRate * months);
  if (rs.uniform(i, sp.draw++) < pCancel) {
    const req = at + rs.uniform(i, sp.draw++) * (periodEnd - at);
    if (req < sp.stop) out.events.push({ customer: i, at: req, type: 'cancel_requested', plan, previous: plan });
    if (periodEnd < sp.stop) out.events.push({ customer: i, at: periodEnd, type: 'downgrade', plan: PLAN_FREE, previous: plan });
    return Math.min(periodEnd, sp.stop);
  }
  const switchP = plan === PLAN_PREMIUM ? 1 - Math.exp(-s.monthly_to_annual) : s.annual_to_monthly_at_renewal;
  if (rs.uniform(i, sp.draw++) < switchP && periodEnd < sp.stop) {
    const next = plan === PLAN_PREMIUM ? PLAN_ANNUAL : PLAN_PREMIUM;
    out.events.push({ customer: i, at: periodEnd, type: 'plan_switch', plan: next, previous: plan });
    sp.plan = next;
  }
  return NaN;
}

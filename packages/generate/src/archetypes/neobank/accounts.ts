import { lagSeconds } from '../../behaviour/lag.js';
import { DAYS_PER_MONTH } from '../../behaviour/window.js';
import { shiftOdds, type Customers } from './customers.js';
import { tailedLagSeconds } from './lags.js';
import { atLocalHour, type NeobankModel } from './model.js';

const MONTH_S = DAYS_PER_MONTH * 86400;

export interface Account {
  customer: number;
  type: 'checking' | 'savings';
  opened: number;
  /** Closed at (Unix s) or Infinity. */
  closed: number;
  /** Freeze episodes [from, to) (to = Infinity: still frozen). */
  freezes: Array<[number, number]>;
}

export interface Card {
  account: number;
  customer: number;
  issued: number;
  /** NaN = never activated. */
  activated: number;
  /** When it stops approving (loss, expiry at the end of its expiry month, account closure) or Infinity. */
  ended: number;
  /** When the customer stops using it (a renewed card: the replacement's activation, or its expiry if earlier; else = ended). */
  retired: number;
  endReason: 'lost' | 'expired' | 'closed' | null;
}

export interface AccountsAndCards {
  accounts: Account[];
  cards: Card[];
  /** Index of each customer's checking account, −1 without one. */
  checkingOf: Int32Array;
  /** Customer's first card activation and first spend (NaN = never). */
  firstSpend: Float64Array;
  /** Account closure after churn or a bank closure (Infinity = open). */
  closedAt: Float64Array;
  /**
   * Where a verified customer left the onboarding funnel by the declared conversions (ONBOARDING_EXIT:
   * 0 none, 1 never opened the account — onboarding.account_open.conversion —, 2 the card was never
   * issued — onboarding.card_issue.conversion); the window end cutting a step short is not an exit.
   */
  exit: Uint8Array;
}

/** Names of AccountsAndCards.exit codes, as the behaviour truth writes them (null = no exit). */
export const ONBOARDING_EXIT = [null, 'account_not_opened', 'card_not_issued'] as const;

/**
 * Accounts and cards of verified customers: checking opened minutes after KYC by
 * onboarding.account_open.conversion of them (the others never get an account, card or transaction), savings for some,
 * freezes (fraud/compliance: short ones, and long reviews that end in closure or an unfreeze), closure some time
 * after churn; one card chain per checking account for onboarding.card_issue.conversion of them (the
 * others keep the account with no card), with activation drop-off, loss and expiry replacements.
 */
export function simulateAccounts(m: NeobankModel, c: Customers): AccountsAndCards {
  const { b } = m;
  const ob = b.onboarding;
  const rs = m.rs('account');
  const names = m.segmentNames;
  const out: AccountsAndCards = {
    accounts: [],
    cards: [],
    checkingOf: new Int32Array(c.n).fill(-1),
    firstSpend: new Float64Array(c.n).fill(NaN),
    closedAt: new Float64Array(c.n).fill(Infinity),
    exit: new Uint8Array(c.n),
  };
  for (let i = 0; i < c.n; i++) {
    if (c.kyc[i] !== 0) continue;
    // verified applicants who never accept the account agreement / finish the set-up in the app
    if (rs.uniform(i, 7) >= ob.account_open.conversion) {
      out.exit[i] = 1;
      continue;
    }
    const seg = b.segments[names[c.segment[i]]];
    const opened = c.kycDecided[i] + lagSeconds(ob.account_open.lag, rs.standardNormal(i, 0));
    if (opened >= m.endUtc) continue;
    // closure: some churned customers close their accounts; the rest stay open and dormant
    let closed = Infinity;
    if (Number.isFinite(c.churn[i]) && rs.uniform(i, 1) < b.accounts.close_after_churn) closed = Math.max(opened + 3600, c.churn[i] + lagSeconds(b.accounts.close_lag, rs.standardNormal(i, 2)));
    const { freezes, review } = simulateFreezes(m, i, opened, closed, seg.decline_risk);
    const last = freezes[freezes.length - 1];
    if (last && last[1] < closed && rs.uniform(i, 3) < (review ? b.accounts.freeze.review_close_share : b.accounts.freeze.close_share)) closed = last[1];
    if (closed >= m.endUtc) closed = Infinity;
    out.closedAt[i] = closed;
    out.checkingOf[i] = out.accounts.length;
    out.accounts.push({ customer: i, type: 'checking', opened, closed, freezes });
    if (rs.uniform(i, 4) < seg.savings_share) {
      const sOpened = opened + 86400 + lagSeconds(b.accounts.savings_lag, rs.standardNormal(i, 5));
      if (sOpened < Math.min(closed, m.endUtc)) out.accounts.push({ customer: i, type: 'savings', opened: sOpened, closed, freezes: [] });
    }
    const firstActivated = simulateCards(m, out, i, out.checkingOf[i], opened, closed, c.activationShift[i], c.zone[i]);
    if (Number.isFinite(firstActivated) && !c.dormant[i]) {
      const fs = firstActivated + lagSeconds(ob.first_spend, rs.standardNormal(i, 6));
      if (fs < Math.min(c.churn[i], closed, m.endUtc)) out.firstSpend[i] = fs;
    }
  }
  return out;
}

/**
 * Freeze episodes [from, to) from a monthly hazard (scaled by the segment's decline risk) while the
 * account is open; each is a short freeze (duration) or a long compliance review (review_duration,
 * the account's last freeze). `review`: the last episode was a review (its closure odds differ).
 */
function simulateFreezes(m: NeobankModel, i: number, opened: number, closed: number, risk: number): { freezes: Array<[number, number]>; review: boolean } {
  const f = m.b.accounts.freeze;
  const rs = m.rs('account.freeze');
  const rate = (f.monthly_hazard * risk) / MONTH_S;
  const out: Array<[number, number]> = [];
  const stop = Math.min(closed, m.endUtc);
  let t = opened;
  for (let k = 0; k < 8 && rate > 0; k++) {
    t += -Math.log(rs.uniform(i, 3 * k)) / rate;
    if (t >= stop) break;
    const review = rs.uniform(i, 3 * k + 1) < f.review_share;
    const end = t + lagSeconds(review ? f.review_duration : f.duration, rs.standardNormal(i, 3 * k + 2));
    out.push([t, end]);
    // a long review ends the account's freezes: closed after it (decided by the caller) or unfrozen for good
    if (review) return { freezes: out, review };
    t = end;
  }
  return { freezes: out, review: false };
}

/**
 * Unix seconds at which a card issued at `issued` with a validity of `years` expires: the end of its
 * expiry month (cards print MM/YY and are good through the month's last day), on the bank's clock.
 */
export function cardExpiry(m: NeobankModel, issued: number, years: number): number {
  const local = new Date(Date.parse(`${m.window.startDate}T00:00:00Z`) + m.clock.dayOf(issued) * 86_400_000);
  const next = Date.UTC(local.getUTCFullYear() + years, local.getUTCMonth() + 1, 1);
  const day = Math.round((next - Date.parse(`${m.window.startDate}T00:00:00Z`)) / 86_400_000);
  // past the clock's days only the order against the window end matters
  return (day < m.clock.toDay ? m.clock.midnight(day) : next / 1000 + 8 * 3600) - 1;
}

/**
 * The card chain of a checking account: the first card is issued after opening and activated by most;
 * a lost card stops at once and is replaced the same day; a card is good through the end of its expiry
 * month, and its renewal is mailed renewal_lead_days before: spend moves to the renewal once it is
 * activated, while the old card stays valid (status active) until it expires; activations at the app
 * hours of the customer's zone `zone`. Returns the first activation.
 */
function simulateCards(m: NeobankModel, out: AccountsAndCards, i: number, account: number, opened: number, closed: number, activationShift: number, zone: number): number {
  const cb = m.b.cards;
  const ob = m.b.onboarding;
  const rs = m.rs('card');
  const lostRate = cb.lost_monthly_hazard / MONTH_S;
  const validityOf = (k: number) => cb.validity_years[Math.floor(rs.uniform(i, 90 + k) * cb.validity_years.length)];
  const stop = Math.min(closed, m.endUtc);
  // the card processor issues the card after a continuous, long-tailed wait; it is activated in the app when it arrives
  // some never get a card (address check fails, mail returned): the account stays, card-less
  if (rs.uniform(i, 3) >= ob.card_issue.conversion) {
    out.exit[i] = 2;
    return NaN;
  }
  let issued = opened + 60 + tailedLagSeconds(ob.card_issue.lag, rs.standardNormal(i, 0), rs.uniform(i, 7));
  if (issued >= stop) return NaN;
  let activated =
    rs.uniform(i, 1) < shiftOdds(ob.card_activate.conversion, -activationShift) ? atLocalHour(m, issued + lagSeconds(ob.card_activate.lag, rs.standardNormal(i, 2)), issued + 3600, m.appHours[zone], rs.uniform(i, 5), rs.uniform(i, 6)) : NaN;
  const first = activated;
  const closedInWindow = closed < m.endUtc;
  for (let k = 0; k < 12; k++) {
    const card: Card = { account, customer: i, issued, activated: activated < stop ? activated : NaN, ended: Infinity, retired: Infinity, endReason: null };
    out.cards.push(card);
    if (Number.isNaN(card.activated)) break;
    const lostAt = card.activated + -Math.log(rs.uniform(i, 10 + 4 * k)) / lostRate;
    const expiry = cardExpiry(m, issued, validityOf(k));
    // renewals go out in batches over the weeks before expiry; a lost card is replaced within a day or so
    const renewAt = expiry - cb.renewal_lead_days * 86400 * Math.exp(0.3 * rs.standardNormal(i, 60 + 2 * k));
    let nextIssue: number;
    if (lostAt < renewAt && lostAt < stop) {
      card.ended = card.retired = lostAt;
      card.endReason = 'lost';
      nextIssue = lostAt + lagSeconds(cb.replacement_issue, rs.standardNormal(i, 61 + 2 * k));
    } else if (renewAt < stop) {
      nextIssue = renewAt;
    } else {
      if (closedInWindow) [card.ended, card.retired, card.endReason] = [closed, closed, 'closed'];
      break;
    }
    const nextActivated = atLocalHour(m, nextIssue + lagSeconds(cb.replacement_activation, rs.standardNormal(i, 11 + 4 * k)), nextIssue + 3600, m.appHours[zone], rs.uniform(i, 12 + 4 * k), rs.uniform(i, 13 + 4 * k));
    if (card.endReason !== 'lost') renewalEnd(card, nextActivated, expiry, stop, closedInWindow ? closed : Infinity);
    if (nextIssue >= stop) break;
    issued = nextIssue;
    activated = nextActivated;
  }
  return first < stop ? first : NaN;
}

/**
 * A renewed card's end: used until the renewal is activated (or it expires first), valid until the end
 * of its expiry month; an account closure before the expiry (`closed`, Infinity = none) ends it instead.
 */
function renewalEnd(card: Card, nextActivated: number, expiry: number, stop: number, closed: number): void {
  if (expiry < stop) [card.ended, card.endReason] = [expiry, 'expired'];
  else if (closed < Infinity) [card.ended, card.endReason] = [closed, 'closed'];
  card.retired = Math.min(nextActivated, card.ended);
}

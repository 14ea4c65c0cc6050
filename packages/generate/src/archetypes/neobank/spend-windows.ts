import type { AccountsAndCards } from './accounts.js';
import type { Customers } from './customers.js';
import type { NeobankModel } from './model.js';
import type { Subscriptions } from './subscriptions.js';

/**
 * When each card can approve spend, as [from, to) Unix-second intervals inside the window: the card is
 * activated and not yet lost/retired for its renewal/expired/closed, the customer has started and not churned, and the account
 * is not frozen. Intervals are split where premium starts or ends (premium spends a little more).
 * `blocked` are the frozen stretches of an otherwise usable card: purchase attempts there are declined.
 */
export interface SpendWindows {
  card: Int32Array;
  customer: Int32Array;
  from: Float64Array;
  to: Float64Array;
  premium: Uint8Array;
  blocked: { card: number[]; customer: number[]; from: number[]; to: number[] };
}

type Iv = [number, number];

function subtract(ivs: Iv[], cuts: Iv[]): Iv[] {
  let cur = ivs;
  for (const [a, b] of cuts) {
    const next: Iv[] = [];
    for (const [x, y] of cur) {
      if (b <= x || a >= y) next.push([x, y]);
      else {
        if (a > x) next.push([x, a]);
        if (b < y) next.push([b, y]);
      }
    }
    cur = next;
  }
  return cur;
}

function intersect(ivs: Iv[], cuts: Iv[]): Iv[] {
  const out: Iv[] = [];
  for (const [x, y] of ivs) for (const [a, b] of cuts) if (Math.max(x, a) < Math.min(y, b)) out.push([Math.max(x, a), Math.min(y, b)]);
  return out;
}

export function spendWindows(m: NeobankModel, c: Customers, ac: AccountsAndCards, subs: Subscriptions): SpendWindows {
  const rows: Array<[number, number, number, number, number]> = [];
  const blocked: SpendWindows['blocked'] = { card: [], customer: [], from: [], to: [] };
  for (const [k, card] of ac.cards.entries()) {
    const i = card.customer;
    if (Number.isNaN(card.activated) || Number.isNaN(ac.firstSpend[i])) continue;
    const from = Math.max(card.activated, ac.firstSpend[i], m.startUtc);
    const to = Math.min(card.retired, c.churn[i], m.endUtc);
    if (!(from < to)) continue;
    const freezes = ac.accounts[card.account].freezes.map(([a, b]): Iv => [a, b]);
    for (const [a, b] of intersect([[from, to]], freezes)) {
      blocked.card.push(k);
      blocked.customer.push(i);
      blocked.from.push(a);
      blocked.to.push(b);
    }
    const usable = subtract([[from, to]], freezes);
    const prem = subs.premium.get(i) ?? [];
    for (const iv of intersect(usable, prem)) rows.push([k, i, iv[0], iv[1], 1]);
    for (const iv of subtract(usable, prem)) rows.push([k, i, iv[0], iv[1], 0]);
  }
  rows.sort((p, q) => p[0] - q[0] || p[2] - q[2]);
  return {
    card: Int32Array.from(rows, (r) => r[0]),
    customer: Int32Array.from(rows, (r) => r[1]),
    from: Float64Array.from(rows, (r) => r[2]),
    to: Float64Array.from(rows, (r) => r[3]),
    premium: Uint8Array.from(rows, (r) => r[4]),
    blocked,
  };
}

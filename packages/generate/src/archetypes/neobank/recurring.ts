import { MCCS } from '@dnr/core';
import { lagSeconds } from '../../behaviour/lag.js';
import { DAYS_PER_MONTH } from '../../behaviour/window.js';
import type { AccountsAndCards } from './accounts.js';
import type { Customers } from './customers.js';
import type { NeobankModel } from './model.js';

/**
 * One card-on-file service of a customer: charged once a month on `billDay` at its list price
 * (`priceCents`, raised by `risePct` every `riseEvery` months on the provider's own month), plus an
 * overage on a share `overageShare` of bills (uniform up to `overageMax` × price), times a seasonal swing
 * (1 + `seasonal` · cos(2π · month / 6)) and a multiplicative normal of sd `variable`.
 */
export interface RecurringService {
  customer: number;
  account: number;
  service: number;
  mcc: number;
  /** Uniform used to pick the merchant by popularity inside the MCC. */
  merchantU: number;
  priceCents: number;
  variable: number;
  risePct: number;
  riseEvery: number;
  overageShare: number;
  overageMax: number;
  seasonal: number;
  billDay: number;
  from: number;
  /** Last billing attempt bound (Unix s): the service's end, or after the account closed while it was live, the merchant's last try. */
  to: number;
  /** Closure of the account (Unix s) or Infinity: charges from then on are declined account_closed. */
  closed: number;
}

const MONTH_S = DAYS_PER_MONTH * 86400;

/** Index of a list price: by its weight (market share), or equally likely when weights are null. */
function pickPrice(weights: number[] | null, n: number, u: number): number {
  if (!weights) return Math.floor(u * n);
  const total = weights.reduce((x, y) => x + y, 0);
  let acc = 0;
  for (let j = 0; j < n - 1; j++) if (u < (acc += weights[j] / total)) return j;
  return n - 1;
}

/**
 * Recurring services of customers who spend: adopted with the service's adoption × the segment's
 * recurring multiplier, moved onto the card some weeks after the first spend, billed until the
 * customer cancels the service or closes the account (a merchant whose service was live at closure keeps
 * trying the closed card for a few months: declines.closed_account_billing_months); a customer who stops using the card moves most
 * bills elsewhere within weeks, and the rest keep billing (dormant accounts with only recurring charges).
 */
export function simulateRecurring(m: NeobankModel, c: Customers, ac: AccountsAndCards): RecurringService[] {
  const rs = m.rs('recurring');
  const services = Object.values(m.b.recurring);
  const out: RecurringService[] = [];
  const onboard = { median_hours: 24 * 40, sigma: 1.1 };
  const moveLag = { median_hours: 24 * 25, sigma: 0.8 };
  for (let i = 0; i < c.n; i++) {
    const fs = ac.firstSpend[i];
    const a = ac.checkingOf[i];
    if (Number.isNaN(fs) || a < 0) continue;
    const seg = m.b.segments[m.segmentNames[c.segment[i]]];
    const closed = ac.accounts[a].closed;
    for (const [j, svc] of services.entries()) {
      const k = i * 64 + j * 4;
      if (rs.uniform(k, 0) >= Math.min(0.95, svc.adoption * seg.recurring)) continue;
      const from = fs + lagSeconds(onboard, rs.standardNormal(k, 1));
      let to = Math.min(closed, from + (-Math.log(rs.uniform(k, 2)) / Math.max(svc.monthly_cancel, 1e-9)) * MONTH_S);
      // a customer who leaves moves most bills to the new bank within weeks; the others keep running
      if (Number.isFinite(c.churn[i]) && rs.uniform(k, 6) < m.b.accounts.bills_moved_at_churn) to = Math.min(to, c.churn[i] + lagSeconds(moveLag, rs.standardNormal(k, 7)));
      // the account closed while the service was live: the merchant keeps charging the card on file for
      // a few more billing months (all declined), then gives up
      if (to === closed && Number.isFinite(closed)) to = closed + -Math.log(rs.uniform(k, 8)) * m.b.declines.closed_account_billing_months * MONTH_S;
      if (!(from < Math.min(to, closed, m.endUtc)) || to <= m.startUtc) continue;
      out.push({
        customer: i,
        account: a,
        service: j,
        mcc: MCCS.findIndex((x) => x.mcc === svc.mcc),
        merchantU: rs.uniform(k, 3),
        priceCents: svc.price_points_cents[pickPrice(svc.price_weights, svc.price_points_cents.length, rs.uniform(k, 4))],
        variable: svc.variable,
        risePct: svc.price_rise_pct,
        riseEvery: svc.price_rise_every_months,
        overageShare: svc.overage_share,
        overageMax: svc.overage_max,
        seasonal: svc.seasonal,
        billDay: 1 + Math.floor(rs.uniform(k, 5) * 28),
        from,
        to,
        closed,
      });
    }
  }
  return out;
}

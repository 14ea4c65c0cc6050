import { MARKET_CATEGORY_KEYS } from '@dnr/core';
import { lagSeconds } from '../../behaviour/lag.js';
import { pickIndex } from '../../behaviour/segments.js';
import { cumulative } from './model.js';
import type { Listings } from './listings.js';
import type { MarketResult } from './market.js';
import type { MarketModel } from './model.js';
import type { Buyers, Sellers } from './parties.js';
import type { PaymentRisk } from './payment-risk.js';

/** Failure reasons of payment attempts (fact_payment_attempt.failure_reason), in config order. */
export const FAILURE_REASONS = ['card_declined', 'insufficient_funds', 'authentication_failed', 'processing_error'] as const;
/** Refund kinds (fact_refund.kind); a chargeback is a dispute the platform lost, dated at its outcome. */
export const REFUND_KINDS = ['cancellation', 'full', 'partial', 'chargeback'] as const;
/** Refund reasons (fact_refund.reason); the last three only on chargebacks. */
export const REFUND_REASONS = ['buyer_request', 'out_of_stock', 'not_received', 'not_as_described', 'damaged', 'returned_item', 'goodwill', 'fraudulent', 'duplicate', 'credit_not_processed'] as const;
/** Dispute reasons (fact_dispute.reason), in config order, and the refund reason of a lost one. */
export const DISPUTE_REASONS = ['fraudulent', 'product_not_received', 'not_as_described', 'duplicate', 'credit_not_processed'] as const;
const DISPUTE_REFUND_REASON = [7, 2, 3, 8, 9];
/** Dispute outcomes (fact_dispute.outcome). */
export const DISPUTE_OUTCOMES = ['won', 'lost', 'open'] as const;

/**
 * Payment attempts and refunds of the window's orders. Attempts: order index, attempt number (1…),
 * instant (Unix s), succeeded (0/1), failure reason index (−1 = none). Refunds: order index, kind and
 * reason indexes, instant, refunded item value in cents (−1 = the whole order).
 */
export interface MoneyEvents {
  /** Per order: 1 when a payment was captured, 0 when the buyer gave up after failed attempts. */
  paid: Uint8Array;
  /** Payment method names and, per order, the index of the buyer's method (payment-risk.ts). */
  methods: string[];
  method: Uint8Array;
  /**
   * Chargeback disputes: order index, reason and outcome indexes, opened and resolved instants (NaN
   * while open), disputed item value in cents (−1 = the whole payment).
   */
  disputes: { order: Int32Array; reason: Uint8Array; outcome: Uint8Array; opened: Float64Array; resolved: Float64Array; part: Float64Array; n: number };
  attempts: { order: Int32Array; no: Uint8Array; utc: Float64Array; ok: Uint8Array; reason: Int8Array; n: number };
  refunds: { order: Int32Array; kind: Uint8Array; reason: Uint8Array; utc: Float64Array; part: Float64Array; n: number };
}

/** Row lists of the three money tables while they are drawn (turned into typed columns at the end). */
interface AttemptRows {
  order: number[];
  no: number[];
  utc: number[];
  ok: number[];
  reason: number[];
}
interface RefundRows {
  order: number[];
  kind: number[];
  reason: number[];
  utc: number[];
  part: number[];
}
interface DisputeRows {
  order: number[];
  reason: number[];
  outcome: number[];
  opened: number[];
  resolved: number[];
  part: number[];
}

type Orders = MarketResult['orders'];
type Lines = MarketResult['lines'];

/** Standard normal deviate from two uniforms (Box–Muller, cosine branch). */
const normal = (u1: number, u2: number) => Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);

/**
 * Failed payment attempts with retries before the capture, then cancellations and full or partial
 * refunds after it. Rewrites `orders.captured`: the first attempt comes `checkout_lag` after the order,
 * the successful one after the failures (each retry a lognormal `retry_lag` later) and the capture its
 * payment method's `capture` wait after it, never past the order's local day. Failure odds follow the order's risk (method, buyer country, amount:
 * payment-risk.ts); failure and refund odds are higher for cross-border orders; refund odds
 * follow the order's top-level category. Refunds after the window end are not recorded (not happened yet).
 * Deterministic in the order's arrival index.
 */
export function simulateMoney(m: MarketModel, buyers: Buyers, sellers: Sellers, L: Listings, market: MarketResult, risk: PaymentRisk): MoneyEvents {
  const o = market.orders;
  const li = market.lines;
  const { firstLine, lineCount } = orderLines(o.n, li);
  const at: AttemptRows = { order: [], no: [], utc: [], ok: [], reason: [] };
  const rf: RefundRows = { order: [], kind: [], reason: [], utc: [], part: [] };
  const dp: DisputeRows = { order: [], reason: [], outcome: [], opened: [], resolved: [], part: [] };
  const pay = attemptRecorder(m, o, risk, at);
  const refund = refundRecorder(m, L, li, o, rf);
  const dispute = disputeRecorder(m, li, risk, dp, rf);
  const paid = new Uint8Array(o.n);
  for (let j = 0; j < o.n; j++) {
    const line = firstLine[j];
    const intl = sellers.country[li.seller[line]] !== buyers.country[o.buyer[j]];
    if (!pay(j, intl)) continue;
    paid[j] = 1;
    if (!refund(j, o.arrival[j], line, lineCount[j], intl, o.captured[j])) dispute(j, o.arrival[j], line, lineCount[j], intl, o.captured[j]);
  }
  return {
    paid,
    methods: risk.methods,
    method: risk.method,
    disputes: { order: Int32Array.from(dp.order), reason: Uint8Array.from(dp.reason), outcome: Uint8Array.from(dp.outcome), opened: Float64Array.from(dp.opened), resolved: Float64Array.from(dp.resolved), part: Float64Array.from(dp.part), n: dp.order.length },
    attempts: { order: Int32Array.from(at.order), no: Uint8Array.from(at.no), utc: Float64Array.from(at.utc), ok: Uint8Array.from(at.ok), reason: Int8Array.from(at.reason), n: at.order.length },
    refunds: { order: Int32Array.from(rf.order), kind: Uint8Array.from(rf.kind), reason: Uint8Array.from(rf.reason), utc: Float64Array.from(rf.utc), part: Float64Array.from(rf.part), n: rf.order.length },
  };
}

/** Per order (index into `orders`, `n` of them): the index of its line number 1 in `li` (−1 = none) and its line count. */
function orderLines(n: number, li: Lines): { firstLine: Int32Array; lineCount: Uint8Array } {
  const firstLine = new Int32Array(n).fill(-1);
  const lineCount = new Uint8Array(n);
  for (let j = 0; j < li.n; j++) {
    if (li.line[j] === 1) firstLine[li.order[j]] = j;
    lineCount[li.order[j]]++;
  }
  return { firstLine, lineCount };
}

/**
 * The payment attempts of order `j` (cross-border when `intl`): failures first (the order's risk scales
 * the first attempt's and the retries' failure odds; the buyer may give up after each), then the
 * capture. The first attempt comes `checkout_lag` after the order is created (the checkout's
 * authorisation request), each retry a lognormal `retry_lag` later, and the capture its method's
 * `capture` wait after the successful attempt; all clamped to the order's local day. Appends every
 * attempt to `at` and, when paid, sets `o.captured[j]`. Returns whether the order was paid.
 */
function attemptRecorder(m: MarketModel, o: Orders, risk: PaymentRisk, at: AttemptRows): (j: number, intl: boolean) => boolean {
  const p = m.b.payments;
  const rsPay = m.rs('payments.attempts');
  const rsWait = m.rs('payments.waits');
  const reasonCum = cumulative(FAILURE_REASONS.map((r) => p.failure_reasons[r]));
  const capture = risk.methods.map((k) => p.methods[k].capture);
  const seconds = (lag: { median_seconds: number; sigma: number }, z: number) => lag.median_seconds * Math.exp(lag.sigma * z);
  return (j, intl) => {
    const a = o.arrival[j];
    const mult = intl ? p.international_multiplier : 1;
    let failures = 0;
    let ok = true;
    if (p.max_failures > 0 && rsPay.uniform(a, 0) < Math.min(1, p.failure_rate * mult * risk.mult[j])) {
      failures = 1;
      for (;;) {
        if (failures >= p.max_failures || rsPay.uniform(a, 40 + failures) < p.give_up_rate) {
          ok = false;
          break;
        }
        if (rsPay.uniform(a, failures) >= Math.min(0.95, p.retry_failure_rate * Math.sqrt(risk.mult[j]))) break;
        failures++;
      }
    }
    const attempts = ok ? failures + 1 : failures;
    const dayEnd = m.clock.midnight(o.day[j] + 1) - 1;
    let t = o.utc[j] + Math.max(1, Math.round(seconds(p.checkout_lag, rsWait.standardNormal(a, 0))));
    for (let k = 0; k < attempts; k++) {
      if (k > 0) t += Math.max(1, Math.round(lagSeconds(p.retry_lag, normal(rsPay.uniform(a, 10 + 2 * k), rsPay.uniform(a, 11 + 2 * k)))));
      // room for the later attempts and the capture before the day ends
      const tk = Math.max(o.utc[j], Math.min(t, dayEnd - (attempts - k) - 1));
      const success = ok && k === failures;
      at.order.push(j);
      at.no.push(k + 1);
      at.utc.push(tk);
      at.ok.push(success ? 1 : 0);
      at.reason.push(success ? -1 : pickIndex(reasonCum, rsPay.uniform(a, 30 + k)));
      if (success) o.captured[j] = Math.min(tk + Math.max(1, Math.round(seconds(capture[risk.method[j]], rsWait.standardNormal(a, 1)))), dayEnd);
    }
    return ok;
  };
}

/** Reasons of full refunds and of partial ones (fact_refund.reason indexes, `payments.refund_reasons` keys). */
const FULL_REASONS = [2, 3] as const;
const PARTIAL_REASONS = [4, 5, 6] as const;

/**
 * The refund draw of paid order `j` (arrival index `a`, first line `line` of `n`, captured at Unix s
 * `captured`): a cancellation (kind 0; `cancellation_lag` after the capture), full refund (1, odds × the
 * cross-border multiplier) or partial refund (2), both × the order's top-level category multiplier and
 * its local month's `refund_month_of_year`. A full or partial refund's reason is drawn from
 * `refund_reasons` odds (not-received × the cross-border multiplier abroad) and comes that reason's lag
 * after the capture. Appends it to `rf` unless it falls after the window end. Returns false when the
 * order draws no refund (it may then be disputed).
 */
function refundRecorder(m: MarketModel, L: Listings, li: Lines, o: Orders, rf: RefundRows): (j: number, a: number, line: number, n: number, intl: boolean, captured: number) => boolean {
  const p = m.b.payments;
  const rsRefund = m.rs('payments.refunds');
  const rr = p.refund_reasons;
  const reasonOf = (x: number) => rr[REFUND_REASONS[x] as keyof typeof rr];
  const fullCum = [false, true].map((abroad) => cumulative(FULL_REASONS.map((x) => reasonOf(x).odds * (abroad && x === 2 ? p.international_multiplier : 1))));
  const partialCum = cumulative(PARTIAL_REASONS.map((x) => reasonOf(x).odds));
  return (j, a, line, n, intl, captured) => {
    const cm = p.category_refund_multiplier[MARKET_CATEGORY_KEYS[L.top[li.listing[line]]]] * p.refund_month_of_year[m.days.month[o.day[j] - m.days.fromDay]];
    const u = rsRefund.uniform(a, 0);
    const cancel = p.cancellation_rate;
    const full = cancel + p.full_refund_rate * cm * (intl ? p.international_multiplier : 1);
    const partial = full + p.partial_refund_rate * cm;
    if (u >= partial) return false;
    const kind = u < cancel ? 0 : u < full ? 1 : 2;
    const v = rsRefund.uniform(a, 3);
    const reason = kind === 0 ? (v < 0.6 ? 0 : 1) : kind === 1 ? FULL_REASONS[pickIndex(fullCum[intl ? 1 : 0], v)] : PARTIAL_REASONS[pickIndex(partialCum, v)];
    const lag = kind === 0 ? p.cancellation_lag : reasonOf(reason).lag;
    const when = captured + 60 + lagSeconds(lag, normal(rsRefund.uniform(a, 1), rsRefund.uniform(a, 2)));
    if (when >= m.endUtc) return true;
    rf.order.push(j);
    rf.kind.push(kind);
    rf.reason.push(reason);
    rf.utc.push(Math.floor(when));
    rf.part.push(kind === 2 ? partialRefundCents(li, line, n, reason, rsRefund.uniform(a, 4)) : -1);
    return true;
  };
}

/**
 * Cents refunded by a partial refund of an order whose lines are `li` rows `line`…`line + n − 1`:
 * for a returned item (reason 5) on a multi-line order, one whole line (picked by `u`); otherwise
 * 15–50% of the item subtotal (by `u`), at least 100 cents and at most the subtotal.
 */
function partialRefundCents(li: Lines, line: number, n: number, reason: number, u: number): number {
  if (n > 1 && reason === 5) {
    const x = line + Math.floor(u * n);
    return li.qty[x] * li.price[x];
  }
  let sub = 0;
  for (let x = line; x < line + n; x++) sub += li.qty[x] * li.price[x];
  return Math.min(Math.max(100, Math.round(sub * (0.15 + 0.35 * u))), sub);
}

/** Shortest wait from the capture to a dispute: the charge must have posted to the card. */
const MIN_DISPUTE_LAG_S = 2 * 86400;

/**
 * A chargeback on captured order `j` without refunds (first line `line` of `n`). Its odds per reason:
 * `dispute_rate` × the reason's odds share × the order's fraud risk (`risk.fraud`, mean 1) for
 * fraudulent disputes, × `international_multiplier` cross-border for the others. Partial (one line of
 * several, else one unit) with the reason's `partial_share` when the order has more than one unit.
 * Opened the reason's `open_lag` after capture (at least 2 days), won with its `win_rate` after
 * `won_lag` or lost after `lost_lag` (open when that falls after the window end); a lost one is also
 * a chargeback refund (kind 3) of the disputed item value at its outcome. Appends to `dp` and `rf`;
 * deterministic in the order's arrival index.
 */
function disputeRecorder(m: MarketModel, li: Lines, risk: PaymentRisk, dp: DisputeRows, rf: RefundRows): (j: number, a: number, line: number, n: number, intl: boolean, captured: number) => void {
  const p = m.b.payments;
  const rsDispute = m.rs('payments.disputes');
  const reasons = DISPUTE_REASONS.map((r) => p.dispute_reasons[r]);
  const total = reasons.reduce((s, r) => s + r.odds, 0);
  const base = reasons.map((r) => (total > 0 ? (p.dispute_rate * r.odds) / total : 0));
  const lag = (l: { median_hours: number; sigma: number }, a: number, k: number) => lagSeconds(l, normal(rsDispute.uniform(a, k), rsDispute.uniform(a, k + 1)));
  return (j, a, line, n, intl, captured) => {
    const u = rsDispute.uniform(a, 0);
    let reason = -1;
    let cum = 0;
    for (let r = 0; r < base.length; r++) {
      cum += base[r] * (r === 0 ? risk.fraud[j] : intl ? p.international_multiplier : 1);
      if (u < cum) {
        reason = r;
        break;
      }
    }
    if (reason < 0) return;
    const why = reasons[reason];
    const opened = Math.floor(captured + Math.max(MIN_DISPUTE_LAG_S, lag(why.open_lag, a, 1)));
    if (opened >= m.endUtc) return;
    const won = rsDispute.uniform(a, 6) < why.win_rate;
    const resolved = Math.floor(opened + lag(won ? why.won_lag : why.lost_lag, a, 4));
    const outcome = resolved >= m.endUtc ? 2 : won ? 0 : 1;
    let units = 0;
    for (let x = line; x < line + n; x++) units += li.qty[x];
    let part = -1;
    if (units > 1 && rsDispute.uniform(a, 7) < why.partial_share) {
      const x = line + Math.floor(rsDispute.uniform(a, 8) * n);
      part = n > 1 ? li.qty[x] * li.price[x] : li.price[x];
    }
    dp.order.push(j);
    dp.reason.push(reason);
    dp.outcome.push(outcome);
    dp.opened.push(opened);
    dp.resolved.push(outcome === 2 ? NaN : resolved);
    dp.part.push(part);
    if (outcome !== 1) return;
    rf.order.push(j);
    rf.kind.push(3);
    rf.reason.push(DISPUTE_REFUND_REASON[reason]);
    rf.utc.push(resolved);
    rf.part.push(part);
  };
}

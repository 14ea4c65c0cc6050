import { MarketplaceBehaviourSchema, type MarketplaceBehaviour } from '@dnr/core';
import { hasTables, marketplaceProfile, namedDays, type MarketplaceProfile, type ProfileSource } from '@dnr/profile';
import { checkRow, rangeRow, skipRow } from '../rows.js';
import type { GateRow } from '../types.js';
import { buyerOrderRows, buyerShareRows } from './behaviour-mp-buyers.js';
import { marketCalendarRows } from './behaviour-mp-calendar.js';
import { marketCohortRows } from './behaviour-mp-cohorts.js';
import { homeCountryRows, loyaltyRows } from './behaviour-mp-loyalty.js';
import { marketingRows } from './behaviour-mp-marketing.js';
import { concentrationRows } from './behaviour-mp-sellers.js';

const FAMILY = 'behaviour';
/** Standard errors a declared rate may be off by (docs/profile.md, "Behaviour gates"). */
const Z = 4;

/** The parts of the marketplace's `behaviour.payments` block the money gates read. */
interface DeclaredPayments {
  failure_rate: number;
  international_multiplier: number;
  cancellation_rate: number;
  full_refund_rate: number;
  partial_refund_rate: number;
}

/** A declared rate p measured on n orders: pass within p ± Z·√(p(1 − p)/n). */
function rateRow(gate: string, observed: number | null, p: number, n: number, detail: string): GateRow {
  if (!n || observed === null) return skipRow(FAMILY, gate, `no orders to measure (${detail})`);
  const se = Math.sqrt((p * (1 - p)) / n);
  return rangeRow(FAMILY, gate, observed, { min: Math.max(0, p - Z * se), max: p + Z * se }, { detail: `declared ${p.toFixed(5)} on ${n} orders (${detail}); bound = ${Z} standard errors` });
}

/**
 * Failed payments and refunds against `behaviour.payments`: the first-attempt failure rate (declared rate
 * × the cross-border multiplier at the measured cross-border share), the cancellation rate, and the full
 * and partial refund rates (declared × the mean declared category / cross-border odds of the measured orders).
 */
function moneyRows(p: MarketplaceProfile, d: DeclaredPayments | undefined): GateRow[] {
  if (!d) return [skipRow(FAMILY, 'payments', 'the behaviour truth declares no payments block')];
  const out: GateRow[] = [];
  const fp = p.failed_payments;
  if (!fp) out.push(skipRow(FAMILY, 'failed_payments', `not available in this warehouse (needs ${needs(p, 'failed_payments')})`));
  else {
    const expected = d.failure_rate * (1 + (d.international_multiplier - 1) * (fp.cross_border_share ?? 0));
    out.push(rateRow('failed_payments.first_attempt_failure_rate', fp.first_attempt_failure_rate, Math.min(1, expected), fp.orders, `failure_rate ${d.failure_rate} × ${d.international_multiplier} on the ${fp.cross_border_share} cross-border share`));
  }
  const rf = p.refunds;
  if (!rf) out.push(skipRow(FAMILY, 'refunds', `not available in this warehouse (needs ${needs(p, 'refunds')})`));
  else {
    const base = rf.refund_base;
    out.push(
      rateRow('refunds.cancellation_rate', rf.cancellation_rate, d.cancellation_rate, rf.cancel_base, 'paid orders placed ≥ 45 days before the window end'),
      rateRow('refunds.full_refund_rate', rf.full_refund_rate, base ? (d.full_refund_rate * rf.full_weight) / base : 0, base, 'paid orders placed ≥ 120 days before the window end; declared × mean category and cross-border odds'),
      rateRow('refunds.partial_refund_rate', rf.partial_refund_rate, base ? (d.partial_refund_rate * rf.partial_weight) / base : 0, base, 'paid orders placed ≥ 120 days before the window end; declared × mean category odds'),
    );
  }
  return out;
}

const needs = (p: MarketplaceProfile, section: string) => p.unavailable.find((u) => u.section === section)?.needs.join(', ') ?? 'tables it lacks';

/**
 * State consistency: no order line on an unavailable listing, no listing sold out without a sale. A
 * sale whose line lost its listing_id (a key null) leaves a sold-out listing without a line naming
 * it: when the ground truth records null listing keys (`listingKeyNulls` rows; null: no defects.json),
 * each such listing must have a line of its shop with a null listing_id on the day it sold out; when
 * it records none, no listing may be sold out without a sale.
 */
function stateRows(p: MarketplaceProfile, listingKeyNulls: number | null): GateRow[] {
  const c = p.consistency;
  if (!c) return [skipRow(FAMILY, 'state', `needs ${needs(p, 'consistency')}`)];
  const what = `listings sold out at the window end without a line naming them in the window and not already sold out on its first day (of ${c.sold_out})`;
  const soldOut = listingKeyNulls !== 0
    ? checkRow(FAMILY, 'state.sold_out_never_sold', c.sold_out_never_sold_unexplained === 0, c.sold_out_never_sold_unexplained, '= 0 unexplained', `${what}: ${c.sold_out_never_sold}, of which ${c.sold_out_never_sold_unexplained} without a line of their shop whose listing_id is null on the day they sold out (${listingKeyNulls === null ? 'no defects.json' : `defects.json: ${listingKeyNulls} null listing keys`})`)
    : checkRow(FAMILY, 'state.sold_out_never_sold', c.sold_out_never_sold === 0, c.sold_out_never_sold, '= 0', `${what}; defects.json records no null listing keys`);
  return [
    checkRow(FAMILY, 'state.lines_on_unavailable_listing', c.lines_on_unavailable_listing === 0, c.lines_on_unavailable_listing, '= 0', `order lines (of ${c.lines}) on a listing not active at the end of the day before nor at the end of the sale's day (snapshot_listing_daily)`),
    soldOut,
  ];
}

/** A group of gates that needs `tables`: its rows, or one skip row naming the missing tables. */
async function section(src: ProfileSource, gate: string, tables: string[], rows: () => Promise<GateRow[]>): Promise<GateRow[]> {
  const missing = tables.filter((t) => !src.tables.has(t));
  return hasTables(src, ...tables) ? rows() : [skipRow(FAMILY, gate, `not available in this warehouse (needs ${missing.join(', ')})`)];
}

const ORDERS = ['dim_buyer', 'fact_order', 'fact_order_item'];

/** Whole calendar months from the window start to its end. */
const windowMonths = (w: ProfileSource['window']) => (Number(w.end.slice(0, 4)) - Number(w.start.slice(0, 4))) * 12 + Number(w.end.slice(5, 7)) - Number(w.start.slice(5, 7)) + 1;

/** The declared behaviour (the truth's resolved section, defaults filled for keys it predates), or why not. */
function declaredOf(src: ProfileSource): MarketplaceBehaviour | string {
  const parsed = MarketplaceBehaviourSchema.safeParse(src.truth?.behaviour ?? {});
  return parsed.success ? parsed.data : `the behaviour truth's marketplace section does not read as the current behaviour model (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`;
}

/**
 * Marketplace behaviour against the truth (`listingKeyNulls`: fact_order_item rows whose listing_id
 * defects.json records nulled by key nulls and null spikes, null without defects.json): state consistency and money rates; buyer segment shares
 * and their declared order; seller concentration; cohorts and churn from sign-up; named days;
 * repeat-to-same-shop and home-country lift; the marketing funnel. A group whose tables are absent is
 * one skip row naming them.
 */
export async function marketplaceBehaviourRows(src: ProfileSource, rates: Record<string, number>, listingKeyNulls: number | null): Promise<GateRow[]> {
  const p = await marketplaceProfile(src, rates, []);
  const declaredPayments = (src.truth?.behaviour as { payments?: DeclaredPayments } | undefined)?.payments;
  const d = declaredOf(src);
  if (typeof d === 'string') return [...stateRows(p, listingKeyNulls), ...moneyRows(p, declaredPayments), skipRow(FAMILY, 'declared', d)];
  return [
    ...stateRows(p, listingKeyNulls),
    ...moneyRows(p, declaredPayments),
    ...(await section(src, 'segment_share', ['dim_buyer'], () => buyerShareRows(src, d))),
    ...(await section(src, 'segment_order', [...ORDERS, 'dim_listing'], () => buyerOrderRows(src, d))),
    ...concentrationRows(p, d, needs(p, 'concentration')),
    ...(await section(src, 'cohorts', ['dim_buyer', 'fact_order'], () => marketCohortRows(src, d, windowMonths(src.window)))),
    ...(await section(src, 'calendar', [...ORDERS, 'dim_listing', 'dim_category'], () => marketCalendarRows(src, d, namedDays(src, undefined).days))),
    ...(await section(src, 'repeat_same_shop', ORDERS, () => loyaltyRows(src, d))),
    ...(await section(src, 'home_country_lift', [...ORDERS, 'dim_seller'], () => homeCountryRows(src, d))),
    ...(await section(src, 'funnel', ['fact_touchpoint', 'dim_buyer', 'fact_order'], () => marketingRows(src, d))),
  ];
}

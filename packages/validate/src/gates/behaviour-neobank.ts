import { campaignEffectOn, vintageCurve } from '@dnr/generate';
import { cohortProfile, neobankConsistency, NEOBANK_DAILY, namedDays, ordinaryDayNoise, seasonalityProfile, segmentProfile, type ProfileSource, type SegmentRow } from '@dnr/profile';
import type { NeobankBehaviour } from '@dnr/core';
import { checkRow, rangeRow, skipRow } from '../rows.js';
import type { GateRow } from '../types.js';
import { namedDayRows } from './behaviour-calendar.js';
import { declineReasonRows } from './behaviour-neobank-declines.js';
import { funnelRows } from './behaviour-neobank-funnel.js';
import { shareRange, toleranceText, Z } from './behaviour-stats.js';

const FAMILY = 'behaviour';

/** The parts of the resolved neobank behaviour config the gates compare with. */
export type NeobankDeclared = Pick<NeobankBehaviour, 'segments' | 'vintage' | 'onboarding' | 'acquisition_campaigns' | 'cohort_shocks'>;

/**
 * Segment shares: the expected share of a segment is the mean, over customers, of its tilted
 * probability at the customer's sign-up (share × vintage tilt × the tilt of the acquisition campaigns
 * running on the local sign-up date, renormalised — how the generator draws it); the count is a
 * Poisson-binomial sum, so the tolerance is Z · √(Σ p(1 − p)) / n.
 */
export async function segmentShareRows(src: ProfileSource, d: NeobankDeclared): Promise<GateRow[]> {
  const names = Object.keys(d.segments);
  const rows = await src.q<{ segment: string; t: number; day: string }>(
    `SELECT e.segment, epoch_ms(c.created_at)::DOUBLE AS t, strftime(local_ts(c.created_at), '%Y-%m-%d') AS day FROM behaviour_entities e JOIN dim_customer c USING (customer_id)`,
  );
  const vintage = vintageCurve(d.vintage);
  const campaigns = Object.values(d.acquisition_campaigns);
  const expected = new Map(names.map((n) => [n, 0]));
  const variance = new Map(names.map((n) => [n, 0]));
  const observed = new Map(names.map((n) => [n, 0]));
  for (const r of rows) {
    const tilt = { ...vintage(r.t).tilt };
    for (const [seg, x] of Object.entries(campaignEffectOn(campaigns, r.day).tilt)) tilt[seg] = (tilt[seg] ?? 1) * x;
    const w = names.map((n) => d.segments[n].share * (tilt[n] ?? 1));
    const total = w.reduce((a, b) => a + b, 0) || 1;
    names.forEach((n, j) => {
      const p = w[j] / total;
      expected.set(n, expected.get(n)! + p);
      variance.set(n, variance.get(n)! + p * (1 - p));
    });
    observed.set(r.segment, (observed.get(r.segment) ?? 0) + 1);
  }
  const n = rows.length;
  return names.map((name) => {
    const p = expected.get(name)! / n;
    const tol = (Z * Math.sqrt(variance.get(name)!)) / n;
    return rangeRow(FAMILY, `segment_share.${name}`, (observed.get(name) ?? 0) / n, shareRange(p, tol), {
      detail: `declared share ${d.segments[name].share} tilted by vintage and acquisition campaign at each customer's sign-up → expected ${p.toFixed(4)} ${toleranceText(tol, n)}`,
    });
  });
}

/**
 * Declared parameter → observed measure of the segment table, compared pairwise in direction. Rate
 * measures carry their base (units the rate is counted on) so a pair is gated only when the declared
 * difference is detectable at that base.
 */
const ORDERED: Array<{ metric: string; declared: (s: NeobankDeclared['segments'][string]) => number; observed: (s: SegmentRow) => number | null; base?: (s: SegmentRow) => number }> = [
  { metric: 'frequency', declared: (s) => s.frequency, observed: (s) => s.frequency },
  { metric: 'ticket', declared: (s) => s.ticket, observed: (s) => s.median_ticket_usd },
  // declines cluster on customers (their own risk): the cluster-robust base, not every attempt
  { metric: 'decline_rate', declared: (s) => s.decline_risk, observed: (s) => s.decline_rate, base: (s) => s.decided_effective },
  { metric: 'premium_share', declared: (s) => s.premium_propensity, observed: (s) => s.premium_share, base: (s) => s.customers },
  { metric: 'churn', declared: (s) => s.churn.monthly, observed: (s) => s.churn, base: (s) => s.churn_base },
];

/** Declared ratio between two segments from which their observed order is gated. */
export const ORDER_MIN_RATIO = 1.5;
/** Transacting customers each segment needs for its order to be gated. */
export const ORDER_MIN_CUSTOMERS = 30;

/**
 * Whether a declared rate ratio r between segments a and b can show at their bases: the expected
 * difference (r − 1) · p_b (the rate of b as observed, a's expected as r · p_b, capped at 1) must be at
 * least Z standard errors of the difference of two proportions.
 */
function detectable(r: number, pb: number, na: number, nb: number): { ok: boolean; expected: number; se: number } {
  const pa = Math.min(1, r * pb);
  const se = Math.sqrt((pa * (1 - pa)) / Math.max(na, 1) + (pb * (1 - pb)) / Math.max(nb, 1));
  const expected = pa - pb;
  return { ok: expected >= Z * se, expected, se };
}

/**
 * Segments differ in the declared direction: for every pair whose declared parameter differs by at least
 * 1.5×, the observed measure of the higher one must be higher (ratio ≥ 1). Pairs with fewer than 30
 * transacting customers on a side, and rate pairs whose declared difference is within Z standard errors
 * at their bases, are one skip row per measure.
 */
export function segmentOrderRows(segments: SegmentRow[], d: NeobankDeclared): GateRow[] {
  const out: GateRow[] = [];
  const big = segments.filter((s) => s.transacting >= ORDER_MIN_CUSTOMERS && d.segments[s.segment]);
  for (const m of ORDERED) {
    let weak = 0;
    for (const a of big) {
      for (const b of big) {
        const da = m.declared(d.segments[a.segment]);
        const db = m.declared(d.segments[b.segment]);
        if (!(db > 0) || da / db < ORDER_MIN_RATIO) continue;
        const oa = m.observed(a);
        const ob = m.observed(b);
        if (m.base && ob !== null && !detectable(da / db, ob, m.base(a), m.base(b)).ok) {
          weak++;
          continue;
        }
        const ratio = oa !== null && ob !== null && ob > 0 ? oa / ob : null;
        out.push(
          rangeRow(FAMILY, `segment_order.${m.metric}.${a.segment}_over_${b.segment}`, ratio, { min: 1 }, { detail: `declared ${da} vs ${db} (${(da / db).toFixed(2)}×); observed ${oa} vs ${ob}` }),
        );
      }
    }
    if (weak) out.push(skipRow(FAMILY, `segment_order.${m.metric}.undetectable`, `${weak} segment pairs whose declared difference is within ${Z} standard errors at their sizes`));
  }
  return out;
}

/** Named days of the card transactions (sector effects weighted by the baseline mix) against ordinary-day noise. */
export async function calendarRows(src: ProfileSource, days: ReturnType<typeof namedDays>['days']): Promise<GateRow[]> {
  const season = await seasonalityProfile(src, days);
  const noise = await ordinaryDayNoise(src, NEOBANK_DAILY, days.map((x) => x.date));
  return namedDayRows(season.calendar, noise, 'sector effects weighted by the baseline mix');
}

/** No approved spend on frozen/closed accounts, inactive cards or without verified KYC; no account without it. */
export async function stateRows(src: ProfileSource): Promise<GateRow[]> {
  const c = await neobankConsistency(src);
  if (!c) return [skipRow(FAMILY, 'state', 'no account/card status-history tables in this warehouse')];
  const zero = (gate: string, v: number, what: string) => checkRow(FAMILY, `state.${gate}`, v === 0, v, '= 0', what);
  return [
    zero('approved_on_frozen_or_closed_account', c.approved_on_frozen_or_closed, `approved transactions (of ${c.approved_checked} after card activation) inside a frozen or closed spell of the account`),
    zero('approved_on_inactive_card', c.approved_on_inactive_card, 'approved transactions inside a non-active spell of the card (lost, expired, replaced, closed)'),
    zero('approved_without_kyc', c.approved_without_kyc, 'approved transactions of customers whose KYC is pending or rejected'),
    zero('unverified_with_account', c.unverified_with_account, `customers with pending or rejected KYC holding an account (of ${c.unverified_customers})`),
  ];
}

/**
 * Cohort differences: churn runs from signup, so of two signup years before the window the older one
 * has fewer customers active in the last window month. Gated when the declared churn makes the
 * difference detectable — expected difference p_newer × (1 − e^(−12·h)), h the share-weighted monthly
 * churn, at least 5 standard errors of the difference — and passed when the observed difference is
 * at least 2 standard errors.
 */
export async function cohortRows(src: ProfileSource, d: NeobankDeclared): Promise<GateRow[]> {
  const c = await cohortProfile(src);
  const startYear = Number(src.window.start.slice(0, 4));
  const years = c.by_year.filter((y) => y.year < startYear && y.active_last_month !== null && y.customers > 0);
  const h = Object.values(d.segments).reduce((a, s) => a + s.share * s.churn.monthly, 0);
  const out: GateRow[] = [];
  for (let i = 0; i + 1 < years.length; i++) {
    const [o, n] = [years[i], years[i + 1]];
    const po = o.active_last_month!;
    const pn = n.active_last_month!;
    const se = Math.sqrt((po * (1 - po)) / o.customers + (pn * (1 - pn)) / n.customers);
    const expected = pn * (1 - Math.exp(-12 * h));
    const gate = `cohorts.older_retain_less.${o.year}_vs_${n.year}`;
    if (!(se > 0) || expected < 5 * se) {
      out.push(skipRow(FAMILY, gate, `expected difference ${expected.toFixed(4)} < 5 standard errors (${(5 * se).toFixed(4)}) at ${o.customers} and ${n.customers} customers`));
      continue;
    }
    out.push(rangeRow(FAMILY, gate, pn - po, { min: 2 * se }, { detail: `active in the last window month: ${o.year} ${po}, ${n.year} ${pn}; expected difference ${expected.toFixed(4)} (monthly churn ${h.toFixed(4)}); bound = 2 standard errors` }));
  }
  return out;
}

/** Every neobank behaviour gate; `truth.behaviour` holds the resolved config. */
export async function neobankBehaviourRows(src: ProfileSource, config: Parameters<typeof namedDays>[1]): Promise<GateRow[]> {
  const d = src.truth!.behaviour as unknown as NeobankDeclared;
  const segments = await segmentProfile(src);
  return [
    ...(await segmentShareRows(src, d)),
    ...(segments ? segmentOrderRows(segments, d) : []),
    ...(await cohortRows(src, d)),
    ...(await funnelRows(src, d)),
    ...(await calendarRows(src, namedDays(src, config).days)),
    ...(await stateRows(src)),
    ...(await declineReasonRows(src)),
  ];
}

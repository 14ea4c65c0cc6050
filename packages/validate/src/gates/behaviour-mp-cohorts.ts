import type { MarketplaceBehaviour } from '@dnr/core';
import type { ProfileSource } from '@dnr/profile';
import { rangeRow, skipRow } from '../rows.js';
import type { GateRow } from '../types.js';

const FAMILY = 'behaviour';
const DAYS_PER_MONTH = 30.4375;

/** One pre-window buyer with its truth and its activity in window months (0 = first window month). */
export interface BuyerRow {
  year: number;
  /** Months from sign-up to the window start. */
  tenure: number;
  segment: string;
  vintage_churn: number;
  intensity: number;
  /** Days from the first order to the window start (null: no order before the window). */
  since_first: number | null;
  m0: boolean;
  early: boolean;
  late: boolean;
}

type Seg = MarketplaceBehaviour['buyers']['segments'][string];

/** Declared cumulative lapse hazard from sign-up to tenure t months: monthly·(t + (early − 1)·early_months·(1 − e^(−t/early_months))). */
const cumHazard = (c: Seg['churn'], t: number) => c.monthly * (t + (c.early_multiplier - 1) * c.early_months * (1 - Math.exp(-Math.max(0, t) / c.early_months)));
/** Declared activity level at `days` after the first order: long_run + (1 − long_run)·½^(days/half_life) (the ramp is long over). */
const activityLevel = (a: Seg['activity'], days: number) => a.long_run + (1 - a.long_run) * Math.pow(0.5, Math.max(0, days) / a.half_life_days);

/**
 * Declared propensity of a buyer to order at `plus` months after the window start: still not lapsed
 * (e^(−vintage churn × cumulative hazard from sign-up)) × its intensity × its activity level since the
 * first order. The tenure effects run from sign-up, so older cohorts sit lower.
 */
function propensity(b: BuyerRow, s: Seg, plus: number): number {
  if (b.since_first === null) return 0;
  return Math.exp(-b.vintage_churn * cumHazard(s.churn, b.tenure + plus)) * b.intensity * activityLevel(s.activity, b.since_first + plus * DAYS_PER_MONTH);
}

async function buyerRows(src: ProfileSource): Promise<BuyerRow[]> {
  const orders = await src.first('fact_order');
  const start = `DATE '${src.window.start}'`;
  const rows = await src.q<Record<string, number | string | boolean | null>>(`
    WITH o AS (SELECT buyer_id, date_diff('month', ${start}, local_ts(order_time)::DATE) AS m FROM ${orders} WHERE buyer_id IS NOT NULL),
    a AS (SELECT buyer_id, bool_or(m = 0) AS m0, bool_or(m BETWEEN 0 AND 2) AS early, bool_or(m BETWEEN 12 AND 14) AS late FROM o GROUP BY 1)
    SELECT year(local_ts(b.created_at))::INTEGER AS year, date_diff('day', local_ts(b.created_at), ${start}::TIMESTAMP) / ${DAYS_PER_MONTH} AS tenure,
      e.segment, e.vintage_churn, e.activity_multiplier AS intensity, date_diff('day', local_ts(e.first_order_at), ${start}::TIMESTAMP)::DOUBLE AS since_first,
      coalesce(a.m0, false) AS m0, coalesce(a.early, false) AS early, coalesce(a.late, false) AS late
    FROM dim_buyer b JOIN behaviour_entities e ON e.entity = 'buyer' AND e.id = b.buyer_id LEFT JOIN a USING (buyer_id)
    WHERE local_ts(b.created_at) < ${start}::TIMESTAMP`);
  return rows.map((r) => ({ ...(r as unknown as BuyerRow), since_first: r.since_first === null || (r.since_first as number) < 0 ? null : (r.since_first as number) }));
}

/** Mean of xs (0 for none). */
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/**
 * Sign-up-year cohorts before the window, activity in the first window month: for adjacent years the
 * declared propensity (lapse from sign-up × vintage churn, intensity, activity decay since the first
 * order) gives the expected difference of their active shares (the overall share × the difference of
 * mean propensities ÷ the overall mean). Gated when that difference is ≥ 5 standard errors of the
 * measured difference; passes when the measured difference has its sign and is ≥ 2 standard errors.
 */
export function cohortOrderRows(buyers: BuyerRow[], d: MarketplaceBehaviour): GateRow[] {
  const seg = (b: BuyerRow) => d.buyers.segments[b.segment];
  const known = buyers.filter((b) => seg(b));
  const overall = mean(known.map((b) => (b.m0 ? 1 : 0)));
  const meanProp = mean(known.map((b) => propensity(b, seg(b), 0)));
  const years = [...new Set(known.map((b) => b.year))].sort();
  const out: GateRow[] = [];
  for (let k = 0; k + 1 < years.length; k++) {
    const [o, n] = [years[k], years[k + 1]].map((y) => known.filter((b) => b.year === y));
    const [po, pn] = [o, n].map((c) => mean(c.map((b) => (b.m0 ? 1 : 0))));
    const se = Math.sqrt((po * (1 - po)) / o.length + (pn * (1 - pn)) / n.length);
    const expected = meanProp > 0 ? (overall * (mean(n.map((b) => propensity(b, seg(b), 0))) - mean(o.map((b) => propensity(b, seg(b), 0))))) / meanProp : 0;
    const gate = `cohorts.first_month_active.${years[k]}_vs_${years[k + 1]}`;
    const what = `active in the first window month: ${years[k]} ${po.toFixed(4)} (${o.length} buyers), ${years[k + 1]} ${pn.toFixed(4)} (${n.length}); declared decay expects ${years[k + 1]} − ${years[k]} = ${expected.toFixed(4)}`;
    if (!(se > 0) || Math.abs(expected) < 5 * se) {
      out.push(skipRow(FAMILY, gate, `${what}, within 5 standard errors (${(5 * se).toFixed(4)}) at these sizes`));
      continue;
    }
    const sign = Math.sign(expected);
    out.push(rangeRow(FAMILY, gate, sign * (pn - po), { min: 2 * se }, { detail: `${what}; measured difference in the declared direction must be ≥ 2 standard errors` }));
  }
  return out;
}

/** Months of window needed for the retention comparison (window months 13–15). */
const RETENTION_MONTHS = 15;

/** Conditional survival of buyer b from window month 1 to month 13 (declared hazard from sign-up × its vintage churn). */
const survival = (b: BuyerRow, s: Seg) => Math.exp(-b.vintage_churn * (cumHazard(s.churn, b.tenure + 13) - cumHazard(s.churn, b.tenure + 1)));
/** Declared order rate of buyer b in window month 13 (intensity × activity level since the first order), up to a common scale. */
const lateRate = (b: BuyerRow, s: Seg) => b.intensity * activityLevel(s.activity, (b.since_first ?? 0) + 13 * DAYS_PER_MONTH);

/**
 * Expected share active in months 13–15 of buyers active in months 1–3: a buyer still there orders
 * at least once in the three months with probability 1 − e^(−κ·rate) (Poisson orders), so a lower
 * rate lowers that share less than in proportion once most are active. κ (orders per unit rate in
 * three months) is the one scale the truth lacks: it is set so the reference group's expected share
 * equals its measured share (bisection), and the other group's expected share follows.
 */
function lateActiveShare(group: BuyerRow[], seg: (b: BuyerRow) => Seg, kappa: number): number {
  return mean(group.map((b) => survival(b, seg(b)) * (1 - Math.exp(-kappa * lateRate(b, seg(b))))));
}

function calibrateKappa(reference: BuyerRow[], seg: (b: BuyerRow) => Seg, share: number): number {
  let [lo, hi] = [0, 1];
  while (lateActiveShare(reference, seg, hi) < share && hi < 1e6) hi *= 2;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (lateActiveShare(reference, seg, mid) < share) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Churn runs from sign-up, not from the window start: of buyers active in window months 1–3, the share
 * still active in months 13–15 is lower for buyers who signed up in the year before the window than for
 * buyers of ≥ 3 years' tenure (early hazard and activity decay since the first order are still running
 * for them). The expected difference comes from the declared hazard and activity curves per buyer,
 * with the Poisson saturation of "active in three months" calibrated on the ≥ 3 years group
 * (lateActiveShare). Same gating as the cohort order (expected ≥ 5 SE, measured ≥ 2 SE in the
 * declared direction); a smaller expected difference is a skip row (too small to tell at this size).
 */
export function churnFromSignupRows(buyers: BuyerRow[], d: MarketplaceBehaviour, windowMonths: number): GateRow[] {
  const gate = 'cohorts.churn_from_signup';
  if (windowMonths < RETENTION_MONTHS) return [skipRow(FAMILY, gate, `the window has ${windowMonths} months, ${RETENTION_MONTHS} needed`)];
  const seg = (b: BuyerRow) => d.buyers.segments[b.segment];
  const active = buyers.filter((b) => b.early && seg(b) && b.since_first !== null);
  const groups = [active.filter((b) => b.tenure < 12), active.filter((b) => b.tenure >= 36)];
  const [ry, ro] = groups.map((g) => mean(g.map((b) => (b.late ? 1 : 0))));
  const se = Math.sqrt((ry * (1 - ry)) / Math.max(groups[0].length, 1) + (ro * (1 - ro)) / Math.max(groups[1].length, 1));
  const ok = groups.every((g) => g.length) && ro > 0 && ro < 1;
  const expected = ok ? lateActiveShare(groups[0], seg, calibrateKappa(groups[1], seg, ro)) - ro : 0;
  const what = `of buyers active in window months 1–3, active in months 13–15: signed up < 12 months before the window ${ry.toFixed(4)} (${groups[0].length}), ≥ 36 months ${ro.toFixed(4)} (${groups[1].length}); declared hazard and activity decay from sign-up expect a difference of ${expected.toFixed(4)}`;
  if (!ok || !(se > 0) || Math.abs(expected) < 5 * se) return [skipRow(FAMILY, gate, `${what}, within 5 standard errors (${(5 * se).toFixed(4)}) at these sizes`)];
  return [rangeRow(FAMILY, gate, Math.sign(expected) * (ry - ro), { min: 2 * se }, { detail: `${what}; measured difference in the declared direction must be ≥ 2 standard errors` })];
}

/** Cohort gates of the marketplace (needs dim_buyer, fact_order and the truth). */
export async function marketCohortRows(src: ProfileSource, d: MarketplaceBehaviour, windowMonths: number): Promise<GateRow[]> {
  const buyers = await buyerRows(src);
  if (!buyers.length) return [skipRow(FAMILY, 'cohorts', 'no buyer signed up before the window')];
  return [...cohortOrderRows(buyers, d), ...churnFromSignupRows(buyers, d, windowMonths)];
}

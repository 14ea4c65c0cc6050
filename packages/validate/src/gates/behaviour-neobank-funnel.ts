import { campaignEffectOn, kycOdds, shiftOdds, vintageCurve } from '@dnr/generate';
import { funnelProfile, FUNNEL_MATURITY_DAYS, type ProfileSource } from '@dnr/profile';
import { rangeRow, skipRow } from '../rows.js';
import type { GateRow } from '../types.js';
import type { NeobankDeclared } from './behaviour-neobank.js';
import { shareRange, toleranceText, Z } from './behaviour-stats.js';

const FAMILY = 'behaviour';

/**
 * Gauss–Hermite nodes and weights (5 points, weights sum to √π): E[f(ε)] for ε ~ N(0, σ²) is
 * Σ w_k f(σ√2 x_k) / √π. Source: Abramowitz & Stegun, table 25.10.
 */
const GH_X = [-2.020182870456086, -0.958572464613819, 0, 0.958572464613819, 2.020182870456086];
const GH_W = [0.019953242059046, 0.393619323152241, 0.945308720482942, 0.393619323152241, 0.019953242059046].map((w) => w / Math.sqrt(Math.PI));

/** One matured applicant: the declared log-odds shift of the cohort, the campaign's activation shift, the stages reached. */
interface Applicant {
  month: string;
  shift: number;
  activation: number;
  submitted: boolean;
  verified: boolean;
  accountOpened: boolean;
  cardIssued: boolean;
  activated: boolean;
}

/**
 * A gated stage: who is counted (the denominator), the probability of reaching it given the
 * onboarding block, the applicant and the month's KYC shock ε, and whether that shock moves it.
 */
interface Stage {
  gate: string;
  why: string;
  base: (a: Applicant) => boolean;
  p: (ob: NeobankDeclared['onboarding'], a: Applicant, eps: number) => number;
  shocked: boolean;
  /** How the declared share moves per sign-up, for the row's detail (default: vintage, campaign and month). */
  shift?: string;
  /**
   * Whether the applicant reached the stage: when given, the observed share is counted over the same
   * applicants as the expectation (base ∧ hit ÷ base), so a stage's numerator is always a subset of its
   * denominator even when an earlier event of the chain is missing from the table.
   */
  hit?: (a: Applicant) => boolean;
}

const STAGES: Stage[] = [
  { gate: 'kyc_submitted', why: 'onboarding.kyc_submit.conversion', base: () => true, p: (ob, a, e) => kycOdds(ob, a.shift + e).submit, shocked: true },
  { gate: 'kyc_manual_review', why: '1 − kyc_auto_verified − kyc_instant_reject', base: (a) => a.submitted, p: (ob, a, e) => kycOdds(ob, a.shift + e).review, shocked: true },
  {
    gate: 'kyc_verified',
    why: 'kyc_auto_verified + review share × (1 − kyc_review_stall) × kyc_review_approve',
    base: (a) => a.submitted,
    p: (ob, a, e) => {
      const o = kycOdds(ob, a.shift + e);
      return o.auto + o.review * (1 - ob.kyc_review_stall) * o.approve;
    },
    shocked: true,
  },
  { gate: 'account_opened', why: 'onboarding.account_open.conversion', base: (a) => a.verified, p: (ob) => ob.account_open.conversion, shocked: false, shift: 'the same for every sign-up', hit: (a) => a.accountOpened },
  { gate: 'card_issued', why: 'onboarding.card_issue.conversion', base: (a) => a.accountOpened, p: (ob) => ob.card_issue.conversion, shocked: false, shift: 'the same for every sign-up', hit: (a) => a.cardIssued },
  { gate: 'card_activated', why: 'onboarding.card_activate.conversion', base: (a) => a.cardIssued, p: (ob, a) => shiftOdds(ob.card_activate.conversion, -a.activation), shocked: false, hit: (a) => a.activated },
];

/** Matured sign-ups (the funnel profile's cohort) with what the generator's draws depended on. */
async function applicants(src: ProfileSource, d: NeobankDeclared): Promise<Applicant[]> {
  const cut = `(TIMESTAMP '${src.window.end} 23:59:59' - INTERVAL ${FUNNEL_MATURITY_DAYS} DAY)`;
  const rows = await src.q<{ t: number; day: string; submitted: boolean; verified: boolean; account_opened: boolean; card_issued: boolean; card_activated: boolean }>(`
    WITH ev AS (SELECT customer_id, stage, min(event_time) AS t FROM fact_onboarding_event GROUP BY 1, 2),
    cohort AS (SELECT customer_id, t FROM ev WHERE stage = 'signed_up' AND local_ts(t) <= ${cut})
    SELECT epoch_ms(c.t)::DOUBLE AS t, strftime(local_ts(c.t), '%Y-%m-%d') AS day,
      coalesce(bool_or(e.stage = 'kyc_submitted'), false) AS submitted, coalesce(bool_or(e.stage = 'kyc_verified'), false) AS verified,
      coalesce(bool_or(e.stage = 'account_opened'), false) AS account_opened, coalesce(bool_or(e.stage = 'card_issued'), false) AS card_issued,
      coalesce(bool_or(e.stage = 'card_activated'), false) AS card_activated
    FROM cohort c LEFT JOIN ev e USING (customer_id) GROUP BY c.customer_id, c.t, day`);
  const vintage = vintageCurve(d.vintage);
  const campaigns = Object.values(d.acquisition_campaigns);
  return rows.map((r) => {
    const camp = campaignEffectOn(campaigns, r.day);
    return { month: r.day.slice(0, 7), shift: Math.log(vintage(r.t).churn * camp.churn), activation: camp.activation, submitted: r.submitted, verified: r.verified, accountOpened: r.verified && r.account_opened, cardIssued: r.card_issued, activated: r.card_issued && r.card_activated };
  });
}

/**
 * Expected share of a stage over its denominator and its sampling variance: per applicant the
 * probability averaged over the sign-up month's KYC shock (ε ~ N(0, kyc_sigma²), Gauss–Hermite),
 * binomial variance Σ E[q(1 − q)] plus, because one shock moves a whole sign-up month, the variance of
 * each month's expected count Σ_m Var_ε(Σ_{i∈m} q_i).
 */
function expectation(stage: Stage, people: Applicant[], d: NeobankDeclared): { p: number; variance: number; n: number } {
  const sigma = stage.shocked ? d.cohort_shocks.kyc_sigma : 0;
  const q = (a: Applicant, eps: number) => stage.p(d.onboarding, a, eps);
  const months = new Map<string, number[]>();
  let mean = 0;
  let binomial = 0;
  let n = 0;
  for (const a of people) {
    if (!stage.base(a)) continue;
    n++;
    const sums = months.get(a.month) ?? GH_X.map(() => 0);
    GH_X.forEach((x, k) => {
      const v = q(a, sigma * Math.SQRT2 * x);
      sums[k] += v;
      mean += GH_W[k] * v;
      binomial += GH_W[k] * v * (1 - v);
    });
    months.set(a.month, sums);
  }
  let between = 0;
  for (const sums of months.values()) {
    const m1 = sums.reduce((acc, s, k) => acc + GH_W[k] * s, 0);
    const m2 = sums.reduce((acc, s, k) => acc + GH_W[k] * s * s, 0);
    between += Math.max(0, m2 - m1 * m1);
  }
  return { p: n ? mean / n : 0, variance: binomial + between, n };
}

/**
 * Funnel conversion per stage against the onboarding block, on sign-ups matured for the funnel
 * profile's window. The expected share is computed applicant by applicant as the generator draws it:
 * the KYC log-odds shift of the sign-up cohort (vintage × acquisition-campaign churn multiplier, plus
 * a random shock per sign-up month of sd cohort_shocks.kyc_sigma) and the campaign's card-activation
 * shift; the account-opening and card-issue conversions are not shifted. Tolerance: Z standard
 * errors of that Poisson-binomial count with the month shocks.
 */
export async function funnelRows(src: ProfileSource, d: NeobankDeclared): Promise<GateRow[]> {
  const f = await funnelProfile(src);
  if (!f) return [skipRow(FAMILY, 'funnel', 'no fact_onboarding_event table in this warehouse')];
  const people = await applicants(src, d);
  const reached = (s: string) => f.stages.find((x) => x.stage === s)!.reached;
  const observed: Record<string, { obs: number; n: number }> = {
    kyc_submitted: { obs: reached('kyc_submitted'), n: f.cohort },
    kyc_manual_review: { obs: f.branches.kyc_manual_review?.reached ?? 0, n: reached('kyc_submitted') },
    kyc_verified: { obs: reached('kyc_verified'), n: reached('kyc_submitted') },
  };
  return STAGES.map((stage) => {
    const counted = stage.hit ? people.filter(stage.base) : null;
    const { obs, n } = counted && stage.hit ? { obs: counted.filter(stage.hit).length, n: counted.length } : observed[stage.gate];
    const e = expectation(stage, people, d);
    const tol = e.n ? (Z * Math.sqrt(e.variance)) / e.n : Number.POSITIVE_INFINITY;
    return rangeRow(FAMILY, `funnel.${stage.gate}`, n ? obs / n : null, shareRange(e.p, tol), {
      detail: `declared ${stage.why}, ${stage.shift ?? 'shifted per sign-up by its vintage, acquisition campaign and month'} → expected ${e.p.toFixed(4)} ${toleranceText(tol, n)}; sign-ups ≥ ${f.maturity_days} days before the window end`,
    });
  });
}

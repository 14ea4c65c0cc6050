import { MCCS, SECTORS, type NeobankBehaviour, type RandomStream } from '@dnr/core';
import { invertTenureHazard, sampleHazardTime, tenureHazardRate } from '../../behaviour/hazard.js';
import { applyGrowthEvents } from './growth.js';
import { creationInstants, inflowDayWeights, launchDay, type CreationZones } from '../../behaviour/inflow.js';
import { lagSeconds } from '../../behaviour/lag.js';
import { pickIndex, segmentCumulative } from '../../behaviour/segments.js';
import { vintageCurve } from '../../behaviour/vintage.js';
import { DAYS_PER_MONTH } from '../../behaviour/window.js';
import { campaignEffects } from './campaigns.js';
import { tailedLagSeconds } from './lags.js';
import { atLocalHour, churnTrajectoryFactor, midnightOf, SECTOR_COUNT, type NeobankModel } from './model.js';

export const KYC = ['verified', 'pending', 'rejected'] as const;
const NEVER = Number.POSITIVE_INFINITY;

/**
 * Customers as columns (index i = sign-up order). Times are Unix seconds; NaN = did not happen,
 * Infinity = not within the horizon.
 */
export interface Customers {
  n: number;
  signup: Float64Array;
  segment: Uint8Array;
  /** Pay profile index into PAY_PROFILES. */
  profile: Uint8Array;
  /** Vintage quality of the sign-up date (activity and churn multipliers). */
  vintageActivity: Float32Array;
  vintageChurn: Float32Array;
  /** Spend intensity multiplier: segment frequency × vintage × per-customer lognormal. */
  act: Float64Array;
  /** Ticket-size multiplier. */
  ticket: Float32Array;
  /** Cumulative sector choice probabilities, SECTOR_COUNT per customer. */
  sectorCum: Float32Array;
  /** Card-not-present multiplier and contactless share. */
  ecom: Float32Array;
  contactless: Float32Array;
  /** Shift of the KYC failure log-odds of the customer's cohort (vintage churn multiplier and monthly shock). */
  kycShift: Float32Array;
  /** KYC status at the window end (index into KYC) and its timeline. */
  kyc: Uint8Array;
  kycSubmitted: Float64Array;
  kycReview: Uint8Array;
  /** When a manual review was opened (Unix s; NaN = none). */
  kycReviewAt: Float64Array;
  kycDecided: Float64Array;
  /** The application expired unfinished (status rejected, decided at expiry). */
  kycExpired: Uint8Array;
  /** Customer stops using the card (churn hazard from sign-up). */
  churn: Float64Array;
  /** Never spends although the card is active. */
  dormant: Uint8Array;
  /** Shift of the card-activation log-odds from the acquisition campaigns of the sign-up date. */
  activationShift: Float32Array;
  /** Personal weekend lean (−0.8…0.8: share of purchases moved to weekend days, < 0 to weekdays). */
  weekendLean: Float32Array;
  /** The customer's own decline odds multiplier (lognormal, mean 1, log-sd declines.customer_risk_sigma) on top of the segment's decline_risk. */
  riskMult: Float32Array;
  /** Personal shift of the hour-of-day curves, whole hours (−4…4). */
  hourShift: Int8Array;
  /** Home metro (index into METROS) and its zone (index as model.zones): the customer's clock. */
  home: Int32Array;
  zone: Uint8Array;
}

/** Expected share of each sector in the population mix (MCC weights summed per sector). */
export function baseSectorWeights(): number[] {
  return SECTORS.map((s) => MCCS.filter((x) => x.sector === s).reduce((acc, x) => acc + x.weight, 0));
}

/**
 * Sign-ups from launch to the window end (one continuous process), with segment, vintage, spend profile,
 * KYC and churn. `homes[i]`: the home metro of sign-up draw i (merchants.ts homeMetros; metro 0 for all
 * when not given): the sign-up's local day and hour are on that metro's clock.
 */
export function simulateCustomers(m: NeobankModel, n: number, homes: Int32Array = new Int32Array(n)): Customers {
  const { b, window } = m;
  const growth = m.trajectory.inflow_growth_pct_per_month ?? b.inflow.trend_pct_per_month;
  const from = Math.max(m.fromDay, launchDay(b.inflow, window.startDate));
  const weights = inflowDayWeights(b.inflow, growth, window.startDate, from, window.days, m.calendar, 'signup');
  applyGrowthEvents(b, window.startDate, from, weights);
  const rsSignup = m.rs('customer.signup');
  const zoned: CreationZones = { clocks: m.zones.clocks, zoneOf: (i) => m.zones.ofMetro[homes[i]] };
  const signup = creationInstants(n, weights, from, b.inflow, window.startDate, m.clock, (i, k) => rsSignup.uniform(i, k), zoned);
  const home = Int32Array.from(zoned.order!, (k) => homes[k]);
  const c: Customers = {
    n,
    signup,
    segment: new Uint8Array(n),
    profile: new Uint8Array(n),
    vintageActivity: new Float32Array(n),
    vintageChurn: new Float32Array(n),
    act: new Float64Array(n),
    ticket: new Float32Array(n),
    sectorCum: new Float32Array(n * SECTOR_COUNT),
    ecom: new Float32Array(n),
    contactless: new Float32Array(n),
    kycShift: new Float32Array(n),
    kyc: new Uint8Array(n),
    kycSubmitted: new Float64Array(n).fill(NaN),
    kycReview: new Uint8Array(n),
    kycReviewAt: new Float64Array(n).fill(NaN),
    kycDecided: new Float64Array(n).fill(NaN),
    kycExpired: new Uint8Array(n),
    churn: new Float64Array(n).fill(NEVER),
    dormant: new Uint8Array(n),
    activationShift: new Float32Array(n),
    weekendLean: new Float32Array(n),
    riskMult: new Float32Array(n).fill(1),
    hourShift: new Int8Array(n),
    home,
    zone: Uint8Array.from(home, (h) => m.zones.ofMetro[h]),
  };
  assignProfiles(m, c);
  simulateKyc(m, c);
  simulateChurn(m, c);
  return c;
}

/**
 * Acquisition shocks of a sign-up month (seeded, one draw per calendar month): mean-one lognormal
 * activity and churn multipliers and an additive shift of the KYC failure log-odds.
 */
function cohortShocks(m: NeobankModel): (signupUtc: number) => { activity: number; churn: number; kyc: number } {
  const cs = m.b.cohort_shocks;
  const rs = m.rs('customer.cohort');
  return (utc) => {
    const day = m.clock.dayOf(utc) - m.days.fromDay;
    const month = m.days.year[day] * 12 + m.days.month[day];
    return {
      activity: Math.exp(cs.activity_sigma * rs.standardNormal(month, 0) - (cs.activity_sigma * cs.activity_sigma) / 2),
      churn: Math.exp(cs.churn_sigma * rs.standardNormal(month, 1) - (cs.churn_sigma * cs.churn_sigma) / 2),
      kyc: cs.kyc_sigma * rs.standardNormal(month, 2),
    };
  };
}

/** Probability p with its log-odds moved by `shift` (shift > 0 lowers it). */
export const shiftOdds = (p: number, shift: number) => (p <= 0 || p >= 1 ? p : 1 / (1 + ((1 - p) / p) * Math.exp(shift)));

/** Probabilities of the KYC branches for one applicant. */
export interface KycOdds {
  /** Sign-up → documents submitted. */
  submit: number;
  /** Of submitted: verified automatically. */
  auto: number;
  /** Of submitted: rejected automatically. */
  instantReject: number;
  /** Of submitted: routed to manual review (1 − auto − instantReject). */
  review: number;
  /** Of reviewed and not stalled: approved. */
  approve: number;
}

/**
 * KYC branch probabilities of an applicant whose cohort shifts the failure log-odds by `shift`
 * (ln of the vintage × campaign churn multiplier plus the sign-up month's shock; 0 = as declared in
 * behaviour.neobank.onboarding). Shared by the generator and validate's funnel gates.
 */
export function kycOdds(ob: NeobankBehaviour['onboarding'], shift: number): KycOdds {
  const auto = shiftOdds(ob.kyc_auto_verified, shift);
  const instantReject = Math.min(1 - auto, ob.kyc_instant_reject * Math.exp(shift));
  return { submit: shiftOdds(ob.kyc_submit.conversion, shift), auto, instantReject, review: 1 - auto - instantReject, approve: shiftOdds(ob.kyc_review_approve, shift) };
}

/** Segment (vintage-tilted shares), pay profile and the per-customer spend profile. */
function assignProfiles(m: NeobankModel, c: Customers): void {
  const { b } = m;
  const names = m.segmentNames;
  const rs = m.rs('customer.profile');
  const h = b.heterogeneity;
  const base = baseSectorWeights();
  const ps = b.paydays.schedule_shares;
  // semi-monthly, biweekly (two alternating cohorts), monthly
  const profileCum = [ps.semi_monthly, ps.semi_monthly + ps.biweekly / 2, ps.semi_monthly + ps.biweekly, 1];
  const vintage = vintageCurve(b.vintage);
  const shock = cohortShocks(m);
  const campaign = campaignEffects(m);
  for (let i = 0; i < c.n; i++) {
    const v = vintage(c.signup[i] * 1000);
    const cohort = shock(c.signup[i]);
    const camp = campaign(c.signup[i]);
    const tilt = { ...v.tilt };
    for (const [seg, x] of Object.entries(camp.tilt)) tilt[seg] = (tilt[seg] ?? 1) * x;
    const s = pickIndex(segmentCumulative(names, b.segments, tilt), rs.uniform(i, 0));
    const seg = b.segments[names[s]];
    c.segment[i] = s;
    c.profile[i] = pickIndex(profileCum, rs.uniform(i, 1));
    c.vintageActivity[i] = v.activity * cohort.activity * camp.activity;
    c.vintageChurn[i] = v.churn * cohort.churn * camp.churn;
    c.activationShift[i] = camp.activation;
    c.kycShift[i] = Math.log(v.churn * camp.churn) + cohort.kyc;
    c.act[i] = seg.frequency * c.vintageActivity[i] * Math.exp(h.activity_sigma * rs.standardNormal(i, 2) - (h.activity_sigma * h.activity_sigma) / 2);
    c.ticket[i] = seg.ticket * Math.exp(h.ticket_sigma * rs.standardNormal(i, 3) - (h.ticket_sigma * h.ticket_sigma) / 2);
    let acc = 0;
    const w = SECTORS.map((sec, j) => base[j] * seg.sector_mix[sec] * Math.exp(h.sector_sigma * rs.standardNormal(i, 10 + j)));
    const total = w.reduce((x, y) => x + y, 0);
    for (let j = 0; j < SECTOR_COUNT; j++) c.sectorCum[i * SECTOR_COUNT + j] = acc += w[j] / total;
    c.sectorCum[i * SECTOR_COUNT + SECTOR_COUNT - 1] = 1;
    c.ecom[i] = seg.ecommerce * Math.exp(h.ecommerce_sigma * rs.standardNormal(i, 4) - (h.ecommerce_sigma * h.ecommerce_sigma) / 2);
    c.contactless[i] = seg.contactless_share;
    c.dormant[i] = rs.uniform(i, 5) < Math.min(0.95, seg.dormant_share * camp.dormant) ? 1 : 0;
    c.weekendLean[i] = Math.max(-0.8, Math.min(0.8, seg.weekend_lean + b.habits.weekend_sigma * rs.standardNormal(i, 6)));
    const rsd = b.declines.customer_risk_sigma;
    c.riskMult[i] = Math.exp(rsd * rs.standardNormal(i, 30) - (rsd * rsd) / 2);
    c.hourShift[i] = Math.max(-4, Math.min(4, Math.round(seg.hour_shift + b.habits.hour_shift_sigma * rs.standardNormal(i, 7))));
  }
}

/**
 * KYC funnel: documents submitted (or abandoned: pending forever), then an automatic decision in
 * minutes or a manual review of hours to days (approved, rejected or stalled). The status is the one
 * in force at the window end: applications left unfinished expire (rejected) after kyc_expiry_days,
 * so pending customers are recent applicants still in review or still to send documents.
 */
function simulateKyc(m: NeobankModel, c: Customers): void {
  const ob = m.b.onboarding;
  const rs = m.rs('customer.kyc');
  for (let i = 0; i < c.n; i++) {
    decideKyc(m, c, i, rs);
    // an application with no activity for the expiry period is closed as rejected by the nightly job
    const expiry = c.kyc[i] === 1 && ob.kyc_expiry_days > 0 ? kycExpiry(m, c, i, rs) : Infinity;
    if (expiry < m.endUtc) {
      c.kyc[i] = 2;
      c.kycDecided[i] = expiry;
      c.kycExpired[i] = 1;
    }
  }
}

/**
 * When the nightly clean-up job closes customer i's open application (Unix seconds): the first run
 * (onboarding.kyc_expiry_hour local, working through the expired applications over ~40 minutes) after
 * kyc_expiry_days without activity, counted from the documents' submission or else from sign-up.
 */
function kycExpiry(m: NeobankModel, c: Customers, i: number, rs: RandomStream): number {
  const ob = m.b.onboarding;
  const lastActivity = c.kycSubmitted[i] > c.signup[i] ? c.kycSubmitted[i] : c.signup[i];
  const due = lastActivity + ob.kyc_expiry_days * 86400;
  const day = m.clock.dayOf(due) + 1;
  if (day - m.clock.fromDay >= m.midnights.length) return Infinity;
  // the job's local hour on that day (on a DST day midnight + 2 h is 01:00 or 03:00 local); a skipped hour runs an hour later
  const start = m.clock.utcOf((day * 24 + ob.kyc_expiry_hour) * 3600) ?? m.clock.utcOf((day * 24 + ob.kyc_expiry_hour + 1) * 3600) ?? midnightOf(m, day) + ob.kyc_expiry_hour * 3600;
  return start + Math.floor(rs.uniform(i, 20) * 2400);
}

function decideKyc(m: NeobankModel, c: Customers, i: number, rs: RandomStream): void {
  const ob = m.b.onboarding;
  c.kyc[i] = 1;
  // a low-quality cohort (higher churn multiplier, bad campaign month) abandons and fails KYC more often
  const odds = kycOdds(ob, c.kycShift[i]);
  if (rs.uniform(i, 0) >= odds.submit) return;
  // most send documents in the sign-up session; those who come back days later do it at an app hour
  // (evening-heavy); manual reviews close in office hours
  const u = rs.uniform(i, 11);
  const lagged = c.signup[i] + tailedLagSeconds(ob.kyc_submit.lag, rs.standardNormal(i, 1), u);
  const submitted = u < ob.kyc_submit.lag.tail_share ? atLocalHour(m, lagged, c.signup[i] + 60, m.appHours[c.zone[i]], rs.uniform(i, 7), rs.uniform(i, 8)) : Math.max(lagged, c.signup[i] + 30);
  c.kycSubmitted[i] = submitted;
  const v = rs.uniform(i, 2);
  let outcome: 0 | 2;
  let decided: number;
  if (v < odds.auto + odds.instantReject) {
    outcome = v < odds.auto ? 0 : 2;
    decided = submitted + lagSeconds(ob.kyc_auto_lag, rs.standardNormal(i, 3));
  } else {
    c.kycReview[i] = 1;
    // routed to the review queue after the automatic checks (minutes)
    c.kycReviewAt[i] = submitted + lagSeconds(ob.kyc_auto_lag, rs.standardNormal(i, 12));
    if (rs.uniform(i, 4) < ob.kyc_review_stall) return;
    outcome = rs.uniform(i, 5) < odds.approve ? 0 : 2;
    decided = atLocalHour(m, submitted + lagSeconds(ob.kyc_review_lag, rs.standardNormal(i, 6)), Math.max(submitted + 600, c.kycReviewAt[i] + 60), m.hours.office, rs.uniform(i, 9), rs.uniform(i, 10), {
      share: ob.kyc_review_weekend_share,
      u: rs.uniform(i, 21),
    });
  }
  if (submitted >= m.endUtc) {
    c.kycSubmitted[i] = NaN;
    return;
  }
  if (decided >= m.endUtc) return;
  c.kycDecided[i] = decided;
  c.kyc[i] = outcome;
}

/**
 * Churn (the customer stops using the card) from a hazard that runs from sign-up: the segment's
 * tenure hazard × the vintage's churn multiplier × the trajectory's calendar-time factor.
 */
function simulateChurn(m: NeobankModel, c: Customers): void {
  const rs = m.rs('customer.churn');
  const names = m.segmentNames;
  for (let i = 0; i < c.n; i++) {
    const hz = m.b.segments[names[c.segment[i]]].churn;
    const t0 = c.signup[i];
    const horizon = (m.endUtc - t0) / 86400 + 1;
    const vc = c.vintageChurn[i];
    const e = -Math.log(rs.uniform(i, 0));
    // constant calendar factor: invert the closed-form cumulative hazard; a rising (T3) one: integrate
    const days = m.trajectory.churn_multiplier_at_end === 1
      ? invertTenureHazard(hz, e / vc) * DAYS_PER_MONTH
      : sampleHazardTime(e, (t) => tenureHazardRate(hz, t / DAYS_PER_MONTH) * vc * churnTrajectoryFactor(m, t0 + t * 86400), horizon, 10);
    c.churn[i] = Number.isFinite(days) ? t0 + days * 86400 : NEVER;
  }
}

/**
 * Premium self-selection (subscriptions.premium_takers): every customer in `premium` (customer index →
 * paid-plan intervals; the ones who hold a paid plan at any time) gets a usual ticket × (1 + ticket_lift) and a
 * spend mix with the tilted sectors' weights multiplied by their factors, renormalised. Updates `c.ticket`
 * and `c.sectorCum` in place, so every purchase the customer makes (before, during and after premium) carries
 * it: who takes a paid plan differs from who does not, not only while on it. Deterministic (no draws).
 */
export function applyPremiumTakers(m: NeobankModel, c: Customers, premium: ReadonlyMap<number, unknown>): void {
  const pt = m.b.subscriptions.premium_takers;
  const tilt = SECTORS.map((s) => pt.sector_tilt[s] ?? 1);
  const w = new Float64Array(SECTOR_COUNT);
  for (const i of premium.keys()) {
    c.ticket[i] *= 1 + pt.ticket_lift;
    let prev = 0;
    let total = 0;
    for (let j = 0; j < SECTOR_COUNT; j++) {
      const cum = j === SECTOR_COUNT - 1 ? 1 : c.sectorCum[i * SECTOR_COUNT + j];
      w[j] = Math.max(0, cum - prev) * tilt[j];
      prev = cum;
      total += w[j];
    }
    let acc = 0;
    for (let j = 0; j < SECTOR_COUNT; j++) c.sectorCum[i * SECTOR_COUNT + j] = acc += w[j] / total;
    c.sectorCum[i * SECTOR_COUNT + SECTOR_COUNT - 1] = 1;
  }
}

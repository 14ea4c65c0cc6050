import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NeobankBehaviour } from '@dnr/core';
import { applyGrowthEvents, BEHAVIOUR_TRUTH_FILES, inflowDayWeights, resolveCalendar } from '@dnr/generate';

/** One fitted month: its first day (YYYY-MM-DD, local) and the observed count of new entities. */
export interface MonthCount {
  month: string;
  n: number;
}

/** The T1 band of monthly inflow growth derived from the configured behaviour (see steadyInflowBand). */
export interface SteadyBand {
  /** Declared growth, %/month: the log-linear fit through the expected monthly counts. */
  declaredPct: number;
  /** Standard error of the fitted slope (natural-log units per month). */
  se: number;
  /** Band bounds, %/month: 100 · (exp(declared slope ∓ k · se) − 1). */
  min: number;
  max: number;
}

/** Days from `startDate` (YYYY-MM-DD) to `date` (YYYY-MM-DD), both as UTC calendar dates. */
const daysBetween = (startDate: string, date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / 86_400_000);

/**
 * Ordinary least-squares slope of y on x = 1…n and its standard error for per-point variances v
 * (unweighted fit, heteroscedastic errors): Var(b) = Σ (x − x̄)² v / (Σ (x − x̄)²)².
 */
export function olsSlope(y: readonly number[], v: readonly number[]): { slope: number; se: number } {
  const n = y.length;
  const xbar = (n + 1) / 2;
  const ybar = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let sv = 0;
  for (let i = 0; i < n; i++) {
    const dx = i + 1 - xbar;
    sxx += dx * dx;
    sxy += dx * (y[i] - ybar);
    sv += dx * dx * v[i];
  }
  return { slope: sxy / sxx, se: Math.sqrt(sv) / sxx };
}

/**
 * The T1 (steady inflow) band for the neobank's sign-ups, from the configured behaviour instead of a
 * fixed ± band:
 * - declared trend: the expected sign-ups of each fitted month (the generator's day weights:
 *   launch ramp × compounding trend × month-of-year × day-of-week × the calendar's `signup` effects,
 *   summed over the month's days) fitted by the same log-linear line as the measurement — so the
 *   month-of-year curve's pull on a window of whole-but-not-whole-year months is part of the declared
 *   trend, not an error;
 * - noise of ln(count) per month, from the configured count noise (`inflow.counts`): month_sigma² +
 *   day_sigma² · Σ w² / (Σ w)² (the month's day shocks, weighted by the day weights w) + 1 / μ (Poisson,
 *   μ = the month's expected count with the observed total spread over the months by the weights); zero
 *   for the day and month shocks in 'allocated' mode;
 * - band = 100 · (exp(slope ± k · se) − 1) %/month with se the slope's standard error over the fitted
 *   months and k standard errors (validate.trajectory.steady_band_standard_errors, default 3).
 * `startDate` is the window start (local day 0); months are the measured ones, in order.
 */
export function steadyInflowBand(b: NeobankBehaviour, trendPct: number, startDate: string, months: readonly MonthCount[], k: number): SteadyBand {
  const first = daysBetween(startDate, months[0].month);
  const endMonth = new Date(Date.parse(`${months[months.length - 1].month}T00:00:00Z`));
  const last = daysBetween(startDate, new Date(Date.UTC(endMonth.getUTCFullYear(), endMonth.getUTCMonth() + 1, 1)).toISOString().slice(0, 10));
  const hits = resolveCalendar(b.calendar, startDate, first, last);
  const w = inflowDayWeights(b.inflow, trendPct, startDate, first, last, hits, 'signup');
  // the dated growth events move sign-ups as declared (a budget freeze, a referral programme)
  applyGrowthEvents(b, startDate, first, w);
  const sums = months.map((m) => {
    const from = daysBetween(startDate, m.month) - first;
    const d = new Date(Date.parse(`${m.month}T00:00:00Z`));
    const to = daysBetween(startDate, new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10)) - first;
    let s = 0;
    let s2 = 0;
    for (let j = from; j < to; j++) {
      s += w[j];
      s2 += w[j] * w[j];
    }
    return { s, s2 };
  });
  const total = sums.reduce((a, x) => a + x.s, 0);
  const observed = months.reduce((a, m) => a + m.n, 0);
  const drawn = b.inflow.counts.mode === 'drawn';
  const { day_sigma: ds, month_sigma: ms } = b.inflow.counts;
  const variance = sums.map(({ s, s2 }) => (drawn ? ms * ms + (ds * ds * s2) / (s * s) : 0) + 1 / Math.max(1, (observed * s) / total));
  const { slope, se } = olsSlope(
    sums.map((x) => Math.log(x.s)),
    variance,
  );
  const pct = (x: number) => 100 * (Math.exp(x) - 1);
  return { declaredPct: pct(slope), se, min: pct(slope - k * se), max: pct(slope + k * se) };
}

/**
 * The neobank behaviour the warehouse was generated with: the behaviour truth (behaviour.json, the
 * resolved config the generator wrote next to defects.json, in the warehouse or meta folder), else the
 * validating config's (when the truth file is absent).
 */
export function neobankBehaviourOf(dirs: readonly string[], fallback: NeobankBehaviour): NeobankBehaviour {
  for (const dir of dirs) {
    const file = path.join(dir, BEHAVIOUR_TRUTH_FILES.summary);
    if (!existsSync(file)) continue;
    const truth = JSON.parse(readFileSync(file, 'utf8')) as { archetype?: string; behaviour?: NeobankBehaviour };
    if (truth.archetype === 'neobank' && truth.behaviour) return truth.behaviour;
  }
  return fallback;
}

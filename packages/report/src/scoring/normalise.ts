import { round } from '../metrics/health.js';

/**
 * Scales that turn each raw score input into a 0..1 component (simple additive weighting: each
 * criterion divided by the strongest candidate's value), so a weight of report.scoring_weights is
 * the score a gap earns for being the strongest candidate on that criterion. Raw inputs differ by
 * orders of magnitude (money at risk is 0.2–5% of monthly revenue while a demand share is 5–16%),
 * so a fixed scale would let one criterion decide the ranking whatever its weight.
 * - revenue_usd: the largest revenue at risk among the candidates, but at least
 *   report.revenue_materiality_pct of the median monthly revenue (tiny sums never count as the top
 *   revenue gap just because every gap is tiny).
 * - demand: the largest demand share among the candidates.
 * - severity: the largest ln(value ÷ limit) among the breaching candidates. The log keeps a metric
 *   8× over its limit ahead of one 3× over without saturating (x/(1+x) put both near 0.8).
 */
export interface Normalisers {
  revenue_usd: number;
  materiality_usd: number;
  demand: number;
  severity: number;
}

/** Severity input of a measurement: ln(ratio) for a breach (ratio > 1), else 0. */
export const severityInput = (ratio: number): number => (ratio > 1 ? Math.log(ratio) : 0);

export function normalisers(candidates: ReadonlyArray<{ revenueUsd: number; demand: number; ratio: number }>, medianMonthlyRevenueUsd: number, materialityPct: number): Normalisers {
  const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
  const materiality = (medianMonthlyRevenueUsd * materialityPct) / 100;
  return {
    revenue_usd: round(Math.max(max(candidates.map((c) => c.revenueUsd)), materiality), 2),
    materiality_usd: round(materiality, 2),
    demand: round(max(candidates.map((c) => c.demand)), 6),
    severity: round(max(candidates.map((c) => severityInput(c.ratio))), 6),
  };
}

/** A raw input on its 0..1 scale (0 when the scale is empty). */
export const scaled = (value: number, scale: number): number => (scale > 0 ? Math.min(1, value / scale) : 0);

import type { Range } from '../rows.js';

/**
 * Tolerances of the behaviour gates. A declared rate p measured on n independent units is compared
 * with a normal approximation of its sampling error: pass when |observed − p| ≤ Z · √(p(1 − p) / n).
 * Z = 4 keeps a correct generator's false-failure rate per gate near 6 in 100,000, so a suite of
 * ~100 behaviour rows over three seeds fails by chance about once in 50 full runs at most; a
 * generator that does not produce the declared behaviour is off by far more than 4 standard errors
 * at the evaluation scale.
 */
export const Z = 4;

/** Z standard errors of a proportion p on n units (a Poisson-binomial sum passes its own variance). */
export function binomialTolerance(p: number, n: number): number {
  return n > 0 ? Z * Math.sqrt(Math.max(p * (1 - p), 0) / n) : Number.POSITIVE_INFINITY;
}

/** [p − tol, p + tol] clipped to [0, 1]. */
export function shareRange(p: number, tol: number): Range {
  return { min: Math.max(0, p - tol), max: Math.min(1, p + tol) };
}

/** Readable tolerance: "±0.0123 (4 SE at n = 1234)". */
export const toleranceText = (tol: number, n: number): string => `±${tol.toFixed(4)} (${Z} standard errors at n = ${n})`;

import type { GateRow } from './types.js';

export interface Range {
  min?: number;
  max?: number;
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6))));

export function rangeText(r: Range): string {
  if (r.min !== undefined && r.max !== undefined) return `[${num(r.min)}, ${num(r.max)}]`;
  if (r.min !== undefined) return `≥ ${num(r.min)}`;
  if (r.max !== undefined) return `≤ ${num(r.max)}`;
  return 'any';
}

export function inRange(value: number | null | undefined, r: Range): boolean {
  if (value === null || value === undefined || Number.isNaN(value)) return false;
  return (r.min === undefined || value >= r.min) && (r.max === undefined || value <= r.max);
}

/** A numeric gate: pass when `value` lies in `range` (inclusive). */
export function rangeRow(family: string, gate: string, value: number | null | undefined, range: Range, extra: { unit?: string; detail?: string } = {}): GateRow {
  const measured = value === undefined || value === null || Number.isNaN(value) ? null : Number(value.toPrecision(8));
  return { family, gate: `${family}.${gate}`, measured, bound: rangeText(range), verdict: inRange(value, range) ? 'pass' : 'fail', ...extra };
}

/** A yes/no gate. */
export function checkRow(family: string, gate: string, ok: boolean, measured: GateRow['measured'], bound: string, detail?: string): GateRow {
  return { family, gate: `${family}.${gate}`, measured, bound, verdict: ok ? 'pass' : 'fail', ...(detail ? { detail } : {}) };
}

export function skipRow(family: string, gate: string, detail: string): GateRow {
  return { family, gate: `${family}.${gate}`, measured: null, bound: 'n/a', verdict: 'skip', detail };
}

/** ± tolerance around a target. */
export const around = (target: number, tol: number): Range => ({ min: target - tol, max: target + tol });

/** Three binomial standard errors of a rate p measured on n rows: sampling noise allowance on small tables. */
export const binomialAllowance = (p: number, n: number): number => (n > 0 ? 3 * Math.sqrt(Math.max(p * (1 - p), 1e-9) / n) : 1);

/** Verdict counts and failures of a set of rows. */
export function tally(rows: GateRow[]): { counts: { pass: number; fail: number; skip: number }; passed: boolean; failed: string[] } {
  const failed = rows.filter((r) => r.verdict === 'fail').map((r) => r.gate);
  const count = (v: GateRow['verdict']) => rows.filter((r) => r.verdict === v).length;
  return { counts: { pass: count('pass'), fail: count('fail'), skip: count('skip') }, passed: failed.length === 0, failed };
}

import type { Trajectory } from '@dnr/core';
import { DAYS_PER_MONTH, type EventWindow } from './window.js';
import type { SqlRandom } from './sql.js';

/** Monthly compounding of new-entity inflow under T2 (docs/behaviour.md). */
export const T2_GROWTH = 0.04;
/** Oldest pre-window vintage, months before the window. */
export const MAX_AGE_MONTHS = 60;

export interface LifecycleParams {
  /** Stream prefix, e.g. 'customer'. */
  stream: string;
  /** Monthly churn (T3: the starting value, rising linearly to 3× at the window end). */
  churn: number;
  trajectory: Trajectory;
  /** Pre-window share override; default: the stationary base for `churn` (steady T1). */
  preShare?: number;
}

/**
 * Share of entities that already exist at the window start when inflow replaces churn
 * (steady state) and the window adds `inflow` months of new entities.
 */
export function stationaryPreShare(churn: number, months: number, trajectory: Trajectory): number {
  const g = 1 + T2_GROWTH;
  const inflowMonths = trajectory === 'T2' ? (Math.pow(g, months) - 1) / (g - 1) : months;
  return 1 / (1 + churn * inflowMonths);
}

/**
 * SQL expression: creation time in days relative to the window start (negative = pre-window vintage).
 * Pre-window ages follow the stationary (exponential) age distribution of a base with constant churn;
 * in-window creation is uniform (T1/T3) or grows 4%/month (T2).
 */
export function createdDaysSql(r: SqlRandom, p: LifecycleParams, window: EventWindow, id: string): string {
  const pre = p.preShare ?? stationaryPreShare(p.churn, window.months, p.trajectory);
  const c = p.churn;
  const age = `(-ln(1 - ${r.u(`${p.stream}.age`, id)} * ${1 - Math.exp(-MAX_AGE_MONTHS * c)}) / ${c} * ${DAYS_PER_MONTH})`;
  const v = r.u(`${p.stream}.born`, id);
  const k = Math.log(1 + T2_GROWTH);
  const frac = p.trajectory === 'T2' ? `(ln(1 + ${v} * ${Math.exp(k * window.months) - 1}) / ${k * window.months})` : v;
  return `(CASE WHEN ${r.u(`${p.stream}.pre`, id)} < ${pre} THEN -${age} ELSE ${frac} * ${window.days} END)`;
}

/** SQL expression: churn time in days relative to the window start (may exceed the window: never churned). */
export function churnDaysSql(r: SqlRandom, p: LifecycleParams, window: EventWindow, id: string, createdDays: string): string {
  const e = `(-ln(${r.u(`${p.stream}.churn`, id)}))`;
  const t0 = `(greatest(${createdDays}, 0) / ${DAYS_PER_MONTH})`;
  if (p.trajectory !== 'T3') return `((${t0} + ${e} / ${p.churn}) * ${DAYS_PER_MONTH})`;
  // T3: hazard c·(1 + 2t/M) rising to 3× by the window end; invert the cumulative hazard.
  const m = window.months;
  const kk = `(${t0} + ${t0} * ${t0} / ${m} + ${e} / ${p.churn})`;
  return `((${m} / 2.0) * (-1 + sqrt(1 + 4 * ${kk} / ${m})) * ${DAYS_PER_MONTH})`;
}

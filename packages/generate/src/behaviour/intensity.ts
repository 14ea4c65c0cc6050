import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '@dnr/core';
import type { EventWindow } from './window.js';

/** Activity by tenure: 0.55 + 0.45·exp(−tenure/180 d) — new entities are most active. */
export const DECAY_FLOOR = 0.55;
export const DECAY_DAYS = 180;

export function tenureDecaySql(tenureDays: string): string {
  return `(${DECAY_FLOOR} + ${1 - DECAY_FLOOR} * exp(-greatest(${tenureDays}, 0) / ${DECAY_DAYS}.0))`;
}

export interface CalendarCurves {
  dow: readonly number[];
  month: readonly number[];
}

/** Day weight W(d) = day-of-week × month seasonality, per local day of the window (same as table cal). */
export function dayWeights(window: EventWindow, curves: CalendarCurves): Float64Array {
  const start = Date.parse(`${window.startDate}T00:00:00Z`);
  const w = new Float64Array(window.days);
  for (let d = 0; d < window.days; d++) {
    const date = new Date(start + d * 86_400_000);
    w[d] = curves.dow[(date.getUTCDay() + 6) % 7] * curves.month[date.getUTCMonth()];
  }
  return w;
}

/**
 * Table ccum(d, cw, ce): prefix sums over days < d of W and W·exp(−d/180), computed once in JS so the
 * expected event count of any entity is two lookups (no pass over entity-days to normalise rates).
 */
export async function installCumulative(conn: DuckDBConnection, window: EventWindow, curves: CalendarCurves): Promise<void> {
  const w = dayWeights(window, curves);
  await conn.run('CREATE OR REPLACE TABLE ccum (d BIGINT, cw DOUBLE, ce DOUBLE)');
  const app = await conn.createAppender('ccum');
  let cw = 0;
  let ce = 0;
  for (let d = 0; d <= window.days; d++) {
    app.appendBigInt(BigInt(d));
    app.appendDouble(cw);
    app.appendDouble(ce);
    app.endRow();
    if (d < window.days) {
      cw += w[d];
      ce += w[d] * Math.exp(-d / DECAY_DAYS);
    }
  }
  app.closeSync();
}

/**
 * Σ over entities and their active days [a, b) of act · decay(d − origin) · W(d), exactly (each
 * entity's share rounded to 1e-6 and summed as integers, so the total never depends on scan order).
 */
export async function expectedEvents(conn: DuckDBConnection, source: string, act: string, originDays: string, a: string, b: string): Promise<number> {
  const [{ total }] = await queryRows<{ total: bigint | null }>(
    conn,
    `SELECT sum((${act} * (${DECAY_FLOOR} * (cb.cw - ca.cw) + ${1 - DECAY_FLOOR} * exp((${originDays}) / ${DECAY_DAYS}.0) * (cb.ce - ca.ce)) * 1e6)::BIGINT)::BIGINT AS total
     FROM (SELECT *, ${a} AS a_, ${b} AS b_ FROM ${source}) s JOIN ccum ca ON ca.d = s.a_ JOIN ccum cb ON cb.d = s.b_ WHERE s.b_ > s.a_`,
  );
  return Number(total ?? 0) / 1e6;
}

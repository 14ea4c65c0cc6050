import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDuckDB, ConfigSchema, openDuckDB, queryRows, type DuckDBSession } from '@dnr/core';
import { installMacros, SqlRandom } from '../behaviour/sql.js';
import { eventWindow } from '../behaviour/window.js';
import { duplicateDelaySql, duplicateRate, fkRates, lagSecondsSql, lateShareOf } from './inject.js';
import { expectedLateShare, normalSf, planDefects, spreadRate } from './profile.js';

let db: DuckDBSession;
const r = new SqlRandom(42);
const window = eventWindow('2026-06-30', 18, 'America/Los_Angeles');
const plan = planDefects(ConfigSchema.parse({ warehouse: { quality: 'typical', seed: 42 } }), 'neobank', window);
const T = 'fact_card_transaction';

beforeAll(async () => {
  db = await openDuckDB({ timeZone: 'UTC', threads: 1 });
  await installMacros(db.connection);
});
afterAll(() => closeDuckDB(db));

const one = async (sql: string) => {
  const [row] = await queryRows<Record<string, unknown>>(db.connection, sql);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as Record<string, number>;
};

/** 400k synthetic events, one every 7 s from 2025-01-01 UTC (rid i), with their lag in seconds. */
function lagRows(): string {
  const lag = lagSecondsSql(r, plan, T, 'rid', 'ev');
  return `SELECT rid, lagsec, ${lag.late('lagsec')} AS late, ld FROM (SELECT *, ${lag.lag} AS lagsec, ${lag.delivered} AS ld
    FROM (SELECT *, ${lag.inputs.join(', ')} FROM (SELECT i AS rid, 1735689600 + i * 7 AS ev FROM range(400000) t(i))))`;
}

describe('ingest lag', () => {
  it('is continuous: a 30 s processing floor that is not an atom, no cap, lognormal late deliveries', async () => {
    const m = await one(`WITH x AS (${lagRows()})
      SELECT min(lagsec) AS lo, count(*) FILTER (lagsec = (SELECT min(lagsec) FROM x)) AS at_lo, count(*) FILTER (lagsec = 10800) AS at_180m,
        count(*) FILTER (lagsec BETWEEN 10200 AND 11400) AS near_180m, max(lagsec) FILTER (NOT ld) AS usual_hi,
        avg(ld::INT) AS delivered, avg(late::INT) AS late, median(lagsec) FILTER (ld) AS late_median,
        quantile_cont(lagsec, 0.05) FILTER (ld) AS late_p5, quantile_cont(lagsec, 0.95) FILTER (ld) AS late_p95,
        median(lagsec) FILTER (NOT ld) AS usual_median, count(DISTINCT lagsec) FILTER (lagsec BETWEEN 3600 AND 14400) AS distinct_1h_4h
      FROM x`);
    expect(m.lo).toBeGreaterThanOrEqual(30);
    expect(m.lo).toBeLessThan(90);
    expect(m.at_lo).toBeLessThanOrEqual(3);
    // the old 180-min cap held hundreds of rows at one value; now one second of a 20-min window
    expect(m.near_180m).toBeGreaterThan(0);
    expect(m.at_180m).toBeLessThanOrEqual(Math.max(3, m.near_180m / 100));
    // the usual tail is not capped at 180 min, and the 1 h–4 h range is filled (from both sides)
    expect(m.usual_hi).toBeGreaterThan(2 * 3600);
    expect(m.distinct_1h_4h).toBeGreaterThan(1000);
    expect(m.usual_median).toBeGreaterThan(5 * 60);
    expect(m.usual_median).toBeLessThan(20 * 60);
    const share = lateShareOf(plan, T);
    expect(Math.abs(m.delivered - share)).toBeLessThan(0.003);
    // late deliveries: 5th/95th percentiles at 4 h / 12 h (per-batch draws: ±15%), median ≈ 6.9 h
    expect(m.late_p5 / 3600).toBeGreaterThan(3.4);
    expect(m.late_p5 / 3600).toBeLessThan(4.6);
    expect(m.late_p95 / 3600).toBeGreaterThan(10.2);
    expect(m.late_p95 / 3600).toBeLessThan(13.8);
    expect(m.late_median / 3600).toBeGreaterThan(6.3);
    expect(m.late_median / 3600).toBeLessThan(7.6);
    // rows first loaded ≥ 4 h: the expected share the ingest_lag entry records
    const target = expectedLateShare(plan.rates, share);
    expect(target).toBeGreaterThan(0.93 * share);
    expect(target).toBeLessThan(0.96 * share);
    expect(Math.abs(m.late - target)).toBeLessThan(0.15 * target);
  });

  it('is a pure function of the row id and event time (whatever the chunk)', async () => {
    const a = await one(`SELECT sum(lagsec) AS s FROM (${lagRows()}) WHERE rid BETWEEN 1000 AND 1999`);
    const b = await one(`SELECT sum(lagsec) AS s FROM (${lagRows().replace('range(400000)', 'range(1000, 2000)')})`);
    expect(b.s).toBe(a.s);
  });
});

describe('duplicate copy delays', () => {
  it('mix replays (minutes), reruns (hours) and backfills (days) with skewed delays and no fixed floor', async () => {
    const d = plan.rates.dupDelay;
    const m = await one(`SELECT min(s) AS lo, count(*) FILTER (s = (SELECT min(${duplicateDelaySql(r, plan, 'fact_subscription_invoice', 'i')}) FROM range(100000) t(i))) AS at_lo,
        count(*) FILTER (s = 60) AS at_60, count(*) FILTER (s BETWEEN 30 AND 90) AS near_60,
        avg((s < 3600)::INT) AS minutes, avg((s >= 86400)::INT) AS days, max(s) AS hi, median(s) FILTER (s < 3600) AS replay_median
      FROM (SELECT ${duplicateDelaySql(r, plan, 'fact_subscription_invoice', 'i')} AS s FROM range(100000) t(i))`);
    expect(m.lo).toBeGreaterThanOrEqual(1);
    expect(m.at_lo).toBeLessThanOrEqual(3);
    expect(m.at_60).toBeLessThanOrEqual(Math.max(3, m.near_60 / 20));
    // replays (60%) under an hour: all but their lognormal tail beyond 60 min; backfills ≈ 15% × 95% beyond one day
    const replayUnderHour = d.replayShare * (1 - normalSf(Math.log(60 / d.replayMedianMinutes) / 0.8));
    expect(Math.abs(m.minutes - replayUnderHour)).toBeLessThan(0.01);
    expect(m.days).toBeGreaterThan(0.95 * d.backfillShare - 0.01);
    expect(m.days).toBeLessThan(d.backfillShare + 0.03);
    expect(m.hi).toBeGreaterThan(10 * 86400);
    expect(m.replay_median / 60).toBeGreaterThan(0.85 * d.replayMedianMinutes);
    expect(m.replay_median / 60).toBeLessThan(1.15 * d.replayMedianMinutes);
  });
});

describe('per-table and per-column rates', () => {
  it('are drawn within ± rate_spread of the configured rate, differ between tables/columns and are deterministic', () => {
    const fk = (column: string) => fkRates(plan, { table: T, column, trueColumn: 'x', dimN: 10, dim: 'card', temporal: false }).fail;
    const rates = [fk('card_id'), fk('merchant_id'), duplicateRate(plan, T), duplicateRate(plan, 'fact_subscription_invoice'), lateShareOf(plan, T)];
    const configured = [0.05, 0.05, 0.007, 0.007, 0.05];
    rates.forEach((x, i) => {
      expect(x).toBeGreaterThanOrEqual(configured[i] * 0.9);
      expect(x).toBeLessThanOrEqual(configured[i] * 1.1);
    });
    expect(fk('card_id')).not.toBe(fk('merchant_id'));
    expect(duplicateRate(plan, T)).not.toBe(duplicateRate(plan, 'fact_subscription_invoice'));
    expect(spreadRate(plan, 0.05, 'fk', T, 'card_id')).toBe(fk('card_id'));
    expect(spreadRate({ ...plan, rates: { ...plan.rates, spread: 0 } }, 0.05, 'fk', T, 'card_id')).toBe(0.05);
  });
});

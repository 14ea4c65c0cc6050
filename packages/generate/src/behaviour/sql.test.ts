import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDuckDB, openDuckDB, queryRows, type DuckDBSession } from '@dnr/core';
import { installCalendar, installMacros, offsetCaseSql, poissonSql, SqlRandom } from './sql.js';
import { MARKET_DOW, MARKET_HOUR_WEEKDAY, MARKET_HOUR_WEEKEND, MARKET_MONTH } from './curves.js';
import { eventWindow } from './window.js';

let db: DuckDBSession;
const r = new SqlRandom(42);
const window = eventWindow('2026-06-30', 18, 'America/Los_Angeles');

beforeAll(async () => {
  db = await openDuckDB({ timeZone: 'UTC', threads: 1 });
  await installMacros(db.connection);
  await installCalendar(db.connection, window, { dow: MARKET_DOW, month: MARKET_MONTH, hourWeekday: MARKET_HOUR_WEEKDAY, hourWeekend: MARKET_HOUR_WEEKEND });
});
afterAll(() => closeDuckDB(db));

const one = async (sql: string) => {
  const [row] = await queryRows<Record<string, unknown>>(db.connection, sql);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as Record<string, number>;
};

describe('hash-based randomness in DuckDB', () => {
  it('u() is uniform on (0,1), a pure function of (seed, stream, id, draw)', async () => {
    const m = await one(`SELECT avg(x) AS mean, var_pop(x) AS var, min(x) AS lo, max(x) AS hi FROM (SELECT ${r.u('t', 'i')} AS x FROM range(200000) t(i))`);
    expect(m.mean).toBeCloseTo(0.5, 2);
    expect(m.var).toBeCloseTo(1 / 12, 3);
    expect(m.lo).toBeGreaterThan(0);
    expect(m.hi).toBeLessThan(1);
    const same = await one(`SELECT ${r.u('t', '12345')} AS a, ${r.u('t', '12345::INTEGER')} AS b, ${r.u('t', '12345', 1)} AS c, ${new SqlRandom(43).u('t', '12345')} AS d`);
    expect(same.a).toBe(same.b); // id type does not matter
    expect(same.c).not.toBe(same.a);
    expect(same.d).not.toBe(same.a);
  });

  it('z() is standard normal', async () => {
    const m = await one(`SELECT avg(x) AS mean, stddev_pop(x) AS sd FROM (SELECT ${r.z('n', 'i')} AS x FROM range(200000) t(i))`);
    expect(m.mean).toBeCloseTo(0, 1);
    expect(m.sd).toBeCloseTo(1, 1);
  });

  it.each([0.05, 0.8, 3.5, 12])('poissonSql(%d) has mean and variance lambda', async (lambda) => {
    const m = await one(
      `SELECT avg(n) AS mean, var_pop(n) AS var FROM (SELECT ${poissonSql('lam', 'uu', r.z('pz', 'i'))} AS n
       FROM (SELECT i, ${lambda} AS lam, ${r.u('p', 'i')} AS uu FROM range(100000) t(i)))`,
    );
    expect(Math.abs(m.mean - lambda) / lambda).toBeLessThan(0.05);
    expect(Math.abs(m.var - lambda) / lambda).toBeLessThan(0.1);
  });
});

describe('time zone offsets', () => {
  it('offsetCaseSql agrees with the per-hour offset table over the whole window', async () => {
    const m = await one(`SELECT count(*) AS n, count(*) FILTER (${offsetCaseSql(window, 'lh')} <> off_min) AS bad FROM tzh WHERE lh >= 0 AND lh < ${window.days * 24}`);
    expect(m.n).toBe(window.days * 24);
    expect(m.bad).toBe(0);
  });

  it('cal has one row per local day with ISO weekdays', async () => {
    const m = await one(`SELECT count(*) AS n, min(ds)::VARCHAR AS first, max(ds)::VARCHAR AS last, count(*) FILTER (wk) AS weekend FROM cal`);
    expect(m).toMatchObject({ n: window.days, first: '2025-01-01', last: '2026-06-30' });
    expect(m.weekend).toBe(156);
  });
});

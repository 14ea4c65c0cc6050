import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDuckDB, ConfigSchema, openDuckDB, queryRows, type DuckDBSession } from '@dnr/core';
import { installMacros, SqlRandom } from '../behaviour/sql.js';
import { eventWindow } from '../behaviour/window.js';
import { LocalClock } from '../behaviour/clock.js';
import { installDupIncidents } from './dup-incidents.js';
import { duplicateRate } from './inject.js';
import { planDefects } from './profile.js';

let db: DuckDBSession;
const r = new SqlRandom(42);
const window = eventWindow('2026-06-30', 18, 'America/Los_Angeles');
const T = 'fact_order';

beforeAll(async () => {
  db = await openDuckDB({ timeZone: 'UTC', threads: 1 });
  await installMacros(db.connection);
});
afterAll(() => closeDuckDB(db));

const num = (x: Record<string, unknown>) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as Record<string, number>;

describe('installDupIncidents', () => {
  it('a few incidents carry the exact copy budget, each a contiguous run of events, timed as its kind says', async () => {
    const conn = db.connection;
    const plan = planDefects(ConfigSchema.parse({ warehouse: { quality: 'typical', seed: 42 } }), 'marketplace', window);
    const clock = new LocalClock(window, 0);
    // one event every 2 minutes over the window (rid = index)
    const n = window.days * 720;
    const t0 = clock.midnight(0);
    const base = `SELECT i AS rid, ${t0} + i * 120 AS ts, i // 720 AS d FROM range(${n}) t(i)`;
    const res = (await installDupIncidents(conn, r, plan, T, clock, n, (days) => `SELECT rid, d, ts FROM (${base}) WHERE d IN (${days.join(', ')})`))!;
    const budget = Math.round(duplicateRate(plan, T) * n);
    expect(res.rows).toBe(budget);
    expect(res.incidents).toHaveLength(12); // 2 a quarter over 18 months
    expect(new Set(res.incidents.map((x) => x.kind)).size).toBeGreaterThanOrEqual(2);
    const rows = (await queryRows<Record<string, unknown>>(conn, `SELECT rid, rt, ad FROM dup_rows WHERE k = '${T}' ORDER BY rid`)).map(num);
    expect(rows).toHaveLength(budget);
    expect(new Set(rows.map((x) => x.rid)).size).toBe(budget);
    for (const x of rows) expect(x.ad).toBeGreaterThanOrEqual(1);
    let prevTo = -Infinity;
    for (const inc of res.incidents) {
      const mine = rows.filter((x) => t0 + x.rid * 120 >= inc.from && t0 + x.rid * 120 <= inc.to);
      expect(mine.length).toBe(inc.rows);
      // contiguous: every event between its first and last is copied
      if (inc.rows) expect((inc.to - inc.from) / 120 + 1).toBe(inc.rows);
      expect(inc.from).toBeGreaterThan(prevTo);
      prevTo = inc.to;
      if (inc.kind === 'replay') {
        expect(inc.reloadAt).toBeNull();
        expect(mine.every((x) => x.rt === null)).toBe(true);
        expect(inc.delayMinutes!).toBeGreaterThan(0);
      } else {
        // reruns hours after the range, backfills days after it; each row within 15 min of the reload
        expect(inc.reloadAt! - inc.to).toBeGreaterThan(inc.kind === 'rerun' ? 600 : 6 * 3600);
        for (const x of mine) expect(x.rt - inc.reloadAt!).toBeGreaterThanOrEqual(0);
        for (const x of mine) expect(x.rt - inc.reloadAt!).toBeLessThan(900);
      }
    }
    // deterministic: the same plan gives the same incidents
    await conn.run(`DELETE FROM dup_rows WHERE k = '${T}'`);
    const again = await installDupIncidents(conn, r, plan, T, clock, n, (days) => `SELECT rid, d, ts FROM (${base}) WHERE d IN (${days.join(', ')})`);
    expect(again).toEqual(res);
  });

  it('none when the table gets no duplicates or incidents are turned off (copies spread evenly instead)', async () => {
    const clock = new LocalClock(window, 0);
    for (const cfg of [{ quality: 'clean' }, { quality: 'typical', defects: { duplicate_delay: { incidents_per_quarter: 0 } } }]) {
      const plan = planDefects(ConfigSchema.parse({ warehouse: cfg }), 'marketplace', window);
      expect(await installDupIncidents(db.connection, r, plan, 'fact_payment', clock, 1000, () => 'SELECT 1 AS rid, 1 AS d, 1 AS ts')).toBeNull();
    }
  });
});

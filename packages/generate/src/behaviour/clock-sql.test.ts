import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDuckDB, openDuckDB, queryRows, type DuckDBSession } from '@dnr/core';
import { METROS } from '../archetypes/neobank/merchant-names.js';
import { LocalClock } from './clock.js';
import { dstGroups, zonedFoldSql, zonedLocalSecondsSql, zonedUtcSecondsSql } from './clock-sql.js';
import { eventWindow } from './window.js';

let db: DuckDBSession;
const window = eventWindow('2026-06-30', 18, 'America/Los_Angeles');
const zones = ['America/Los_Angeles', ...new Set(METROS.map((x) => x.zone).filter((z) => z !== 'America/Los_Angeles'))];
const clocks = zones.map((tz) => new LocalClock({ ...window, tz }, -1, window.days + 2));

beforeAll(async () => {
  db = await openDuckDB({ timeZone: 'UTC', threads: 1 });
});
afterAll(() => closeDuckDB(db));

/** Local seconds of a wall-clock time (`YYYY-MM-DD`, hour, minute) counted from the window's first local midnight. */
const ls = (date: string, h: number, min = 0) => (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${window.startDate}T00:00:00Z`)) / 1000 + h * 3600 + min * 60;

describe('zoned local ↔ UTC SQL', () => {
  it('groups the zones by DST pattern: every US zone that observes DST together, Arizona alone', () => {
    const groups = dstGroups(clocks).map((g) => g.zones.map((z) => zones[z]).sort());
    expect(groups).toHaveLength(2);
    expect(groups.find((g) => g.includes('America/Phoenix'))).toEqual(['America/Phoenix']);
    expect(groups.find((g) => g.includes('America/New_York'))).toEqual(['America/Chicago', 'America/Denver', 'America/Detroit', 'America/Indiana/Indianapolis', 'America/Los_Angeles', 'America/New_York']);
  });

  it('matches LocalClock per zone: ordinary hours, the skipped spring-forward hour (NULL) and both copies of the fall-back hour', async () => {
    const cases: Array<[number, number, number]> = [];
    for (let z = 0; z < zones.length; z++)
      for (const [date, h, min] of [['2025-01-15', 9, 30], ['2025-03-09', 2, 15], ['2025-03-09', 3, 5], ['2025-07-04', 23, 59], ['2025-11-02', 1, 20], ['2026-03-08', 2, 40]] as const)
        for (const fold of [0, 1]) cases.push([z, ls(date, h, min), fold]);
    const sql = zonedUtcSecondsSql(clocks, 'z', 'ls', 'ls // 3600', 'fold');
    const rows = await queryRows<{ utc: bigint | null }>(db.connection, `SELECT ${sql} AS utc FROM (VALUES ${cases.map((c) => `(${c.join(', ')})`).join(', ')}) v(z, ls, fold)`);
    rows.forEach((r, i) => {
      const [z, s, fold] = cases[i];
      const want = clocks[z].utcOf(s, fold === 1);
      expect(r.utc === null ? null : Number(r.utc), `${zones[z]} ls ${s} fold ${fold}`).toBe(want);
    });
    // spot checks against the calendar: 09:30 in Boston in January is 14:30 UTC; 01:20 on the fall-back night twice
    const ny = zones.indexOf('America/New_York');
    expect(clocks[ny].utcOf(ls('2025-01-15', 9, 30))).toBe(Date.parse('2025-01-15T14:30:00Z') / 1000);
    expect(clocks[ny].utcOf(ls('2025-11-02', 1, 20), false)).toBe(Date.parse('2025-11-02T05:20:00Z') / 1000);
    expect(clocks[ny].utcOf(ls('2025-11-02', 1, 20), true)).toBe(Date.parse('2025-11-02T06:20:00Z') / 1000);
    expect(clocks[ny].utcOf(ls('2025-03-09', 2, 15))).toBeNull();
    const az = zones.indexOf('America/Phoenix');
    expect(clocks[az].utcOf(ls('2025-03-09', 2, 15))).toBe(Date.parse('2025-03-09T09:15:00Z') / 1000);
  });

  it('local seconds and fall-back hours per zone', async () => {
    const instants = ['2025-01-15T14:30:00Z', '2025-11-02T05:20:00Z', '2025-11-02T06:20:00Z', '2025-07-04T06:59:00Z'].map((t) => Date.parse(t) / 1000);
    const cases = zones.flatMap((_, z) => instants.map((u) => [z, u]));
    const rows = await queryRows<{ l: bigint; f: boolean }>(
      db.connection,
      `SELECT ${zonedLocalSecondsSql(clocks, 'z', 'u')} AS l, ${zonedFoldSql(clocks, 'z', `(${zonedLocalSecondsSql(clocks, 'z', 'u')}) // 3600`)} AS f FROM (VALUES ${cases.map((c) => `(${c.join(', ')})`).join(', ')}) v(z, u)`,
    );
    rows.forEach((r, i) => {
      const [z, u] = cases[i];
      expect(Number(r.l), `${zones[z]} ${u}`).toBe(clocks[z].localOf(u));
      const lh = Math.floor(clocks[z].localOf(u) / 3600);
      expect(r.f, `${zones[z]} ${u}`).toBe(clocks[z].transitions().folds.includes(lh));
    });
    // both UTC instants of 01:20 on Boston's fall-back night are in its repeated hour; Phoenix repeats none
    const ny = zones.indexOf('America/New_York');
    expect(rows[ny * instants.length + 1].f && rows[ny * instants.length + 2].f).toBe(true);
    expect(rows.filter((_, i) => cases[i][0] === zones.indexOf('America/Phoenix')).some((r) => r.f)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { queryRows, withDuckDB } from '@dnr/core';
import { localTimeSql } from './context.js';

describe('local_ts without per-row ICU', () => {
  it.each(['America/Los_Angeles', 'Europe/Berlin', 'America/St_Johns', 'Australia/Lord_Howe', 'UTC'])('equals ICU conversion in %s, DST edges included', async (tz) => {
    await withDuckDB({ timeZone: 'UTC' }, async (conn) => {
      await conn.run(`CREATE MACRO fast_local(ts) AS ${await localTimeSql(conn, tz, '2026-06-30', 18)}`);
      // Every 7 minutes over two years catches every transition minute-exactly or within 7 min.
      const [r] = await queryRows<{ n: bigint; bad: bigint }>(
        conn,
        `SELECT count(*) AS n, count(*) FILTER (fast_local(ts) <> timezone('${tz}', timezone('UTC', ts))) AS bad
         FROM (SELECT unnest(generate_series(TIMESTAMP '2024-12-01', TIMESTAMP '2026-07-01', INTERVAL 7 MINUTE)) AS ts)`,
      );
      expect(Number(r.n)).toBeGreaterThan(100_000);
      expect(Number(r.bad)).toBe(0);
    });
  });
});

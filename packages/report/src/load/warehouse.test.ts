import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, withDuckDB } from '@dnr/core';
import { REQUIRED_COLUMNS } from '../tables.js';
import { attachWarehouse } from './warehouse.js';

/**
 * The local day of every event comes from a 15-minute offset lookup instead of a per-row ICU call;
 * it must agree with ICU exactly, across DST transitions, in zones with half-hour DST
 * (Lord Howe) and quarter-hour offsets (Kathmandu).
 */
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dnr-tz-'));
  const pq = path.join(dir, 'parquet');
  mkdirSync(pq);
  await withDuckDB({ timeZone: 'UTC' }, async (c) => {
    // Every 7 minutes around the 2025-11-02 and 2026-03-08 US transitions and the 2025-10-05 / 2026-04-05 Lord Howe ones.
    const ts = `(SELECT unnest(range(TIMESTAMP '2025-10-03', TIMESTAMP '2025-11-05', INTERVAL 7 MINUTE)) AS t UNION ALL
                 SELECT unnest(range(TIMESTAMP '2026-03-06', TIMESTAMP '2026-04-08', INTERVAL 7 MINUTE)))`;
    // Empty dimensions with the types the reader expects (ids and cents BIGINT, times TIMESTAMP, the rest text).
    const typeOf = (col: string) => (col === 'mcc' || col === 'plan_id' ? 'INTEGER' : /_id$|_cents$/.test(col) ? 'BIGINT' : /_at$/.test(col) ? 'TIMESTAMP' : 'VARCHAR');
    const empty = (t: string) => REQUIRED_COLUMNS.neobank[t].map((col) => `NULL::${typeOf(col)} AS ${col}`).join(', ');
    for (const t of ['dim_customer', 'dim_account', 'dim_card', 'dim_merchant', 'dim_plan']) {
      await c.run(`COPY (SELECT ${empty(t)} LIMIT 0) TO '${pq}/${t}.parquet' (FORMAT parquet)`);
    }
    await c.run(`COPY (SELECT row_number() OVER () AS txn_id, 1 AS card_id, 1 AS merchant_id, t AS event_time, 100 AS amount_cents, 150 AS interchange_bps,
      'ecommerce' AS channel, 'approved' AS auth_result, t + INTERVAL 1 HOUR AS loaded_at FROM ${ts}) TO '${pq}/fact_card_transaction.parquet' (FORMAT parquet)`);
    await c.run(`COPY (SELECT 1 AS invoice_id, 1 AS customer_id, 1 AS plan_id, DATE '2026-03-01' AS period_start, DATE '2026-04-01' AS period_end,
      TIMESTAMP '2026-03-08 09:30' AS paid_at, 999 AS amount_cents, TIMESTAMP '2026-03-08 10:00' AS loaded_at) TO '${pq}/fact_subscription_invoice.parquet' (FORMAT parquet)`);
  });
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ archetype: 'neobank' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('attachWarehouse local days', () => {
  for (const tz of ['America/Los_Angeles', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
    it(`match ICU for every event in ${tz}`, async () => {
      await withDuckDB({ timeZone: 'UTC' }, async (c) => {
        await attachWarehouse(c, dir, tz);
        const [r] = await queryRows<{ n: bigint; bad: bigint }>(
          c,
          `SELECT count(*) AS n, count(*) FILTER (WHERE _day IS DISTINCT FROM CAST(timezone('${tz}', timezone('UTC', _ts)) AS DATE)) AS bad FROM ev_fact_card_transaction`,
        );
        expect(Number(r.n)).toBeGreaterThan(10_000);
        expect(Number(r.bad)).toBe(0);
      });
    });
  }
});

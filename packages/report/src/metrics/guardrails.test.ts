import { describe, expect, it } from 'vitest';
import { ConfigSchema, withDuckDB } from '@dnr/core';
import { defineTimeMacros } from '../load/warehouse.js';
import { computeInvoiceAggregates } from './guardrails.js';

const spec = { table: 'invoices', customer: 'customer_id', period_start: 'period_start', period_end: 'period_end', paid_at: 'paid_at' };

/**
 * An invoice table that is not a fact of the contract (no key, no dedup view): customer 1 has Jan and Feb,
 * Jan loaded twice (a late copy paid later); customer 2 has Jan and Mar (Feb missing); Mar is unpaid.
 */
const ROWS = `
  (1, DATE '2026-01-01', DATE '2026-02-01', TIMESTAMP '2026-01-01 10:00:00'),
  (1, DATE '2026-01-01', DATE '2026-02-01', TIMESTAMP '2026-01-09 10:00:00'),
  (1, DATE '2026-02-01', DATE '2026-03-01', TIMESTAMP '2026-02-01 12:00:00'),
  (2, DATE '2026-01-01', DATE '2026-02-01', TIMESTAMP '2026-01-05 09:00:00'),
  (2, DATE '2026-03-01', DATE '2026-04-01', NULL)`;

describe('computeInvoiceAggregates on a table that is not a contract fact', () => {
  it('counts each (customer, period) billing period once, at its earliest payment; the duplicate rate still sees raw rows', async () => {
    const r = await withDuckDB({}, async (c) => {
      await defineTimeMacros(c, 'UTC');
      await c.run(`CREATE TABLE invoices AS SELECT * FROM (VALUES ${ROWS}) t(customer_id, period_start, period_end, paid_at)`);
      return computeInvoiceAggregates(c, spec, false, '2026-06-30', ConfigSchema.parse({}));
    });
    // 4 billing periods (the reloaded Jan counts once); on time: cust 1 Jan (earliest payment), cust 1 Feb.
    expect(r.counts).toEqual({ expected_periods: 5, missing_periods: 1, invoices: 4, on_time: 2, keyed_rows: 5, distinct_keys: 4 });
    expect(r.metrics.on_time_pct).toBe(50);
    expect(r.metrics.dup_key_pct).toBe(20);
    expect(r.metrics.missing_pct).toBe(20);
    // p95 (linear) over the paid periods' lags in minutes: 600, 720, 6,300 (the late copy's 11,520 is not a period of its own).
    expect(r.metrics.p95_payment_lag_min).toBe(5742);
  });
});

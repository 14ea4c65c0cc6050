import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '../packages/core/src/index.js';
import { runDnr, tempDir, type ValidateRow } from './helpers/cli.js';
import { copyWithRewrites, type Rewrite } from './helpers/warehouse-mutation.js';

type Row = ValidateRow;

let tmp: ReturnType<typeof tempDir>;
const data = (name: string) => path.join(tmp.dir, 'data', name);

async function gen(name: string, archetype: string, seed: number): Promise<void> {
  const r = await runDnr(['gen-warehouse', '--archetype', archetype, '--scale', 'small', '--seed', String(seed), '--out', data(name), '-q'], { cwd: tmp.dir });
  expect(r.exitCode, r.stderr).toBe(0);
}

async function behaviourRows(dir: string, name: string): Promise<{ exitCode: number; rows: Row[]; stderr: string }> {
  const out = path.join(tmp.dir, `qc-${name}`);
  const r = await runDnr(['validate', '--warehouse', dir, '--out', out, '--only', 'behaviour', '--strict'], { cwd: tmp.dir });
  const file = path.join(out, 'validate.json');
  const rows = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[] }).rows.filter((x) => x.gate.startsWith('behaviour.')) : [];
  return { exitCode: r.exitCode, rows, stderr: r.stderr };
}

/**
 * A copy of the seed-7 warehouse with one table rewritten by `select` (given the table's own relation and
 * a resolver for the others), handed over without dnr's marker as another tool would.
 */
const broken = (name: string, target: string, select: Rewrite, from = 'nb7'): Promise<string> => copyWithRewrites(data(from), data(name), { [target]: select });

const failed = (rows: Row[]) => rows.filter((r) => r.verdict === 'fail').map((r) => r.gate);

beforeAll(async () => {
  tmp = tempDir('dnr-behaviour-');
  for (const seed of [1, 7, 42]) await gen(`nb${seed}`, 'neobank', seed);
  await gen('mp7', 'marketplace', 7);
}, 600_000);
afterAll(() => tmp.cleanup());

describe('validate: behaviour gates', () => {
  it('pass on fresh typical neobank data for seeds 1, 7 and 42, with every kind of gate present', async () => {
    for (const seed of [1, 7, 42]) {
      const r = await behaviourRows(data(`nb${seed}`), `nb${seed}`);
      expect(failed(r.rows), `seed ${seed}: ${r.stderr}`).toEqual([]);
      expect(r.exitCode).toBe(0);
      for (const kind of ['segment_share.', 'segment_order.', 'funnel.', 'calendar.', 'state.', 'cohorts.', 'declines.']) {
        expect(r.rows.some((x) => x.gate.startsWith(`behaviour.${kind}`)), `${kind} at seed ${seed}`).toBe(true);
      }
      expect(r.rows.filter((x) => x.verdict === 'pass').length).toBeGreaterThan(30);
    }
  });

  it('marketplace: status consistency, failed payments and refund rates pass on fresh typical data', async () => {
    const r = await behaviourRows(data('mp7'), 'mp7');
    expect(failed(r.rows), r.stderr).toEqual([]);
    expect(r.exitCode).toBe(0);
    const passed = r.rows.filter((x) => x.verdict === 'pass').map((x) => x.gate);
    expect(passed).toEqual(
      expect.arrayContaining([
        'behaviour.state.lines_on_unavailable_listing',
        'behaviour.state.sold_out_never_sold',
        'behaviour.failed_payments.first_attempt_failure_rate',
        'behaviour.refunds.cancellation_rate',
        'behaviour.refunds.full_refund_rate',
        'behaviour.refunds.partial_refund_rate',
      ]),
    );
  });

  it('marketplace: fail when half the cancellations are missing, or when sales land on removed listings', async () => {
    const refunds = await broken('mp-cancel', 'fact_refund', (self) => `SELECT * FROM ${self} WHERE NOT (kind = 'cancellation' AND hash(order_id) % 2 = 0)`, 'mp7');
    const r1 = await behaviourRows(refunds, 'mp-cancel');
    expect(r1.exitCode).toBe(3);
    expect(failed(r1.rows)).toEqual(['behaviour.refunds.cancellation_rate']);
    // every listing's snapshot says removed from its tenth day on: lines after that are on unavailable listings
    const removed = await broken('mp-removed', 'snapshot_listing_daily', (self) => `
      SELECT ds, listing_id, CASE WHEN ds >= min(ds) OVER (PARTITION BY listing_id) + 10 THEN 'removed' ELSE status END AS status FROM ${self}`, 'mp7');
    const r2 = await behaviourRows(removed, 'mp-removed');
    expect(r2.exitCode).toBe(3);
    expect(failed(r2.rows)).toContain('behaviour.state.lines_on_unavailable_listing');
  });

  it('fail on approved spend inside frozen account spells', async () => {
    // every account's first open spell relabelled frozen: its approved spend is now on a frozen account
    const dir = await broken('frozen', 'dim_account_status_history', (self) => `
      SELECT account_id, CASE WHEN status = 'open' AND valid_from = min(valid_from) OVER (PARTITION BY account_id) THEN 'frozen' ELSE status END AS status, valid_from, valid_to FROM ${self}`);
    const r = await behaviourRows(dir, 'frozen');
    expect(r.exitCode).toBe(3);
    // (its declined attempts now lack the account_frozen reason too)
    expect(failed(r.rows)).toEqual(['behaviour.state.approved_on_frozen_or_closed_account', 'behaviour.declines.reason_matches_state']);
  });

  it('recurring retries that fall inside a freeze are declined account_frozen (frequent freezes, long retry chains)', async () => {
    // freezes 40× the default and merchants retrying up to 8 times with little success: many retry chains cross a freeze
    writeFileSync(path.join(tmp.dir, 'freeze-retry.yaml'), [
      'behaviour:', '  neobank:', '    accounts:', '      freeze:', '        monthly_hazard: 0.1',
      '    declines:', '      base_rate: 0.2', '      recurring_retry:', '        attempts: 8', '        success: 0.05', '',
    ].join('\n'));
    const dir = data('nb-freeze-retry');
    const g = await runDnr(['gen-warehouse', '--config', 'freeze-retry.yaml', '--archetype', 'neobank', '--scale', 'small', '--seed', '3', '--out', dir, '-q'], { cwd: tmp.dir });
    expect(g.exitCode, g.stderr).toBe(0);
    const r = await behaviourRows(dir, 'freeze-retry');
    const row = r.rows.find((x) => x.gate === 'behaviour.declines.reason_matches_state');
    expect(row?.verdict, row?.detail).toBe('pass');
    expect(Number(String(row?.detail).match(/of (\d+) on closed/)?.[1])).toBeGreaterThan(500);
  });

  it('fail when closed-account declines are given another reason, or when a tenth of the decline reasons are missing', async () => {
    const relabelled = await broken('reason-state', 'fact_authorization_decline', (self) => `
      SELECT * REPLACE (CASE WHEN reason_code = 'account_closed' THEN 'insufficient_funds' ELSE reason_code END AS reason_code) FROM ${self}`);
    const r1 = await behaviourRows(relabelled, 'reason-state');
    expect(r1.exitCode).toBe(3);
    expect(failed(r1.rows)).toEqual(['behaviour.declines.reason_matches_state']);
    const missing = await broken('reason-rows', 'fact_authorization_decline', (self) => `SELECT * FROM ${self} WHERE hash(txn_id) % 10 <> 0`);
    const r2 = await behaviourRows(missing, 'reason-rows');
    expect(r2.exitCode).toBe(3);
    expect(failed(r2.rows)).toContain('behaviour.declines.reason_rows');
  });

  it('fail when customers who spend are marked as pending KYC', async () => {
    const dir = await broken('kyc', 'dim_customer', (self) => `SELECT customer_id, created_at, CASE WHEN customer_id % 10 = 0 THEN 'pending' ELSE kyc_status END AS kyc_status FROM ${self}`);
    const r = await behaviourRows(dir, 'kyc');
    expect(r.exitCode).toBe(3);
    expect(failed(r.rows)).toEqual(expect.arrayContaining(['behaviour.state.approved_without_kyc', 'behaviour.state.unverified_with_account']));
  });

  it('fail when a third of card activations never happened (funnel)', async () => {
    const dir = await broken('funnel', 'fact_onboarding_event', (self) => `SELECT * FROM ${self} WHERE NOT (stage = 'card_activated' AND hash(customer_id) % 3 = 0)`);
    const r = await behaviourRows(dir, 'funnel');
    expect(r.exitCode).toBe(3);
    expect(failed(r.rows)).toContain('behaviour.funnel.card_activated');
  });

  it('fail when the account and card drop-offs are far from the declared conversions (funnel)', async () => {
    // one verified customer in eight loses the account opening (≈ 0.84 of verified, declared 0.96) and one
    // account in six the card issue (≈ 0.79, declared 0.95); the activation step keeps its own base
    const dir = await broken(
      'open-funnel',
      'fact_onboarding_event',
      (self) => `SELECT * FROM ${self} WHERE NOT (stage = 'account_opened' AND hash(customer_id) % 8 = 0) AND NOT (stage IN ('card_issued', 'card_activated') AND hash(customer_id) % 6 = 1)`,
    );
    const r = await behaviourRows(dir, 'open-funnel');
    expect(r.exitCode).toBe(3);
    expect(failed(r.rows)).toEqual(expect.arrayContaining(['behaviour.funnel.account_opened', 'behaviour.funnel.card_issued']));
    expect(failed(r.rows)).not.toContain('behaviour.funnel.card_activated');
  });

  it('fail when one applicant in twelve never gets the KYC verification it was given (funnel)', async () => {
    const dir = await broken('kyc-funnel', 'fact_onboarding_event', (self) => `SELECT * FROM ${self} WHERE NOT (stage = 'kyc_verified' AND hash(customer_id) % 12 = 0)`);
    const r = await behaviourRows(dir, 'kyc-funnel');
    expect(r.exitCode).toBe(3);
    expect(failed(r.rows)).toContain('behaviour.funnel.kyc_verified');
  });

  it('fail when half of one segment is missing from dim_customer (segment share)', async () => {
    const entities = `read_parquet(${sqlString(path.join(data('nb7'), 'behaviour_entities.parquet'))})`;
    const dir = await broken('share', 'dim_customer', (self) => `
      SELECT c.* FROM ${self} c JOIN ${entities} e USING (customer_id) WHERE NOT (e.segment = 'young_digital' AND c.customer_id % 2 = 0)`);
    const r = await behaviourRows(dir, 'share');
    expect(r.exitCode).toBe(3);
    expect(failed(r.rows)).toContain('behaviour.segment_share.young_digital');
  });

  it('fail when gig workers are never declined (segment order)', async () => {
    const entities = `read_parquet(${sqlString(path.join(data('nb7'), 'behaviour_entities.parquet'))})`;
    const dir = await broken('declines', 'fact_card_transaction', (self, t) => `
      WITH gig AS (SELECT c.card_id FROM ${t('dim_card')} c JOIN ${t('dim_account')} a USING (account_id) JOIN ${entities} e USING (customer_id) WHERE e.segment = 'gig_worker')
      SELECT * REPLACE (CASE WHEN auth_result = 'declined' AND card_id IN (SELECT card_id FROM gig) THEN 'approved' ELSE auth_result END AS auth_result) FROM ${self}`);
    const r = await behaviourRows(dir, 'declines');
    expect(r.exitCode).toBe(3);
    expect(failed(r.rows).filter((g) => g.startsWith('behaviour.segment_order.decline_rate.gig_worker_over_')).length).toBeGreaterThan(0);
  });

  it('fail when Thanksgiving is as busy as an ordinary Thursday and Christmas Day doubled (named days)', async () => {
    const days = `('2025-11-27', '2025-12-25')`;
    const dir = await broken('calendar', 'fact_card_transaction', (self) => `
      SELECT * FROM ${self}
      UNION ALL
      SELECT * REPLACE (txn_id + 4611686018427387904 AS txn_id) FROM ${self}
      WHERE strftime(timezone('America/Los_Angeles', event_time::TIMESTAMPTZ), '%Y-%m-%d') IN ${days}`);
    const r = await behaviourRows(dir, 'calendar');
    expect(r.exitCode).toBe(3);
    expect(failed(r.rows)).toEqual(expect.arrayContaining(['behaviour.calendar.thanksgiving.2025-11-27', 'behaviour.calendar.christmas_day.2025-12-25']));
  });
});

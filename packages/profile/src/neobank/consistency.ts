import { num } from '../sql.js';
import type { ProfileSource } from '../source.js';

/** Counts of rows that contradict an account, card or KYC state (all 0 in consistent data). */
export interface NeobankConsistency {
  /** Approved transactions checked (after the card's activation; earlier ones are injected fk_temporal defects). */
  approved_checked: number;
  /** Approved transactions while the card's account was frozen or closed (status history). */
  approved_on_frozen_or_closed: number;
  /** Approved transactions while the card was lost, expired or closed (not active per its status history). */
  approved_on_inactive_card: number;
  /** Approved transactions of customers whose KYC is not verified. */
  approved_without_kyc: number;
  /** Customers whose KYC is pending or rejected but who hold an account. */
  unverified_with_account: number;
  /** Customers with pending or rejected KYC. */
  unverified_customers: number;
}

/**
 * State consistency of the neobank: spend against the account and card status-history spells and the
 * KYC status. Transactions before the card's activation are left out (they are the injected
 * "fact before its dimension row" defect, recorded in defects.json and gated by the defects family).
 * Returns null when the status-history tables are absent.
 */
export async function neobankConsistency(src: ProfileSource): Promise<NeobankConsistency | null> {
  if (!src.tables.has('dim_account_status_history') || !src.tables.has('dim_card_status_history')) return null;
  const [r] = await src.q<Record<string, bigint>>(`
    WITH t AS (
      SELECT t.txn_id, t.event_time, t.card_id, c.account_id, a.customer_id
      FROM ${await src.first('fact_card_transaction')} t JOIN dim_card c ON c.card_id = t.card_id JOIN dim_account a ON a.account_id = c.account_id
      WHERE t.auth_result = 'approved' AND c.activated_at IS NOT NULL AND t.event_time >= c.activated_at)
    SELECT
      (SELECT count(*) FROM t) AS approved_checked,
      (SELECT count(DISTINCT t.txn_id) FROM t JOIN dim_account_status_history h ON h.account_id = t.account_id
        AND t.event_time >= h.valid_from AND (h.valid_to IS NULL OR t.event_time < h.valid_to) AND h.status <> 'open') AS approved_on_frozen_or_closed,
      (SELECT count(DISTINCT t.txn_id) FROM t JOIN dim_card_status_history h ON h.card_id = t.card_id
        AND t.event_time >= h.valid_from AND (h.valid_to IS NULL OR t.event_time < h.valid_to) AND h.status <> 'active') AS approved_on_inactive_card,
      (SELECT count(*) FROM t JOIN dim_customer c USING (customer_id) WHERE c.kyc_status <> 'verified') AS approved_without_kyc,
      (SELECT count(DISTINCT c.customer_id) FROM dim_customer c JOIN dim_account a USING (customer_id) WHERE c.kyc_status <> 'verified') AS unverified_with_account,
      (SELECT count(*) FROM dim_customer WHERE kyc_status <> 'verified') AS unverified_customers`);
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, num(v)])) as unknown as NeobankConsistency;
}

import type { ProfileSource } from '@dnr/profile';
import { checkRow, skipRow } from '../rows.js';
import type { GateRow } from '../types.js';

const FAMILY = 'behaviour';

/** Decline reasons that the account or card state decides, and the state each needs (docs/behaviour.md). */
const STATE_REASONS = `(VALUES ('account_closed'), ('account_frozen'), ('expired_card'), ('lost_card')) v(reason)`;

/**
 * fact_authorization_decline agrees with fact_card_transaction and the status histories:
 * - `declines.reason_rows`: one reason row per declined txn_id (first loaded copy), none for other rows;
 * - `declines.reason_matches_state`: every attempt on a closed account is declined account_closed, on a
 *   frozen one account_frozen, on an open account's expired or lost card expired_card / lost_card; and
 *   each of those reasons only in that state. Attempts whose card_id is NULL or has no dim_card row are
 *   not checked (their account is unknown).
 */
export async function declineReasonRows(src: ProfileSource): Promise<GateRow[]> {
  const need = ['fact_authorization_decline', 'dim_account_status_history', 'dim_card_status_history'];
  if (!need.every((t) => src.tables.has(t))) return [skipRow(FAMILY, 'declines', `no ${need.filter((t) => !src.tables.has(t)).join(', ')} in this warehouse`)];
  const first = await src.first('fact_card_transaction');
  const [r] = await src.q<Record<string, bigint | number>>(`
    WITH t AS (SELECT t.txn_id, t.event_time, t.card_id, t.auth_result, r.reason_code, c.account_id
      FROM ${first} t LEFT JOIN fact_authorization_decline r USING (txn_id) LEFT JOIN dim_card c USING (card_id)),
    s AS (SELECT t.*, ha.status AS account_state, hc.status AS card_state
      FROM t ASOF LEFT JOIN dim_account_status_history ha ON ha.account_id = t.account_id AND t.event_time >= ha.valid_from
      ASOF LEFT JOIN dim_card_status_history hc ON hc.card_id = t.card_id AND t.event_time >= hc.valid_from
      WHERE t.account_id IS NOT NULL AND t.event_time IS NOT NULL),
    e AS (SELECT s.*, CASE WHEN account_state IN ('closed', 'frozen') THEN 'account_' || account_state WHEN card_state IN ('expired', 'lost') THEN
        CASE card_state WHEN 'expired' THEN 'expired_card' ELSE 'lost_card' END END AS expected FROM s)
    SELECT
      (SELECT count(*) FROM t WHERE (auth_result = 'declined') <> (reason_code IS NOT NULL)) AS row_mismatch,
      (SELECT count(*) FROM fact_authorization_decline WHERE txn_id NOT IN (SELECT txn_id FROM t)) AS orphan_reasons,
      (SELECT count(*) FROM t WHERE auth_result = 'declined') AS declined,
      (SELECT count(*) FROM e WHERE expected IS NOT NULL) AS state_attempts,
      (SELECT count(*) FROM e WHERE (expected IS NOT NULL AND reason_code IS DISTINCT FROM expected)
        OR (expected IS NULL AND reason_code IN (SELECT reason FROM ${STATE_REASONS}))) AS state_mismatch`);
  const n = (k: string) => Number(r[k]);
  return [
    checkRow(FAMILY, 'declines.reason_rows', n('row_mismatch') + n('orphan_reasons') === 0, n('row_mismatch') + n('orphan_reasons'), '= 0', `declined transactions (of ${n('declined')}) without a reason row, other transactions with one, and reason rows with no transaction`),
    checkRow(FAMILY, 'declines.reason_matches_state', n('state_mismatch') === 0, n('state_mismatch'), '= 0', `attempts whose reason disagrees with the account/card state (of ${n('state_attempts')} on closed or frozen accounts, expired or lost cards)`),
  ];
}

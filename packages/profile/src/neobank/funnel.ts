import { neobankTxnSql, num, round } from '../sql.js';
import type { ProfileSource } from '../source.js';

/** Funnel stages in order, as fact_onboarding_event names them (first_transaction comes from the facts). */
export const FUNNEL_STAGES = ['signed_up', 'kyc_submitted', 'kyc_verified', 'account_opened', 'card_issued', 'card_activated', 'first_transaction'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export interface FunnelRow {
  stage: FunnelStage;
  /** Customers of the mature cohort who reached the stage. */
  reached: number;
  /** reached ÷ customers who reached the previous stage (null for signed_up). */
  step_conversion: number | null;
  /** reached ÷ signed up. */
  from_signup: number;
  /** Hours from the previous stage, 50th and 90th percentile. */
  lag_p50_h: number | null;
  lag_p90_h: number | null;
}

export interface FunnelProfile {
  /** Customers signed up at least `maturity_days` before the window end (so every step had time to happen). */
  cohort: number;
  maturity_days: number;
  /** first_transaction counts only customers who signed up inside the window (earlier transactions are not in the data). */
  first_transaction_cohort: number;
  /** from_signup of first_transaction is relative to first_transaction_cohort. */
  stages: FunnelRow[];
  /** Side branches: manual review, rejected, expired (share of kyc_submitted). */
  branches: Record<string, { reached: number; share_of_submitted: number }>;
}

/** Days between a sign-up and the window end for the customer to count in the funnel. */
export const FUNNEL_MATURITY_DAYS = 60;

/**
 * Onboarding funnel from fact_onboarding_event (first event per stage and customer) plus the first
 * approved card transaction. Cohort: customers signed up ≥ 60 days before the window end; the
 * first_transaction step is measured on the part of that cohort that signed up inside the window.
 * Returns null when the warehouse has no onboarding table.
 */
export async function funnelProfile(src: ProfileSource): Promise<FunnelProfile | null> {
  if (!src.tables.has('fact_onboarding_event')) return null;
  const tx = await neobankTxnSql(src);
  const cut = `(TIMESTAMP '${src.window.end} 23:59:59' - INTERVAL ${FUNNEL_MATURITY_DAYS} DAY)`;
  const rows = await src.q<{ stage: string; reached: bigint; prev: bigint | null; p50: number | null; p90: number | null }>(`
    WITH ev AS (SELECT customer_id, stage, min(event_time) AS t FROM fact_onboarding_event GROUP BY 1, 2),
    cohort AS (SELECT customer_id, t AS signup FROM ev WHERE stage = 'signed_up' AND local_ts(t) <= ${cut}),
    ft AS (SELECT customer_id, min(event_time) AS t FROM ${tx} WHERE auth_result = 'approved' AND after_activation GROUP BY 1),
    inwin AS (SELECT * FROM cohort WHERE local_ts(signup) >= TIMESTAMP '${src.window.start}'),
    wide AS (
      SELECT c.customer_id, c.signup AS signed_up,
        max(e.t) FILTER (WHERE e.stage = 'kyc_submitted') AS kyc_submitted,
        max(e.t) FILTER (WHERE e.stage = 'kyc_verified') AS kyc_verified,
        max(e.t) FILTER (WHERE e.stage = 'account_opened') AS account_opened,
        max(e.t) FILTER (WHERE e.stage = 'card_issued') AS card_issued,
        max(e.t) FILTER (WHERE e.stage = 'card_activated') AS card_activated
      FROM cohort c LEFT JOIN ev e USING (customer_id) GROUP BY 1, 2),
    steps AS (
      SELECT 'kyc_submitted' AS stage, 1 AS k, signed_up AS a, kyc_submitted AS b, true AS base FROM wide
      UNION ALL SELECT 'kyc_verified', 2, kyc_submitted, kyc_verified, kyc_submitted IS NOT NULL FROM wide
      UNION ALL SELECT 'account_opened', 3, kyc_verified, account_opened, kyc_verified IS NOT NULL FROM wide
      UNION ALL SELECT 'card_issued', 4, account_opened, card_issued, account_opened IS NOT NULL FROM wide
      UNION ALL SELECT 'card_activated', 5, card_issued, card_activated, card_issued IS NOT NULL FROM wide
      UNION ALL SELECT 'first_transaction', 6, w.card_activated, ft.t, w.card_activated IS NOT NULL
        FROM wide w JOIN inwin USING (customer_id) LEFT JOIN ft USING (customer_id))
    SELECT stage, count(*) FILTER (WHERE base AND b IS NOT NULL) AS reached, count(*) FILTER (WHERE base) AS prev,
      quantile_cont(epoch(b - a) / 3600, 0.5) FILTER (WHERE base AND b IS NOT NULL) AS p50,
      quantile_cont(epoch(b - a) / 3600, 0.9) FILTER (WHERE base AND b IS NOT NULL) AS p90
    FROM steps GROUP BY stage, k
    UNION ALL SELECT 'signed_up', count(*), NULL, NULL, NULL FROM cohort
    UNION ALL SELECT '_first_transaction_cohort', count(*), NULL, NULL, NULL FROM inwin`);
  const branches = await src.q<{ stage: string; reached: bigint; submitted: bigint }>(`
    WITH ev AS (SELECT DISTINCT customer_id, stage FROM fact_onboarding_event),
    cohort AS (SELECT customer_id FROM fact_onboarding_event WHERE stage = 'signed_up' AND local_ts(event_time) <= ${cut}),
    sub AS (SELECT customer_id FROM ev JOIN cohort USING (customer_id) WHERE stage = 'kyc_submitted')
    SELECT s.stage, count(ev.customer_id) AS reached, (SELECT count(*) FROM sub) AS submitted
    FROM (SELECT unnest(['kyc_manual_review', 'kyc_rejected', 'kyc_expired']) AS stage) s
    LEFT JOIN ev ON ev.stage = s.stage AND ev.customer_id IN (SELECT customer_id FROM sub)
    GROUP BY 1`);
  return assembleFunnel(rows, branches);
}

function assembleFunnel(
  rows: Array<{ stage: string; reached: bigint; prev: bigint | null; p50: number | null; p90: number | null }>,
  branches: Array<{ stage: string; reached: bigint; submitted: bigint }>,
): FunnelProfile {
  const by = new Map(rows.map((r) => [r.stage, r]));
  const cohort = num(by.get('signed_up')?.reached ?? 0n);
  const ftCohort = num(by.get('_first_transaction_cohort')?.reached ?? 0n);
  const base = (stage: FunnelStage) => (stage === 'first_transaction' ? ftCohort : cohort);
  const stages = FUNNEL_STAGES.map((stage): FunnelRow => {
    const r = by.get(stage);
    const reached = num(r?.reached ?? 0n);
    const prev = r?.prev === null || r?.prev === undefined ? null : num(r.prev);
    return {
      stage,
      reached,
      step_conversion: prev === null ? null : prev ? round(reached / prev) : null,
      from_signup: round(base(stage) ? reached / base(stage) : 0) ?? 0,
      lag_p50_h: round(r?.p50 ?? null, 2),
      lag_p90_h: round(r?.p90 ?? null, 2),
    };
  });
  const br = Object.fromEntries(
    branches.map((b) => {
      const reached = num(b.reached);
      return [b.stage, { reached, share_of_submitted: round(num(b.submitted) ? reached / num(b.submitted) : 0) ?? 0 }];
    }),
  );
  return { cohort, maturity_days: FUNNEL_MATURITY_DAYS, first_transaction_cohort: ftCohort, stages, branches: br };
}

import { num } from '../sql.js';
import type { ProfileSource } from '../source.js';

export interface SubscriptionProfile {
  /** Counts of each (event, from plan, to plan) in the window; plan names from dim_plan. */
  transitions: Array<{ event_type: string; from_plan: string | null; to_plan: string | null; events: number }>;
  /** Invoices in the window: billed, paid, unpaid (paid_at NULL). */
  invoices: { billed: number; paid: number; unpaid: number };
}

/**
 * Subscription state transitions from fact_subscription_event inside the window (local time) and the
 * invoice payment outcome. Returns null when the warehouse has no subscription event table.
 */
export async function subscriptionProfile(src: ProfileSource): Promise<SubscriptionProfile | null> {
  if (!src.tables.has('fact_subscription_event')) return null;
  const transitions = await src.q<{ event_type: string; from_plan: string | null; to_plan: string | null; events: bigint }>(`
    SELECT e.event_type, pp.name AS from_plan, p.name AS to_plan, count(*) AS events
    FROM fact_subscription_event e LEFT JOIN dim_plan p ON p.plan_id = e.plan_id LEFT JOIN dim_plan pp ON pp.plan_id = e.previous_plan_id
    WHERE local_ts(e.event_time)::DATE BETWEEN DATE '${src.window.start}' AND DATE '${src.window.end}'
    GROUP BY ALL ORDER BY events DESC, 1, 2, 3`);
  const [inv] = await src.q<{ billed: bigint; paid: bigint }>(`
    SELECT count(*) AS billed, count(paid_at) AS paid FROM ${await src.first('fact_subscription_invoice')}`);
  return {
    transitions: transitions.map((t) => ({ ...t, events: num(t.events) })),
    invoices: { billed: num(inv.billed), paid: num(inv.paid), unpaid: num(inv.billed) - num(inv.paid) },
  };
}

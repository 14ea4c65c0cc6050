import { loadColumns } from '../../behaviour/load.js';
import { writeBehaviourTruth } from '../../behaviour/truth.js';
import type { GenContext } from '../../context.js';
import { KYC } from './customers.js';
import { PAY_PROFILES } from '../../behaviour/paydays.js';
import type { NeobankWorld } from './world.js';
import { ONBOARDING_EXIT } from './accounts.js';

/**
 * Neobank behaviour truth: per customer its segment, pay profile, vintage quality, spend multipliers,
 * KYC outcome, onboarding exit (account never opened / card never issued), first spend, churn and premium history; plus a summary of what the config resolved to
 * (segments with counts, calendar days in the window, the solved premium upgrade scale).
 */
export async function writeNeobankTruth(ctx: GenContext, world: NeobankWorld): Promise<void> {
  const { customers: c, ac, ids, m, subs } = world;
  const premium = new Set(subs.premium.keys());
  const fin = (x: number) => (Number.isFinite(x) && x < m.endUtc ? Math.floor(x) : NaN);
  await loadColumns(ctx.conn, 'truth_customer', [
    ['customer_id', 'BIGINT', ids.customer],
    ['segment', 'VARCHAR', Array.from(c.segment, (s) => m.segmentNames[s])],
    ['pay_profile', 'VARCHAR', Array.from(c.profile, (p) => PAY_PROFILES[p])],
    ['vintage_activity', 'DOUBLE', c.vintageActivity],
    ['vintage_churn', 'DOUBLE', c.vintageChurn],
    ['activity_multiplier', 'DOUBLE', c.act],
    ['ticket_multiplier', 'DOUBLE', c.ticket],
    ['kyc_status', 'VARCHAR', Array.from(c.kyc, (k) => KYC[k])],
    ['onboarding_exit', 'VARCHAR', Array.from(ac.exit, (x) => ONBOARDING_EXIT[x])],
    ['dormant', 'BOOLEAN', c.dormant],
    ['first_spend', 'BIGINT', Array.from(ac.firstSpend, fin)],
    ['churned', 'BIGINT', Array.from(c.churn, fin)],
    ['account_closed', 'BIGINT', Array.from(ac.closedAt, fin)],
    ['ever_premium', 'BOOLEAN', Array.from({ length: c.n }, (_, i) => (premium.has(i) ? 1 : 0))],
  ]);
  const counts: Record<string, number> = {};
  for (const s of c.segment) counts[m.segmentNames[s]] = (counts[m.segmentNames[s]] ?? 0) + 1;
  const summary = {
    archetype: 'neobank',
    seed: m.seed,
    window: { start: m.window.startDate, end: m.window.endDate, tz: m.window.tz },
    history_from: m.fromDay,
    entities: { table: 'dim_customer', key: 'customer_id', rows: c.n },
    segments: Object.fromEntries(m.segmentNames.map((s) => [s, { declared_share: m.b.segments[s].share, customers: counts[s] ?? 0 }])),
    calendar: m.calendar.filter((h) => h.day >= 0 && h.day < m.window.days).map((h) => ({ name: h.name, date: h.date, effects: h.effects })),
    premium_upgrade_scale: subs.upgradeScale,
    behaviour: m.b,
  };
  await writeBehaviourTruth(
    ctx.conn,
    ctx.truthDir,
    summary,
    `SELECT customer_id, segment, pay_profile, vintage_activity, vintage_churn, activity_multiplier, ticket_multiplier, kyc_status, onboarding_exit, dormant,
       make_timestamp(first_spend * 1000000) AS first_spend_at, make_timestamp(churned * 1000000) AS churned_at,
       make_timestamp(account_closed * 1000000) AS account_closed_at, ever_premium
     FROM truth_customer ORDER BY customer_id`,
  );
}

import { gappedIds } from '../../behaviour/ids.js';
import { loadColumns } from '../../behaviour/load.js';
import { emptyStats, writeFactChunk } from '../../defects/apply.js';
import type { FkInjection } from '../../defects/inject.js';
import { defectEntries } from '../../defects/record.js';
import { installDupIncidents } from '../../defects/dup-incidents.js';
import type { GenContext } from '../../context.js';
import type { NeobankWorld } from './world.js';
import { PLANS } from './dims.js';
import { invoicesWithTakeUp, planTakeUp, UNLOADED_PLAN } from './unloaded-plan.js';

const TABLE = 'fact_subscription_invoice';

/**
 * One invoice per paid-plan period that starts inside the window, from the subscription state machine:
 * paid on the period start by auto-charge, or after dunning retries, or never (the subscription is then
 * cancelled). invoice_id is a sequence in billing order with gaps.
 */
export async function writeInvoices(ctx: GenContext, world: NeobankWorld): Promise<void> {
  const { conn, r, plan, window } = ctx;
  const { m, ids } = world;
  const inv = invoicesWithTakeUp(world.subs.invoices, planTakeUp(plan, window, world)).sort((a, b) => a.startDay - b.startDay || ids.customer[a.customer] - ids.customer[b.customer]);
  const rs = m.rs('ids.invoice');
  const { ids: invoiceIds } = gappedIds(inv.length, 0.01, (i) => rs.uniform(i));
  // event time as the contract reads it: the payment, or for an unpaid invoice the local midnight its period starts
  // (its due time, hours later, made unpaid invoices look loaded late)
  const ev = inv.map((x) => Math.floor(Number.isNaN(x.paidAt) ? m.clock.midnight(x.startDay) : x.paidAt));
  await loadColumns(conn, 'nb_inv', [
    ['invoice_id', 'BIGINT', invoiceIds],
    ['customer_id', 'BIGINT', inv.map((x) => ids.customer[x.customer])],
    ['true_plan', 'INTEGER', inv.map((x) => x.plan)],
    ['ps', 'INTEGER', inv.map((x) => x.startDay)],
    ['pe', 'INTEGER', inv.map((x) => x.endDay)],
    ['paid', 'BIGINT', inv.map((x) => (Number.isNaN(x.paidAt) ? NaN : Math.floor(x.paidAt)))],
    ['amount_cents', 'BIGINT', inv.map((x) => x.amountCents)],
    ['evs', 'BIGINT', ev],
    ['d', 'BIGINT', ev.map((t) => m.clock.dayOf(t))],
  ]);
  const start = `DATE '${window.startDate}'`;
  const baseSql = `SELECT invoice_id AS rid, d, invoice_id, customer_id, true_plan, (${start} + ps) AS ps, (${start} + pe) AS pe,
      make_timestamp(paid * 1000000) AS paid_at, amount_cents, make_timestamp(evs * 1000000) AS ev FROM nb_inv`;
  // the orphan plan keys are the invoices of the plan missing from dim_plan, not rows drawn at random
  const fks: FkInjection[] = [{ table: TABLE, column: 'plan_id', trueColumn: 'true_plan', dimN: PLANS.length, dim: 'plan', temporal: false, entity: {} }];
  const stats = emptyStats();
  const dups = await installDupIncidents(conn, r, plan, TABLE, m.clock, inv.length, (days) => `SELECT invoice_id AS rid, d, evs AS ts FROM nb_inv WHERE d IN (${days.join(', ')})`);
  await writeFactChunk(
    conn,
    r,
    plan,
    ctx.writer,
    {
      table: TABLE,
      part: 0,
      baseSql,
      fks,
      dups,
      columns: [
        ['invoice_id', 'invoice_id::BIGINT'],
        ['customer_id', 'customer_id::BIGINT'],
        ['plan_id', 'v_plan_id::INTEGER'],
        ['period_start', 'ps::DATE'],
        ['period_end', 'pe::DATE'],
        ['paid_at', 'paid_at::TIMESTAMP'],
        ['amount_cents', 'amount_cents::BIGINT'],
        ['loaded_at', 'loaded_at::TIMESTAMP'],
      ],
    },
    stats,
  );
  const orphan = (stats.fk.plan_id ??= { keyNull: 0, missing: 0, temporal: 0, spike: 0 });
  orphan.missing = stats.entities.plan_id?.rows.get(UNLOADED_PLAN.plan_id) ?? 0;
  const failures = { plan_id: { missing: orphan.missing ? [UNLOADED_PLAN.plan_id] : [], late: new Map<number, number>() } };
  ctx.defects.push(...defectEntries(TABLE, fks, stats, plan, window, dups, failures));
}

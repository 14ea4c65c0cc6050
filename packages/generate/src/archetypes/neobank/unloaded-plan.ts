import { RandomStream } from '@dnr/core';
import { spreadRate, type DefectPlan } from '../../defects/profile.js';
import { duplicateRate } from '../../defects/inject.js';
import { pickToTarget } from '../../defects/entity.js';
import type { EventWindow } from '../../behaviour/window.js';
import { PLANS } from './dims.js';
import { midnightOf } from './model.js';
import { PLAN_PREMIUM, type Invoice, type SubscriptionEvent } from './subscriptions.js';
import type { NeobankWorld } from './world.js';

/**
 * A plan launched inside the window before dim_plan was updated (the orphan plan key): its own id and
 * price point, taken up by some premium customers from its launch on.
 */
export const UNLOADED_PLAN = { plan_id: 4, name: 'premium_plus', price_cents: 1499, cadence: 'monthly' } as const;

/** Customers (index) who took up UNLOADED_PLAN → local day of their first premium_plus period. */
export type PlanTakeUp = Map<number, number>;

const chosen = new WeakMap<NeobankWorld, PlanTakeUp>();

/** Is the invoice a monthly-premium period from the launch day on (premium_plus for a taker)? */
const afterLaunch = (x: Invoice, launch: number) => x.plan === PLAN_PREMIUM && x.startDay >= launch;

/**
 * Who takes up UNLOADED_PLAN: from a launch day 35–55% into the window, customers in a seeded order
 * (heavy and light alike) until their monthly-premium invoices from the launch on reach the plan_id
 * orphan target (fk failure rate × invoices, duplicates included). Every period of theirs from their
 * first such invoice on is premium_plus. One choice per world, shared by the invoices and the
 * subscription events.
 */
export function planTakeUp(plan: DefectPlan, window: EventWindow, world: NeobankWorld): PlanTakeUp {
  const known = chosen.get(world);
  if (known) return known;
  const inv = world.subs.invoices;
  const out: PlanTakeUp = new Map();
  // the invoice table's own rates (drawn within ± rate_spread, as fkRates / duplicateRate record them)
  const target = spreadRate(plan, plan.rates.fkFail, 'fk', 'fact_subscription_invoice', 'plan_id') * inv.length * (1 + duplicateRate(plan, 'fact_subscription_invoice'));
  if (target > 0 && plan.rates.multiplier > 0) {
    const launch = Math.floor(window.days * (0.35 + 0.2 * world.m.rs('defects.unloaded_plan').uniform(0)));
    const per = new Map<number, { n: number; first: number }>();
    for (const x of inv) {
      if (!afterLaunch(x, launch)) continue;
      const p = per.get(x.customer) ?? { n: 0, first: x.startDay };
      per.set(x.customer, { n: p.n + 1, first: Math.min(p.first, x.startDay) });
    }
    const who = pickToTarget([...per.keys()], (c) => per.get(c)?.n ?? 0, target, new RandomStream(plan.seed, 'defects/entity/unloaded_plan')).ids;
    for (const c of who) out.set(c, per.get(c)!.first);
  }
  chosen.set(world, out);
  return out;
}

/** The invoices with the takers' monthly-premium periods from their first premium_plus period on moved to UNLOADED_PLAN and its price (new objects). */
export function invoicesWithTakeUp(inv: Invoice[], takeUp: PlanTakeUp): Invoice[] {
  const scale = UNLOADED_PLAN.price_cents / PLANS.find((p) => p.plan_id === PLAN_PREMIUM)!.price_cents;
  return inv.map((x) => {
    const first = takeUp.get(x.customer);
    return first !== undefined && afterLaunch(x, first) ? { ...x, plan: UNLOADED_PLAN.plan_id, amountCents: Math.round(x.amountCents * scale) } : x;
  });
}

/**
 * The subscription events with the take-up: from the start of a taker's first premium_plus period
 * (local midnight), every event naming monthly premium names premium_plus instead; when that period
 * was a renewal of monthly premium (no upgrade or plan switch into it that day), a `plan_switch`
 * premium → premium_plus is added at that period's renewal charge (its invoice's due time; local midnight
 * when no invoice was found). Events are new objects, in the input order.
 */
export function eventsWithTakeUp(world: NeobankWorld, events: SubscriptionEvent[], takeUp: PlanTakeUp): SubscriptionEvent[] {
  if (!takeUp.size) return events;
  const from = new Map([...takeUp].map(([c, day]) => [c, midnightOf(world.m, day)]));
  const id = (p: number) => (p === PLAN_PREMIUM ? UNLOADED_PLAN.plan_id : p);
  const entered = new Set<number>();
  const out = events.map((e) => {
    const w = from.get(e.customer);
    if (w === undefined || e.at < w) return e;
    if (e.at < w + 86400 && e.plan === PLAN_PREMIUM && (e.type === 'upgrade' || e.type === 'plan_switch')) entered.add(e.customer);
    return { ...e, plan: id(e.plan), previous: id(e.previous) };
  });
  // the switch is applied by the renewal job that charges the first premium_plus period (its invoice's due time)
  const renewal = new Map(world.subs.invoices.filter((x) => takeUp.get(x.customer) === x.startDay).map((x) => [x.customer, x.dueAt]));
  for (const [c, w] of from) if (!entered.has(c)) out.push({ customer: c, at: renewal.get(c) ?? w, type: 'plan_switch', plan: UNLOADED_PLAN.plan_id, previous: PLAN_PREMIUM });
  return out;
}

import type { Config } from '@dnr/core';
import { gappedIds } from '../../behaviour/ids.js';
import type { EventWindow } from '../../behaviour/window.js';
import { simulateAccounts, type AccountsAndCards } from './accounts.js';
import { applyPremiumTakers, simulateCustomers, type Customers } from './customers.js';
import { homeMetros, simulateMerchants, type Merchants } from './merchants.js';
import { neobankModel, type NeobankModel } from './model.js';
import { simulateRecurring, type RecurringService } from './recurring.js';
import { spendWindows, type SpendWindows } from './spend-windows.js';
import { simulateSubscriptions, type Subscriptions } from './subscriptions.js';

/** Surrogate keys of the simulated entities (auto-increment with gaps, in creation order). */
export interface NeobankIds {
  customer: Float64Array;
  /** Per account index. */
  account: Float64Array;
  /** Per card index. */
  card: Float64Array;
  /** Issued ids with no dimension row (rolled-back inserts): the sequence's gaps. */
  cardGaps: Float64Array;
}

/** The whole simulated neobank before any SQL: entities, their states and the spend windows. */
export interface NeobankWorld {
  m: NeobankModel;
  customers: Customers;
  ac: AccountsAndCards;
  subs: Subscriptions;
  merchants: Merchants;
  /** Each customer's home metro (homeMetros; its zone is model.zones.ofMetro[home]). */
  home: Int32Array;
  recurring: RecurringService[];
  spans: SpendWindows;
  ids: NeobankIds;
}

/** Ids in creation order: 1 + a sequence with ~2–3% gaps. */
function sequenceIds(m: NeobankModel, name: string, times: ArrayLike<number>, gapRate: number): { ids: Float64Array; gaps: Float64Array } {
  const order = Array.from({ length: times.length }, (_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  const rs = m.rs(`ids.${name}`);
  const seq = gappedIds(times.length, gapRate, (i) => rs.uniform(i));
  const ids = new Float64Array(times.length);
  order.forEach((entity, pos) => (ids[entity] = seq.ids[pos]));
  return { ids, gaps: seq.gaps };
}

/** Simulate every neobank entity from the behaviour config (pure JS, deterministic in the seed). */
export function simulateNeobank(config: Config, window: EventWindow, targets: Record<string, number>): NeobankWorld {
  const w = config.warehouse;
  const m = neobankModel(config.behaviour.neobank, window, w.seed, w.trajectory);
  // merchants first: their metros decide the customers' home metros (and so their clocks)
  const merchants = simulateMerchants(m, targets.dim_merchant);
  // each sign-up draw's home metro; the customers keep theirs (in sign-up order) and sign up on its clock
  const customers = simulateCustomers(m, targets.dim_customer, homeMetros(m, merchants, targets.dim_customer));
  const home = customers.home;
  const ac = simulateAccounts(m, customers);
  const subs = simulateSubscriptions(m, customers, ac);
  // who takes premium spends differently all along (bigger tickets, more travel and dining)
  applyPremiumTakers(m, customers, subs.premium);
  const recurring = simulateRecurring(m, customers, ac);
  const spans = spendWindows(m, customers, ac, subs);
  const cust = sequenceIds(m, 'customer', customers.signup, 0.02);
  const acct = sequenceIds(m, 'account', Float64Array.from(ac.accounts, (a) => a.opened), 0.02);
  const card = sequenceIds(m, 'card', Float64Array.from(ac.cards, (c) => c.issued), 0.03);
  return { m, customers, ac, subs, merchants, home, recurring, spans, ids: { customer: cust.ids, account: acct.ids, card: card.ids, cardGaps: card.gaps } };
}

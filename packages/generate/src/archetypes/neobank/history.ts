import { loadColumns } from '../../behaviour/load.js';
import type { GenContext } from '../../context.js';
import { eventsWithTakeUp, planTakeUp } from './unloaded-plan.js';
import type { NeobankWorld } from './world.js';

/**
 * Tables added to the core set so the funnel, the lifecycles and the subscriptions can be analysed
 * (documented in docs/behaviour.md). Each is a log up to the window end, history included.
 */
export const NEOBANK_HISTORY_TABLES = ['fact_onboarding_event', 'dim_account_status_history', 'dim_card_status_history', 'fact_subscription_event'] as const;

const ts = (col: string) => `make_timestamp((${col}) * 1000000)`;

interface Rows {
  cols: Record<string, Array<number | string | null>>;
  push(row: Record<string, number | string | null>): void;
}

function rows(names: string[]): Rows {
  const cols = Object.fromEntries(names.map((n) => [n, [] as Array<number | string | null>]));
  return {
    cols,
    push(row) {
      for (const n of names) cols[n].push(row[n] ?? null);
    },
  };
}

/** Onboarding funnel events: signed_up → kyc_submitted → kyc_manual_review → kyc_verified | kyc_rejected | kyc_expired → account_opened → card_issued → card_activated. */
function onboardingRows(world: NeobankWorld): Rows {
  const { customers: c, ac, ids, m } = world;
  const out = rows(['customer_id', 'stage', 't', 'account_id', 'card_id']);
  const end = m.endUtc;
  const firstCard = new Map<number, number>();
  ac.cards.forEach((card, k) => {
    if (!firstCard.has(card.account)) firstCard.set(card.account, k);
  });
  for (let i = 0; i < c.n; i++) {
    const cid = ids.customer[i];
    const add = (stage: string, t: number, account: number | null = null, card: number | null = null) => {
      if (Number.isFinite(t) && t < end) out.push({ customer_id: cid, stage, t: Math.floor(t), account_id: account, card_id: card });
    };
    add('signed_up', c.signup[i]);
    add('kyc_submitted', c.kycSubmitted[i]);
    if (c.kycReview[i]) add('kyc_manual_review', c.kycReviewAt[i]);
    if (c.kyc[i] === 0) add('kyc_verified', c.kycDecided[i]);
    if (c.kyc[i] === 2) add(c.kycExpired[i] ? 'kyc_expired' : 'kyc_rejected', c.kycDecided[i]);
    const a = ac.checkingOf[i];
    if (a < 0) continue;
    add('account_opened', ac.accounts[a].opened, ids.account[a]);
    const k = firstCard.get(a);
    if (k === undefined) continue;
    add('card_issued', ac.cards[k].issued, ids.account[a], ids.card[k]);
    add('card_activated', ac.cards[k].activated, ids.account[a], ids.card[k]);
  }
  return out;
}

/** SCD2 status history of every account: open, frozen, open again, closed (valid_to NULL = current). */
function accountHistoryRows(world: NeobankWorld): Rows {
  const { ac, ids, m } = world;
  const out = rows(['account_id', 'status', 'f', 't']);
  const end = m.endUtc;
  ac.accounts.forEach((a, j) => {
    const checking = a.type === 'checking' ? a : ac.accounts[ac.checkingOf[a.customer]];
    const stops = Math.min(a.closed, end);
    let from = a.opened;
    const seg = (status: string, f: number, t: number) => {
      if (f < end && f < t) out.push({ account_id: ids.account[j], status, f: Math.floor(f), t: t >= end ? null : Math.floor(t) });
    };
    for (const [f, t] of checking.freezes) {
      if (f >= stops) break;
      const fs = Math.max(f, a.opened);
      if (fs >= stops || t <= fs) continue;
      seg('open', from, fs);
      seg('frozen', fs, Math.min(t, stops));
      from = Math.min(t, stops);
    }
    seg('open', from, stops);
    if (a.closed < end) seg('closed', a.closed, Infinity);
  });
  return out;
}

/** SCD2 status history of every card: inactive (issued), active, then lost / expired / inactive (account closed). */
function cardHistoryRows(world: NeobankWorld): Rows {
  const { ac, ids, m } = world;
  const out = rows(['card_id', 'status', 'f', 't']);
  const end = m.endUtc;
  ac.cards.forEach((card, k) => {
    const seg = (status: string, f: number, t: number) => {
      if (f < end && f < t) out.push({ card_id: ids.card[k], status, f: Math.floor(f), t: t >= end ? null : Math.floor(t) });
    };
    const act = Number.isNaN(card.activated) ? Infinity : card.activated;
    seg('inactive', card.issued, act);
    if (!Number.isFinite(act)) return;
    seg('active', act, card.ended);
    if (card.ended < end) seg(card.endReason === 'lost' ? 'lost' : card.endReason === 'expired' ? 'expired' : 'inactive', card.ended, Infinity);
  });
  return out;
}

/** Writes the history tables (those wanted) as Parquet. */
export async function writeNeobankHistory(ctx: GenContext, world: NeobankWorld): Promise<void> {
  const { conn, writer } = ctx;
  if (ctx.want('fact_onboarding_event')) {
    const r = onboardingRows(world).cols;
    await loadColumns(conn, 'out_onboarding', [
      ['customer_id', 'BIGINT', r.customer_id as number[]],
      ['stage', 'VARCHAR', r.stage as string[]],
      ['t', 'BIGINT', r.t as number[]],
      ['account_id', 'BIGINT', r.account_id.map((x) => (x === null ? NaN : Number(x)))],
      ['card_id', 'BIGINT', r.card_id.map((x) => (x === null ? NaN : Number(x)))],
    ]);
    await writer.single('fact_onboarding_event', `SELECT customer_id, stage, ${ts('t')} AS event_time, account_id, card_id FROM out_onboarding ORDER BY event_time, customer_id, stage`);
  }
  for (const [table, build, key] of [
    ['dim_account_status_history', accountHistoryRows, 'account_id'],
    ['dim_card_status_history', cardHistoryRows, 'card_id'],
  ] as const) {
    if (!ctx.want(table)) continue;
    const r = build(world).cols;
    await loadColumns(conn, `out_${table}`, [
      [key, 'BIGINT', r[key] as number[]],
      ['status', 'VARCHAR', r.status as string[]],
      ['f', 'BIGINT', r.f as number[]],
      ['t', 'BIGINT', r.t.map((x) => (x === null ? NaN : Number(x)))],
    ]);
    await writer.single(table, `SELECT ${key}, status, ${ts('f')} AS valid_from, ${ts('t')} AS valid_to FROM out_${table} ORDER BY ${key}, valid_from`);
  }
  if (ctx.want('fact_subscription_event')) {
    // premium_plus (the plan missing from dim_plan) from its takers' first period on, as on their invoices
    const ev = eventsWithTakeUp(world, world.subs.events, planTakeUp(ctx.plan, ctx.window, world)).filter((e) => e.at < world.m.endUtc);
    await loadColumns(conn, 'out_sub_event', [
      ['customer_id', 'BIGINT', ev.map((e) => world.ids.customer[e.customer])],
      ['t', 'BIGINT', ev.map((e) => Math.floor(e.at))],
      ['event_type', 'VARCHAR', ev.map((e) => e.type)],
      ['plan_id', 'INTEGER', ev.map((e) => e.plan)],
      ['previous_plan_id', 'INTEGER', ev.map((e) => e.previous)],
    ]);
    await writer.single('fact_subscription_event', `SELECT customer_id, ${ts('t')} AS event_time, event_type, plan_id, previous_plan_id FROM out_sub_event ORDER BY event_time, customer_id`);
  }
}

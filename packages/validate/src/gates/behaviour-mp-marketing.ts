import type { MarketplaceBehaviour } from '@dnr/core';
import { touchOrderProfile, type ProfileSource, type TouchOrderProfile } from '@dnr/profile';
import { checkRow, rangeRow, skipRow } from '../rows.js';
import type { GateRow } from '../types.js';

const FAMILY = 'behaviour';

/** Declared opener ÷ closer ratio (or its inverse) from which a channel's first- vs last-touch order is gated. */
export const ATTRIBUTION_MIN_RATIO = 1.5;
/** Multi-touch orders needed before attribution is gated. */
export const ATTRIBUTION_MIN_ORDERS = 100;

/** Every touch precedes the sign-up or order it leads to. */
function precedenceRows(t: TouchOrderProfile): GateRow[] {
  return [
    checkRow(FAMILY, 'funnel.signup_touch_after_signup', t.signup_touches_late === 0, t.signup_touches_late, '= 0', `sign-up touches (of ${t.signup_touches}) later than the buyer's dim_buyer.created_at`),
    checkRow(FAMILY, 'funnel.order_touch_after_order', t.order_touches_late === 0, t.order_touches_late, '= 0', `order touches (of ${t.order_touches} on orders in fact_order) later than the order's order_time`),
  ];
}

/**
 * First- and last-touch attribution differ as declared: a channel whose `closer` multiplier is ≥ 1.5×
 * its `opener` must take at least as large a share of last touches as of first touches on orders with
 * two or more touches (and the reverse for openers). Channels with a smaller declared difference are
 * not gated.
 */
function attributionRows(t: TouchOrderProfile, d: MarketplaceBehaviour): GateRow[] {
  if (t.multi_touch_orders < ATTRIBUTION_MIN_ORDERS) return [skipRow(FAMILY, 'attribution', `${t.multi_touch_orders} orders with two or more touches, ${ATTRIBUTION_MIN_ORDERS} needed`)];
  const out: GateRow[] = [];
  for (const c of t.channels) {
    const ch = d.marketing.channels[c.channel];
    if (!ch || !(ch.opener > 0) || !(ch.closer > 0)) continue;
    const closer = ch.closer / ch.opener >= ATTRIBUTION_MIN_RATIO;
    if (!closer && ch.opener / ch.closer < ATTRIBUTION_MIN_RATIO) continue;
    const diff = closer ? c.last_share - c.first_share : c.first_share - c.last_share;
    out.push(
      rangeRow(FAMILY, `attribution.${c.channel}.${closer ? 'last_over_first' : 'first_over_last'}`, diff, { min: 0 }, {
        detail: `declared opener ×${ch.opener}, closer ×${ch.closer}; share of first touches ${c.first_share}, of last touches ${c.last_share} on ${t.multi_touch_orders} multi-touch orders (standard error of the difference ${c.diff_se})`,
      }),
    );
  }
  return out.length ? out : [skipRow(FAMILY, 'attribution', `no channel declares opener and closer ${ATTRIBUTION_MIN_RATIO}× apart`)];
}

/** The marketing funnel: touches before their conversion, first vs last touch as declared. */
export async function marketingRows(src: ProfileSource, d: MarketplaceBehaviour): Promise<GateRow[]> {
  const t = await touchOrderProfile(src);
  return [...precedenceRows(t), ...attributionRows(t, d)];
}

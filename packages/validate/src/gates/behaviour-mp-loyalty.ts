import type { MarketplaceBehaviour } from '@dnr/core';
import { countryPairs, loyaltyProfile, type ProfileSource } from '@dnr/profile';
import { rangeRow, skipRow } from '../rows.js';
import type { GateRow } from '../types.js';
import { binomialTolerance, toleranceText, Z } from './behaviour-stats.js';

const FAMILY = 'behaviour';

/**
 * Repeat-to-same-shop share per buyer segment above the declared `loyalty` (share of repeat orders
 * placed with a known shop): loyal orders return by design and other orders may return by chance, so
 * the declared share is a floor, less Z binomial standard errors at the segment's repeat orders.
 * Buyers whose first order ever is in the window only (their history is complete).
 */
export async function loyaltyRows(src: ProfileSource, d: MarketplaceBehaviour): Promise<GateRow[]> {
  const rows = (await loyaltyProfile(src)).filter((r) => d.buyers.segments[r.segment]);
  if (!rows.length) return [skipRow(FAMILY, 'repeat_same_shop', 'no repeat orders of buyers whose first order is in the window')];
  return rows.map((r) => {
    const p = d.buyers.segments[r.segment].loyalty;
    const tol = binomialTolerance(p, r.repeat_orders);
    return rangeRow(FAMILY, `repeat_same_shop.${r.segment}`, r.repeat_orders ? r.to_known_shop / r.repeat_orders : null, { min: Math.max(0, p - tol) }, {
      detail: `declared loyalty ${p} is a floor (chance returns add to it); ${r.to_known_shop} of ${r.repeat_orders} repeat orders went to a shop bought from before; floor less ${toleranceText(tol, r.repeat_orders)}`,
    });
  });
}

/** Standard error of log(lift) at which a country pair is gated (lift known within ~10%). */
export const HOME_LIFT_MAX_SE = 0.1;

/**
 * Home-country lift: for the largest buyer country and each other, the 2×2 table of orders (buyer
 * country × first line's shop country, those two countries only) has odds ratio b² under a domestic
 * odds multiplier b whatever the two supplies, so lift = √OR is compared with the declared
 * `orders.home_country_bias` as a floor, less Z standard errors (Woolf: ½·√(Σ 1/cell)). Pairs whose
 * standard error exceeds 0.1 are one skip row.
 */
export async function homeCountryRows(src: ProfileSource, d: MarketplaceBehaviour): Promise<GateRow[]> {
  const bias = d.orders.home_country_bias;
  const out: GateRow[] = [];
  let weak = 0;
  for (const p of await countryPairs(src)) {
    const cells = [p.hh, p.ho, p.oh, p.oo];
    const se = cells.every((x) => x > 0) ? 0.5 * Math.sqrt(cells.reduce((a, x) => a + 1 / x, 0)) : Number.POSITIVE_INFINITY;
    if (se > HOME_LIFT_MAX_SE) {
      weak++;
      continue;
    }
    const lift = Math.sqrt((p.hh * p.oo) / (p.ho * p.oh));
    out.push(
      rangeRow(FAMILY, `home_country_lift.${p.home}_${p.other}`, lift, { min: bias * Math.exp(-Z * se) }, {
        detail: `declared home_country_bias ${bias} (odds of a domestic shop); orders ${p.home}→${p.home} ${p.hh}, ${p.home}→${p.other} ${p.ho}, ${p.other}→${p.home} ${p.oh}, ${p.other}→${p.other} ${p.oo}; lift = √(odds ratio), floor ${bias} × e^(−${Z} × ${se.toFixed(4)})`,
      }),
    );
  }
  if (weak) out.push(skipRow(FAMILY, 'home_country_lift.small_pairs', `${weak} country pairs with a standard error of log lift above ${HOME_LIFT_MAX_SE}`));
  return out.length ? out : [skipRow(FAMILY, 'home_country_lift', 'fewer than two buyer countries with orders')];
}

import type { MarketplaceBehaviour } from '@dnr/core';
import type { MarketplaceProfile } from '@dnr/profile';
import { rangeRow, skipRow } from '../rows.js';
import type { GateRow } from '../types.js';

const FAMILY = 'behaviour';

/**
 * Seller GMV concentration (the profile's demand concentration: every shop of dim_seller, no sales = 0)
 * within the band of `sellers.concentration` — a design band the config declares for an Etsy-like
 * heavy tail, not a sampling tolerance. `needs` names the missing tables when the profile could not measure.
 */
export function concentrationRows(p: MarketplaceProfile, d: MarketplaceBehaviour, needs: string): GateRow[] {
  const c = p.concentration;
  if (!c) return [skipRow(FAMILY, 'seller_concentration', `not available in this warehouse (needs ${needs})`)];
  const band = d.sellers.concentration;
  const where = `band from behaviour.marketplace.sellers.concentration (a design band for a heavy-tailed shop size distribution); ${c.sellers} shops, ${c.sellers_with_sales} with sales`;
  return [
    rangeRow(FAMILY, 'seller_concentration.top1pct_gmv_share', c.top1pct_gmv_share, band.top1pct_gmv_share, { detail: `share of window GMV held by the top 1% of shops; ${where}` }),
    rangeRow(FAMILY, 'seller_concentration.gini', c.gini, band.gini, { detail: `Gini coefficient of window GMV over shops; ${where}` }),
  ];
}

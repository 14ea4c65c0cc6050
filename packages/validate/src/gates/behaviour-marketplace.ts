import { marketplaceProfile, type ProfileSource } from '@dnr/profile';
import { checkRow, skipRow } from '../rows.js';
import type { GateRow } from '../types.js';

const FAMILY = 'behaviour';

/**
 * Marketplace state consistency: no order line on a day its listing was not active in the daily
 * snapshot (removed, inactive, sold out, shop closed or on vacation), and no listing sold out without a
 * sale. Sections whose tables are absent give a skip row naming them.
 */
export async function marketplaceBehaviourRows(src: ProfileSource, rates: Record<string, number>): Promise<GateRow[]> {
  const p = await marketplaceProfile(src, rates, []);
  const rows: GateRow[] = [];
  const c = p.consistency;
  if (!c) rows.push(skipRow(FAMILY, 'state', `needs ${p.unavailable.find((u) => u.section === 'consistency')?.needs.join(', ')}`));
  else {
    rows.push(
      checkRow(FAMILY, 'state.lines_on_unavailable_listing', c.lines_on_unavailable_listing === 0, c.lines_on_unavailable_listing, '= 0', `order lines (of ${c.lines}) sold on a day the listing was not active in snapshot_listing_daily`),
      checkRow(FAMILY, 'state.sold_out_never_sold', c.sold_out_never_sold === 0, c.sold_out_never_sold, '= 0', `listings sold out at the window end without a sale in the window (of ${c.sold_out})`),
    );
  }
  for (const u of p.unavailable.filter((x) => x.section === 'refunds' || x.section === 'failed_payments')) rows.push(skipRow(FAMILY, u.section, `not available in this warehouse (needs ${u.needs.join(', ')})`));
  return rows;
}

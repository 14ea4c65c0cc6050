import { loadColumns } from '../../behaviour/load.js';
import type { GenContext } from '../../context.js';
import type { SimulatedMarket } from './world.js';

/** Shop statuses of fact_shop_status rows (every status but `active`), as in dim_seller.shop_status. */
export const SHOP_PAUSES = ['vacation', 'suspended', 'closed'] as const;

/** Shop status spells as columns: shop index, status index (into SHOP_PAUSES), start and end (Unix s; NaN = still in force at the window end). */
export interface ShopSpells {
  seller: Int32Array;
  status: Uint8Array;
  from: Float64Array;
  to: Float64Array;
  n: number;
}

/**
 * Every spell in which a shop could not sell, up to the window end: its vacation-mode spells (simulated
 * from the catalogue start), its suspension and its closure (from any time since it opened). A
 * vacation cut short by a suspension or closure ends at that instant; a spell still running at the
 * window end has no end (NaN). Spells that ended before the window start are kept (a shop's history).
 */
export function shopSpells(sim: Pick<SimulatedMarket, 'm' | 'sellers'>): ShopSpells {
  const { m, sellers: s } = sim;
  const out = { seller: [] as number[], status: [] as number[], from: [] as number[], to: [] as number[] };
  const push = (k: number, status: number, from: number, to: number) => {
    out.seller.push(k);
    out.status.push(status);
    out.from.push(Math.floor(from));
    out.to.push(to < m.endUtc ? Math.floor(to) : NaN);
  };
  for (let k = 0; k < s.n; k++) {
    for (let j = s.vacFrom[k]; j < s.vacFrom[k + 1]; j++) if (s.vacStart[j] < m.endUtc) push(k, 0, s.vacStart[j], s.vacEnd[j]);
    const closed = s.closed[k];
    const suspended = s.suspended[k];
    // a suspended shop stays suspended until it closes (closure after a suspension ends it)
    if (suspended < m.endUtc && suspended < closed) push(k, 1, suspended, closed);
    if (closed < m.endUtc) push(k, 2, closed, Infinity);
  }
  return { seller: Int32Array.from(out.seller), status: Uint8Array.from(out.status), from: Float64Array.from(out.from), to: Float64Array.from(out.to), n: out.seller.length };
}

/**
 * fact_shop_status(seller_id BIGINT, shop_status VARCHAR, started_at TIMESTAMP, ended_at TIMESTAMP): one
 * row per spell of `shopSpells`, ended_at NULL while it is still in force at the window end. No order
 * line of the shop falls inside a spell (the market takes the shop's listings off sale for it), and a
 * shop's dim_seller.shop_status is the status of the spell running at the window end (else active).
 * Clean: no injected defects (seller_id is every shop's true id, including shops whose dim_seller row
 * failed to load).
 */
export async function writeShopStatus(ctx: GenContext, sim: Pick<SimulatedMarket, 'm' | 'sellers' | 'ids'>): Promise<void> {
  const sp = shopSpells(sim);
  await loadColumns(ctx.conn, 'mk_shop_status', [
    ['seller_id', 'BIGINT', Float64Array.from(sp.seller, (k) => sim.ids.seller[k])],
    ['shop_status', 'VARCHAR', Array.from(sp.status, (x) => SHOP_PAUSES[x])],
    ['a', 'BIGINT', sp.from],
    ['b', 'BIGINT', sp.to],
  ]);
  await ctx.writer.single(
    'fact_shop_status',
    `SELECT seller_id, shop_status, make_timestamp(a * 1000000)::TIMESTAMP AS started_at, make_timestamp(b * 1000000)::TIMESTAMP AS ended_at
     FROM mk_shop_status ORDER BY started_at, seller_id, shop_status`,
  );
  await ctx.conn.run('DROP TABLE mk_shop_status');
}

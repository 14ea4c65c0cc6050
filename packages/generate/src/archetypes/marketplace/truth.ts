import { MARKET_CATEGORY_KEYS } from '@dnr/core';
import { loadColumns } from '../../behaviour/load.js';
import { writeBehaviourTruth } from '../../behaviour/truth.js';
import type { GenContext } from '../../context.js';
import { segmentName } from './demand.js';
import type { MarketWorld } from './world.js';

/**
 * Marketplace behaviour truth: per buyer, shop and listing what the simulation decided (segment,
 * vintage, intensity, favourite categories, first order, churn / closure, size, appeal, stock, units
 * sold), in one long table keyed by (entity, id); plus a summary of the resolved behaviour.
 */
export async function writeMarketplaceTruth(ctx: GenContext, world: MarketWorld): Promise<void> {
  const { m, buyers: b, sellers: s, listings: L, market, ids } = world;
  const fin = (x: number) => (Number.isFinite(x) && x < m.endUtc ? Math.floor(x) : NaN);
  const sellerSegs = Object.keys(m.b.sellers.segments).filter((x) => m.b.sellers.segments[x].share > 0);
  const nb = b.n;
  const ns = s.n;
  const nl = L.n;
  const n = nb + ns + nl;
  const col = <T,>(fb: (i: number) => T, fs: (k: number) => T, fl: (l: number) => T): T[] =>
    Array.from({ length: n }, (_, j) => (j < nb ? fb(j) : j < nb + ns ? fs(j - nb) : fl(j - nb - ns)));
  await loadColumns(ctx.conn, 'truth_market', [
    ['entity', 'VARCHAR', col(() => 'buyer', () => 'seller', () => 'listing')],
    ['id', 'BIGINT', col((i) => ids.buyer[i], (k) => ids.seller[k], (l) => ids.listing[l])],
    ['segment', 'VARCHAR', col((i) => segmentName(m, b.segment[i]), (k) => sellerSegs[s.segment[k]], (l) => sellerSegs[s.segment[L.seller[l]]])],
    ['vintage_activity', 'DOUBLE', col((i) => b.vintageActivity[i], () => NaN, () => NaN)],
    ['vintage_churn', 'DOUBLE', col((i) => b.vintageChurn[i], () => NaN, () => NaN)],
    ['activity_multiplier', 'DOUBLE', col((i) => b.act[i], (k) => s.size[k], (l) => L.appeal[l])],
    ['favourite_category', 'VARCHAR', col((i) => MARKET_CATEGORY_KEYS[b.fav[2 * i]], (k) => MARKET_CATEGORY_KEYS[s.top[k]], (l) => MARKET_CATEGORY_KEYS[L.top[l]])],
    ['second_category', 'VARCHAR', col((i) => MARKET_CATEGORY_KEYS[b.fav[2 * i + 1]], (k) => (s.mainShare[k] < 1 ? MARKET_CATEGORY_KEYS[s.second[k]] : null), () => null)],
    ['acquisition_channel', 'VARCHAR', col((i) => world.marketing.channels[world.marketing.acquisition[i]], () => null, () => null)],
    ['first_order', 'BIGINT', col((i) => fin(b.firstOrder[i]), () => NaN, () => NaN)],
    ['ended', 'BIGINT', col((i) => fin(b.churn[i]), (k) => fin(Math.min(s.closed[k], s.suspended[k])), (l) => fin(L.removeAt[l]))],
    ['quality', 'DOUBLE', col(() => NaN, (k) => s.quality[k], (l) => L.appeal[l])],
    ['initial_stock', 'INTEGER', col(() => NaN, () => NaN, (l) => L.stock[l])],
    ['units_sold', 'INTEGER', col(() => NaN, () => NaN, (l) => market.unitsSold[l])],
  ]);
  const count = (names: string[], segOf: (j: number) => number, size: number) => {
    const c: Record<string, number> = {};
    for (let j = 0; j < size; j++) c[names[segOf(j)]] = (c[names[segOf(j)]] ?? 0) + 1;
    return c;
  };
  const buyerSegs = Object.keys(m.b.buyers.segments).filter((x) => m.b.buyers.segments[x].share > 0);
  const bc = count(buyerSegs, (i) => b.segment[i], nb);
  const sc = count(sellerSegs, (k) => s.segment[k], ns);
  const summary = {
    archetype: 'marketplace',
    seed: m.seed,
    window: { start: m.window.startDate, end: m.window.endDate, tz: m.window.tz },
    history_from: m.fromDay,
    catalogue_from: m.marketFromDay,
    entities: { table: 'behaviour_entities', key: ['entity', 'id'], rows: { buyer: nb, seller: ns, listing: nl } },
    segments: {
      buyer: Object.fromEntries(buyerSegs.map((x) => [x, { declared_share: m.b.buyers.segments[x].share, buyers: bc[x] ?? 0 }])),
      seller: Object.fromEntries(sellerSegs.map((x) => [x, { declared_share: m.b.sellers.segments[x].share, sellers: sc[x] ?? 0 }])),
    },
    calendar: m.calendar.filter((h) => h.day >= 0 && h.day < m.window.days).map((h) => ({ name: h.name, date: h.date, effects: h.effects })),
    base_order_intensity_per_day: world.base,
    unmatched_orders: market.unmatched,
    behaviour: m.b,
  };
  await writeBehaviourTruth(
    ctx.conn,
    ctx.truthDir,
    summary,
    `SELECT entity, id, segment, vintage_activity, vintage_churn, activity_multiplier, favourite_category, second_category, acquisition_channel,
       make_timestamp(first_order * 1000000) AS first_order_at, make_timestamp(ended * 1000000) AS ended_at, quality, initial_stock, units_sold
     FROM truth_market ORDER BY entity, id`,
  );
}

import { MARKET_CATEGORY_KEYS } from '@dnr/core';
import { loadColumns, type LoadColumn } from '../../behaviour/load.js';
import { sqlList } from '../../behaviour/sql.js';
import { writeBehaviourTruth } from '../../behaviour/truth.js';
import type { GenContext } from '../../context.js';
import type { MarketWorld } from './world.js';

/**
 * Marketplace behaviour truth: per buyer, shop and listing what the simulation decided (segment,
 * vintage, intensity, favourite categories, first order, churn / closure, size, appeal, stock, units
 * sold), in one long table keyed by (entity, id); plus a summary of the resolved behaviour.
 */
export async function writeMarketplaceTruth(ctx: GenContext, world: MarketWorld): Promise<void> {
  const { m, buyers: b, sellers: s, listings: L, market } = world;
  const buyerSegs = Object.keys(m.b.buyers.segments).filter((x) => m.b.buyers.segments[x].share > 0);
  const sellerSegs = Object.keys(m.b.sellers.segments).filter((x) => m.b.sellers.segments[x].share > 0);
  await loadColumns(ctx.conn, 'truth_market', truthColumns(world, buyerSegs.length));
  const nb = b.n;
  const ns = s.n;
  const nl = L.n;
  const count = (names: string[], segOf: (j: number) => number, size: number) => {
    const c: Record<string, number> = {};
    for (let j = 0; j < size; j++) c[names[segOf(j)]] = (c[names[segOf(j)]] ?? 0) + 1;
    return c;
  };
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
    `SELECT ${sqlList(['buyer', 'seller', 'listing'])}[e + 1] AS entity, id, ${sqlList([...buyerSegs, ...sellerSegs])}[seg + 1] AS segment,
       vintage_activity, vintage_churn, activity_multiplier, ${sqlList(MARKET_CATEGORY_KEYS)}[fav + 1] AS favourite_category,
       ${sqlList(MARKET_CATEGORY_KEYS)}[sec + 1] AS second_category, ${sqlList(world.marketing.channels)}[acq + 1] AS acquisition_channel,
       make_timestamp(first_order * 1000000) AS first_order_at, make_timestamp(ended * 1000000) AS ended_at, quality, initial_stock, units_sold
     FROM truth_market ORDER BY entity, id`,
  );
}

/**
 * The columns of truth_market, one row per buyer, seller and listing (in that order): text as codes
 * (typed arrays copied whole into DuckDB, named in writeMarketplaceTruth's SQL; no string per row from JS):
 * entity e (0 buyer, 1 seller, 2 listing), segment seg (buyer segments, then seller segments from
 * `nBuyerSegs`), categories fav/sec and acquisition channel acq as indexes; NaN where a field does not apply.
 */
function truthColumns(world: MarketWorld, nBuyerSegs: number): LoadColumn[] {
  const { m, buyers: b, sellers: s, listings: L, market, ids } = world;
  const fin = (x: number) => (Number.isFinite(x) && x < m.endUtc ? Math.floor(x) : NaN);
  const nb = b.n;
  const ns = s.n;
  const nl = L.n;
  const n = nb + ns + nl;
  const entity = new Int32Array(n);
  const id = new Float64Array(n);
  const segment = new Int32Array(n);
  const num = () => new Float64Array(n).fill(NaN);
  const [vintageActivity, vintageChurn, activity, fav, second, acquisition, firstOrder, ended, quality, stock, sold] = Array.from({ length: 11 }, num);
  for (let i = 0; i < nb; i++) {
    id[i] = ids.buyer[i];
    segment[i] = b.segment[i];
    vintageActivity[i] = b.vintageActivity[i];
    vintageChurn[i] = b.vintageChurn[i];
    activity[i] = b.act[i];
    fav[i] = b.fav[2 * i];
    second[i] = b.fav[2 * i + 1];
    acquisition[i] = world.marketing.acquisition[i];
    firstOrder[i] = fin(b.firstOrder[i]);
    ended[i] = fin(b.churn[i]);
  }
  for (let k = 0; k < ns; k++) {
    const j = nb + k;
    entity[j] = 1;
    id[j] = ids.seller[k];
    segment[j] = nBuyerSegs + s.segment[k];
    activity[j] = s.size[k];
    fav[j] = s.top[k];
    if (s.mainShare[k] < 1) second[j] = s.second[k];
    ended[j] = fin(Math.min(s.closed[k], s.suspended[k]));
    quality[j] = s.quality[k];
  }
  for (let l = 0; l < nl; l++) {
    const j = nb + ns + l;
    entity[j] = 2;
    id[j] = ids.listing[l];
    segment[j] = nBuyerSegs + s.segment[L.seller[l]];
    activity[j] = L.appeal[l];
    fav[j] = L.top[l];
    ended[j] = fin(L.removeAt[l]);
    quality[j] = L.appeal[l];
    stock[j] = L.stock[l];
    sold[j] = market.unitsSold[l];
  }
  return [
    ['e', 'INTEGER', entity],
    ['id', 'BIGINT', id],
    ['seg', 'INTEGER', segment],
    ['vintage_activity', 'DOUBLE', vintageActivity],
    ['vintage_churn', 'DOUBLE', vintageChurn],
    ['activity_multiplier', 'DOUBLE', activity],
    ['fav', 'INTEGER', fav],
    ['sec', 'INTEGER', second],
    ['acq', 'INTEGER', acquisition],
    ['first_order', 'BIGINT', firstOrder],
    ['ended', 'BIGINT', ended],
    ['quality', 'DOUBLE', quality],
    ['initial_stock', 'INTEGER', stock],
    ['units_sold', 'INTEGER', sold],
  ];
}

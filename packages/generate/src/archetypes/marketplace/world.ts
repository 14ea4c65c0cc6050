import type { Config } from '@dnr/core';
import { gappedIds } from '../../behaviour/ids.js';
import type { EventWindow } from '../../behaviour/window.js';
import { buyerArrivals, buyerExposures, demandDayWeights, orderArrivals, solveBase, sortArrivals, type Arrivals } from './demand.js';
import { simulateListings, type Listings } from './listings.js';
import { runMarket, type MarketResult } from './market.js';
import { marketModel, type MarketModel } from './model.js';
import { simulateBuyers, simulateSellers, type Buyers, type Sellers } from './parties.js';
import { simulateMoney, type MoneyEvents } from './payments.js';
import { paymentRisk } from './payment-risk.js';
import { simulateMarketing, type Marketing, type MarketingSummary } from './marketing.js';
import { localizePrices, marketCurrencies, type Currencies } from './currency.js';

/** Surrogate keys (auto-increment in creation order with gaps) and the skipped ids. */
export interface MarketIds {
  buyer: Float64Array;
  seller: Float64Array;
  listing: Float64Array;
  gaps: { buyer: Float64Array; seller: Float64Array; listing: Float64Array };
}

/** The whole simulated marketplace before any SQL. */
export interface MarketWorld {
  m: MarketModel;
  buyers: Buyers;
  sellers: Sellers;
  listings: Listings;
  market: MarketResult;
  /** Shop currencies and the dated USD rates (market prices are in the shop's currency). */
  currencies: Currencies;
  /** Payment attempts and refunds of the window's orders. */
  money: MoneyEvents;
  /**
   * Channels, acquisition and last-touch channels (the generator's: its campaigns, touches and daily
   * spend are simulated and written apart, marketing-job.ts); simulateMarketplace gives all of it.
   */
  marketing: MarketingSummary;
  ids: MarketIds;
  /** Solved base repeat-order intensity (orders per buyer-day at activity 1). */
  base: number;
}

/** The simulated market before money and marketing: what the dimensions and the listing snapshot need. */
export type SimulatedMarket = Omit<MarketWorld, 'money' | 'marketing'>;

/** The whole simulated marketplace with all of its marketing (campaigns, every touch, daily spend). */
export type SimulatedMarketplace = MarketWorld & { marketing: Marketing };

/** Simulate every marketplace entity and order from the behaviour config (pure JS, deterministic in the seed). */
export function simulateMarketplace(config: Config, window: EventWindow, targets: Record<string, number>, orderTarget: number): SimulatedMarketplace {
  const sim = simulateMarket(config, window, targets, orderTarget);
  // marketing reads no capture instant, so it may follow the money simulation that rewrites them
  return { ...sim, money: simulateMarketMoney(sim), marketing: simulateMarketing(sim.m, sim.buyers, sim.market) };
}

/** Payment attempts and refunds of a simulated market (rewrites the orders' capture instants). */
export function simulateMarketMoney(sim: SimulatedMarket): MoneyEvents {
  const { m, buyers, sellers, listings, market, currencies } = sim;
  return simulateMoney(m, buyers, sellers, listings, market, paymentRisk(m, buyers, sellers, market, currencies));
}

/**
 * Per-buyer demand work done elsewhere (another thread) for buyers [from, n): their solveBase
 * exposures, then their arrivals at the solved base (buyerExposures / buyerArrivals of that range).
 */
export interface DemandHelper {
  exposures(buyers: Buyers, from: number): Promise<Float64Array>;
  arrivals(base: number, from: number): Promise<Arrivals>;
}

/** Buyers, shops, listings, the market day by day and the surrogate keys (pure JS, deterministic in the seed). */
export function simulateMarket(config: Config, window: EventWindow, targets: Record<string, number>, orderTarget: number): SimulatedMarket {
  const p = marketParties(config, window, targets);
  const base = solveBase(p.m, p.buyers, p.dayWeights, orderTarget);
  return marketFrom(config, p, base, orderArrivals(p.m, p.buyers, p.dayWeights, base));
}

/**
 * simulateMarket with the per-buyer demand work (solveBase's exposures, the order arrivals) of the
 * buyers' second half done by `helper` meanwhile (another thread): the same market, value for value
 * (the ranges are independent and merged in buyer order).
 */
export async function simulateMarketSplit(config: Config, window: EventWindow, targets: Record<string, number>, orderTarget: number, helper: DemandHelper): Promise<SimulatedMarket> {
  const w = config.warehouse;
  const m = marketModel(config.behaviour.marketplace, window, w.seed, w.trajectory);
  const buyers = simulateBuyers(m, targets.dim_buyer);
  const half = Math.floor(buyers.n / 2);
  const rest = helper.exposures(buyers, half);
  // shops and listings while the helper starts on its half
  const p = marketParties(config, window, targets, { m, buyers });
  const ex = new Float64Array(buyers.n);
  ex.set(buyerExposures(m, buyers, p.dayWeights, 0, half));
  ex.set(await rest, half);
  const base = solveBase(m, buyers, p.dayWeights, orderTarget, ex);
  const later = helper.arrivals(base, half);
  const first = buyerArrivals(m, buyers, p.dayWeights, base, 0, half);
  return marketFrom(config, p, base, sortArrivals([first, await later]));
}

interface MarketParties {
  m: MarketModel;
  buyers: Buyers;
  sellers: Sellers;
  listings: Listings;
  dayWeights: Float64Array;
}

/** The model, buyers (unless given), shops, listings and the demand day weights. */
function marketParties(config: Config, window: EventWindow, targets: Record<string, number>, given?: { m: MarketModel; buyers: Buyers }): MarketParties {
  const w = config.warehouse;
  const m = given?.m ?? marketModel(config.behaviour.marketplace, window, w.seed, w.trajectory);
  const buyers = given?.buyers ?? simulateBuyers(m, targets.dim_buyer);
  const sellers = simulateSellers(m, targets.dim_seller);
  const listings = simulateListings(m, sellers, targets.dim_listing);
  return { m, buyers, sellers, listings, dayWeights: demandDayWeights(m) };
}

/** The market day by day from the arrivals, prices in shop currencies, and the surrogate keys. */
function marketFrom(config: Config, p: MarketParties, base: number, arrivals: Arrivals): SimulatedMarket {
  const { m, buyers, sellers, listings } = p;
  const market = runMarket(m, buyers, sellers, listings, arrivals);
  // prices in the shop's currency before anything (the snapshot, money) reads them
  const currencies = marketCurrencies(m, sellers, config.warehouse.currency_rates);
  localizePrices(m, currencies, listings, market);
  // ids increase with creation time (listings are already in creation order; buyers and sellers nearly so,
  // local-time creation moves them by hours)
  const seq = (name: string, n: number, rate: number, created?: Float64Array) => {
    const rs = m.rs(`ids.${name}`);
    const g = gappedIds(n, rate, (i) => rs.uniform(i));
    if (!created) return g;
    const ids = new Float64Array(n);
    Int32Array.from({ length: n }, (_, i) => i)
      .sort((x, y) => created[x] - created[y] || x - y)
      .forEach((i, r) => (ids[i] = g.ids[r]));
    return { ids, gaps: g.gaps };
  };
  const b = seq('buyer', buyers.n, 0.02, buyers.signup);
  const s = seq('seller', sellers.n, 0.02, sellers.opened);
  const l = seq('listing', listings.n, 0.03);
  return { m, buyers, sellers, listings, market, currencies, base, ids: { buyer: b.ids, seller: s.ids, listing: l.ids, gaps: { buyer: b.gaps, seller: s.gaps, listing: l.gaps } } };
}

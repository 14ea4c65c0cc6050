import type { Config } from '@dnr/core';
import { gappedIds } from '../../behaviour/ids.js';
import type { EventWindow } from '../../behaviour/window.js';
import { demandDayWeights, orderArrivals, solveBase } from './demand.js';
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

/** Buyers, shops, listings, the market day by day and the surrogate keys (pure JS, deterministic in the seed). */
export function simulateMarket(config: Config, window: EventWindow, targets: Record<string, number>, orderTarget: number): SimulatedMarket {
  const w = config.warehouse;
  const m = marketModel(config.behaviour.marketplace, window, w.seed, w.trajectory);
  const buyers = simulateBuyers(m, targets.dim_buyer);
  const sellers = simulateSellers(m, targets.dim_seller);
  const listings = simulateListings(m, sellers, targets.dim_listing);
  const dayWeights = demandDayWeights(m);
  const base = solveBase(m, buyers, dayWeights, orderTarget);
  const arrivals = orderArrivals(m, buyers, dayWeights, base);
  const market = runMarket(m, buyers, sellers, listings, arrivals);
  // prices in the shop's currency before anything (the snapshot, money) reads them
  const currencies = marketCurrencies(m, sellers, w.currency_rates);
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

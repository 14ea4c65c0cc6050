import { pickIndex } from '../../behaviour/segments.js';
import { cumulative, type MarketModel } from './model.js';
import type { Listings } from './listings.js';
import type { MarketResult } from './market.js';
import type { Sellers } from './parties.js';

/**
 * Shop currencies (docs/behaviour.md, "Money"): every shop prices in its country's currency, so a
 * listing's price, its order lines and the whole order (items, shipping, tax, discount, fees, refunds)
 * are amounts of that currency, as on Etsy, where the listing currency is the shop's and buyers paying
 * in another currency are converted by the payment processor. The market itself runs in USD; this
 * module turns a USD price into the shop's local price point and holds the dated USD rates.
 */
export interface Currencies {
  /** Currency codes; index 0 is USD. */
  codes: string[];
  /** USD per unit, per currency (warehouse.currency_rates: the level the daily rates wander around). */
  anchor: Float64Array;
  /** Currency index per seller (its country's currency). */
  seller: Uint8Array;
  /** Local days of the window and the dated rates: usd[c * days + d] = USD per unit on day d. */
  days: number;
  usd: Float64Array;
}

/** Shop currencies and the daily FX table of the window. Deterministic in the seed. */
export function marketCurrencies(m: MarketModel, sellers: Sellers, rates: Record<string, number>): Currencies {
  const countryCurrency = m.countries.map((c) => m.b.countries[c].currency);
  const codes = ['USD', ...[...new Set(countryCurrency)].filter((c) => c !== 'USD' && c in rates).sort()];
  const anchor = Float64Array.from(codes, (c) => (c === 'USD' ? 1 : rates[c]));
  const ofCountry = countryCurrency.map((c) => Math.max(0, codes.indexOf(c)));
  const seller = Uint8Array.from(sellers.country, (k) => ofCountry[k]);
  const days = m.window.days;
  return { codes, anchor, seller, days, usd: dailyRates(m, codes, anchor, days) };
}

/**
 * Daily USD rates: log-rate an Ornstein-Uhlenbeck walk around the configured rate (daily log-sd
 * `fx_daily_sigma_pct`, pull `fx_reversion`, starting from its stationary spread); markets are shut at
 * weekends, so Saturday and Sunday repeat Friday's rate. USD is 1 every day.
 */
function dailyRates(m: MarketModel, codes: string[], anchor: Float64Array, days: number): Float64Array {
  const cfg = m.b.currency;
  const sigma = cfg.fx_daily_sigma_pct / 100;
  const k = cfg.fx_reversion;
  const spread = k > 0 ? sigma / Math.sqrt(2 * k) : 0;
  const start = Date.parse(`${m.window.startDate}T00:00:00Z`);
  const out = new Float64Array(codes.length * days).fill(1);
  codes.forEach((code, c) => {
    if (c === 0) return;
    const rs = m.rs(`fx.${code}`);
    let x = spread * rs.standardNormal(0, 0);
    for (let d = 0; d < days; d++) {
      const dow = new Date(start + d * 86_400_000).getUTCDay();
      if (d > 0 && dow !== 0 && dow !== 6) x = x * (1 - k) + sigma * rs.standardNormal(d, 1);
      out[c * days + d] = Math.round(anchor[c] * Math.exp(x) * 1e6) / 1e6;
    }
  });
  return out;
}

/** Ending code of arbitrary cents ("xx"): the listing draws its own cents, 0–99. */
const ANY_CENTS = -1;

/**
 * Cumulative ending tables per currency: endings in cents (ANY_CENTS for "xx") and their cumulative
 * shares; null for USD when `price_endings` has no USD entry (USD listings keep their price points).
 */
function endingTables(m: MarketModel, codes: string[]): Array<{ cents: number[]; cum: Float64Array } | null> {
  return codes.map((code) => {
    const declared = m.b.currency.price_endings[code];
    if (code === 'USD' && !declared) return null;
    const e = declared ?? { '99': 0.6, '00': 0.4 };
    const keys = Object.keys(e).filter((x) => e[x] > 0);
    if (!keys.length) return { cents: [99], cum: cumulative([1]) };
    return { cents: keys.map((x) => (x === 'xx' ? ANY_CENTS : Number(x))), cum: cumulative(keys.map((x) => e[x])) };
  });
}

/** A local price near `target` cents ending in `ending` cents, at least 1 unit + ending. */
export function localPricePoint(target: number, ending: number): number {
  const units = Math.max(1, Math.round((target - ending) / 100));
  return units * 100 + ending;
}

/**
 * Re-prices the simulated market in shop currencies, in place: every order line's and listing's USD
 * price becomes the shop's local price point (USD ÷ the configured rate, rounded to the listing's own
 * ending — one of its currency's `price_endings`, "xx" an arbitrary cents value drawn per listing — so
 * a listing keeps one local price until its seller reprices it). USD shops too, when USD has endings.
 */
export function localizePrices(m: MarketModel, cur: Currencies, listings: Listings, market: MarketResult): void {
  const tables = endingTables(m, cur.codes);
  const rs = m.rs('money.price_ending');
  const ending = new Int16Array(listings.n).fill(-1);
  const local = (l: number, usd: number): number => {
    const c = cur.seller[listings.seller[l]];
    const t = tables[c];
    if (!t) return usd;
    if (ending[l] < 0) {
      const e = t.cents[pickIndex(t.cum, rs.uniform(l, 0))];
      ending[l] = e === ANY_CENTS ? Math.min(99, Math.floor(rs.uniform(l, 1) * 100)) : e;
    }
    return localPricePoint(usd / cur.anchor[c], ending[l]);
  };
  const li = market.lines;
  for (let x = 0; x < li.n; x++) li.price[x] = local(li.listing[x], li.price[x]);
  for (let l = 0; l < listings.n; l++) market.price[l] = local(l, market.price[l]);
}

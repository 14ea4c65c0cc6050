import type { RandomStream } from '@dnr/core';
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

/** Trading days of warm-up before the window, so the volatility state starts in its stationary range. */
const FX_WARMUP = 260;
/** Trading days per year (jump odds per day = jumps per year ÷ this). */
const FX_TRADING_DAYS = 260;

/**
 * A Student-t shock of unit variance with `df` degrees of freedom (a normal over the root of a
 * chi-square of df normals; df ≥ 3). Uses uniforms k … k + df of draw i.
 */
export function studentT(rs: RandomStream, i: number, k: number, df: number): number {
  let chi = 0;
  for (let j = 1; j <= df; j++) {
    const z = rs.standardNormal(i, k + j);
    chi += z * z;
  }
  return rs.standardNormal(i, k) / Math.sqrt(chi / df) / Math.sqrt(df / (df - 2));
}

/** A GARCH(1,1) variance path of unit long-run variance over n steps of Student-t shocks: shock[t] = √h[t] · z[t]. */
function garchShocks(rs: RandomStream, n: number, alpha: number, beta: number, df: number): Float64Array {
  const out = new Float64Array(n);
  let h = 1;
  for (let t = 0; t < n; t++) {
    const e = Math.sqrt(h) * studentT(rs, t, 0, df);
    out[t] = e;
    h = 1 - alpha - beta + alpha * e * e + beta * h;
  }
  return out;
}

/**
 * Daily USD rates: each currency's log-rate mean-reverts slowly (Ornstein-Uhlenbeck, pull
 * `fx_reversion`) to the configured rate, moved on trading days by a broad-dollar factor (loading
 * `fx_usd_factor`, shared by every currency) and its own shock, each a GARCH(1,1) path of Student-t
 * shocks (`fx_garch`, `fx_tail_df`: volatility clusters, fat tails) of long-run daily sd
 * `fx_daily_sigma_pct`, plus rare jumps (`fx_jumps_per_year`, `fx_jump_sigma_pct`). A warm-up of a
 * trading year before the window starts the walk and the volatility in their stationary range.
 * Markets are shut at weekends, so Saturday and Sunday repeat Friday's fix. USD is 1 every day.
 */
function dailyRates(m: MarketModel, codes: string[], anchor: Float64Array, days: number): Float64Array {
  const cfg = m.b.currency;
  const sigma = cfg.fx_daily_sigma_pct / 100;
  const { alpha, beta } = cfg.fx_garch;
  const start = Date.parse(`${m.window.startDate}T00:00:00Z`);
  const trading = Array.from({ length: days }, (_, d) => d > 0 && ![0, 6].includes(new Date(start + d * 86_400_000).getUTCDay()));
  const steps = FX_WARMUP + trading.filter(Boolean).length;
  const common = garchShocks(m.rs('fx.usd_factor'), steps, alpha, beta, cfg.fx_tail_df);
  const out = new Float64Array(codes.length * days).fill(1);
  codes.forEach((code, c) => {
    if (c === 0) return;
    const rs = m.rs(`fx.${code}`);
    const rho = cfg.fx_usd_factor[code] ?? 0;
    const own = garchShocks(rs.child('shock'), steps, alpha, beta, cfg.fx_tail_df);
    const jumps = m.rs(`fx.${code}.jump`);
    let x = 0;
    const move = (t: number) => {
      const jump = jumps.uniform(t, 0) < cfg.fx_jumps_per_year / FX_TRADING_DAYS ? (cfg.fx_jump_sigma_pct / 100) * jumps.standardNormal(t, 1) : 0;
      x = x * (1 - cfg.fx_reversion) + sigma * (rho * common[t] + Math.sqrt(1 - rho * rho) * own[t]) + jump;
    };
    for (let t = 0; t < FX_WARMUP; t++) move(t);
    let t = FX_WARMUP;
    for (let d = 0; d < days; d++) {
      if (trading[d]) move(t++);
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

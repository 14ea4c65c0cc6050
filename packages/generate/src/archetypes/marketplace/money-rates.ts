import { pickIndex } from '../../behaviour/segments.js';
import { cumulative } from './model.js';
import type { MarketModel } from './model.js';
import type { MarketWorld } from './world.js';

/**
 * Per-order money rates from the behaviour config, in the order's currency (the shop's; amounts in its
 * cents): shipping charged, the tax rate and base (US/CA sales tax of the buyer's region on the items
 * after discount; VAT/GST of the buyer's country on items after discount plus shipping), the
 * payment-processing rate of the buyer's country, whether the offsite-ads fee applies and its cap.
 * orders.ts turns them into tax_cents, shipping_cents and platform_fee_cents.
 */
export interface OrderRates {
  shipping: Float64Array;
  /** Tax rate, % of the items after discount (plus shipping where `taxShipping` is 1). */
  taxPct: Float64Array;
  taxShipping: Uint8Array;
  /** Payment processing, % of buyer_paid and fixed cents (local). */
  procPct: Float64Array;
  procFixed: Float64Array;
  /** 1 when the order's last tracked touch was a paid channel (offsite-ads fee). */
  ads: Uint8Array;
  /**
   * Offsite-ads cap and dispute fee in the order's currency, cents: the dispute fee from the local fee
   * table `fees.dispute_fee_cents`, else the USD fee at the order day's rate.
   */
  adsCap: Float64Array;
  disputeFee: Float64Array;
  /** Currency index of the order (into world.currencies.codes). */
  currency: Uint8Array;
}

/** The issuer's dispute fee, USD cents, when `fees.dispute_fee_cents` lists no USD fee. */
export const DISPUTE_FEE_USD_CENTS = 1500;

const BANDS = ['letter', 'small', 'medium', 'large'] as const;

/**
 * Sales-tax rate per buyer: a region drawn once per buyer from the country's region shares (the
 * buyer's state or province; a hidden attribute, stable across the buyer's orders); 0 elsewhere.
 */
function buyerTaxPct(w: MarketWorld): Float64Array {
  const { m, buyers } = w;
  const regions = m.b.tax.regions;
  const tables = m.countries.map((c) => {
    const r = regions[c];
    if (!r) return null;
    const names = Object.keys(r);
    return { cum: cumulative(names.map((n) => r[n].share)), rate: names.map((n) => r[n].rate_pct) };
  });
  const rs = m.rs('money.tax_region');
  return Float64Array.from({ length: buyers.n }, (_, i) => {
    const t = tables[buyers.country[i]];
    return t ? t.rate[pickIndex(t.cum, rs.uniform(i, 0))] : 0;
  });
}

/**
 * VAT/GST the marketplace collects, % by (buyer country, shop country): the buyer country's rate when
 * it has one and (scope `imports`) the shop is outside the buyer's VAT area; else 0.
 */
function vatMatrix(m: MarketModel): (buyer: number, shop: number) => number {
  const t = m.b.tax;
  const area = (c: string) => Object.keys(t.vat_areas).find((a) => t.vat_areas[a].includes(c)) ?? c;
  const n = m.countries.length;
  const out = new Float64Array(n * n);
  m.countries.forEach((b, i) =>
    m.countries.forEach((s, k) => {
      const rate = t.vat_pct[b] ?? 0;
      out[i * n + k] = t.vat_scope === 'all' || area(b) !== area(s) ? rate : 0;
    }),
  );
  return (buyer, shop) => out[buyer * n + shop];
}

/**
 * A listing's shipping: its parcel band (the category's, one band off for 30%), its seller-set price
 * for the first unit on each route in the shop's currency (band rate × lognormal ÷ the currency's
 * configured rate, rounded to 25 cents, 40% ending in .99) and
 * whether it ships free domestically.
 */
function listingShipping(w: MarketWorld): { band: Uint8Array; domestic: Float64Array; international: Float64Array; free: Uint8Array } {
  const { m, listings: L } = w;
  const sh = m.b.shipping;
  const cats = Object.keys(sh.category_band) as (keyof typeof sh.category_band)[];
  const rs = m.rs('money.listing_shipping');
  const { seller: cur, anchor } = w.currencies;
  const n = L.n;
  const out = { band: new Uint8Array(n), domestic: new Float64Array(n), international: new Float64Array(n), free: new Uint8Array(n) };
  const price = (x: number, u: number) => {
    const v = Math.max(25, Math.round(x / 25) * 25);
    return u < 0.4 && v % 100 === 0 ? v - 1 : v;
  };
  for (let l = 0; l < n; l++) {
    const u = rs.uniform(l, 0);
    const base = sh.category_band[cats[L.top[l]]];
    const band = Math.max(0, Math.min(3, base + (u < 0.15 ? -1 : u < 0.3 ? 1 : 0)));
    const rate = sh[BANDS[band]];
    // the seller sets it in the shop's currency
    const scale = Math.exp(sh.seller_price_sigma * rs.standardNormal(l, 1)) / anchor[cur[L.seller[l]]];
    out.band[l] = band;
    out.domestic[l] = price(rate.domestic_cents * scale, rs.uniform(l, 2));
    out.international[l] = price(rate.international_cents * scale, rs.uniform(l, 2));
    out.free[l] = rs.uniform(l, 3) < sh.free_shipping_share ? 1 : 0;
  }
  return out;
}

/**
 * Per shop: the item value (shop-currency cents) from which it ships cross-border orders free
 * (`shipping.free_international`): 0 for the `shop_share` of shops that do, unless they are among the
 * `over_share` of those that do only from `over_cents` (USD, at the currency's configured rate);
 * Infinity for every other shop. Drawn once per shop; deterministic in the seed.
 */
function freeAbroadFrom(w: MarketWorld): Float64Array {
  const f = w.m.b.shipping.free_international;
  const rs = w.m.rs('money.free_international');
  const { seller: cur, anchor } = w.currencies;
  return Float64Array.from({ length: w.sellers.n }, (_, s) => {
    if (rs.uniform(s, 0) >= f.shop_share) return Infinity;
    return rs.uniform(s, 1) < f.over_share ? f.over_cents / anchor[cur[s]] : 0;
  });
}

/**
 * Shipping per order: the line with the dearest first-unit price on the order's route pays it in
 * full, every other unit adds its band's `extra_item_pct` of its own price; domestic orders ship free
 * when every line ships free or (US shops) the items reach `free_over_cents`; cross-border orders
 * when the shop ships free abroad and the items reach its threshold (`free_international`). Then the tax (VAT on
 * imports where it applies, else the buyer region's sales tax), processing and offsite-ads inputs. Deterministic in listing, buyer and order indexes.
 */
export function orderRates(w: MarketWorld): OrderRates {
  const { m, market, buyers, sellers } = w;
  const o = market.orders;
  const li = market.lines;
  const sh = m.b.shipping;
  const ls = listingShipping(w);
  const tax = buyerTaxPct(w);
  const last = w.marketing.lastTouch;
  const paidChannel = w.marketing.channels.map((c) => m.b.marketing.channels[c].paid);
  const us = m.countries.indexOf('US');
  const vat = vatMatrix(m);
  const { seller: sellerCur, anchor, codes, usd, days } = w.currencies;
  const feeTable = m.b.fees.dispute_fee_cents;
  const usdFee = feeTable.USD ?? DISPUTE_FEE_USD_CENTS;
  const localFee = codes.map((code) => feeTable[code]);
  const out: OrderRates = {
    shipping: new Float64Array(o.n),
    taxPct: new Float64Array(o.n),
    taxShipping: new Uint8Array(o.n),
    procPct: new Float64Array(o.n),
    procFixed: new Float64Array(o.n),
    ads: new Uint8Array(o.n),
    adsCap: new Float64Array(o.n),
    disputeFee: new Float64Array(o.n),
    currency: new Uint8Array(o.n),
  };
  const shop = new Int32Array(o.n);
  const first = new Float64Array(o.n);
  const extra = new Float64Array(o.n);
  const firstAdd = new Float64Array(o.n);
  const allFree = new Uint8Array(o.n).fill(1);
  const items = new Float64Array(o.n);
  const domestic = new Uint8Array(o.n);
  const shopCountry = new Int16Array(o.n);
  for (let x = 0; x < li.n; x++) {
    const j = li.order[x];
    const l = li.listing[x];
    const dom = sellers.country[li.seller[x]] === buyers.country[o.buyer[j]];
    const p = dom ? ls.domestic[l] : ls.international[l];
    const add = (p * sh[BANDS[ls.band[l]]].extra_item_pct) / 100;
    // the dearest first unit pays in full; everything else adds its extra-unit share
    if (p > first[j]) {
      extra[j] += firstAdd[j] + (li.qty[x] - 1) * add;
      first[j] = p;
      firstAdd[j] = add;
    } else extra[j] += li.qty[x] * add;
    if (!ls.free[l]) allFree[j] = 0;
    items[j] += li.qty[x] * li.price[x];
    domestic[j] = dom ? 1 : 0;
    shopCountry[j] = sellers.country[li.seller[x]];
    shop[j] = li.seller[x];
  }
  const abroad = freeAbroadFrom(w);
  for (let j = 0; j < o.n; j++) {
    const free = domestic[j] === 1 ? allFree[j] === 1 || (shopCountry[j] === us && items[j] >= sh.free_over_cents) : items[j] >= abroad[shop[j]];
    out.shipping[j] = free ? 0 : Math.round(first[j] + extra[j]);
    const bc = buyers.country[o.buyer[j]];
    const proc = m.b.fees.processing[m.countries[bc]] ?? m.b.fees.processing_default;
    const c = sellerCur[shop[j]];
    const v = vat(bc, shopCountry[j]);
    out.currency[j] = c;
    out.taxPct[j] = v > 0 ? v : tax[o.buyer[j]];
    out.taxShipping[j] = v > 0 ? 1 : 0;
    out.procPct[j] = proc.pct;
    out.procFixed[j] = Math.round(proc.fixed_cents / anchor[c]);
    out.ads[j] = last[j] >= 0 && paidChannel[last[j]] ? 1 : 0;
    out.adsCap[j] = Math.round(m.b.fees.offsite_ads_cap_cents / anchor[c]);
    const d = Math.min(days - 1, Math.max(0, o.day[j]));
    out.disputeFee[j] = localFee[c] ?? Math.round(usdFee / usd[c * days + d]);
  }
  return out;
}

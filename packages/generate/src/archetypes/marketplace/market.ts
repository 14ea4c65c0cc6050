import type { MarketBuyerSegment, RandomStream } from '@dnr/core';
import { WeightTree } from '../../behaviour/fenwick.js';
import { LEAF_CATEGORIES } from '../../behaviour/taxonomy.js';
import { lagSeconds } from '../../behaviour/lag.js';
import { pickIndex } from '../../behaviour/segments.js';
import { CATEGORY_COUNT, cumulative, type MarketModel } from './model.js';
import type { Arrivals } from './demand.js';
import { RETIRED_SOLD_OUT, type Listings } from './listings.js';
import type { Buyers, Sellers } from './parties.js';

/** Listing statuses (dim_listing.status, snapshot_listing_daily.status). */
export const LISTING_STATUS = ['active', 'sold_out', 'inactive', 'removed'] as const;
const ACTIVE = 0;
const SOLD_OUT = 1;
const INACTIVE = 2;
const REMOVED = 3;

const EV = { activate: 1, expire: 2, remove: 3, restock: 4, reactivate: 5, close: 6, suspend: 7, vacationStart: 8, vacationEnd: 9, cleanup: 10 } as const;
const EV_SHIFT = 1e8;
/** Shops a buyer remembers for loyal repeat orders. */
const MEMORY = 4;
/** First uniform index of an order's listing draws; below it: category 0–2, loyalty 3–5 and 10–13 (season), price tree 6, basket 7, side 8, lines 20+, quantities 30+. */
const CHOICE_DRAWS = 100;
/** Draws from every category to find a listing of the chosen shop country when it has none for sale in the order's category. */
const SIDE_DRAWS = 64;

/** What the market produced: orders in the window with their lines, listing state changes, final states. */
export interface MarketResult {
  /** Orders inside the window, in time order: arrival index, buyer, instant, warehouse-local day, capture instant, discount %. */
  orders: { arrival: Int32Array; buyer: Int32Array; utc: Float64Array; day: Int32Array; captured: Float64Array; discountPct: Uint8Array; n: number };
  /** Order lines: order index (into orders), line number, listing, seller, quantity, unit price (cents). */
  lines: { order: Int32Array; line: Uint8Array; listing: Int32Array; seller: Int32Array; qty: Int32Array; price: Float64Array; n: number };
  /** Status changes: listing, warehouse-local day from which the status holds, status index. */
  transitions: { listing: Int32Array; day: Int32Array; status: Uint8Array; n: number };
  /** Final status, price and units sold per listing. */
  status: Uint8Array;
  price: Float64Array;
  unitsSold: Int32Array;
  /** Orders (all time simulated) per buyer and the unmatched arrivals (no listing for sale). */
  unmatched: number;
}

class Growable {
  data: Float64Array;
  n = 0;
  constructor(cap = 1024) {
    this.data = new Float64Array(cap);
  }
  push(x: number): void {
    if (this.n === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = x;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.n);
  }
}

/**
 * The market, day by day from the catalogue start: scheduled listing and shop events first (listings
 * go on sale the day after creation; expiry with renewal, deletion, restock; shop closure, suspension
 * and vacations), then the day's orders in time order, each matched to the supply for sale at that
 * moment (category → listing by appeal and price, loyalty to known shops, home-country bias, a basket
 * from the same shop, stock decremented: the last unit sells the listing out).
 */
export function runMarket(m: MarketModel, buyers: Buyers, sellers: Sellers, L: Listings, arr: Arrivals): MarketResult {
  const sim = new MarketSim(m, buyers, sellers, L);
  sim.scheduleAll();
  let day = m.marketFromDay - 1;
  for (let a = 0; a < arr.n; a++) {
    const d = m.clock.dayOf(arr.utc[a]);
    if (d >= m.window.days) break;
    while (day < d) sim.startDay(++day);
    sim.order(a, arr.buyer[a], arr.utc[a], d, arr.localDay[a]);
  }
  while (day < m.window.days - 1) sim.startDay(++day);
  return sim.result();
}

class MarketSim {
  private readonly status: Uint8Array;
  private readonly stock: Int32Array;
  private readonly price: Float64Array;
  private readonly sold: Uint8Array;
  private readonly unitsSold: Int32Array;
  private readonly expiryDay: Int32Array;
  /** Day the shop deletes a dead (inactive or sold-out) listing, −1 when none is due. */
  private readonly cleanupDay: Int32Array;
  private readonly lifeEvents: Uint16Array;
  private readonly forSale: Uint8Array;
  private readonly pos: Int32Array;
  /** Tree positions of (top category c, shop country x) are [cellLo[c·K + x], cellLo[c·K + x + 1]), K countries. */
  private readonly cellLo: Int32Array;
  private readonly tree: WeightTree;
  private readonly bargain: WeightTree;
  /** The same weights with positions grouped by shop (sellerList order), to sample inside one shop. */
  private readonly shopTree: WeightTree;
  private readonly shopPos: Int32Array;
  private readonly w: Float64Array;
  private readonly wb: Float64Array;
  /** Leaf seasons (listings.leaf_season): the listings on a seasonal leaf and their month curves. */
  private readonly leaf: LeafSeason;
  /** Month (0 = January) of the warehouse day the market is in: the leaf seasons' month. */
  private month: number;
  private readonly sellerFrom: Int32Array;
  private readonly sellerList: Int32Array;
  private readonly paused: Uint8Array;
  private readonly gone: Uint8Array;
  private readonly buckets: number[][];
  private readonly lastTr: Int32Array;
  private readonly tr = { listing: new Growable(), day: new Growable(), status: new Growable() };
  /** Shops each buyer remembers (MEMORY per buyer, most recent first, −1 = empty). */
  private readonly prev: Int32Array;
  /** Demand weight for sale per shop country (the main tree's weights), kept with the trees. */
  private readonly countryW: Float64Array;
  /** Loyal repeat orders each buyer segment owes (its known shops had nothing for sale). */
  private readonly owed: Int32Array;
  private readonly out = {
    arrival: new Growable(),
    buyer: new Growable(),
    utc: new Growable(),
    day: new Growable(),
    captured: new Growable(),
    discount: new Growable(),
  };
  private readonly lines = { order: new Growable(), line: new Growable(), listing: new Growable(), seller: new Growable(), qty: new Growable(), price: new Growable() };
  /** [segment][12 · (2 · buyer country + cross-border) + month] → multiplier on each extra line's odds (before the buyer's own intensity). */
  private readonly basketRatio: Float64Array[];
  /** Scratch for one order's cumulative basket-size odds. */
  private readonly basketScratch: Float64Array;
  /** Per buyer country: odds multiplier of a bargain search. */
  private readonly bargainOdds: Float64Array;
  private readonly qtyCum: Float64Array;
  /** Cumulative coupon-size odds: ordinary days, big sale days. */
  private readonly discountCum: [Float64Array, Float64Array];
  private readonly promoDays: Set<number>;
  private readonly segNames: string[];
  private readonly buyerSegs: MarketBuyerSegment[];
  private readonly sellerSegNames: string[];
  private unmatched = 0;
  private readonly posToListing: Int32Array;
  /** Cumulative fresh-order category weights per local day: index (d − clock.fromDay) · 10 + c. */
  private readonly dayCum: Float64Array;
  private readonly rsLife: RandomStream;
  private readonly rsReactivate: RandomStream;
  private readonly rsCleanup: RandomStream;
  private readonly rsChoice: RandomStream;
  private readonly rsCapture: RandomStream;
  private readonly rsDiscount: RandomStream;

  constructor(
    private readonly m: MarketModel,
    private readonly buyers: Buyers,
    private readonly sellers: Sellers,
    private readonly L: Listings,
  ) {
    const n = L.n;
    this.status = new Uint8Array(n).fill(ACTIVE);
    this.stock = Int32Array.from(L.stock);
    this.price = Float64Array.from(L.price);
    this.sold = new Uint8Array(n);
    this.unitsSold = new Int32Array(n);
    this.expiryDay = new Int32Array(n);
    this.cleanupDay = new Int32Array(n).fill(-1);
    this.lifeEvents = new Uint16Array(n);
    this.forSale = new Uint8Array(n);
    this.lastTr = new Int32Array(n).fill(-1);
    // positions grouped by top category, so a category is one index range of the trees
    const K = m.countries.length;
    const cell = (l: number) => L.top[l] * K + sellers.country[L.seller[l]];
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cell(a) - cell(b) || a - b);
    this.pos = new Int32Array(n);
    order.forEach((l, p) => (this.pos[l] = p));
    this.posToListing = Int32Array.from(order);
    // per local day: cumulative category weights of a fresh order (rescaled popularity × the month's
    // category seasonality × the day's calendar effect)
    const nDays = m.categoryDay[0].length;
    this.dayCum = new Float64Array(nDays * CATEGORY_COUNT);
    for (let di = 0; di < nDays; di++) {
      const mo = m.days.month[di + m.clock.fromDay - m.days.fromDay];
      let acc = 0;
      for (let c = 0; c < CATEGORY_COUNT; c++) this.dayCum[di * CATEGORY_COUNT + c] = acc += m.categoryPop[c] * m.categorySeason[12 * c + mo] * m.categoryDay[c][di];
    }
    this.rsLife = m.rs('listings.life');
    this.rsReactivate = m.rs('listings.reactivate');
    this.rsCleanup = m.rs('listings.cleanup');
    this.rsChoice = m.rs('orders.choice');
    this.rsCapture = m.rs('payments.capture');
    this.rsDiscount = m.rs('orders.discount');
    this.cellLo = new Int32Array(CATEGORY_COUNT * K + 1);
    for (const l of order) this.cellLo[cell(l) + 1]++;
    for (let j = 0; j < CATEGORY_COUNT * K; j++) this.cellLo[j + 1] += this.cellLo[j];
    this.tree = new WeightTree(n);
    this.bargain = new WeightTree(n);
    this.leaf = leafSeason(m, L);
    this.month = monthOfDay(m, m.marketFromDay);
    this.w = new Float64Array(n);
    this.wb = new Float64Array(n);
    for (let l = 0; l < n; l++) this.weigh(l);
    this.sellerFrom = new Int32Array(sellers.n + 1);
    for (let l = 0; l < n; l++) this.sellerFrom[L.seller[l] + 1]++;
    for (let k = 0; k < sellers.n; k++) this.sellerFrom[k + 1] += this.sellerFrom[k];
    const fill = Int32Array.from(this.sellerFrom.subarray(0, sellers.n));
    this.sellerList = new Int32Array(n);
    for (let l = 0; l < n; l++) this.sellerList[fill[L.seller[l]]++] = l;
    this.shopTree = new WeightTree(n);
    this.shopPos = new Int32Array(n);
    this.sellerList.forEach((l, j) => (this.shopPos[l] = j));
    this.paused = new Uint8Array(sellers.n);
    this.gone = new Uint8Array(sellers.n);
    this.buckets = Array.from({ length: m.window.days - m.marketFromDay + 1 }, () => []);
    this.prev = new Int32Array(buyers.n * MEMORY).fill(-1);
    this.countryW = new Float64Array(m.countries.length);
    this.owed = new Int32Array(Object.keys(m.b.buyers.segments).length);
    this.segNames = Object.keys(m.b.buyers.segments).filter((x) => m.b.buyers.segments[x].share > 0);
    this.buyerSegs = this.segNames.map((x) => m.b.buyers.segments[x]);
    this.sellerSegNames = Object.keys(m.b.sellers.segments).filter((x) => m.b.sellers.segments[x].share > 0);
    // per segment × buyer country × (domestic, cross-border) × month: each extra line's odds times the
    // segment's, the country's, the cross-border and the month's basket multipliers
    const ob = m.b.orders;
    this.basketRatio = this.segNames.map((s) =>
      Float64Array.from(m.countries.flatMap((c) => [1, ob.cross_border_basket].flatMap((x) => ob.basket_month_of_year.map((mo) => m.b.buyers.segments[s].basket * m.b.countries[c].basket * x * mo)))),
    );
    this.basketScratch = new Float64Array(ob.basket.length);
    const dc = ob.discounts;
    this.discountCum = [cumulative(dc.odds), cumulative(dc.promo_odds)];
    this.bargainOdds = Float64Array.from(m.countries, (c) => m.b.countries[c].price_sensitivity_odds);
    this.qtyCum = cumulative(m.b.orders.quantity);
    this.promoDays = new Set(m.calendar.filter((h) => (h.effects.orders ?? 1) >= 1.3).map((h) => h.day));
  }

  private schedule(day: number, ev: number, idx: number): void {
    const i = day - this.m.marketFromDay;
    if (i >= 0 && i < this.buckets.length) this.buckets[i].push(ev * EV_SHIFT + idx);
  }

  /** Creation, deletion and shop events known in advance; expiry and restock are scheduled as they arise. */
  scheduleAll(): void {
    const { m, L, sellers: s } = this;
    const day = (t: number) => (Number.isFinite(t) && t < m.endUtc ? m.clock.dayOf(t) : Infinity);
    for (let l = 0; l < L.n; l++) {
      this.transition(l, L.createdDay[l], ACTIVE);
      if (L.retiredHow[l]) {
        // left the catalogue before the market starts: dead from then on until its shop deletes it
        this.transition(l, L.retiredDay[l], L.retiredHow[l] === RETIRED_SOLD_OUT ? SOLD_OUT : INACTIVE);
        this.scheduleCleanup(l, m.marketFromDay - 1, 0);
        continue;
      }
      this.schedule(Math.max(L.createdDay[l] + 1, m.marketFromDay), EV.activate, l);
      const r = day(L.removeAt[l]);
      if (r < m.window.days) this.schedule(Math.max(r, L.createdDay[l] + 1), EV.remove, l);
    }
    for (let k = 0; k < s.n; k++) {
      if (this.sellerFrom[k + 1] === this.sellerFrom[k]) continue;
      const c = day(s.closed[k]);
      if (c < m.window.days) this.schedule(Math.max(c, m.marketFromDay), EV.close, k);
      const sp = day(s.suspended[k]);
      if (sp < m.window.days) this.schedule(Math.max(sp, m.marketFromDay), EV.suspend, k);
      for (let j = s.vacFrom[k]; j < s.vacFrom[k + 1]; j++) {
        this.schedule(Math.max(day(s.vacStart[j]), m.marketFromDay), EV.vacationStart, k);
        const e = day(s.vacEnd[j]);
        if (e < m.window.days) this.schedule(e + 1, EV.vacationEnd, k);
      }
    }
  }

  /**
   * A listing died on day d (expired unrenewed or sold out): its shop deletes it after an exponential
   * wait at the shop's clean-up rate (Listings.cleanup) unless it comes back to life first.
   */
  private scheduleCleanup(l: number, d: number, kind: number): void {
    const c = this.L.cleanup[this.L.seller[l]];
    if (!(c > 0)) return;
    const wait = -Math.log(this.rsCleanup.uniform(l, 2 * this.lifeEvents[l] + kind)) / c;
    if (d + 1 + wait >= this.m.window.days) return;
    this.cleanupDay[l] = d + 1 + Math.floor(wait);
    this.schedule(this.cleanupDay[l], EV.cleanup, l);
  }

  /** A status holds from `day` on (a later change on the same day replaces an earlier one). */
  private transition(l: number, day: number, status: number): void {
    this.status[l] = status;
    const last = this.lastTr[l];
    if (last >= 0 && this.tr.day.data[last] === day) {
      this.tr.status.data[last] = status;
      return;
    }
    this.lastTr[l] = this.tr.listing.n;
    this.tr.listing.push(l);
    this.tr.day.push(day);
    this.tr.status.push(status);
  }

  private refresh(l: number): void {
    const k = this.L.seller[l];
    const live = this.forSale[l] && this.status[l] === ACTIVE && !this.paused[k] && !this.gone[k];
    const x = this.sellers.country[k];
    this.countryW[x] += (live ? this.w[l] : 0) - this.tree.weights[this.pos[l]];
    this.tree.set(this.pos[l], live ? this.w[l] : 0);
    this.bargain.set(this.pos[l], live ? this.wb[l] : 0);
    this.shopTree.set(this.shopPos[l], live ? this.w[l] : 0);
  }

  private u(l: number, j: number): number {
    return this.rsLife.uniform(l, 16 + 4 * this.lifeEvents[l] + j);
  }

  /** A renewal or restock may change the price (on a price point; the demand weights follow). */
  private maybeReprice(l: number): void {
    const lb = this.m.b.listings;
    if (this.u(l, 1) >= lb.price_change_share || lb.price_change_sigma === 0) return;
    const z = Math.sqrt(-2 * Math.log(this.u(l, 2))) * Math.cos(2 * Math.PI * this.u(l, 3));
    const p = Math.max(199, Math.round(this.price[l] * Math.exp(lb.price_change_sigma * z) / 100) * 100 - 1);
    this.price[l] = p;
    this.weigh(l);
  }

  /**
   * Demand weights of listing l (ordinary and bargain search): appeal × (price ÷ its leaf's median)^−elasticity
   * × its leaf's season this month. The trees follow on the next refresh.
   */
  private weigh(l: number): void {
    const lb = this.m.b.listings;
    const ratio = this.price[l] / this.L.median[l];
    const j = this.leaf.row[l];
    const season = j < 0 ? 1 : this.leaf.curve[12 * j + this.month];
    this.w[l] = this.L.appeal[l] * Math.pow(ratio, -lb.price_elasticity) * season;
    this.wb[l] = this.L.appeal[l] * Math.pow(ratio, -lb.bargain_elasticity) * season;
  }

  startDay(d: number): void {
    const month = monthOfDay(this.m, d);
    if (month !== this.month) {
      // a new month: the seasonal leaves' listings take its weights
      this.month = month;
      for (const l of this.leaf.listings) {
        this.weigh(l);
        this.refresh(l);
      }
    }
    const bucket = this.buckets[d - this.m.marketFromDay] ?? [];
    for (const code of bucket) {
      const ev = Math.floor(code / EV_SHIFT);
      const idx = code - ev * EV_SHIFT;
      if (ev <= EV.reactivate || ev === EV.cleanup) this.listingEvent(ev, idx, d);
      else this.shopEvent(ev, idx, d);
    }
  }

  private listingEvent(ev: number, l: number, d: number): void {
    const lb = this.m.b.listings;
    const k = this.L.seller[l];
    if (ev === EV.activate) {
      if (this.status[l] !== ACTIVE) return;
      this.forSale[l] = 1;
      // a listing already live when the market starts is somewhere in its renewal period
      const old = this.L.createdDay[l] + 1 < d;
      this.expiryDay[l] = d + (old ? 1 + Math.floor(this.u(l, 0) * lb.expiry_days) : lb.expiry_days);
      this.schedule(this.expiryDay[l], EV.expire, l);
    } else if (ev === EV.expire) {
      if (this.status[l] !== ACTIVE || this.expiryDay[l] !== d) return;
      this.expire(l, d);
    } else if (ev === EV.reactivate) {
      if (this.status[l] !== INACTIVE || this.gone[k]) return;
      this.reactivate(l, d);
    } else if (ev === EV.cleanup) {
      const dead = this.status[l] === INACTIVE || this.status[l] === SOLD_OUT;
      if (dead && this.cleanupDay[l] === d && !this.gone[k]) this.transition(l, d, REMOVED);
    } else if (ev === EV.remove) {
      if (this.status[l] === ACTIVE || this.status[l] === SOLD_OUT) this.transition(l, d, REMOVED);
    } else if (ev === EV.restock) {
      if (this.status[l] !== SOLD_OUT || this.gone[k]) return;
      const mean = this.m.b.sellers.segments[this.sellerSegNames[this.sellers.segment[k]]].stock;
      this.stock[l] = mean <= 1 ? 1 : Math.min(9999, 1 + Math.floor(Math.log(this.u(l, 0)) / Math.log(1 - 1 / mean)));
      this.maybeReprice(l);
      this.sold[l] = 0;
      // restocked stock is live from the start of day d: the listing ends day d − 1 active again, so a
      // sale that sells it out on day d follows an active end-of-day snapshot (it never ends a day
      // sold out and sells the next)
      this.transition(l, d - 1, ACTIVE);
      this.expiryDay[l] = d + lb.expiry_days;
      this.schedule(this.expiryDay[l], EV.expire, l);
      this.lifeEvents[l]++;
    }
    this.refresh(l);
  }

  /**
   * Expiry: an auto-renewing listing renews (Etsy's auto-renew setting), any other with
   * `renew_if_sold` / `renew_probability` odds; else it turns inactive, and with `reactivation_share`
   * odds its seller renews it again `reactivation_lag` later (at least two days on).
   */
  private expire(l: number, d: number): void {
    const lb = this.m.b.listings;
    const renew = this.L.autoRenew[l] === 1 || this.u(l, 0) < (this.sold[l] ? lb.renew_if_sold : lb.renew_probability);
    if (renew && !this.gone[this.L.seller[l]]) {
      this.maybeReprice(l);
      this.sold[l] = 0;
      this.expiryDay[l] = d + lb.expiry_days;
      this.schedule(this.expiryDay[l], EV.expire, l);
    } else {
      this.transition(l, d, INACTIVE);
      this.scheduleCleanup(l, d, 0);
      const rs = this.rsReactivate;
      const e = this.lifeEvents[l];
      if (rs.uniform(l, 3 * e) < lb.reactivation_share) {
        const z = Math.sqrt(-2 * Math.log(rs.uniform(l, 3 * e + 1))) * Math.cos(2 * Math.PI * rs.uniform(l, 3 * e + 2));
        this.schedule(d + 2 + Math.floor(lagSeconds(lb.reactivation_lag, z) / 86400), EV.reactivate, l);
      }
    }
    this.lifeEvents[l]++;
  }

  /**
   * The seller renews an inactive (expired) listing: live from the start of day d (the snapshot shows
   * it active from day d − 1, as after a restock), a new expiry period, maybe a new price.
   */
  private reactivate(l: number, d: number): void {
    this.maybeReprice(l);
    this.sold[l] = 0;
    this.transition(l, d - 1, ACTIVE);
    this.expiryDay[l] = d + this.m.b.listings.expiry_days;
    this.schedule(this.expiryDay[l], EV.expire, l);
    this.lifeEvents[l]++;
  }

  private shopEvent(ev: number, k: number, d: number): void {
    if (ev === EV.close || ev === EV.suspend) this.gone[k] = 1;
    if (ev === EV.vacationStart) this.paused[k] = 1;
    if (ev === EV.vacationEnd) this.paused[k] = 0;
    for (let j = this.sellerFrom[k]; j < this.sellerFrom[k + 1]; j++) {
      const l = this.sellerList[j];
      if (this.L.createdDay[l] > d) continue;
      if (ev === EV.close && this.status[l] !== REMOVED) this.transition(l, d, REMOVED);
      if (ev === EV.suspend && (this.status[l] === ACTIVE || this.status[l] === SOLD_OUT)) this.transition(l, d, INACTIVE);
      this.refresh(l);
    }
  }

  /** A live listing of shop k by demand weight, skipping `taken`; −1 when the shop has none for sale. */
  private fromShop(k: number, u: number, taken: readonly number[]): number {
    const t = this.shopTree;
    const saved = taken.map((l) => t.weights[this.shopPos[l]]);
    for (const l of taken) t.set(this.shopPos[l], 0);
    const j = t.sample(this.sellerFrom[k], this.sellerFrom[k + 1], u);
    taken.forEach((l, x) => t.set(this.shopPos[l], saved[x]));
    return j < 0 ? -1 : this.sellerList[j];
  }

  /**
   * Category of an order: one of the buyer's favourites or the day's mix. With r_c the month's category
   * seasonality (MarketModel.categorySeason) and favourites f1, f2 weighted 0.65 and 0.35, the order
   * goes to a favourite with probability min(1, category_focus × g), g = 0.65·r_f1 + 0.35·r_f2 (f1 with
   * odds 0.65·r_f1 : 0.35·r_f2), so a favourite out of season yields orders to the in-season
   * categories; else to c ∝ rescaled popularity × r_c × the day's calendar effect.
   */
  private category(a: number, i: number, localDay: number): number {
    const seg = this.buyerSegs[this.buyers.segment[i]];
    const rs = this.rsChoice;
    const di = localDay - this.m.clock.fromDay;
    const mo = this.m.days.month[localDay - this.m.days.fromDay];
    const season = this.m.categorySeason;
    const f1 = this.buyers.fav[2 * i];
    const f2 = this.buyers.fav[2 * i + 1];
    const w1 = 0.65 * season[12 * f1 + mo];
    const g = w1 + 0.35 * season[12 * f2 + mo];
    if (rs.uniform(a, 0) < seg.category_focus * g) return rs.uniform(a, 1) * g < w1 ? f1 : f2;
    const cum = this.dayCum;
    const K = CATEGORY_COUNT;
    const u = rs.uniform(a, 2) * cum[di * K + K - 1];
    let c = 0;
    while (c < K - 1 && cum[di * K + c] <= u) c++;
    return c;
  }

  /**
   * Loyalty: a repeat order (rate = the segment's `loyalty`) goes back to a remembered shop — the last
   * MEMORY shops the buyer bought from, most recent first — starting at a random one of those filled
   * and moving on while a shop has nothing for sale. When none has (closed, on vacation, sold out), the
   * order is a fresh choice and the segment owes one loyal order: its next repeat order that would not
   * be loyal returns to a known shop instead, so the segment's share of loyal repeat orders is the
   * declared one. A remembered shop whose main category is out of season is passed over with
   * probability 1 − r (r < 1 its month's category seasonality, as if it had nothing for sale), so a
   * wedding shop's regulars come back in the wedding season. −1: a fresh choice.
   */
  private fromKnownShop(a: number, i: number, seg: MarketBuyerSegment, localDay: number): number {
    const rs = this.rsChoice;
    const base = MEMORY * i;
    if (this.prev[base] < 0) return -1;
    const s = this.buyers.segment[i];
    const repaying = rs.uniform(a, 3) >= seg.loyalty;
    if (repaying && !(this.owed[s] > 0)) return -1;
    let filled = 1;
    while (filled < MEMORY && this.prev[base + filled] >= 0) filled++;
    const start = Math.floor(rs.uniform(a, 4) * filled);
    const mo = this.m.days.month[localDay - this.m.days.fromDay];
    for (let j = 0; j < filled; j++) {
      const k = this.prev[base + ((start + j) % filled)];
      if (rs.uniform(a, 10 + j) >= this.m.categorySeason[12 * this.sellers.top[k] + mo]) continue;
      const l = this.fromShop(k, rs.uniform(a, 5), []);
      if (l < 0) continue;
      if (repaying) this.owed[s]--;
      return l;
    }
    if (!repaying) this.owed[s]++;
    return -1;
  }

  /**
   * A fresh listing for buyer i of country h: category c, the shop country x, then a listing of
   * (c, x) by demand weight (bargain hunters by the price-sensitive weight; fewer of them abroad). With b =
   * `orders.home_country_bias` and W_x = country x's demand weight for sale right now (main weights,
   * every category), P(x | h) = W_x · b^[x = h] ÷ Σ_y W_y · b^[y = h]: the odds of a domestic shop are
   * b × the supply odds, so every 2×2 table of buyer × shop country has odds ratio b² (lift √OR = b)
   * whatever the supplies. The same W for every category and both weightings keeps the tables of
   * those strata alike, so pooling them does not dilute the ratio. When x has nothing for sale in c, a listing of x from any category
   * (rejection from the whole tree, at most SIDE_DRAWS draws, else the last draw).
   */
  private freshListing(a: number, i: number, localDay: number, seg: MarketBuyerSegment): number {
    const rs = this.rsChoice;
    const c = this.category(a, i, localDay);
    const h = this.buyers.country[i];
    const ob = this.m.b.orders;
    const supply = this.countryW;
    const x = this.shopCountry(h, rs.uniform(a, 8));
    // the segment's bargain share, its odds scaled by the buyer country's price_sensitivity_odds, by
    // the buyer's own intensity draw^frequency_bargain_elasticity (frequent buyers hunt bargains more)
    // and, from a shop abroad, by cross_border_bargain_odds (cheap items rarely justify the shipping)
    const ps = seg.price_sensitivity * this.bargainOdds[h] * Math.pow(this.buyers.intensity[i], ob.frequency_bargain_elasticity) * (x === h ? 1 : ob.cross_border_bargain_odds);
    const bargain = rs.uniform(a, 6) < ps / (1 - seg.price_sensitivity + ps);
    const tree = bargain ? this.bargain : this.tree;
    const K = supply.length;
    let p = tree.sample(this.cellLo[c * K + x], this.cellLo[c * K + x + 1], rs.uniform(a, CHOICE_DRAWS));
    for (let t = 1; p < 0 && t <= SIDE_DRAWS; t++) {
      const q = tree.sample(0, this.L.n, rs.uniform(a, CHOICE_DRAWS + t));
      if (q < 0) return -1;
      if (this.sellers.country[this.L.seller[this.listingAt(q)]] === x || t === SIDE_DRAWS) p = q;
    }
    return p < 0 ? -1 : this.listingAt(p);
  }

  /**
   * The shop country of a fresh listing for a buyer of country h at uniform u: pickIndex(cumulative(odds), u)
   * over odds_y = max(0, W_y) × (home_country_bias if y = h, else 1), computed in place (the same
   * arithmetic in the same order, so the same pick; no arrays per order).
   */
  private shopCountry(h: number, u: number): number {
    const supply = this.countryW;
    const bias = this.m.b.orders.home_country_bias;
    const K = supply.length;
    let total = 0;
    for (let y = 0; y < K; y++) total += Math.max(0, supply[y]) * (y === h ? bias : 1);
    total ||= 1;
    let acc = 0;
    let x = 0;
    for (; x < K - 1; x++) {
      acc += (Math.max(0, supply[x]) * (x === h ? bias : 1)) / total;
      if (u < acc) break;
    }
    return x;
  }

  order(a: number, i: number, utc: number, d: number, localDay: number): void {
    const { m, L, buyers: b } = this;
    const rs = this.rsChoice;
    const seg = this.buyerSegs[b.segment[i]];
    let first = this.fromKnownShop(a, i, seg, localDay);
    if (first < 0) first = this.freshListing(a, i, localDay, seg);
    if (first < 0) {
      this.unmatched++;
      return;
    }
    const k = L.seller[first];
    const abroad = this.sellers.country[k] === b.country[i] ? 0 : 1;
    const month = m.days.month[localDay - m.days.fromDay] ?? 0;
    const nLines = 1 + pickIndex(this.basketOdds(i, 12 * (2 * b.country[i] + abroad) + month), rs.uniform(a, 7));
    const taken = [first];
    while (taken.length < nLines) {
      const l = this.fromShop(k, rs.uniform(a, 20 + taken.length), taken);
      if (l < 0) break;
      taken.push(l);
    }
    this.remember(i, k);
    const inWindow = d >= 0 && d < m.window.days;
    const o = this.out.arrival.n;
    taken.forEach((l, j) => {
      const qty = Math.min(this.stock[l], 1 + pickIndex(this.qtyCum, rs.uniform(a, 30 + j)));
      if (inWindow) {
        this.lines.order.push(o);
        this.lines.line.push(j + 1);
        this.lines.listing.push(l);
        this.lines.seller.push(k);
        this.lines.qty.push(qty);
        this.lines.price.push(this.price[l]);
      }
      this.sell(l, qty, d);
    });
    if (!inWindow) return;
    this.out.arrival.push(a);
    this.out.buyer.push(i);
    this.out.utc.push(utc);
    this.out.day.push(d);
    this.out.captured.push(this.captureAt(a, utc, d));
    this.out.discount.push(this.discount(a, d));
  }

  /**
   * Cumulative basket-size odds of buyer i's order in cell `cell` (country × cross-border × month): the
   * odds of j extra lines are `orders.basket[j]` × (cell multiplier × ((1 + g) ÷ 2)^−e)^j, g the buyer's
   * own intensity draw (mean 1) and e = `orders.frequency_basket_elasticity`, so frequent buyers place
   * smaller baskets than their segment's occasional buyers; the (1 + g) ÷ 2 keeps the rarest buyers'
   * multiplier below 2^e (a gamma draw near 0 would otherwise make huge baskets the norm).
   */
  private basketOdds(i: number, cell: number): Float64Array {
    const ob = this.m.b.orders;
    const r = this.basketRatio[this.buyers.segment[i]][cell] * Math.pow((1 + this.buyers.intensity[i]) / 2, -ob.frequency_basket_elasticity);
    const out = this.basketScratch;
    let acc = 0;
    let f = 1;
    for (let j = 0; j < out.length; j++, f *= r) out[j] = acc += ob.basket[j] * f;
    for (let j = 0; j < out.length; j++) out[j] /= acc;
    out[out.length - 1] = 1;
    return out;
  }

  private listingAt(p: number): number {
    return this.posToListing[p];
  }

  private remember(i: number, k: number): void {
    const p = this.prev;
    const base = MEMORY * i;
    let j = 0;
    while (j < MEMORY - 1 && p[base + j] !== k) j++;
    // move k to the front (most recent first), dropping the oldest when k was not remembered
    p.copyWithin(base + 1, base, base + j);
    p[base] = k;
  }

  private sell(l: number, qty: number, d: number): void {
    this.stock[l] -= qty;
    this.unitsSold[l] += qty;
    this.sold[l] = 1;
    if (this.stock[l] > 0) return;
    this.transition(l, d, SOLD_OUT);
    this.scheduleCleanup(l, d, 1);
    this.refresh(l);
    const k = this.L.seller[l];
    const seg = this.m.b.sellers.segments[this.sellerSegNames[this.sellers.segment[k]]];
    if (this.u(l, 3) < seg.restock) {
      const lag = lagSeconds(this.m.b.listings.restock_lag, Math.sqrt(-2 * Math.log(this.u(l, 1))) * Math.cos(2 * Math.PI * this.u(l, 2)));
      this.schedule(d + 1 + Math.floor(lag / 86400), EV.restock, l);
    }
  }

  /**
   * Payment capture: seconds after the order (lognormal, median 20 s), a few held for review for
   * minutes to an hour; never before the order, never after the order's local day.
   */
  private captureAt(a: number, utc: number, d: number): number {
    const rs = this.rsCapture;
    const z = Math.sqrt(-2 * Math.log(rs.uniform(a, 0))) * Math.cos(2 * Math.PI * rs.uniform(a, 1));
    const lag = rs.uniform(a, 2) < 0.03 ? 600 * Math.exp(0.9 * z) : 20 * Math.exp(0.8 * z);
    return Math.min(utc + 1 + Math.floor(lag), this.m.clock.midnight(d + 1) - 1);
  }

  /**
   * Coupon percent off (0 = none): `orders.discounts.share` of orders on ordinary days, `promo_share` on
   * the big sale days, the size drawn from `pct` by `odds` (ordinary) or `promo_odds` (sale days).
   */
  private discount(a: number, d: number): number {
    const rs = this.rsDiscount;
    const dc = this.m.b.orders.discounts;
    const promo = this.promoDays.has(d);
    if (rs.uniform(a, 0) >= (promo ? dc.promo_share : dc.share)) return 0;
    return dc.pct[pickIndex(this.discountCum[promo ? 1 : 0], rs.uniform(a, 1))];
  }

  result(): MarketResult {
    const i32 = (g: Growable) => Int32Array.from(g.view());
    const tr = this.tr;
    return {
      orders: {
        arrival: i32(this.out.arrival),
        buyer: i32(this.out.buyer),
        utc: Float64Array.from(this.out.utc.view()),
        day: i32(this.out.day),
        captured: Float64Array.from(this.out.captured.view()),
        discountPct: Uint8Array.from(this.out.discount.view()),
        n: this.out.arrival.n,
      },
      lines: {
        order: i32(this.lines.order),
        line: Uint8Array.from(this.lines.line.view()),
        listing: i32(this.lines.listing),
        seller: i32(this.lines.seller),
        qty: i32(this.lines.qty),
        price: Float64Array.from(this.lines.price.view()),
        n: this.lines.order.n,
      },
      transitions: { listing: i32(tr.listing), day: i32(tr.day), status: Uint8Array.from(tr.status.view()), n: tr.listing.n },
      status: this.status,
      price: this.price,
      unitsSold: this.unitsSold,
      unmatched: this.unmatched,
    };
  }
}

/**
 * Seasonal leaves of listings.leaf_season: `row[l]` is the curve row of listing l's leaf (−1 = none),
 * `curve[12 · row + month]` its multiplier (month 0 = January), `listings` the listings with a row.
 */
interface LeafSeason {
  row: Int16Array;
  curve: Float64Array;
  listings: Int32Array;
}

/** The leaf seasons of the config over the catalogue L (LeafSeason). */
function leafSeason(m: MarketModel, L: Listings): LeafSeason {
  const named = Object.entries(m.b.listings.leaf_season);
  const rowOf = new Map<number, number>();
  named.forEach(([name], j) => {
    const leaf = LEAF_CATEGORIES.find((c) => c.name === name);
    if (leaf) rowOf.set(leaf.categoryId, j);
  });
  const row = Int16Array.from({ length: L.n }, (_, l) => rowOf.get(L.categoryId[l]) ?? -1);
  const listings = Int32Array.from(Array.from(row.keys()).filter((l) => row[l] >= 0));
  return { row, curve: Float64Array.from(named.flatMap(([, c]) => c)), listings };
}

/** Month (0 = January) of warehouse day d (days from the window start). */
function monthOfDay(m: MarketModel, d: number): number {
  return new Date(Date.parse(`${m.window.startDate}T00:00:00Z`) + d * 86400000).getUTCMonth();
}

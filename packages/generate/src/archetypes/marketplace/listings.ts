import { MARKET_CATEGORY_KEYS } from '@dnr/core';
import type { RandomStream } from '@dnr/core';
import { gammaDraw } from '../../behaviour/gamma.js';
import { pickIndex } from '../../behaviour/segments.js';
import { CATEGORIES, LEAVES_PER_TOP } from '../../behaviour/taxonomy.js';
import { DAYS_PER_MONTH } from '../../behaviour/window.js';
import { cumulative, type MarketModel } from './model.js';
import type { Sellers } from './parties.js';
import { actionClock, onLocalClock } from './seller-clock.js';

/**
 * Listings as columns (index = creation order). Each belongs to a shop, sits on a leaf category (the
 * shop's main or secondary top-level category; the leaf Zipf-distributed by taxonomy rank), has
 * an appeal (heavy-tailed), a price around its leaf's median, an initial stock and a removal time; the
 * market simulation (market.ts) moves it through its states.
 */
export interface Listings {
  n: number;
  seller: Int32Array;
  created: Float64Array;
  /** Warehouse-local day of creation; the listing is for sale from the next day. */
  createdDay: Int32Array;
  top: Uint8Array;
  categoryId: Int32Array;
  /** Leaf median price (cents) and the listing's first price (cents, on a price point). */
  median: Float64Array;
  price: Float64Array;
  appeal: Float64Array;
  stock: Int32Array;
  /** Unix seconds the seller deletes it (if it is still listed then). */
  removeAt: Float64Array;
  /** 1 when the listing is on auto-renew (renewed at every expiry). */
  autoRenew: Uint8Array;
  /**
   * Retired listings (left the catalogue before the market starts, kept because their shop has not
   * deleted them): how they left (RETIRED_EXPIRED, RETIRED_SOLD_OUT; 0 for every other listing) and
   * the warehouse-local day they did.
   */
  retiredHow: Uint8Array;
  retiredDay: Int32Array;
  /** Per shop: hazard per day that it deletes a listing that has left the catalogue. */
  cleanup: Float64Array;
}

/** Listings.retiredHow: expired unrenewed (inactive) or sold out and not restocked (sold_out). */
export const RETIRED_EXPIRED = 1;
export const RETIRED_SOLD_OUT = 2;

const leafMedian = new Map(CATEGORIES.filter((c) => c.parentId !== null).map((c) => [c.categoryId, c.medianCents]));

/** A price on a retail price point: x.99 (or a round x.00 for a quarter of listings ≥ $20), at least $1.99. */
export function pricePoint(cents: number, u: number): number {
  if (cents >= 2000 && u < 0.25) return Math.round(cents / 100) * 100;
  if (cents < 1000) return Math.max(199, Math.round(cents / 50) * 50 - 1);
  return Math.round(cents / 100) * 100 - 1;
}

/**
 * Mean days a listing stays live (config-derived, ignoring sales): renewal chains of `expiry_days`
 * periods (the mean of the sold and unsold renewal odds) cut by the deletion hazard.
 */
export function meanLiveDays(m: MarketModel): number {
  const lb = m.b.listings;
  const renew = (lb.renew_probability + lb.renew_if_sold) / 2;
  const chain = lb.expiry_days / Math.max(1e-6, 1 - renew);
  return 1 / (1 / chain + lb.removal_per_month / DAYS_PER_MONTH);
}

/** Mean days of an ordinary listing's renewal chain (expiry periods until it is not renewed), ignoring deletion. */
export function renewalChainDays(m: MarketModel): number {
  const lb = m.b.listings;
  return lb.expiry_days / Math.max(1e-6, 1 - (lb.renew_probability + lb.renew_if_sold) / 2);
}

/**
 * Mean days an auto-renewing listing stays live: until the seller deletes it (`removal_per_month`) or
 * the shop closes or is suspended (the share-weighted long-run closure hazard of the seller segments
 * plus `suspension_per_month`); at most 20 years.
 */
export function meanAutoRenewDays(m: MarketModel): number {
  const sb = m.b.sellers;
  const segs = Object.values(sb.segments);
  const total = segs.reduce((acc, x) => acc + x.share, 0) || 1;
  const closure = segs.reduce((acc, x) => acc + (x.share / total) * x.churn.monthly, 0);
  const r = m.b.listings.removal_per_month + closure + sb.suspension_per_month;
  return r > 0 ? Math.min(20 * 365.25, DAYS_PER_MONTH / r) : 20 * 365.25;
}

/** Index of the first cumulative value ≥ target (binary search). */
function firstAtLeast(cum: Float64Array, target: number): number {
  let a = 0;
  let b = cum.length - 1;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (cum[mid] < target) a = mid + 1;
    else b = mid;
  }
  return a;
}

/**
 * Per shop, the hazard per day of deleting a dead listing: Gamma(`dead_cleanup_shape`) around
 * `dead_cleanup_per_month` (most shops rarely clean up, a few purge their dead listings quickly).
 */
function cleanupRates(m: MarketModel, s: Sellers): Float64Array {
  const lb = m.b.listings;
  const rs = m.rs('listings.cleanup_rate');
  const shape = lb.dead_cleanup_shape;
  const mean = lb.dead_cleanup_per_month / DAYS_PER_MONTH;
  return Float64Array.from({ length: s.n }, (_, k) => (mean * gammaDraw(shape, (j) => rs.standardNormal(k, 2 * j), (j) => rs.uniform(k, 2 * j + 1))) / shape);
}

/**
 * Expected dead-but-kept listings at the catalogue start per unit of listing rate (listings per day
 * per unit of shop size) of a shop open for `ageDays`: ∫₀^A δ·(e^{−c·a} − e^{−a/μ}) / (1/μ − c) da, a
 * listing created a days earlier having left the catalogue (rate δ = 1/renewal chain, live time μ
 * days with deletion while live) and not been deleted since (rate c per day).
 */
export function retiredMass(ageDays: number, mu: number, delta: number, c: number): number {
  const A = ageDays;
  if (A <= 0) return 0;
  const k = Math.abs(1 / mu - c) < 1e-9 ? c * (1 + 1e-6) + 1e-12 : c;
  const kept = k > 1e-12 ? -Math.expm1(-k * A) / k : A;
  return (delta / (1 / mu - k)) * (kept - mu * -Math.expm1(-A / mu));
}

/**
 * Age (days before the catalogue start) of a retired listing of a shop open `A` days and how long it
 * has been dead: live time x ~ Exp(μ) and dead time y ~ Exp(c), each truncated to A, kept when x + y
 * ≤ A (rejection, so the pair has the joint density the retired mass integrates); after 16 tries y
 * is drawn within A − x.
 */
function retiredAge(rs: RandomStream, r: number, A: number, mu: number, c: number): { age: number; dead: number } {
  const trunc = (rate: number, span: number, u: number) => (rate * span > 1e-9 ? -Math.log1p(u * Math.expm1(-rate * span)) / rate : u * span);
  for (let t = 0; t < 16; t++) {
    const x = trunc(1 / mu, A, rs.uniform(r, 2 + 2 * t));
    const y = trunc(c, A, rs.uniform(r, 3 + 2 * t));
    if (x + y <= A) return { age: x + y, dead: y };
  }
  const x = trunc(1 / mu, A, rs.uniform(r, 40));
  const y = trunc(c, A - x, rs.uniform(r, 41));
  return { age: x + y, dead: y };
}

interface RawListing {
  j: number;
  k: number;
  t: number;
  auto: boolean;
  how: number;
  left: number;
}

/** Per shop: open exposure in the market (size × seconds), whether open at its start, and the retired mass. */
function shopExposure(m: MarketModel, s: Sellers, cleanup: Float64Array) {
  const t0 = m.clock.midnight(m.marketFromDay);
  const [mu, chain] = [meanLiveDays(m), renewalChainDays(m)];
  const auto = m.b.listings.auto_renew_share;
  const lo = new Float64Array(s.n);
  const hi = new Float64Array(s.n);
  const exposure = new Float64Array(s.n);
  const openAtStart = new Float64Array(s.n);
  const retired = new Float64Array(s.n);
  let [total, totalPre, totalRetired] = [0, 0, 0];
  for (let k = 0; k < s.n; k++) {
    lo[k] = Math.max(s.opened[k], t0);
    hi[k] = Math.min(s.closed[k], s.suspended[k], m.endUtc);
    total += hi[k] > lo[k] ? s.size[k] * (hi[k] - lo[k]) : 0;
    exposure[k] = total;
    const open = s.opened[k] < t0 && hi[k] > t0;
    totalPre += open ? s.size[k] : 0;
    openAtStart[k] = totalPre;
    totalRetired += open ? s.size[k] * (1 - auto) * retiredMass((t0 - s.opened[k]) / 86400, mu, 1 / chain, cleanup[k]) : 0;
    retired[k] = totalRetired;
  }
  return { t0, lo, hi, exposure, openAtStart, retired, total, totalPre, totalRetired, mu };
}

/**
 * The catalogue: n listings — retired ones (created over the shop's life before the catalogue start,
 * gone from it before then, not yet deleted by the shop: `dead_cleanup_*`), part already live when the
 * simulated market starts (a stationary catalogue: ages ~ exponential with the mean live duration of
 * its kind — ordinary renewal chains, or auto-renewing listings that live until deleted, years — never
 * older than the shop), the rest created while it runs (`auto_renew_share` of them on auto-renew).
 * Every shop lists at one rate ∝ its size while open (not closed or suspended), before the window as
 * in it; the three parts share n in proportion to their expected counts at that rate. Shops are drawn
 * by stratified inverse CDF over each part's exposure, in-window instants uniformly in the open span;
 * every instant is then re-timed on the seller's local clock (its country's zone): a weekday of its
 * local week by `creation_day_of_week`, a local hour by `creation_hour_of_day` (seller-clock.ts), kept
 * inside the shop's open span (and before the catalogue start, or before leaving it, for the older parts).
 */
export function simulateListings(m: MarketModel, s: Sellers, n: number): Listings {
  const a = m.b.listings.auto_renew_share;
  const [liveOwn, liveAuto] = [meanLiveDays(m), meanAutoRenewDays(m)];
  // live at the start: the two kinds in proportion to creation share × mean live time
  const live = (1 - a) * liveOwn + a * liveAuto;
  const autoAtStart = (a * liveAuto) / Math.max(live, 1e-9);
  const cleanup = cleanupRates(m, s);
  const x = shopExposure(m, s, cleanup);
  const { t0 } = x;
  const rate = n / Math.max(1e-9, x.totalPre * live + x.total / 86400 + x.totalRetired);
  const nDead = Math.min(n, Math.round(rate * x.totalRetired));
  const nPre = nDead + Math.min(n - nDead, Math.round(rate * x.totalPre * live));
  const rs = m.rs('listings.profile');
  const rr = m.rs('listings.retired');
  // the instant drawn on the shop's exposure is re-timed on the seller's local clock (weekday and hour)
  const ac = actionClock(m, m.b.listings.creation_hour_of_day, m.b.listings.creation_day_of_week);
  const rc = m.rs('listings.clock');
  const onSellerClock = (j: number, k: number, t: number, lo: number, hi: number) => onLocalClock(ac, m.countryZone[s.country[k]], t, lo, hi, (q) => rc.uniform(j, q));
  const raw: RawListing[] = Array.from({ length: n }, (_, j) => {
    if (j < nDead) {
      const k = firstAtLeast(x.retired, ((j + rr.uniform(j, 0)) / nDead) * x.totalRetired);
      const { age, dead } = retiredAge(rr, j, (t0 - s.opened[k]) / 86400, x.mu, cleanup[k]);
      const how = rr.uniform(j, 1) < m.b.listings.retired_sold_out_share ? RETIRED_SOLD_OUT : RETIRED_EXPIRED;
      const left = t0 - dead * 86400;
      const t = Math.max(s.opened[k], t0 - age * 86400);
      return { j, k, t: onSellerClock(j, k, t, s.opened[k], left), auto: false, how, left };
    }
    if (j < nPre && x.totalPre > 0) {
      const k = firstAtLeast(x.openAtStart, ((j - nDead + rs.uniform(j, 0)) / (nPre - nDead)) * x.totalPre);
      const auto = rs.uniform(j, 11) < autoAtStart;
      let age = -Math.log(rs.uniform(j, 1)) * (auto ? liveAuto : liveOwn) * 86400;
      if (age >= t0 - s.opened[k]) age = rs.uniform(j, 10) * (t0 - s.opened[k]);
      return { j, k, t: onSellerClock(j, k, t0 - age, s.opened[k], t0), auto, how: 0, left: 0 };
    }
    const k = firstAtLeast(x.exposure, ((j - nPre + rs.uniform(j, 0)) / (n - nPre)) * x.total);
    return { j, k, t: onSellerClock(j, k, x.lo[k] + rs.uniform(j, 1) * (x.hi[k] - x.lo[k]), x.lo[k], x.hi[k]), auto: rs.uniform(j, 11) < a, how: 0, left: 0 };
  }).sort((p, q) => p.t - q.t || p.j - q.j);
  return listingProfiles(m, s, raw, cleanup);
}

/** Category, price, appeal, stock and deletion time of each listing (in creation order). */
function listingProfiles(m: MarketModel, s: Sellers, raw: RawListing[], cleanup: Float64Array): Listings {
  const n = raw.length;
  const t0 = m.clock.midnight(m.marketFromDay);
  const rs = m.rs('listings.profile');
  const lb = m.b.listings;
  const segNames = Object.keys(m.b.sellers.segments).filter((x) => m.b.sellers.segments[x].share > 0);
  const topCum = cumulative(MARKET_CATEGORY_KEYS.map((k) => m.b.category_popularity[k]));
  const leafCum = LEAVES_PER_TOP.map((nLeaves) => cumulative(Array.from({ length: nLeaves }, (_, r) => Math.pow(r + 1, -lb.subcategory_zipf))));
  const L: Listings = {
    n,
    seller: new Int32Array(n),
    created: new Float64Array(n),
    createdDay: new Int32Array(n),
    top: new Uint8Array(n),
    categoryId: new Int32Array(n),
    median: new Float64Array(n),
    price: new Float64Array(n),
    appeal: new Float64Array(n),
    stock: new Int32Array(n),
    removeAt: new Float64Array(n),
    autoRenew: new Uint8Array(n),
    retiredHow: new Uint8Array(n),
    retiredDay: new Int32Array(n),
    cleanup,
  };
  const as = lb.appeal_sigma;
  const vintageTop = MARKET_CATEGORY_KEYS.indexOf('vintage');
  raw.forEach(({ j, k, t, auto, how, left }, i) => {
    L.seller[i] = k;
    L.retiredHow[i] = how;
    L.retiredDay[i] = how ? m.clock.dayOf(left) : 0;
    L.autoRenew[i] = auto ? 1 : 0;
    L.created[i] = Math.floor(t);
    L.createdDay[i] = m.clock.dayOf(t);
    // the shop's main category, else mostly its secondary one, else any by popularity
    const top = rs.uniform(j, 2) < s.mainShare[k] ? s.top[k] : rs.uniform(j, 12) < lb.second_category_share ? s.second[k] : pickIndex(topCum, rs.uniform(j, 3));
    L.top[i] = top;
    L.categoryId[i] = (top + 1) * 100 + 1 + pickIndex(leafCum[top], rs.uniform(j, 4));
    L.median[i] = leafMedian.get(L.categoryId[i]) ?? 2500;
    L.price[i] = pricePoint(L.median[i] * Math.exp(lb.price_sigma * rs.standardNormal(j, 5)), rs.uniform(j, 6));
    L.appeal[i] = s.quality[k] * Math.exp(as * rs.standardNormal(j, 7) - (as * as) / 2);
    // one-of-a-kind goods (vintage) have a single unit; others a geometric stock with the shop's mean
    const mean = m.b.sellers.segments[segNames[s.segment[k]]].stock;
    L.stock[i] = top === vintageTop || mean <= 1 ? 1 : Math.min(9999, 1 + Math.floor(Math.log(rs.uniform(j, 8)) / Math.log(1 - 1 / mean)));
    // deletion hazard from creation (memoryless: a listing live at the market start draws it from then)
    L.removeAt[i] = how === 0 && lb.removal_per_month > 0 ? Math.max(t, t0) + (-Math.log(rs.uniform(j, 9)) / lb.removal_per_month) * DAYS_PER_MONTH * 86400 : Infinity;
  });
  return L;
}

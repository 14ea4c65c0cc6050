import { MARKET_CATEGORY_KEYS } from '@dnr/core';
import { pickIndex } from '../../behaviour/segments.js';
import { CATEGORIES, LEAVES_PER_TOP } from '../../behaviour/taxonomy.js';
import { DAYS_PER_MONTH } from '../../behaviour/window.js';
import { cumulative, type MarketModel } from './model.js';
import type { Sellers } from './parties.js';

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
}

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
 * The catalogue: n listings, part of them already live when the simulated market starts (a stationary
 * catalogue: shops open then, ages ~ exponential with the mean live duration of its kind — ordinary
 * renewal chains, or auto-renewing listings that live until deleted, years — never older than the
 * shop), the rest created while it runs (`auto_renew_share` of them on auto-renew). Each shop lists at a rate ∝ its size while it is open (not
 * closed or suspended), so the catalogue grows with the shop base; shops are drawn by stratified
 * inverse CDF over exposure (size × open time), the instant uniformly within the open span.
 */
export function simulateListings(m: MarketModel, s: Sellers, n: number): Listings {
  const t0 = m.clock.midnight(m.marketFromDay);
  const a = m.b.listings.auto_renew_share;
  const [liveOwn, liveAuto] = [meanLiveDays(m), meanAutoRenewDays(m)];
  // live at the start: the two kinds in proportion to creation share × mean live time
  const live = (1 - a) * liveOwn + a * liveAuto;
  const autoAtStart = (a * liveAuto) / Math.max(live, 1e-9);
  const nPre = Math.round((n * live) / (live + m.window.days - m.marketFromDay));
  const lo = new Float64Array(s.n);
  const hi = new Float64Array(s.n);
  const exposure = new Float64Array(s.n);
  const openAtStart = new Float64Array(s.n);
  let total = 0;
  let totalPre = 0;
  for (let k = 0; k < s.n; k++) {
    lo[k] = Math.max(s.opened[k], t0);
    hi[k] = Math.min(s.closed[k], s.suspended[k], m.endUtc);
    total += hi[k] > lo[k] ? s.size[k] * (hi[k] - lo[k]) : 0;
    exposure[k] = total;
    totalPre += s.opened[k] < t0 && hi[k] > t0 ? s.size[k] : 0;
    openAtStart[k] = totalPre;
  }
  const rs = m.rs('listings.profile');
  const lb = m.b.listings;
  const segNames = Object.keys(m.b.sellers.segments).filter((x) => m.b.sellers.segments[x].share > 0);
  const topCum = cumulative(MARKET_CATEGORY_KEYS.map((k) => m.b.category_popularity[k]));
  const leafCum = LEAVES_PER_TOP.map((nLeaves) => cumulative(Array.from({ length: nLeaves }, (_, r) => Math.pow(r + 1, -lb.subcategory_zipf))));
  const raw = Array.from({ length: n }, (_, j) => {
    if (j < nPre && totalPre > 0) {
      const k = firstAtLeast(openAtStart, ((j + rs.uniform(j, 0)) / nPre) * totalPre);
      const auto = rs.uniform(j, 11) < autoAtStart;
      let age = -Math.log(rs.uniform(j, 1)) * (auto ? liveAuto : liveOwn) * 86400;
      if (age >= t0 - s.opened[k]) age = rs.uniform(j, 10) * (t0 - s.opened[k]);
      return { j, k, t: t0 - age, auto };
    }
    const k = firstAtLeast(exposure, ((j - nPre + rs.uniform(j, 0)) / (n - nPre)) * total);
    return { j, k, t: lo[k] + rs.uniform(j, 1) * (hi[k] - lo[k]), auto: rs.uniform(j, 11) < a };
  }).sort((x, y) => x.t - y.t || x.j - y.j);
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
  };
  const as = lb.appeal_sigma;
  const vintageTop = MARKET_CATEGORY_KEYS.indexOf('vintage');
  raw.forEach(({ j, k, t, auto }, i) => {
    L.seller[i] = k;
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
    L.removeAt[i] = lb.removal_per_month > 0 ? Math.max(t, t0) + (-Math.log(rs.uniform(j, 9)) / lb.removal_per_month) * DAYS_PER_MONTH * 86400 : Infinity;
  });
  return L;
}

import { MARKET_CATEGORY_KEYS, type RandomStream, type TenureHazard } from '@dnr/core';
import { invertTenureHazard, sampleHazardTime, tenureHazardRate } from '../../behaviour/hazard.js';
import { gammaDraw } from '../../behaviour/gamma.js';
import { creationInstants, inflowDayWeights, launchDay } from '../../behaviour/inflow.js';
import { lagSeconds } from '../../behaviour/lag.js';
import { pickIndex, segmentCumulative } from '../../behaviour/segments.js';
import { vintageCurve } from '../../behaviour/vintage.js';
import { DAYS_PER_MONTH } from '../../behaviour/window.js';
import { CATEGORY_COUNT, churnFactor, cumulative, type MarketModel } from './model.js';
import { actionClock, onLocalClock } from './seller-clock.js';

const NEVER = Number.POSITIVE_INFINITY;

/** Buyers as columns (index = sign-up order). Times are Unix seconds; Infinity = not within the horizon. */
export interface Buyers {
  n: number;
  signup: Float64Array;
  segment: Uint8Array;
  country: Uint8Array;
  /** Home time zone (index into MarketModel.clocks): drawn from the country's `zones` by population share, else the country's `tz`. */
  zone: Uint8Array;
  vintageActivity: Float32Array;
  vintageChurn: Float32Array;
  /** Repeat-order intensity multiplier: segment frequency × vintage × `intensity`. */
  act: Float64Array;
  /** The buyer's own intensity draw: Gamma(`buyers.heterogeneity.activity_shape`) ÷ shape, mean 1. */
  intensity: Float32Array;
  /** Two favourite top categories (index into MARKET_CATEGORY_KEYS). */
  fav: Uint8Array;
  /** First order (NaN: never converts), then repeat orders until `churn`. */
  firstOrder: Float64Array;
  churn: Float64Array;
}

/** Sellers (shops) as columns (index = opening order). */
export interface Sellers {
  n: number;
  opened: Float64Array;
  segment: Uint8Array;
  country: Uint8Array;
  /** Listing-creation rate multiplier (heavy-tailed) and shop-level appeal. */
  size: Float64Array;
  quality: Float64Array;
  /** Main top-level category (by popularity). */
  top: Uint8Array;
  /** Secondary top-level category (by popularity, not the main one). */
  second: Uint8Array;
  /**
   * Share of the shop's listings in its main category: 1 for single-category shops
   * (`listings.single_category_share`), else a beta draw around `listings.own_category_share`.
   */
  mainShare: Float32Array;
  closed: Float64Array;
  suspended: Float64Array;
  /** Vacation spells: seller k's spells are vacStart/vacEnd[vacFrom[k] … vacFrom[k + 1]). */
  vacFrom: Int32Array;
  vacStart: Float64Array;
  vacEnd: Float64Array;
}

/** Time of an event whose hazard runs from `t0` (tenure hazard × multiplier × the trajectory's calendar factor). */
function hazardTime(m: MarketModel, hz: TenureHazard, mult: number, t0: number, u: number): number {
  const e = -Math.log(u);
  const horizon = (m.endUtc - t0) / 86400 + 1;
  const days =
    m.trajectory.churn_multiplier_at_end === 1
      ? invertTenureHazard(hz, e / mult) * DAYS_PER_MONTH
      : sampleHazardTime(e, (t) => tenureHazardRate(hz, t / DAYS_PER_MONTH) * mult * churnFactor(m, t0 + t * 86400), horizon, 10);
  return Number.isFinite(days) ? t0 + days * 86400 : NEVER;
}

/** Creation instants of n entities of one inflow (history from its launch, same process through the window). */
function createdAt(m: MarketModel, side: 'buyers' | 'sellers', n: number): Float64Array {
  const inflow = m.b[side].inflow;
  const growth = m.trajectory.inflow_growth_pct_per_month ?? inflow.trend_pct_per_month;
  const from = Math.max(m.fromDay, launchDay(inflow, m.window.startDate));
  const weights = inflowDayWeights(inflow, growth, m.window.startDate, from, m.window.days, m.calendar, side === 'buyers' ? 'signup' : 'shops');
  const rs = m.rs(`${side}.created`);
  return creationInstants(n, weights, from, inflow, m.window.startDate, m.clock, (i, k) => rs.uniform(i, k));
}

function countryCum(m: MarketModel, side: 'buyer_share' | 'seller_share'): Float64Array {
  return cumulative(m.countries.map((c) => m.b.countries[c][side]));
}

const YEAR_S = 365.25 * 86400;
/** Where the buyer-country drift starts (`buyer_growth_pct_per_year` compounds from here). */
const COUNTRY_DRIFT_FROM = Date.UTC(2024, 0, 1) / 1000;

/**
 * Cumulative buyer-country odds of a sign-up at Unix s `utc`: `buyer_share` × (1 + growth)^years from
 * 2024-01-01 × a lognormal factor per country and calendar quarter (`buyers.country_mix_quarter_sigma`),
 * so the acquisition mix drifts and wanders by quarter. Cached per quarter; deterministic in the seed.
 */
export function buyerCountryCum(m: MarketModel): (utc: number) => Float64Array {
  const sigma = m.b.buyers.country_mix_quarter_sigma;
  const rs = m.rs('buyers.country_mix');
  const cache = new Map<number, Float64Array>();
  return (utc) => {
    const d = new Date(utc * 1000);
    const q = d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3);
    let cum = cache.get(q);
    if (!cum) {
      const years = (Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3 + 1, 15) / 1000 - COUNTRY_DRIFT_FROM) / YEAR_S;
      cum = cumulative(
        m.countries.map((c, k) => {
          const cc = m.b.countries[c];
          return cc.buyer_share * Math.pow(1 + cc.buyer_growth_pct_per_year / 100, years) * Math.exp(sigma * rs.standardNormal(q, k) - (sigma * sigma) / 2);
        }),
      );
      cache.set(q, cum);
    }
    return cum;
  };
}

/** Two distinct categories drawn without replacement from weights (Gumbel top-2). */
function topTwo(weights: readonly number[], u: (j: number) => number): [number, number] {
  let a = -1;
  let b = -1;
  let ka = -Infinity;
  let kb = -Infinity;
  weights.forEach((w, j) => {
    if (w <= 0) return;
    const key = Math.log(w) - Math.log(-Math.log(u(j)));
    if (key > ka) {
      [b, kb] = [a, ka];
      [a, ka] = [j, key];
    } else if (key > kb) [b, kb] = [j, key];
  });
  return [a, b < 0 ? a : b];
}

/**
 * The same local wall-clock time in the party's zone (a buyer's home zone, a shop's country zone): sign-ups and shop openings are drawn on the
 * warehouse clock (day weights and hour curve), then moved so a German buyer signs up at 20:00 Berlin
 * time, not at 20:00 in the warehouse's zone. A wall time that does not exist there (spring-forward gap) moves an hour on.
 */
function inZone(m: MarketModel, utc: number, zoneIndex: number): number {
  const zone = m.clocks[zoneIndex];
  if (zone === m.clock) return utc;
  const ls = m.clock.localOf(utc);
  return zone.utcOf(ls) ?? zone.utcOf(ls + 3600) ?? utc;
}

export function simulateBuyers(m: MarketModel, n: number): Buyers {
  const bb = m.b.buyers;
  const names = Object.keys(bb.segments).filter((s) => bb.segments[s].share > 0);
  const signup = createdAt(m, 'buyers', n);
  const rs = m.rs('buyers.profile');
  const rsZone = m.rs('buyers.zone');
  const vintage = vintageCurve(bb.vintage);
  const cc = buyerCountryCum(m);
  const shape = bb.heterogeneity.activity_shape;
  const pop = MARKET_CATEGORY_KEYS.map((k) => m.b.category_popularity[k]);
  const out: Buyers = {
    n,
    signup,
    segment: new Uint8Array(n),
    country: new Uint8Array(n),
    zone: new Uint8Array(n),
    vintageActivity: new Float32Array(n),
    vintageChurn: new Float32Array(n),
    act: new Float64Array(n),
    intensity: new Float32Array(n),
    fav: new Uint8Array(n * 2),
    firstOrder: new Float64Array(n).fill(NaN),
    churn: new Float64Array(n).fill(NEVER),
  };
  for (let i = 0; i < n; i++) {
    const v = vintage(signup[i] * 1000);
    const s = pickIndex(segmentCumulative(names, bb.segments, v.tilt), rs.uniform(i, 0));
    const seg = bb.segments[names[s]];
    out.segment[i] = s;
    out.country[i] = pickIndex(cc(signup[i]), rs.uniform(i, 1));
    const bz = m.buyerZones[out.country[i]];
    out.zone[i] = bz.zone[bz.zone.length > 1 ? pickIndex(bz.cum, rsZone.uniform(i)) : 0];
    signup[i] = inZone(m, signup[i], out.zone[i]);
    out.vintageActivity[i] = v.activity;
    out.vintageChurn[i] = v.churn;
    // gamma intensity (mean 1): with Poisson-like ordering, orders per buyer are negative binomial — heavy-tailed, mode 1
    const g = gammaDraw(shape, (j) => rs.standardNormal(i, j === 0 ? 2 : 40 + 2 * j), (j) => rs.uniform(i, 41 + 2 * j)) / shape;
    out.intensity[i] = g;
    out.act[i] = seg.frequency * v.activity * g;
    const [f1, f2] = topTwo(
      pop.map((p, j) => p * seg.affinity[MARKET_CATEGORY_KEYS[j]]),
      (j) => rs.uniform(i, 10 + j),
    );
    out.fav[2 * i] = f1;
    out.fav[2 * i + 1] = f2;
    out.churn[i] = hazardTime(m, seg.churn, v.churn, signup[i], rs.uniform(i, 3));
    if (rs.uniform(i, 4) < seg.first_order) {
      const t = signup[i] + 60 + lagSeconds(m.b.orders.first_order_lag, rs.standardNormal(i, 5));
      if (t < out.churn[i]) out.firstOrder[i] = t;
    }
  }
  return out;
}

export function simulateSellers(m: MarketModel, n: number): Sellers {
  const sb = m.b.sellers;
  const names = Object.keys(sb.segments).filter((s) => sb.segments[s].share > 0);
  const opened = createdAt(m, 'sellers', n);
  const rs = m.rs('sellers.profile');
  const vintage = vintageCurve(sb.vintage);
  const cc = countryCum(m, 'seller_share');
  const pop = MARKET_CATEGORY_KEYS.map((k) => m.b.category_popularity[k]);
  const topCum = cumulative(pop);
  const rsFocus = m.rs('sellers.focus');
  const rsClock = m.rs('sellers.status_clock');
  const statusClock = actionClock(m, sb.status_hour_of_day, null);
  const out: Sellers = {
    n,
    opened,
    segment: new Uint8Array(n),
    country: new Uint8Array(n),
    size: new Float64Array(n),
    quality: new Float64Array(n),
    top: new Uint8Array(n),
    second: new Uint8Array(n),
    mainShare: new Float32Array(n),
    closed: new Float64Array(n).fill(NEVER),
    suspended: new Float64Array(n).fill(NEVER),
    vacFrom: new Int32Array(n + 1),
    vacStart: new Float64Array(0),
    vacEnd: new Float64Array(0),
  };
  const vs: number[] = [];
  const ve: number[] = [];
  const qs = sb.quality_sigma;
  for (let k = 0; k < n; k++) {
    const v = vintage(opened[k] * 1000);
    const s = pickIndex(segmentCumulative(names, sb.segments, v.tilt), rs.uniform(k, 0));
    const seg = sb.segments[names[s]];
    out.segment[k] = s;
    out.country[k] = pickIndex(cc, rs.uniform(k, 1));
    opened[k] = inZone(m, opened[k], m.countryZone[out.country[k]]);
    out.size[k] = seg.size * v.activity * Math.exp(seg.size_sigma * rs.standardNormal(k, 2) - (seg.size_sigma * seg.size_sigma) / 2);
    out.quality[k] = seg.quality * Math.exp(qs * rs.standardNormal(k, 3) - (qs * qs) / 2);
    out.top[k] = Math.min(CATEGORY_COUNT - 1, pickIndex(topCum, rs.uniform(k, 4)));
    const focus = shopFocus(m, pop, out.top[k], rsFocus, k);
    out.second[k] = focus.second;
    out.mainShare[k] = focus.mainShare;
    // status changes at a local daytime hour of the day their hazard drew: the seller's clock (closure,
    // vacation on and off), the warehouse clock for suspensions (trust & safety staff)
    const zone = m.countryZone[out.country[k]];
    const at = (z: number, t: number, lo: number, hi: number, key: number) => onLocalClock(statusClock, z, t, lo, hi, (q) => rsClock.uniform(k, 24 * key + q));
    out.closed[k] = at(zone, hazardTime(m, seg.churn, v.churn, opened[k], rs.uniform(k, 5)), opened[k] + 1, NEVER, 0);
    const susp = sb.suspension_per_month > 0 ? opened[k] + (-Math.log(rs.uniform(k, 6)) / sb.suspension_per_month) * DAYS_PER_MONTH * 86400 : NEVER;
    if (susp < out.closed[k]) out.suspended[k] = at(0, susp, opened[k] + 1, out.closed[k], 1);
    out.vacFrom[k] = vs.length;
    // vacation spells: a Poisson process over the open life inside the simulated market
    const rate = seg.vacation_per_year / 365.25 / 86400;
    const until = Math.min(out.closed[k], out.suspended[k], m.endUtc);
    let t = Math.max(opened[k], m.clock.midnight(m.marketFromDay));
    for (let j = 0; rate > 0 && j < 64; j++) {
      const after = t;
      t += -Math.log(rs.uniform(k, 20 + 2 * j)) / rate;
      if (t >= until) break;
      t = at(zone, t, after + 1, until, 2 + 2 * j);
      const end = Math.min(t + lagSeconds(sb.vacation_length, rs.standardNormal(k, 21 + 2 * j)), until);
      vs.push(t);
      t = end < until ? at(zone, end, t + 3600, until, 3 + 2 * j) : end;
      ve.push(t);
    }
  }
  out.vacFrom[n] = vs.length;
  out.vacStart = Float64Array.from(vs);
  out.vacEnd = Float64Array.from(ve);
  return out;
}

/**
 * A shop's category focus: its secondary category (popularity-weighted, never the main one) and the
 * share of its listings in the main category — 1 for a single-category shop (`single_category_share`),
 * else Beta(κμ, κ(1 − μ)) with μ = `own_category_share`, κ = `own_category_concentration`.
 */
function shopFocus(m: MarketModel, pop: readonly number[], main: number, rs: RandomStream, k: number): { second: number; mainShare: number } {
  const lb = m.b.listings;
  const others = pop.map((p, j) => (j === main ? 0 : p));
  const second = others.some((p) => p > 0) ? pickIndex(cumulative(others), rs.uniform(k, 0)) : main;
  if (rs.uniform(k, 1) < lb.single_category_share || lb.own_category_share >= 1) return { second, mainShare: 1 };
  if (lb.own_category_share <= 0) return { second, mainShare: 0 };
  const kappa = lb.own_category_concentration;
  const a = gammaDraw(kappa * lb.own_category_share, (j) => rs.standardNormal(k, 10 + j), (j) => rs.uniform(k, 100 + j));
  const b = gammaDraw(kappa * (1 - lb.own_category_share), (j) => rs.standardNormal(k, 200 + j), (j) => rs.uniform(k, 300 + j));
  return { second, mainShare: a + b > 0 ? a / (a + b) : lb.own_category_share };
}

/** Shop status at an instant: closed, suspended, vacation or active. */
export function shopStatusAt(s: Sellers, k: number, t: number): 'closed' | 'suspended' | 'vacation' | 'active' {
  if (s.closed[k] <= t) return 'closed';
  if (s.suspended[k] <= t) return 'suspended';
  for (let j = s.vacFrom[k]; j < s.vacFrom[k + 1]; j++) if (s.vacStart[j] <= t && t < s.vacEnd[j]) return 'vacation';
  return 'active';
}

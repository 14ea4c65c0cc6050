import { activityAt, activityWeightedSum } from '../../behaviour/activity.js';
import { orderByTime } from '../../behaviour/radix.js';
import type { MarketModel } from './model.js';
import type { Buyers } from './parties.js';

/** Order arrivals (before supply is matched): buyer, instant, buyer-local day; sorted by instant. */
export interface Arrivals {
  n: number;
  buyer: Int32Array;
  utc: Float64Array;
  /** Local day of the buyer (calendar and category effects). */
  localDay: Int32Array;
}

/**
 * Order demand per local day: month × weekday × the calendar's effect on an average basket of
 * categories (the month's category mix — rescaled popularity × category seasonality — weights the
 * per-category multipliers; without a calendar effect the mix sums to 1, so the month keeps its total).
 */
export function demandDayWeights(m: MarketModel): Float64Array {
  const pop = m.categoryPop;
  const total = pop.reduce((a, x) => a + x, 0);
  const out = new Float64Array(m.orderDay.length);
  for (let i = 0; i < out.length; i++) {
    const mo = m.days.month[i];
    let cal = 0;
    for (let c = 0; c < pop.length; c++) cal += pop[c] * m.categorySeason[12 * c + mo] * m.categoryDay[c][i];
    out[i] = (m.orderDay[i] * cal) / total;
  }
  return out;
}

/** Expected repeat orders per unit of base intensity of buyer i over local days [fromDay, toDay). */
function exposure(m: MarketModel, b: Buyers, i: number, w: Float64Array, fromDay: number, toDay: number): number {
  const seg = m.b.buyers.segments[segmentName(m, b.segment[i])];
  const first = b.firstOrder[i];
  if (!Number.isFinite(first)) return 0;
  const clock = m.clocks[b.zone[i]];
  const d0 = Math.max(fromDay, clock.dayOf(first));
  const d1 = Math.min(toDay, Number.isFinite(b.churn[i]) ? clock.dayOf(b.churn[i]) + 1 : toDay);
  if (d1 <= d0) return 0;
  return activityWeightedSum(seg.activity, w, d0 - m.clock.fromDay, d1 - m.clock.fromDay, d0 + 0.5 - (first - m.startUtc) / 86400) * b.act[i];
}

export function segmentName(m: MarketModel, s: number): string {
  return Object.keys(m.b.buyers.segments).filter((x) => m.b.buyers.segments[x].share > 0)[s];
}

/**
 * Base repeat-order intensity (orders per buyer-day at activity 1) that makes the expected orders in
 * the window equal `target`: first orders in the window count once, repeat orders follow the
 * per-buyer intensity act × activity(tenure since the first order) × the day weight.
 */
export function solveBase(m: MarketModel, b: Buyers, w: Float64Array, target: number, exposures?: Float64Array): number {
  const ex = exposures ?? buyerExposures(m, b, w, 0, b.n);
  let firsts = 0;
  let units = 0;
  for (let i = 0; i < b.n; i++) {
    if (b.firstOrder[i] >= m.startUtc && b.firstOrder[i] < m.endUtc) firsts++;
    units += ex[i];
  }
  return Math.max(0, target - firsts) / Math.max(units, 1e-9);
}

/**
 * Expected repeat orders per unit of base intensity in the window of buyers [from, to) (index i − from):
 * the summands of solveBase, independent per buyer (so ranges may be computed apart, e.g. in another
 * thread, and summed in buyer order with the same result).
 */
export function buyerExposures(m: MarketModel, b: Buyers, w: Float64Array, from: number, to: number): Float64Array {
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = exposure(m, b, i, w, 0, m.window.days);
  return out;
}

/**
 * Every buyer's orders from the catalogue start to the window end: the first order, then repeat
 * orders as a renewal process with Erlang-k gaps (k = `orders.regularity`) in the buyer's operational
 * time (intensity × activity × day weight): a non-homogeneous Poisson process at k times the rate
 * (thinning at the buyer's peak rate: candidates are kept with probability rate/peak) of which every
 * k-th event is an order. The mean rate is the Poisson one, the gaps are more regular (coefficient of
 * variation 1/√k). Every buyer joins the renewal cycle at a random phase (uniform over the k stages), so
 * the first repeat order follows the stationary forward recurrence time: its density is highest right
 * after the first order and falls (repeat buying is likeliest soon after a purchase). Each order is placed at a local hour drawn from the order hour curve of the buyer's
 * country on the buyer's home-zone clock (DST-correct: a skipped hour moves on, a repeated hour picks either copy).
 */
export function orderArrivals(m: MarketModel, b: Buyers, w: Float64Array, base: number): Arrivals {
  return sortArrivals([buyerArrivals(m, b, w, base, 0, b.n)]);
}

/**
 * The arrivals of buyers [from, to) in buyer order (each buyer's in time order), unsorted: independent
 * per buyer, so ranges may be drawn apart (e.g. in another thread) and merged by sortArrivals, in range
 * order, with the same result as one range.
 */
export function buyerArrivals(m: MarketModel, b: Buyers, w: Float64Array, base: number, from: number, to: number): Arrivals {
  const rs = m.rs('orders.arrival');
  const rsPhase = m.rs('orders.phase');
  const k = m.b.orders.regularity;
  const buyer: number[] = [];
  const utc: number[] = [];
  const localDay: number[] = [];
  const start = m.clock.midnight(m.marketFromDay);
  let wmax = 0;
  for (const x of w) wmax = Math.max(wmax, x);
  const names = Object.keys(m.b.buyers.segments).filter((x) => m.b.buyers.segments[x].share > 0);
  for (let i = from; i < to; i++) {
    const first = b.firstOrder[i];
    if (!Number.isFinite(first) || first >= m.endUtc) continue;
    const clock = m.clocks[b.zone[i]];
    if (first >= start) {
      buyer.push(i);
      utc.push(notLastSecond(m, Math.floor(first)));
      localDay.push(clock.dayOf(first));
    }
    const seg = m.b.buyers.segments[names[b.segment[i]]];
    const peak = k * base * b.act[i] * Math.max(1, seg.activity.long_run) * wmax;
    if (peak <= 0) continue;
    const until = Math.min(b.churn[i], m.endUtc);
    let t = Math.max(first, start);
    // every buyer joins the repeat cycle at a random phase: the first order is an acquisition, not a
    // renewal, so the wait for the first repeat is the cycle's forward recurrence time, whose density
    // never rises (a fresh Erlang-k cycle would hold the first repeat back and make month-2 retention
    // exceed month 1)
    let phase = Math.floor(rsPhase.uniform(i) * k);
    for (let j = 0; ; j += 4) {
      t += (-Math.log(rs.uniform(i, j)) / peak) * 86400;
      if (t >= until) break;
      const day = clock.dayOf(t);
      const rate = k * base * b.act[i] * activityAt(seg.activity, (t - first) / 86400) * w[day - m.clock.fromDay];
      if (rs.uniform(i, j + 1) * peak >= rate) continue;
      if (++phase < k) continue;
      phase = 0;
      const at = localHourInstant(m, m.orderHours[b.country[i]], clock, day, rs.uniform(i, j + 2), rs.uniform(i, j + 3));
      if (at <= first || at >= until) continue;
      buyer.push(i);
      utc.push(notLastSecond(m, at));
      localDay.push(day);
    }
  }
  return { n: buyer.length, buyer: Int32Array.from(buyer), utc: Float64Array.from(utc), localDay: Int32Array.from(localDay) };
}

/** Arrivals of consecutive buyer ranges (buyerArrivals, in range order) merged and sorted by instant, then buyer (stable). */
export function sortArrivals(parts: Arrivals[]): Arrivals {
  const n = parts.reduce((acc, p) => acc + p.n, 0);
  const buyer = new Int32Array(n);
  const utc = new Float64Array(n);
  const localDay = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    buyer.set(p.buyer.subarray(0, p.n), at);
    utc.set(p.utc.subarray(0, p.n), at);
    localDay.set(p.localDay.subarray(0, p.n), at);
    at += p.n;
  }
  // instants are whole seconds (first orders floored, repeats at whole local seconds): a radix sort
  // by instant, ties by buyer, then by position (the order a stable comparison sort would give)
  const order = orderByTime(n, utc, (x, y) => buyer[x] - buyer[y]);
  return {
    n,
    buyer: Int32Array.from(order, (j) => buyer[j]),
    utc: Float64Array.from(order, (j) => utc[j]),
    localDay: Int32Array.from(order, (j) => localDay[j]),
  };
}

/**
 * An order instant moved one second earlier when it is the last second of a warehouse-local day, so its
 * payment can be captured at least a second later on the same day (captures never cross the order's day).
 */
function notLastSecond(m: MarketModel, utc: number): number {
  return utc === m.clock.midnight(m.clock.dayOf(utc) + 1) - 1 ? utc - 1 : utc;
}

/** An instant on local day `day` of `clock` at an hour of the country's order curve `hours` (weekday/weekend), DST-correct. */
function localHourInstant(m: MarketModel, hours: MarketModel['orderHours'][number], clock: MarketModel['clock'], day: number, u1: number, u2: number): number {
  const q = m.days.weekday[day - m.days.fromDay] >= 5 ? hours.weekend : hours.weekday;
  let hour = q[Math.floor(u1 * q.length)];
  const sec = Math.floor(u2 * 3600);
  const fold = u2 * 3600 - sec < 0.5;
  let at = clock.utcOf(day * 86400 + hour * 3600 + sec, fold);
  while (at === null && hour < 24) at = clock.utcOf(day * 86400 + ++hour * 3600 + sec, fold);
  return at ?? clock.midnight(day + 1) - 1;
}

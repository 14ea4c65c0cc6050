import { vintageCurve } from '@dnr/generate';
import type { MarketplaceBehaviour } from '@dnr/core';
import { marketSegmentProfile, type MarketSegmentRow, type ProfileSource } from '@dnr/profile';
import { rangeRow, skipRow } from '../rows.js';
import type { GateRow } from '../types.js';
import { shareRange, toleranceText, Z } from './behaviour-stats.js';

const FAMILY = 'behaviour';

/**
 * Buyer segment shares: a buyer's segment is drawn from the declared shares × the buyer vintage knot's
 * `segment_tilt` at its sign-up (renormalised), so the expected share is the mean of that probability
 * over buyers and the count a Poisson-binomial sum: tolerance Z · √(Σ p(1 − p)) / n.
 */
export async function buyerShareRows(src: ProfileSource, d: MarketplaceBehaviour): Promise<GateRow[]> {
  const segs = d.buyers.segments;
  const names = Object.keys(segs);
  const rows = await src.q<{ segment: string; t: number }>(`SELECT e.segment, epoch_ms(b.created_at)::DOUBLE AS t FROM behaviour_entities e JOIN dim_buyer b ON e.entity = 'buyer' AND e.id = b.buyer_id`);
  if (!rows.length) return [skipRow(FAMILY, 'segment_share', 'no buyer of dim_buyer has a segment in the behaviour truth')];
  const vintage = vintageCurve(d.buyers.vintage);
  const acc = new Map(names.map((n) => [n, { e: 0, v: 0, o: 0 }]));
  for (const r of rows) {
    const tilt = vintage(r.t).tilt;
    const w = names.map((n) => segs[n].share * (tilt[n] ?? 1));
    const total = w.reduce((a, b) => a + b, 0) || 1;
    names.forEach((n, j) => {
      const a = acc.get(n)!;
      a.e += w[j] / total;
      a.v += (w[j] / total) * (1 - w[j] / total);
    });
    const own = acc.get(r.segment);
    if (own) own.o++;
  }
  const n = rows.length;
  return names.map((name) => {
    const a = acc.get(name)!;
    const tol = (Z * Math.sqrt(a.v)) / n;
    return rangeRow(FAMILY, `segment_share.${name}`, a.o / n, shareRange(a.e / n, tol), {
      detail: `declared buyer share ${segs[name].share} tilted by the buyer vintage at each sign-up → expected ${(a.e / n).toFixed(4)} ${toleranceText(tol, n)}`,
    });
  });
}

type Seg = MarketplaceBehaviour['buyers']['segments'][string];

/** Declared parameter → measured value (higher declared ⇒ higher measured) and the measured value's standard error when known. */
const MEASURES: Array<{ metric: string; declared: (s: Seg) => number; observed: (r: MarketSegmentRow) => number | null; se?: (r: MarketSegmentRow) => number | null; what: string }> = [
  { metric: 'frequency', declared: (s) => s.frequency, observed: (r) => r.frequency, what: 'orders per ordering buyer-month' },
  { metric: 'basket', declared: (s) => s.basket, observed: (r) => r.lines_per_order, what: 'order lines per order' },
  { metric: 'price_sensitivity', declared: (s) => s.price_sensitivity, observed: (r) => r.price_discount, se: (r) => r.price_discount_se, what: 'price discount of the first line vs its leaf category (−mean log ratio)' },
];

/** Declared ratio between two segments from which their measured order is gated. */
export const MP_ORDER_MIN_RATIO = 1.5;
/** Ordering buyers each segment needs for its order to be gated. */
export const MP_ORDER_MIN_BUYERS = 30;

/**
 * Buyer segments differ in the declared direction: for every pair whose declared `frequency`, `basket`
 * or `price_sensitivity` differ by ≥ 1.5×, the measured value of the higher one must be higher
 * (frequency, basket: ratio ≥ 1; price discount, which can be negative: difference ≥ 0). Segments with
 * fewer than 30 ordering buyers are left out.
 */
export async function buyerOrderRows(src: ProfileSource, d: MarketplaceBehaviour): Promise<GateRow[]> {
  const segs = d.buyers.segments;
  const table = (await marketSegmentProfile(src)).filter((r) => r.ordering >= MP_ORDER_MIN_BUYERS && segs[r.segment]);
  const out: GateRow[] = [];
  for (const m of MEASURES) {
    for (const a of table) {
      for (const b of table) {
        const [da, db] = [m.declared(segs[a.segment]), m.declared(segs[b.segment])];
        if (!(db > 0) || da / db < MP_ORDER_MIN_RATIO) continue;
        out.push(orderRow(m, a, b, da, db));
      }
    }
  }
  return out.length ? out : [skipRow(FAMILY, 'segment_order', `no two buyer segments with ≥ ${MP_ORDER_MIN_BUYERS} ordering buyers declare a ≥ ${MP_ORDER_MIN_RATIO}× difference`)];
}

function orderRow(m: (typeof MEASURES)[number], a: MarketSegmentRow, b: MarketSegmentRow, da: number, db: number): GateRow {
  const [oa, ob] = [m.observed(a), m.observed(b)];
  const gate = `segment_order.${m.metric}.${a.segment}_over_${b.segment}`;
  const detail = `declared ${da} vs ${db} (${(da / db).toFixed(2)}×); measured ${m.what}: ${oa} vs ${ob}`;
  if (m.se) {
    const se = Math.hypot(m.se(a) ?? 0, m.se(b) ?? 0);
    return rangeRow(FAMILY, gate, oa !== null && ob !== null ? oa - ob : null, { min: 0 }, { detail: `${detail}; difference must be ≥ 0 (its standard error ${se.toFixed(4)})` });
  }
  return rangeRow(FAMILY, gate, oa !== null && ob !== null && ob > 0 ? oa / ob : null, { min: 1 }, { detail: `${detail}; ratio must be ≥ 1` });
}

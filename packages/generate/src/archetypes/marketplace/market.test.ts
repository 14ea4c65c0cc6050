import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '@dnr/core';
import { eventWindow } from '../../behaviour/window.js';
import { LISTING_STATUS } from './market.js';
import { shopStatusAt } from './parties.js';
import { simulateMarketplace, type MarketWorld } from './world.js';

const config = ConfigSchema.parse({ warehouse: { months: 6 } });
const window = eventWindow(config.warehouse.end_date, 6, config.warehouse.tz);
const targets = { dim_buyer: 1500, dim_seller: 250, dim_listing: 5000 };
const world: MarketWorld = simulateMarketplace(config, window, targets, 9000);

/** Status of listing l in force on local day d (the last change on or before d). */
function statusOn(w: MarketWorld, l: number, d: number): string {
  const t = w.market.transitions;
  let s = -1;
  for (let j = 0; j < t.n; j++) if (t.listing[j] === l && t.day[j] <= d) s = t.status[j];
  return s < 0 ? 'none' : LISTING_STATUS[s];
}

describe('marketplace market simulation', () => {
  const { orders: o, lines: li } = world.market;

  it('produces about the target orders, single-shop baskets with a decreasing tail', () => {
    expect(o.n).toBeGreaterThan(9000 * 0.9);
    expect(o.n).toBeLessThan(9000 * 1.1);
    const perOrder = new Map<number, Set<number>>();
    const lines = new Map<number, number>();
    for (let j = 0; j < li.n; j++) {
      (perOrder.get(li.order[j]) ?? perOrder.set(li.order[j], new Set()).get(li.order[j])!).add(li.seller[j]);
      lines.set(li.order[j], (lines.get(li.order[j]) ?? 0) + 1);
    }
    expect([...perOrder.values()].every((s) => s.size === 1)).toBe(true);
    const hist = [1, 2, 3, 4, 5].map((k) => [...lines.values()].filter((n) => n === k).length);
    for (let k = 1; k < hist.length; k++) expect(hist[k]).toBeLessThan(hist[k - 1]);
    expect(hist[0] / o.n).toBeGreaterThan(0.62);
  });

  it('sells only listings for sale at shops that are open (never removed, inactive, closed, suspended or on vacation)', () => {
    const { listings: L, sellers: s } = world;
    const sample = Array.from({ length: 1500 }, (_, k) => Math.floor((k * li.n) / 1500));
    for (const j of sample) {
      const l = li.listing[j];
      const d = o.day[li.order[j]];
      const utc = o.utc[li.order[j]];
      expect(L.createdDay[l]).toBeLessThan(d);
      expect(['active', 'sold_out']).toContain(statusOn(world, l, d));
      expect(shopStatusAt(s, li.seller[j], utc)).toBe('active');
      expect(li.qty[j]).toBeGreaterThanOrEqual(1);
    }
    // a sold-out listing has sold its units; removed and inactive ones stop selling
    for (let l = 0; l < L.n; l++) if (LISTING_STATUS[world.market.status[l]] === 'sold_out') expect(world.market.unitsSold[l]).toBeGreaterThan(0);
  });

  it('captures payments seconds to minutes after the order, on the same local day', () => {
    const m = world.m;
    const lags = Array.from(o.captured, (c, k) => c - o.utc[k]).sort((a, b) => a - b);
    expect(lags[0]).toBeGreaterThanOrEqual(1);
    expect(lags[Math.floor(lags.length / 2)]).toBeLessThan(120);
    expect(lags[Math.floor(lags.length * 0.995)]).toBeGreaterThan(300);
    for (let k = 0; k < o.n; k += 7) expect(m.clock.dayOf(o.captured[k])).toBe(o.day[k]);
  });

  it('demand is heavy-tailed and falls with price within a category', () => {
    const { listings: L } = world;
    const units = world.market.unitsSold;
    const never = Array.from(units).filter((u) => u === 0).length / L.n;
    expect(never).toBeGreaterThan(0.35);
    const sorted = Array.from(units).sort((a, b) => b - a);
    const total = sorted.reduce((a, x) => a + x, 0);
    expect(sorted.slice(0, Math.floor(L.n / 10)).reduce((a, x) => a + x, 0) / total).toBeGreaterThan(0.5);
    const cheap: number[] = [];
    const dear: number[] = [];
    for (let l = 0; l < L.n; l++) (L.price[l] < L.median[l] * 0.7 ? cheap : L.price[l] > L.median[l] * 1.4 ? dear : []).push(units[l]);
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    expect(mean(cheap)).toBeGreaterThan(1.5 * mean(dear));
  });

  it('is deterministic in the seed', () => {
    const again = simulateMarketplace(config, window, targets, 9000);
    expect(Array.from(again.market.lines.listing)).toEqual(Array.from(li.listing));
    expect(Array.from(again.market.orders.utc)).toEqual(Array.from(o.utc));
  });

  it('marketing: touches precede their conversion, inside the window; paid social acquires gift shoppers more than crafters', () => {
    const { touches: t, acquisition, channels } = world.marketing;
    expect(t.n).toBeGreaterThan(o.n * 0.8);
    for (let k = 0; k < t.n; k += 7) {
      const at = t.conversion[k] === 0 ? world.buyers.signup[t.buyer[k]] : o.utc[t.order[k]];
      expect(t.utc[k]).toBeLessThan(at);
      expect(t.utc[k]).toBeGreaterThanOrEqual(world.m.startUtc);
      if (t.conversion[k] === 1) expect(o.buyer[t.order[k]]).toBe(t.buyer[k]);
    }
    const segs = Object.keys(config.behaviour.marketplace.buyers.segments);
    const social = channels.indexOf('paid_social');
    const shareOf = (seg: string) => {
      const s = segs.indexOf(seg);
      let n = 0;
      let hit = 0;
      for (let i = 0; i < world.buyers.n; i++) if (world.buyers.segment[i] === s) [n, hit] = [n + 1, hit + (acquisition[i] === social ? 1 : 0)];
      return hit / n;
    };
    expect(shareOf('gift_shopper')).toBeGreaterThan(1.5 * shareOf('crafter'));
  });
});

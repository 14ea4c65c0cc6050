import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '@dnr/core';
import { eventWindow } from '../../behaviour/window.js';
import { orderRates } from './money-rates.js';
import { paymentRisk } from './payment-risk.js';
import { DISPUTE_REASONS } from './payments.js';
import { simulateMarketplace } from './world.js';

/**
 * Disputes and shipping that follow risk, on a six-month world of about 9,000 orders whose dispute
 * rate is raised to 6% (so the fraud rates by segment are measured on hundreds of disputes, not ten).
 */
const config = ConfigSchema.parse({ warehouse: { months: 6 }, behaviour: { marketplace: { payments: { dispute_rate: 0.06 } } } });
const window = eventWindow(config.warehouse.end_date, 6, config.warehouse.tz);
const world = simulateMarketplace(config, window, { dim_buyer: 8000, dim_seller: 250, dim_listing: 5000 }, 9000);
const o = world.market.orders;
const li = world.market.lines;
const dp = world.money.disputes;
const paid = world.money.paid;
const FRAUD = DISPUTE_REASONS.indexOf('fraudulent');

/** Per order: its first line index, line count, item value (shop cents × USD rate) and whether it is cross-border. */
const firstLine = new Int32Array(o.n).fill(-1);
const lineCount = new Int32Array(o.n);
const usd = new Float64Array(o.n);
const cross = new Uint8Array(o.n);
for (let x = 0; x < li.n; x++) {
  const j = li.order[x];
  if (li.line[x] === 1) firstLine[j] = x;
  lineCount[j]++;
  usd[j] += li.qty[x] * li.price[x] * world.currencies.anchor[world.currencies.seller[li.seller[x]]];
  cross[j] = world.sellers.country[li.seller[x]] !== world.buyers.country[o.buyer[j]] ? 1 : 0;
}
/** Per order: 1 on the buyer's earliest window order when the buyer's first order falls in the window. */
const first = new Uint8Array(o.n);
{
  const earliest = new Int32Array(world.buyers.n).fill(-1);
  for (let j = 0; j < o.n; j++) {
    const i = o.buyer[j];
    if (world.buyers.firstOrder[i] >= world.m.startUtc && (earliest[i] < 0 || o.utc[j] < o.utc[earliest[i]])) earliest[i] = j;
  }
  for (const j of earliest) if (j >= 0) first[j] = 1;
}
const fraud = new Uint8Array(o.n);
for (let x = 0; x < dp.n; x++) if (dp.reason[x] === FRAUD) fraud[dp.order[x]] = 1;

/** Fraud disputes per paid order among the orders `keep` selects. */
function fraudRate(keep: (j: number) => boolean): { rate: number; n: number } {
  let n = 0;
  let k = 0;
  for (let j = 0; j < o.n; j++) {
    if (!paid[j] || !keep(j)) continue;
    n++;
    k += fraud[j];
  }
  return { rate: k / n, n };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('marketplace disputes and shipping follow risk', () => {
  it('fraud odds multiplier: mean 1, first orders ≥ 3× repeat ones, high amounts above low, card above wallet', () => {
    const risk = paymentRisk(world.m, world.buyers, world.sellers, world.market, world.currencies);
    const mean = (keep: (j: number) => boolean) => {
      let s = 0;
      let n = 0;
      for (let j = 0; j < o.n; j++) if (keep(j)) [s, n] = [s + risk.fraud[j], n + 1];
      return s / n;
    };
    expect(mean(() => true)).toBeCloseTo(1, 9);
    expect(mean((j) => first[j] === 1) / mean((j) => first[j] === 0)).toBeGreaterThan(3);
    expect(mean((j) => usd[j] >= 15000) / mean((j) => usd[j] < 1500)).toBeGreaterThan(3);
    expect(mean((j) => cross[j] === 1) / mean((j) => cross[j] === 0)).toBeGreaterThan(2);
    const card = risk.methods.indexOf('card');
    const wallet = risk.methods.indexOf('wallet');
    expect(mean((j) => risk.method[j] === card) / mean((j) => risk.method[j] === wallet)).toBeGreaterThan(3);
  });

  it('fraud disputes pile up on first orders (≥ 3× repeat), high amounts and cross-border orders', () => {
    const firstRate = fraudRate((j) => first[j] === 1);
    const repeatRate = fraudRate((j) => first[j] === 0);
    expect(firstRate.n).toBeGreaterThan(300);
    expect(firstRate.rate).toBeGreaterThan(3 * repeatRate.rate);
    // measured: 16.5% of first orders vs 1.72% of repeat ones at this raised dispute rate
    // top and bottom fifth of paid orders by item value in USD
    const values = Array.from(usd).filter((_, j) => paid[j]).sort((a, b) => a - b);
    const lo = values[Math.floor(values.length / 5)];
    const hi = values[Math.floor((4 * values.length) / 5)];
    expect(fraudRate((j) => usd[j] >= hi).rate).toBeGreaterThan(2.5 * fraudRate((j) => usd[j] < lo).rate);
    expect(fraudRate((j) => cross[j] === 1).rate).toBeGreaterThan(1.8 * fraudRate((j) => cross[j] === 0).rate);
  });

  it('a minority of disputes contest one item of a multi-unit order; a lost one refunds that item', () => {
    let partial = 0;
    const rf = world.money.refunds;
    const chargeback = new Map<number, number>();
    for (let x = 0; x < rf.n; x++) if (rf.kind[x] === 3) chargeback.set(rf.order[x], rf.part[x]);
    for (let x = 0; x < dp.n; x++) {
      const j = dp.order[x];
      if (dp.part[x] >= 0) {
        partial++;
        expect(DISPUTE_REASONS[dp.reason[x]]).not.toBe('fraudulent');
        // one whole line of the order, or one unit of its only line
        const l0 = firstLine[j];
        const values = lineCount[j] > 1 ? Array.from({ length: lineCount[j] }, (_, k) => li.qty[l0 + k] * li.price[l0 + k]) : [li.price[l0]];
        expect(values).toContain(dp.part[x]);
      }
      if (dp.outcome[x] === 1) expect(chargeback.get(j)).toBe(dp.part[x]);
    }
    expect(partial / dp.n).toBeGreaterThan(0.03);
    expect(partial / dp.n).toBeLessThan(0.25);
  });

  it('open and resolution lags differ by reason and outcome: duplicate first, not received after delivery; won disputes take longer than lost ones', () => {
    const open = new Map<string, number[]>();
    const won: number[] = [];
    const lost: number[] = [];
    for (let x = 0; x < dp.n; x++) {
      const r = DISPUTE_REASONS[dp.reason[x]];
      const days = (dp.opened[x] - o.captured[dp.order[x]]) / 86400;
      expect(days).toBeGreaterThanOrEqual(2);
      (open.get(r) ?? open.set(r, []).get(r)!).push(days);
      if (r === 'fraudulent' && dp.outcome[x] !== 2) (dp.outcome[x] === 0 ? won : lost).push((dp.resolved[x] - dp.opened[x]) / 86400);
    }
    expect(median(open.get('duplicate')!)).toBeLessThan(14);
    expect(median(open.get('fraudulent')!)).toBeGreaterThan(18);
    expect(median(open.get('fraudulent')!)).toBeLessThan(35);
    expect(median(open.get('product_not_received')!)).toBeGreaterThan(median(open.get('not_as_described')!) + 10);
    expect(median(won)).toBeGreaterThan(2 * median(lost));
  });

  it('a minority of shops ship abroad free, most only above a threshold; domestic free shipping is unchanged', () => {
    const ship = orderRates(world).shipping;
    let xb = 0;
    let xbFree = 0;
    let dom = 0;
    let domFree = 0;
    const shops = new Map<number, { free: number[]; paid: number[] }>();
    for (let j = 0; j < o.n; j++) {
      const free = ship[j] === 0 ? 1 : 0;
      if (!cross[j]) {
        dom++;
        domFree += free;
        continue;
      }
      xb++;
      xbFree += free;
      const s = li.seller[firstLine[j]];
      const rec = shops.get(s) ?? shops.set(s, { free: [], paid: [] }).get(s)!;
      (free ? rec.free : rec.paid).push(usd[j] / world.currencies.anchor[world.currencies.seller[s]]);
    }
    expect(xbFree / xb).toBeGreaterThan(0.01);
    expect(xbFree / xb).toBeLessThan(0.2);
    expect(domFree / dom).toBeGreaterThan(0.4);
    // a shop that ships some cross-border order free ships every order at or above its threshold free
    let threshold = 0;
    for (const { free, paid: charged } of shops.values()) {
      if (free.length === 0) continue;
      if (charged.length > 0) threshold++;
      expect(Math.max(0, ...charged)).toBeLessThan(Math.min(...free));
    }
    expect(threshold).toBeGreaterThan(0);
  });

  it('free_international: with every shop on a threshold, a cross-border order ships free exactly when its items reach it in the shop currency', () => {
    const b = world.m.b;
    const shipping = { ...b.shipping, free_international: { shop_share: 1, over_share: 1, over_cents: 5000 } };
    const ship = orderRates({ ...world, m: { ...world.m, b: { ...b, shipping } } }).shipping;
    let free = 0;
    let xb = 0;
    for (let j = 0; j < o.n; j++) {
      if (!cross[j]) continue;
      xb++;
      const s = li.seller[firstLine[j]];
      const anchor = world.currencies.anchor[world.currencies.seller[s]];
      expect([j, ship[j] === 0]).toEqual([j, usd[j] / anchor >= 5000 / anchor - 1e-6]);
      free += ship[j] === 0 ? 1 : 0;
    }
    expect(free).toBeGreaterThan(0.1 * xb);
    expect(free).toBeLessThan(0.9 * xb);
  });

  it('rejects bad risk config naming the key', () => {
    const bad = (payments: object) => ConfigSchema.safeParse({ behaviour: { marketplace: { payments } } });
    const r1 = bad({ fraud_risk: { method_multiplier: { crad: 2 } } });
    expect(r1.success).toBe(false);
    expect(r1.error?.issues[0].path.join('.')).toBe('behaviour.marketplace.payments.fraud_risk.method_multiplier.crad');
    const r2 = bad({ dispute_reasons: { fraudulent: { partial_share: 1.5 } } });
    expect(r2.error?.issues[0].path.join('.')).toBe('behaviour.marketplace.payments.dispute_reasons.fraudulent.partial_share');
    const r3 = ConfigSchema.safeParse({ behaviour: { marketplace: { shipping: { free_international: { shop_share: -0.1 } } } } });
    expect(r3.error?.issues[0].path.join('.')).toBe('behaviour.marketplace.shipping.free_international.shop_share');
  });
});

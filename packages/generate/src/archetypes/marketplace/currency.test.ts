import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '@dnr/core';
import { eventWindow } from '../../behaviour/window.js';
import { localPricePoint, studentT } from './currency.js';
import { simulateMarketplace, type SimulatedMarketplace } from './world.js';

const config = ConfigSchema.parse({ warehouse: { months: 6 } });
const window = eventWindow(config.warehouse.end_date, 6, config.warehouse.tz);
const targets = { dim_buyer: 1500, dim_seller: 250, dim_listing: 5000 };
const world: SimulatedMarketplace = simulateMarketplace(config, window, targets, 9000);
const cur = world.currencies;

describe('shop currencies', () => {
  it('puts a price on the nearest point with the given ending', () => {
    expect(localPricePoint(1234, 50)).toBe(1250);
    expect(localPricePoint(1290, 99)).toBe(1299);
    expect(localPricePoint(1210, 99)).toBe(1199);
    expect(localPricePoint(40, 95)).toBe(195);
  });

  it("gives every seller its country's currency (USD first) and the configured rate as anchor", () => {
    expect(cur.codes[0]).toBe('USD');
    expect([...cur.codes].sort()).toEqual(['AUD', 'CAD', 'EUR', 'GBP', 'USD']);
    const m = world.m;
    for (let k = 0; k < world.sellers.n; k++) expect(cur.codes[cur.seller[k]]).toBe(m.b.countries[m.countries[world.sellers.country[k]]].currency);
    cur.codes.forEach((c, i) => expect(cur.anchor[i]).toBe(config.warehouse.currency_rates[c]));
  });

  it("prices every line on one of its currency's endings (\"xx\": any cents), one ending per listing", () => {
    const { lines: li } = world.market;
    const ending = new Map<number, number>();
    const seen = new Map<string, Set<number>>();
    let foreign = 0;
    for (let x = 0; x < li.n; x++) {
      const code = cur.codes[cur.seller[li.seller[x]]];
      if (code !== 'USD') foreign++;
      const e = li.price[x] % 100;
      const declared = config.behaviour.marketplace.currency.price_endings[code];
      if (!('xx' in declared)) expect(Object.keys(declared).map(Number)).toContain(e);
      (seen.get(code) ?? seen.set(code, new Set()).get(code)!).add(e);
      const l = li.listing[x];
      expect(ending.get(l) ?? e).toBe(e);
      ending.set(l, e);
    }
    expect(foreign / li.n).toBeGreaterThan(0.15);
    // every declared ending of USD shows up, and arbitrary cents beyond them
    const usd = seen.get('USD')!;
    for (const e of Object.keys(config.behaviour.marketplace.currency.price_endings.USD).filter((x) => x !== 'xx')) expect(usd).toContain(Number(e));
    expect(usd.size).toBeGreaterThan(Object.keys(config.behaviour.marketplace.currency.price_endings.USD).length + 10);
  });

  it('keeps daily FX rates near the configured rate, flat at weekends, a few % of drift', () => {
    const start = Date.parse(`${window.startDate}T00:00:00Z`);
    cur.codes.forEach((code, c) => {
      const series = Array.from({ length: cur.days }, (_, d) => cur.usd[c * cur.days + d]);
      if (code === 'USD') return expect(new Set(series)).toEqual(new Set([1]));
      for (let d = 1; d < cur.days; d++) {
        const dow = new Date(start + d * 86_400_000).getUTCDay();
        if (dow === 0 || dow === 6) expect(series[d]).toBe(series[d - 1]);
      }
      const ratio = series.map((r) => r / cur.anchor[c]);
      expect(Math.min(...ratio)).toBeGreaterThan(0.85);
      expect(Math.max(...ratio)).toBeLessThan(1.15);
      expect(Math.max(...ratio) - Math.min(...ratio)).toBeGreaterThan(0.01);
    });
  });

  it('moves the currencies together against the dollar (fx_usd_factor) with fat-tailed, clustered shocks', () => {
    const start = Date.parse(`${window.startDate}T00:00:00Z`);
    const returns = (code: string) => {
      const c = cur.codes.indexOf(code);
      const out: number[] = [];
      for (let d = 1; d < cur.days; d++) {
        const dow = new Date(start + d * 86_400_000).getUTCDay();
        if (dow !== 0 && dow !== 6) out.push(Math.log(cur.usd[c * cur.days + d] / cur.usd[c * cur.days + d - 1]));
      }
      return out;
    };
    const corr = (x: number[], y: number[]) => {
      const mx = x.reduce((a, b) => a + b, 0) / x.length;
      const my = y.reduce((a, b) => a + b, 0) / y.length;
      let [sxy, sxx, syy] = [0, 0, 0];
      x.forEach((v, i) => ((sxy += (v - mx) * (y[i] - my)), (sxx += (v - mx) ** 2), (syy += (y[i] - my) ** 2)));
      return sxy / Math.sqrt(sxx * syy);
    };
    // loadings 0.85 × 0.8: EUR and GBP daily moves correlate about 0.68
    expect(corr(returns('EUR'), returns('GBP'))).toBeGreaterThan(0.45);
    expect(corr(returns('CAD'), returns('AUD'))).toBeGreaterThan(0.2);
    // the shocks: Student-t (df 8) on a GARCH(1,1) variance path; a long path shows fat tails and clustering
    const rs = world.m.rs('test.fx');
    const [a, b] = [0.07, 0.91];
    let h = 1;
    const e = Array.from({ length: 40_000 }, (_, t) => {
      const x = Math.sqrt(h) * studentT(rs, t, 0, 8);
      h = 1 - a - b + a * x * x + b * h;
      return x;
    });
    const m2 = e.reduce((s, x) => s + x * x, 0) / e.length;
    const m4 = e.reduce((s, x) => s + x ** 4, 0) / e.length;
    expect(m2).toBeGreaterThan(0.9);
    expect(m2).toBeLessThan(1.1);
    expect(m4 / m2 / m2 - 3).toBeGreaterThan(1.5);
    const abs = e.map(Math.abs);
    expect(corr(abs.slice(1), abs.slice(0, -1))).toBeGreaterThan(0.08);
  });

  it('is deterministic in the seed', () => {
    const again = simulateMarketplace(config, window, targets, 9000);
    expect(Array.from(again.currencies.usd)).toEqual(Array.from(cur.usd));
    expect(Array.from(again.market.lines.price)).toEqual(Array.from(world.market.lines.price));
  });
});

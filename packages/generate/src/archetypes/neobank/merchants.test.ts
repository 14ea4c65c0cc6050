import { describe, expect, it } from 'vitest';
import { MCCS, NeobankBehaviourSchema } from '@dnr/core';
import { eventWindow } from '../../behaviour/window.js';
import { chainBrand, CITY_COUNT, cityOf, MCC_NAMING, METROS, metroZone } from './merchant-names.js';
import { metroCount, simulateMerchants, webShopShare } from './merchants.js';
import { storeEcommerceShare } from './spend-tables.js';
import { neobankModel } from './model.js';

const WINDOW = eventWindow('2026-06-30', 18, 'America/Los_Angeles');
const model = (patch: Record<string, unknown> = {}) => neobankModel(NeobankBehaviourSchema.parse(patch), WINDOW, 42, 'T1');
const PREFIX = /^(SQ \*|TST\* |PAYPAL \*|SP |CLV\*)/;
const brandOf = (name: string) => name.replace(PREFIX, '').replace(/( #?\d{3,}).*$/, '');

describe('merchant descriptors', () => {
  const mer = simulateMerchants(model(), 4000);
  const of = (mcc: number) => mer.name.flatMap((x, i) => (MCCS[mer.mcc[i]].mcc === mcc ? [{ name: x, rank: mer.rank[i] }] : []));

  it('never carry the MCC category label, and look like statement descriptors (store numbers, processor prefixes, online shapes)', () => {
    // the multi-word category labels (GROCERY STORES, SERVICE STATIONS, FAST FOOD …) and RESTAURANTS: one-word
    // labels such as PARKING or CINEMAS are ordinary words of names, CAR RENTAL the business itself
    const labels = MCCS.map((x) => x.name.toUpperCase()).filter((x) => (x.includes(' ') && x !== 'CAR RENTAL') || x === 'RESTAURANTS' || x === 'PHARMACIES');
    expect(mer.name.filter((x) => labels.some((l) => x.includes(l)))).toEqual([]);
    const share = (re: RegExp) => mer.name.filter((x) => re.test(x)).length / mer.n;
    expect(share(/ #?\d{3,4} [A-Z]/)).toBeGreaterThan(0.1);
    expect(share(PREFIX)).toBeGreaterThan(0.1);
    expect(share(PREFIX)).toBeLessThan(0.4);
    expect(share(/\.COM|\*[A-Z]/)).toBeGreaterThan(0.02);
    expect(new Set(mer.name).size / mer.n).toBeGreaterThan(0.95);
  });

  it('chains take the most used grocery and fuel ranks: the top fifth of ranks are nearly all chain stores, the biggest brand has the most locations', () => {
    for (const mcc of [5411, 5541]) {
      const rows = of(mcc);
      const chains = new Set(MCC_NAMING[mcc].chains);
      const isChain = (x: { name: string }) => chains.has(brandOf(x.name).replace(/ \d{8}.*$/, ''));
      const top = rows.filter((x) => x.rank < rows.length / 5);
      expect(top.filter(isChain).length / top.length, String(mcc)).toBeGreaterThan(0.9);
      const tail = rows.filter((x) => x.rank >= (rows.length * 4) / 5);
      expect(tail.filter(isChain).length / tail.length, String(mcc)).toBeLessThan(0.3);
      const counts = MCC_NAMING[mcc].chains.map((b) => rows.filter((x) => isChain(x) && x.name.startsWith(`${b} `)).length);
      expect(counts[0]).toBe(Math.max(...counts));
    }
  });

  it('are deterministic, leave ids, MCCs and ranks alone, and follow chain_share', () => {
    const again = simulateMerchants(model(), 4000);
    expect(again.name).toEqual(mer.name);
    const none = simulateMerchants(model({ merchants: { chain_share: { 5411: 0 }, processor_prefix_share: 0 } }), 4000);
    expect(Array.from(none.id)).toEqual(Array.from(mer.id));
    expect(Array.from(none.rank)).toEqual(Array.from(mer.rank));
    const grocery = none.name.filter((_, i) => MCCS[none.mcc[i]].mcc === 5411);
    expect(grocery.filter((x) => MCC_NAMING[5411].chains.some((b) => x.startsWith(`${b} `)))).toEqual([]);
    expect(none.name.filter((x) => PREFIX.test(x))).toEqual([]);
  });

  it('chainBrand: Zipf over the chains, the first the most likely', () => {
    const hits = [0, 0, 0];
    for (let k = 0; k < 3000; k++) hits[chainBrand(3, 1.2, (k + 0.5) / 3000)]++;
    // weights 1, 2^-1.2, 3^-1.2 → 0.56, 0.24, 0.15 of the total … normalised: 0.59, 0.26, 0.16
    expect(hits[0] / 3000).toBeCloseTo(1 / (1 + Math.pow(2, -1.2) + Math.pow(3, -1.2)), 2);
    expect(hits[0]).toBeGreaterThan(hits[1]);
    expect(hits[1]).toBeGreaterThan(hits[2]);
  });

  it('online-only merchants are the online shapes; every store trades in a metro whose state its descriptor prints', () => {
    const online = /\.COM |\.COM$|^(PAYPAL \*|SP )|^[A-Z]+ \*(TRIP|RIDE)|[A-Z]\*(SUBSCRIPTION|ORDER|PURCHASE|MEMBERSHIP|BILL) /;
    for (let i = 0; i < mer.n; i++) {
      const code = MCCS[mer.mcc[i]].mcc;
      const shape = online.test(mer.name[i]) || code === 5815 || code === 7372;
      expect(mer.online[i] === 1, mer.name[i]).toBe(shape);
      if (mer.online[i]) expect(mer.city[i]).toBe(-1);
      else {
        expect(mer.city[i]).toBeGreaterThanOrEqual(0);
        expect(mer.city[i]).toBeLessThan(mer.metros);
        // a printed "CITY ST" is the metro's
        const printed = Array.from({ length: CITY_COUNT }, (_, j) => cityOf(j)).find(([c, st]) => mer.name[i].endsWith(` ${c} ${st}`));
        if (printed) expect(printed, mer.name[i]).toEqual(cityOf(mer.city[i]));
      }
    }
    const share = mer.online.reduce((s, x) => s + x, 0) / mer.n;
    // few merchants (4.9% at seed 42), but the busiest: web shops, apps, streaming and software
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.15);
    // 4000 merchants at 250 per metro: 16 metros, the first holds 16^−0.625 ≈ 18% of the stores
    expect(mer.metros).toBe(16);
    const first = Array.from(mer.city).filter((c) => c === 0).length / Array.from(mer.city).filter((c) => c >= 0).length;
    expect(first).toBeGreaterThan(0.14);
    expect(first).toBeLessThan(0.22);
  });

  it('metroCount, webShopShare and storeEcommerceShare', () => {
    expect([metroCount(600, 250), metroCount(6000, 250), metroCount(60000, 250)]).toEqual([3, 24, 24]);
    expect(webShopShare(0.2, 0.25)).toBe(0);
    expect(webShopShare(0.5, 0.25)).toBeCloseTo(0.125, 12);
    expect(webShopShare(0.95, 1)).toBe(0.3);
    // grocery-like: 8% ecommerce, stores take 5% card-not-present → 0.05 · 0.92 / (0.95 · 0.08) ≈ 0.605 of ecommerce at stores
    expect(storeEcommerceShare(0.08, 0.05, 10, 100)).toBeCloseTo((0.05 * 0.92) / (0.95 * 0.08), 12);
    expect(storeEcommerceShare(0.02, 0.1, 10, 100)).toBe(1);
    expect(storeEcommerceShare(0.5, 0.1, 0, 100)).toBe(1);
    expect(storeEcommerceShare(0.5, 0.1, 10, 0)).toBe(0);
  });
});

describe('metro time zones', () => {
  it('every descriptor city has a valid IANA zone, the one its state keeps', () => {
    const byState: Record<string, string> = {
      IL: 'America/Chicago', CA: 'America/Los_Angeles', TX: 'America/Chicago', WI: 'America/Chicago', KY: 'America/New_York', TN: 'America/Chicago',
      OR: 'America/Los_Angeles', SC: 'America/New_York', CT: 'America/New_York', DE: 'America/New_York', MS: 'America/Chicago', OH: 'America/New_York',
      MA: 'America/New_York', RI: 'America/New_York', VA: 'America/New_York', IA: 'America/Chicago', CO: 'America/Denver', NJ: 'America/New_York',
      AZ: 'America/Phoenix', WA: 'America/Los_Angeles', GA: 'America/New_York', ID: 'America/Boise',
    };
    expect(METROS).toHaveLength(CITY_COUNT);
    for (const [j, x] of METROS.entries()) {
      // Intl throws a RangeError on an unknown zone
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: x.zone }), x.zone).not.toThrow();
      expect(metroZone(j), `${x.city} ${x.state}`).toBe(byState[x.state]);
      expect(cityOf(j)).toEqual([x.city, x.state]);
    }
    // Arizona keeps standard time all year; Boston's clock changes
    const offset = (zone: string, iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName')?.value;
    expect([offset('America/Phoenix', '2025-01-15T12:00:00Z'), offset('America/Phoenix', '2025-07-15T12:00:00Z')]).toEqual(['GMT-7', 'GMT-7']);
    expect([offset('America/New_York', '2025-01-15T12:00:00Z'), offset('America/New_York', '2025-07-15T12:00:00Z')]).toEqual(['GMT-5', 'GMT-4']);
  });
});

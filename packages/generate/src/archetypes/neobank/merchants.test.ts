import { describe, expect, it } from 'vitest';
import { MCCS, NeobankBehaviourSchema } from '@dnr/core';
import { eventWindow } from '../../behaviour/window.js';
import { chainBrand, CITY_COUNT, cityOf, MCC_NAMING, metroIndex, METROS, metroShare, metroZone, PLACES, townOf } from './merchant-names.js';
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

  it('online-only merchants are the online shapes; a town a descriptor prints (` TOWN ST`, else ` TOWN`) is one of its metro', () => {
    const online = /\.COM |\.COM$|^(PAYPAL \*|SP )|^[A-Z]+ \*(TRIP|RIDE)|[A-Z]\*(SUBSCRIPTION|ORDER|PURCHASE|MEMBERSHIP|BILL) /;
    for (let i = 0; i < mer.n; i++) {
      const code = MCCS[mer.mcc[i]].mcc;
      const shape = online.test(mer.name[i]) || code === 5815 || code === 7372;
      expect(mer.online[i] === 1, mer.name[i]).toBe(shape);
      if (mer.online[i]) expect(mer.city[i]).toBe(-1);
      else {
        expect(mer.city[i]).toBeGreaterThanOrEqual(0);
        expect(mer.city[i]).toBeLessThan(mer.metros);
        expect(mer.seat[i]).toBe(mer.city[i]);
      }
      // a printed town is one of the merchant's metro (the seat's, for an online-only merchant too), read as an analyst would
      const printed = PLACES.find((p) => mer.name[i].endsWith(` ${p.city} ${p.state}`)) ?? PLACES.find((p) => mer.name[i].endsWith(` ${p.city}`));
      if (printed) expect(printed.metro, mer.name[i]).toBe(mer.seat[i]);
    }
    // most stores print their town
    const stores = mer.name.filter((_, i) => !mer.online[i]);
    const placed = stores.filter((x) => PLACES.some((p) => x.endsWith(` ${p.city} ${p.state}`) || x.endsWith(` ${p.city}`)));
    expect(placed.length / stores.length).toBeGreaterThan(0.7);
    const share = mer.online.reduce((s, x) => s + x, 0) / mer.n;
    // few merchants (4.9% at seed 42), but the busiest: web shops, apps, streaming and software
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.15);
    // 4000 merchants at 172 per metro: the 23 largest metros, stores in proportion to their populations
    // (New York 20.1 of 152.4 million: 13.2%; ~3,800 stores give a standard error of 0.55 points)
    expect(mer.metros).toBe(23);
    const storesIn = (j: number) => Array.from(mer.city).filter((c) => c === j).length;
    const all = Array.from(mer.city).filter((c) => c >= 0).length;
    expect(metroShare(0, 23)).toBeCloseTo(20_140_470 / METROS.slice(0, 23).reduce((s, x) => s + x.population, 0), 12);
    for (const j of [0, 1, 10, 22]) expect(Math.abs(storesIn(j) / all - metroShare(j, 23)), METROS[j].city).toBeLessThan(0.02);
    expect(storesIn(0)).toBeGreaterThan(storesIn(1));
    expect(storesIn(1)).toBeGreaterThan(storesIn(10));
    expect(storesIn(10)).toBeGreaterThan(storesIn(22));
    expect(storesIn(23)).toBe(0);
  });

  it('metroIndex follows the populations of the first k metros; townOf is Zipf over the metro\'s towns, principal city first', () => {
    const n = 20_000;
    const hits = new Array<number>(CITY_COUNT).fill(0);
    for (let k = 0; k < n; k++) hits[metroIndex((k + 0.5) / n, 3)]++;
    // New York, Los Angeles, Chicago: 20.1, 13.2 and 9.6 million
    expect(hits.slice(0, 3).map((h) => h / n)).toEqual([0.469, 0.3075, 0.224].map((x) => expect.closeTo(x, 2) as unknown as number));
    expect(hits.slice(3).every((h) => h === 0)).toBe(true);
    const towns = new Map<string, number>();
    for (let k = 0; k < n; k++) {
      const t = townOf(0, (k + 0.5) / n).join(' ');
      towns.set(t, (towns.get(t) ?? 0) + 1);
    }
    // six towns, weights 1, 1/2 … 1/6 (sum 2.45): New York 40.8%, Yonkers 6.8%
    expect(towns.get('NEW YORK NY')! / n).toBeCloseTo(1 / 2.45, 2);
    expect(towns.get('YONKERS NY')! / n).toBeCloseTo(1 / 6 / 2.45, 2);
    expect(towns.size).toBe(6);
  });

  it('metroCount, webShopShare and storeEcommerceShare', () => {
    // default 172: three metros at small scale (600 merchants), all 35 at evaluation (6,000) and large
    expect([metroCount(600, 172), metroCount(6000, 172), metroCount(60000, 172), metroCount(6000, 250), metroCount(100, 10)]).toEqual([3, 35, 35, 24, 10]);
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

describe('metro areas and their time zones', () => {
  it('35 real metros, largest first, 3–6 towns each; every town has the IANA zone its state keeps', () => {
    const byState: Record<string, string> = {
      NY: 'America/New_York', NJ: 'America/New_York', PA: 'America/New_York', DE: 'America/New_York', MD: 'America/New_York', DC: 'America/New_York',
      VA: 'America/New_York', FL: 'America/New_York', GA: 'America/New_York', MA: 'America/New_York', NH: 'America/New_York', NC: 'America/New_York',
      SC: 'America/New_York', OH: 'America/New_York', KY: 'America/New_York', MI: 'America/Detroit', IN: 'America/Indiana/Indianapolis',
      IL: 'America/Chicago', WI: 'America/Chicago', TX: 'America/Chicago', MN: 'America/Chicago', MO: 'America/Chicago', KS: 'America/Chicago',
      TN: 'America/Chicago', CO: 'America/Denver', UT: 'America/Denver', AZ: 'America/Phoenix', CA: 'America/Los_Angeles', WA: 'America/Los_Angeles',
      OR: 'America/Los_Angeles', NV: 'America/Los_Angeles',
    };
    expect(METROS).toHaveLength(CITY_COUNT);
    expect(CITY_COUNT).toBe(35);
    expect(METROS.slice(0, 3).map((x) => x.city)).toEqual(['NEW YORK', 'LOS ANGELES', 'CHICAGO']);
    for (const [j, x] of METROS.entries()) {
      // Intl throws a RangeError on an unknown zone
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: x.zone }), x.zone).not.toThrow();
      expect(metroZone(j), `${x.city} ${x.state}`).toBe(byState[x.state]);
      expect(cityOf(j)).toEqual([x.city, x.state]);
      expect(x.towns[0]).toEqual({ city: x.city, state: x.state });
      expect(x.towns.length, x.city).toBeGreaterThanOrEqual(3);
      expect(x.towns.length, x.city).toBeLessThanOrEqual(6);
      if (j > 0) expect(x.population, x.city).toBeLessThan(METROS[j - 1].population);
    }
    for (const p of PLACES) {
      expect(p.zone, `${p.city} ${p.state}`).toBe(byState[p.state]);
      expect(p.city, 'no quote in a town: tests and the profile put them in SQL literals').toMatch(/^[A-Z][A-Z ]*[A-Z]$/);
    }
    expect(new Set(PLACES.map((p) => `${p.city} ${p.state}`)).size).toBe(PLACES.length);
    expect(new Set(PLACES.map((p) => p.state)).size).toBe(31);
    // a descriptor read by its ending names one metro: no town ends another metro's town (KANSAS CITY MO and KS share a metro)
    for (const p of PLACES) for (const q of PLACES) if (p.metro !== q.metro) expect(` ${p.city}`.endsWith(` ${q.city}`), `${p.city} / ${q.city}`).toBe(false);
    // nor a word descriptors end with when they print no town
    const vocabulary = Object.values(MCC_NAMING).flatMap((x) => [...x.chains, ...x.nouns]);
    for (const p of PLACES) expect(vocabulary.filter((w) => ` ${w}`.endsWith(` ${p.city}`)), p.city).toEqual([]);
    // Arizona keeps standard time all year; Boston's clock changes
    const offset = (zone: string, iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName')?.value;
    expect([offset('America/Phoenix', '2025-01-15T12:00:00Z'), offset('America/Phoenix', '2025-07-15T12:00:00Z')]).toEqual(['GMT-7', 'GMT-7']);
    expect([offset('America/New_York', '2025-01-15T12:00:00Z'), offset('America/New_York', '2025-07-15T12:00:00Z')]).toEqual(['GMT-5', 'GMT-4']);
    for (const z of ['America/Detroit', 'America/Indiana/Indianapolis']) expect([offset(z, '2025-01-15T12:00:00Z'), offset(z, '2025-07-15T12:00:00Z')]).toEqual(['GMT-5', 'GMT-4']);
  });
});

import { describe, expect, it } from 'vitest';
import { MCCS, NeobankBehaviourSchema } from '@dnr/core';
import { eventWindow } from '../../behaviour/window.js';
import { chainBrand, MCC_NAMING } from './merchant-names.js';
import { simulateMerchants } from './merchants.js';
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
});

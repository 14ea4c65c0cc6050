import { MCCS } from '@dnr/core';
import { gappedIds } from '../../behaviour/ids.js';
import { CITY_COUNT, chainBrand, chainDescriptor, independentDescriptor, metroIndex, namingOf, type Descriptor } from './merchant-names.js';
import type { NeobankModel } from './model.js';

/** Merchants as columns, in onboarding (id) order. */
export interface Merchants {
  n: number;
  id: Float64Array;
  /** Index into MCCS. */
  mcc: Uint8Array;
  /** Popularity rank within the MCC (0 = most used), unrelated to the id. */
  rank: Int32Array;
  name: string[];
  /** Metro area (index into metros.ts METROS, largest first) a store trades in; −1 for online-only merchants. */
  city: Int8Array;
  /** Metro index of the business's seat (its city even when online-only): the zone it bills on (recurring charges). */
  seat: Int8Array;
  /** 1 = online-only (card-not-present payments only), 0 = a physical location (mostly in person). */
  online: Uint8Array;
  /** Metro areas the stores spread over (the `metros` largest of METROS). */
  metros: number;
  /** Merchants per MCC. */
  perMcc: number[];
  /** Ids the sequence skipped (rolled-back inserts). */
  gaps: Float64Array;
}

/** Split n merchants across MCCs by weight × density (largest remainder, at least one each). */
export function merchantsPerMcc(n: number): number[] {
  const w = MCCS.map((x) => x.weight * x.merchantDensity);
  const total = w.reduce((s, x) => s + x, 0);
  const raw = w.map((x) => Math.max(1, (n * x) / total));
  const counts = raw.map((r) => Math.floor(r));
  let left = n - counts.reduce((s, c) => s + c, 0);
  const order = raw.map((r, j) => [r - Math.floor(r), j] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k][1]]++;
  while (left < 0) {
    const j = counts.indexOf(Math.max(...counts));
    if (counts[j] <= 1) break;
    counts[j]--;
    left++;
  }
  return counts;
}

/**
 * Merchants onboarded in random MCC order (ids say nothing about the category or popularity), each
 * with a popularity rank drawn as a random permutation inside its MCC and a card-statement descriptor
 * (merchantNames).
 */
export function simulateMerchants(m: NeobankModel, n: number): Merchants {
  const rs = m.rs('merchant');
  const perMcc = merchantsPerMcc(n);
  const mcc = new Uint8Array(n);
  let k = 0;
  for (const [j, count] of perMcc.entries()) for (let c = 0; c < count; c++) mcc[k++] = j;
  // shuffle the onboarding order (Fisher–Yates on hashed uniforms)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rs.uniform(i, 0) * (i + 1));
    [mcc[i], mcc[j]] = [mcc[j], mcc[i]];
  }
  const rank = new Int32Array(n);
  const seen = new Int32Array(MCCS.length);
  // ranks: order merchants of an MCC by a hashed key
  const keyed = Array.from({ length: n }, (_, i) => [rs.uniform(i, 1), i] as const).sort((p, q) => p[0] - q[0]);
  for (const [, i] of keyed) rank[i] = seen[mcc[i]]++;
  const { ids, gaps } = gappedIds(n, 0.03, (i) => rs.uniform(i, 2), 1001);
  const metros = metroCount(n, m.b.merchants.geography.merchants_per_metro);
  const d = merchantNames(m, mcc, rank, perMcc, metros);
  const name = d.map((x) => x.name);
  const city = Int8Array.from(d, (x) => x.city);
  const online = Uint8Array.from(d, (x) => (x.online ? 1 : 0));
  const seat = Int8Array.from(d, (x) => x.seat);
  return { n, id: ids, mcc, rank, name, city, seat, online, metros, perMcc, gaps };
}

/**
 * Share of an MCC's chain locations (store and plain styles) that are the chain's web shop: `share` × the
 * MCC's ecommerce share when that is at least 0.25 (department stores, electronics, hotels …), at most 0.3; else 0.
 */
export const webShopShare = (ecommerceShare: number, share: number): number => (ecommerceShare >= 0.25 ? Math.min(0.3, share * ecommerceShare) : 0);

/** Metro areas n merchants spread over (the largest first): round(n ÷ merchantsPerMetro), at least 3 and at most the 35 of METROS. */
export const metroCount = (n: number, merchantsPerMetro: number): number => Math.max(3, Math.min(CITY_COUNT, Math.round(n / merchantsPerMetro)));

/**
 * Descriptors of the merchants (index i in onboarding order): in each MCC a share
 * `merchants.chain_share[mcc]` of its merchants are locations of its fictitious chains, chosen among the
 * most used ranks (rank ÷ count + a uniform 0–0.25 jitter, smallest first), so chains carry most of
 * the MCC's volume; a location's brand is Zipf (`merchants.chain_brand_exponent`) over the MCC's chains
 * and gets the brand's next store number. The others are independents, a share
 * `merchants.processor_prefix_share` behind their processor's prefix. Each descriptor comes with the
 * merchant's metro (among the `metros` largest, by population) and whether it sells only online.
 */
export function merchantNames(m: NeobankModel, mcc: Uint8Array, rank: Int32Array, perMcc: number[], metros: number = CITY_COUNT): Descriptor[] {
  const rs = m.rs('merchant.name');
  const mb = m.b.merchants;
  const n = mcc.length;
  const chain = new Uint8Array(n);
  for (const [j, count] of perMcc.entries()) {
    const share = mb.chain_share[String(MCCS[j].mcc) as keyof typeof mb.chain_share] ?? 0;
    const members: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) if (mcc[i] === j) members.push([(rank[i] + 0.5) / count + 0.25 * rs.uniform(i, 0), i]);
    members.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    const k = namingOf(MCCS[j].mcc).chains.length ? Math.round(share * count) : 0;
    for (const [, i] of members.slice(0, k)) chain[i] = 1;
  }
  const stores = new Map<string, number>();
  return Array.from(mcc, (j, i) => {
    const naming = namingOf(MCCS[j].mcc);
    const d = (k: number) => rs.uniform(i, 10 + k);
    if (!chain[i]) return independentDescriptor(naming, mb.processor_prefix_share, d, metros);
    const brand = naming.chains[chainBrand(naming.chains.length, mb.chain_brand_exponent, rs.uniform(i, 1))];
    const count = stores.get(brand) ?? 0;
    stores.set(brand, count + 1);
    return chainDescriptor(naming, brand, 100 + 23 * count + Math.floor(rs.uniform(i, 2) * 23), d, metros, webShopShare(MCCS[j].ecommerceShare, mb.geography.web_shop_share));
  });
}

/**
 * Each customer's home metro (index into METROS): drawn among the merchants' metros (the `metros`
 * largest) in proportion to their 2020 populations (metroIndex), the weights that place the stores, so
 * big metros have more customers and about as many customers per store as small ones; a uniform per
 * customer index (stream customer.home), so it is known before the customers are simulated.
 */
export function homeMetros(m: NeobankModel, merchants: Merchants, customers: number): Int32Array {
  const rs = m.rs('customer.home');
  return Int32Array.from({ length: customers }, (_, i) => metroIndex(rs.uniform(i, 0), merchants.metros));
}

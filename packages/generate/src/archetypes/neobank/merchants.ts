import { MCCS } from '@dnr/core';
import { gappedIds } from '../../behaviour/ids.js';
import type { NeobankModel } from './model.js';

const NAME_A = ['Blue', 'Cedar', 'Copper', 'Golden', 'Harbor', 'Maple', 'North', 'Oak', 'Pine', 'River', 'Silver', 'Summit', 'Sunny', 'Willow', 'Granite', 'Amber', 'Juniper', 'Lantern', 'Meadow', 'Orchard', 'Birch', 'Coral', 'Falcon', 'Ivy'];
const NAME_B = ['Lane', 'Point', 'Street', 'Corner', 'Square', 'Bridge', 'Hill', 'Park', 'Grove', 'Bay', 'Field', 'Ridge', 'Valley', 'Crossing', 'Market', 'Yard', 'Harbor', 'Mill'];
const PLACES = ['Springfield', 'Riverside', 'Fairview', 'Madison', 'Georgetown', 'Franklin', 'Clinton', 'Salem', 'Greenville', 'Bristol', 'Dover', 'Oxford', 'Ashland', 'Milton', 'Newport', 'Arlington'];

/** Merchants as columns, in onboarding (id) order. */
export interface Merchants {
  n: number;
  id: Float64Array;
  /** Index into MCCS. */
  mcc: Uint8Array;
  /** Popularity rank within the MCC (0 = most used), unrelated to the id. */
  rank: Int32Array;
  name: string[];
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
 * with a popularity rank drawn as a random permutation inside its MCC and a brand-free name.
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
  const name = Array.from(mcc, (j, i) => {
    const a = NAME_A[Math.floor(rs.uniform(i, 3) * NAME_A.length)];
    const b = NAME_B[Math.floor(rs.uniform(i, 4) * NAME_B.length)];
    const place = rs.uniform(i, 5) < 0.5 ? ` ${PLACES[Math.floor(rs.uniform(i, 6) * PLACES.length)]}` : '';
    return `${a} ${b} ${MCCS[j].name}${place}`;
  });
  return { n, id: ids, mcc, rank, name, perMcc, gaps };
}

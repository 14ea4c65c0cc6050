import { hashString } from '@dnr/core';

/**
 * Surrogate keys that look like production keys and encode nothing:
 * - dimension ids: an auto-increment sequence in creation order with gaps (rolled-back inserts,
 *   deleted or never-loaded rows), so orphan keys can point at ids inside the range that no row has;
 * - fact ids: a seeded bijective permutation of a composite generation key, so the id reveals
 *   neither its parent entity nor its position.
 */

/**
 * Ids for n rows in creation order: 1 + running count of rows and skipped ids, each row preceded by a
 * geometric number of gaps (mean `gapRate` / (1 − gapRate)). Returns the ids and the skipped ids.
 */
export function gappedIds(n: number, gapRate: number, uniform: (i: number) => number, start = 1): { ids: Float64Array; gaps: Float64Array } {
  const ids = new Float64Array(n);
  const gaps: number[] = [];
  let next = start;
  const logq = Math.log(Math.max(1e-12, gapRate));
  for (let i = 0; i < n; i++) {
    const skip = gapRate > 0 ? Math.floor(Math.log(uniform(i)) / logq) : 0;
    for (let k = 0; k < skip; k++) gaps.push(next++);
    ids[i] = next++;
  }
  return { ids, gaps: Float64Array.from(gaps) };
}

/** Bits of a permutation domain able to hold keys below `maxKey` (even, at least 32). */
export function idBits(maxKey: number): number {
  let bits = 32;
  while (2 ** bits <= maxKey) bits += 2;
  return bits;
}

import type { IdPermutation } from './hash64.js';

export type { IdPermutation } from './hash64.js';

/** The permutation of [0, 2^bits) for `seed` and `salt` (bits even, ≤ 48; permuteId needs ≥ 32). Throws RangeError otherwise. */
export function idPermutation(bits: number, seed: number, salt: number): IdPermutation {
  if (bits > 48 || bits % 2) throw new RangeError(`permuteIdSql: bits must be even and ≤ 48 (got ${bits})`);
  const mask = 2 ** bits - 1;
  // odd multipliers below 2^(62 − bits), so x · a stays inside BIGINT
  const abits = 62 - bits;
  const odd = (name: string) => ((hashString(`${name}/${seed}/${salt}`) % 2 ** (abits - 1)) + 2 ** (abits - 1)) | 1;
  const c0 = Number((BigInt(hashString(`c0/${seed}/${salt}`)) * 65536n + BigInt(hashString(`c0b/${seed}/${salt}`) & 0xffff)) & BigInt(mask));
  return { bits, c0, a1: odd('a1'), a2: odd('a2'), half: 2 ** (bits / 2), halfLess: 2 ** (bits / 2 - 1), hiMask: bits >= 32 ? 2 ** (bits - 32) - 1 : 0 };
}

/**
 * SQL: a seeded bijection of [0, 2^bits) for ids (bits even, ≤ 48): XOR with a constant, then two
 * rounds of xorshift and multiplication by an odd constant modulo 2^bits. Every step is invertible,
 * so distinct keys give distinct ids; the output looks random and reveals neither the key's parts nor
 * its order. Costs a few integer operations per row (no hashing).
 */
export function permuteIdSql(key: string, bits: number, seed: number, salt: number): string {
  const { c0, a1, a2 } = idPermutation(bits, seed, salt);
  const mask = 2 ** bits - 1;
  const half = bits / 2;
  const x0 = `xor((${key})::BIGINT, ${c0})`;
  const x1 = `xor(${x0}, ${x0} >> ${half})`;
  const x2 = `((${x1} * ${a1}) & ${mask})`;
  const x3 = `xor(${x2}, ${x2} >> ${half - 1})`;
  const x4 = `((${x3} * ${a2}) & ${mask})`;
  return `xor(${x4}, ${x4} >> ${half})`;
}

export { permuteId } from './hash64.js';

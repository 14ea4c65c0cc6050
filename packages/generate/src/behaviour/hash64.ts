/**
 * DuckDB's integer hash in JavaScript, for generators that draw in JS what the SQL generators draw with
 * `hash(xor(key, salt))`: the same 64-bit value for the same BIGINT, so a stream keeps its draws whichever
 * side computes them. DuckDB hashes a BIGINT with MurmurHash3's 64-bit finaliser variant
 * (x ^= x >> 32; x *= 0xd6e8feb86659fd93; twice; x ^= x >> 32 — DuckDB's `MurmurHash64`, checked against
 * `SELECT hash(x)` in hash64.test.ts). 64-bit words are handled as two unsigned 32-bit halves (no BigInt:
 * a few multiplications per hash).
 */

const TWO_32 = 4294967296;
const C_HI = 0xd6e8feb8;
const C_LO = 0x6659fd93;

/** Output of `hash64` / `mul64`: [high 32 bits, low 32 bits] of the last result (reused, never allocated). */
export const H = new Uint32Array(2);

/** The 64-bit product (mod 2^64) of (ahi, alo) and (bhi, blo), into H. */
export function mul64(ahi: number, alo: number, bhi: number, blo: number): void {
  const a0 = alo & 0xffff;
  const a1 = alo >>> 16;
  const b0 = blo & 0xffff;
  const b1 = blo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  H[1] = ((mid & 0xffff) * 65536 + (p00 & 0xffff)) >>> 0;
  const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  H[0] = (carry + Math.imul(ahi, blo) + Math.imul(alo, bhi)) >>> 0;
}

/** DuckDB `hash(x)` of the BIGINT whose two's-complement halves are (hi, lo), into H. */
export function hashHalves(hi: number, lo: number): void {
  lo = (lo ^ hi) >>> 0;
  mul64(hi, lo, C_HI, C_LO);
  hi = H[0];
  lo = (H[1] ^ hi) >>> 0;
  mul64(hi, lo, C_HI, C_LO);
  H[1] = (H[1] ^ H[0]) >>> 0;
}

/** A 64-bit salt as two 32-bit halves (from a BigInt below 2^63). */
export interface Salt {
  hi: number;
  lo: number;
}

/** Split a non-negative BigInt below 2^63 into a Salt. */
export const saltOf = (s: bigint): Salt => ({ hi: Number((s >> 32n) & 0xffffffffn), lo: Number(s & 0xffffffffn) });

/**
 * DuckDB `hash(xor(key, salt))` for an integer key |key| < 2^53 (negative keys as two's complement), into H.
 */
export function hashKey(key: number, s: Salt): void {
  const hi = Math.floor(key / TWO_32) >>> 0;
  hashHalves((hi ^ s.hi) >>> 0, ((key >>> 0) ^ s.lo) >>> 0);
}

/** DuckDB `u16(h, k)` of the hash in H: its k-th 16-bit word (k = 0 lowest) as a uniform in (0, 1). */
export function u16(k: 0 | 1 | 2 | 3): number {
  const w = k === 0 ? H[1] & 0xffff : k === 1 ? H[1] >>> 16 : k === 2 ? H[0] & 0xffff : H[0] >>> 16;
  return (w + 0.5) / 65536;
}

/** `u16` of a hash held as (hi, lo). */
export function u16Of(hi: number, lo: number, k: 0 | 1 | 2 | 3): number {
  const w = k === 0 ? lo & 0xffff : k === 1 ? lo >>> 16 : k === 2 ? hi & 0xffff : hi >>> 16;
  return (w + 0.5) / 65536;
}

/** DuckDB `z16(h, k)` (Box–Muller from words k and k + 1) of a hash held as (hi, lo). */
export function z16Of(hi: number, lo: number, k: 0 | 1 | 2): number {
  return Math.sqrt(-2 * Math.log(u16Of(hi, lo, k))) * Math.cos(2 * Math.PI * u16Of(hi, lo, (k + 1) as 1 | 2 | 3));
}

/** Bitwise XOR of two integers in [0, 2^53). */
export function xor53(a: number, b: number): number {
  return (((Math.floor(a / TWO_32) ^ Math.floor(b / TWO_32)) >>> 0) * TWO_32) + (((a >>> 0) ^ (b >>> 0)) >>> 0);
}

/**
 * DuckDB's SQL rounding of a DOUBLE (`round(x)`): half away from zero (Math.round rounds half up, so
 * −2.5 would become −2).
 */
export const roundSql = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

/**
 * The constants of the seeded id permutation (ids.ts permuteIdSql / permuteId): XOR mask c0, odd
 * multipliers a1 and a2, the domain's bits, and for permuteId 2^(bits/2), 2^(bits/2 − 1) and the mask of
 * the product's bits above 32 (2^(bits − 32) − 1).
 */
export interface IdPermutation {
  bits: number;
  c0: number;
  a1: number;
  a2: number;
  half: number;
  halfLess: number;
  hiMask: number;
}

/** (x · a) mod 2^bits for x < 2^bits and a < 2^(62 − bits), bits in [32, 48], exactly (the SQL's BIGINT product and mask). */
function mulMask(x: number, a: number, hiMask: number): number {
  mul64(Math.floor(x / TWO_32), x >>> 0, 0, a);
  return (H[0] & hiMask) * TWO_32 + H[1];
}

/** ids.ts permuteIdSql in JavaScript: the same id for the same key (key in [0, 2^bits), 32 ≤ bits ≤ 48). */
export function permuteId(key: number, p: IdPermutation): number {
  const x0 = xor53(key, p.c0);
  const x1 = xor53(x0, Math.floor(x0 / p.half));
  const x2 = mulMask(x1, p.a1, p.hiMask);
  const x3 = xor53(x2, Math.floor(x2 / p.halfLess));
  const x4 = mulMask(x3, p.a2, p.hiMask);
  return xor53(x4, Math.floor(x4 / p.half));
}

/**
 * Counter-based hashing (docs/warehouse.md): every random value is a pure function of
 * (seed, stream, entity index, draw), so chunk size, batch order and worker count never change data.
 * Mixing is MurmurHash3's block and finalisation steps on 32-bit words (good avalanche, cheap in JS).
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function block(h: number, w: number): number {
  w = Math.imul(w, C1);
  w = (w << 15) | (w >>> 17);
  w = Math.imul(w, C2);
  h ^= w;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit hash of four 32-bit words. */
export function hash4(a: number, b: number, c: number, d: number): number {
  let h = block(0x9747b28c, a);
  h = block(h, b);
  h = block(h, c);
  h = block(h, d);
  return fmix32(h ^ 16);
}

/** FNV-1a over UTF-16 code units, finalised: stable ids for stream names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

const TWO_32 = 4294967296;

/** Split a non-negative safe integer into (lo, hi) 32-bit words. */
export function splitIndex(i: number): [number, number] {
  return [i >>> 0, Math.floor(i / TWO_32) >>> 0];
}

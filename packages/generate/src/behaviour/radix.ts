/**
 * Stable LSD radix sort of rows by several non-negative integer keys (< 2^32), most significant
 * first: `orderByKeys(n, [a, b])` orders rows by a, then b, then row index (the final tie-break, so
 * the order is fully deterministic). Returns the row indexes in that order. 16-bit digits, a counting
 * pass per digit (keys below 2^16 need one pass): O(n × digits), no comparisons.
 */
export function orderByKeys(n: number, keys: ReadonlyArray<ArrayLike<number>>): Uint32Array {
  let perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let next = new Uint32Array(n);
  const count = new Uint32Array(65537);
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k];
    let max = 0;
    for (let i = 0; i < n; i++) if (key[i] > max) max = key[i];
    if (max >= 2 ** 32) throw new RangeError(`rankByKeys: key ${k} reaches ${max} (must be < 2^32)`);
    for (let shift = 0; shift === 0 || max >= 2 ** shift; shift += 16) {
      const div = 2 ** shift;
      count.fill(0);
      for (let i = 0; i < n; i++) count[((key[perm[i]] / div) & 0xffff) + 1]++;
      for (let d = 1; d <= 65536; d++) count[d] += count[d - 1];
      for (let i = 0; i < n; i++) {
        const p = perm[i];
        next[count[(key[p] / div) & 0xffff]++] = p;
      }
      [perm, next] = [next, perm];
    }
  }
  return perm;
}

/** rank[i] = 1-based position of row i in `orderByKeys(n, keys)`. */
export function rankByKeys(n: number, keys: ReadonlyArray<ArrayLike<number>>): Float64Array {
  const perm = orderByKeys(n, keys);
  const rank = new Float64Array(n);
  for (let r = 0; r < n; r++) rank[perm[r]] = r + 1;
  return rank;
}

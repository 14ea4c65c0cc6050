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

/**
 * Rows ordered by an integer time key (e.g. Unix seconds), then by `tie(a, b)` (a comparator on row
 * indexes, consulted only for rows of equal time), then by row index: the same order as
 * `orderByKeys(n, [time, …tie keys])` at a fraction of the cost when the tie keys rarely matter. An
 * LSD radix sort of (time − min) with the row index moved alongside (sequential reads: ≤ 13-bit digits,
 * two passes for a span below 2^26 s ≈ 2.1 years), then each run of equal times sorted by `tie`.
 * Returns the row indexes in that order. Throws RangeError when a time is not an integer or the span
 * reaches 2^32.
 */
export function orderByTime(n: number, time: ArrayLike<number>, tie: (a: number, b: number) => number): Uint32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    if (!Number.isInteger(t)) throw new RangeError(`orderByTime: time ${t} of row ${i} is not an integer`);
    if (t < min) min = t;
    if (t > max) max = t;
  }
  if (!n) return new Uint32Array(0);
  if (max - min >= 2 ** 32) throw new RangeError(`orderByTime: span ${max - min} reaches 2^32`);
  let key = new Uint32Array(n);
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    key[i] = time[i] - min;
    order[i] = i;
  }
  const bits = Math.max(1, 32 - Math.clz32(max - min));
  const passes = Math.ceil(bits / 13);
  const digit = Math.ceil(bits / passes);
  const mask = 2 ** digit - 1;
  let key2 = new Uint32Array(n);
  let order2 = new Uint32Array(n);
  const count = new Uint32Array(mask + 1);
  for (let p = 0; p < passes; p++) {
    const shift = p * digit;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(key[i] >>> shift) & mask]++;
    let acc = 0;
    for (let d = 0; d <= mask; d++) {
      const c = count[d];
      count[d] = acc;
      acc += c;
    }
    for (let i = 0; i < n; i++) {
      const k = key[i];
      const at = count[(k >>> shift) & mask]++;
      key2[at] = k;
      order2[at] = order[i];
    }
    [key, key2] = [key2, key];
    [order, order2] = [order2, order];
  }
  // runs of equal time: the radix sort is stable, so each run is in row order; sort it by `tie`, then row
  const cmp = (a: number, b: number) => tie(a, b) || a - b;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && key[j] === key[i]) j++;
    if (j - i > 16) order.subarray(i, j).sort(cmp);
    else {
      for (let x = i + 1; x < j; x++) {
        const v = order[x];
        let y = x - 1;
        while (y >= i && cmp(order[y], v) > 0) {
          order[y + 1] = order[y];
          y--;
        }
        order[y + 1] = v;
      }
    }
    i = j;
  }
  return order;
}

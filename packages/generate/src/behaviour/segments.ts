/**
 * Segment assignment: the segment shares, multiplied by the vintage tilt of the entity's creation
 * date and renormalised, sampled with one uniform. Names keep the config's order.
 */
export function segmentCumulative(names: readonly string[], shares: Record<string, { share: number }>, tilt: Record<string, number>): Float64Array {
  const w = names.map((n) => shares[n].share * (tilt[n] ?? 1));
  const total = w.reduce((s, x) => s + x, 0);
  const out = new Float64Array(names.length);
  let acc = 0;
  for (let j = 0; j < names.length; j++) {
    acc += w[j] / (total || 1);
    out[j] = acc;
  }
  out[names.length - 1] = 1;
  return out;
}

/** Index of the first cumulative share above u. */
export function pickIndex(cumulative: ArrayLike<number>, u: number): number {
  let j = 0;
  while (j < cumulative.length - 1 && u >= cumulative[j]) j++;
  return j;
}

/**
 * Time-of-use curves, local time. Index 0 = 00:00–01:00; day-of-week index 0 = Monday (ISO − 1).
 * Marketplace orders peak in the evening (17–22) and at weekends with a holiday-gifting Q4 (the
 * neobank's curves live in the behaviour config).
 */

export const MARKET_HOUR_WEEKDAY = [1.2, 0.7, 0.4, 0.3, 0.3, 0.5, 1.0, 1.6, 2.2, 2.6, 2.9, 3.1, 3.4, 3.3, 3.2, 3.3, 3.8, 5.6, 7.2, 8.0, 8.2, 7.4, 4.8, 2.6];
export const MARKET_HOUR_WEEKEND = [1.6, 1.0, 0.6, 0.4, 0.3, 0.4, 0.8, 1.6, 2.8, 3.8, 4.4, 4.8, 5.0, 5.0, 4.9, 4.8, 5.0, 6.2, 7.2, 7.8, 7.8, 7.0, 4.8, 2.8];
export const MARKET_DOW = [0.92, 0.9, 0.9, 0.93, 0.98, 1.22, 1.25];
export const MARKET_MONTH = [0.9, 0.88, 0.95, 0.96, 0.98, 0.96, 0.95, 0.97, 0.98, 1.02, 1.18, 1.3];

/**
 * Quantised inverse CDF: `buckets` values whose empirical distribution follows `weights`
 * (so SQL can sample a category with one uniform and an equality join, and JS with one array
 * lookup). Bucket b holds the index whose cumulative share covers its midpoint (b + 0.5) / buckets.
 */
export function quantileBuckets(weights: readonly number[], buckets = 1024): Int32Array {
  const total = weights.reduce((s, w) => s + w, 0);
  const out = new Int32Array(buckets);
  let j = 0;
  let cum = weights[0] / total;
  for (let b = 0; b < buckets; b++) {
    const q = (b + 0.5) / buckets;
    while (q > cum && j < weights.length - 1) cum += weights[++j] / total;
    out[b] = j;
  }
  return out;
}

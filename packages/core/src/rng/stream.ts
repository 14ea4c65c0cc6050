import { fmix32, hash4, hashString } from './hash.js';

const INV_2_32 = 1 / 4294967296;
const TWO_32 = 4294967296;
const SALT_B = 0x68e31da4;

/**
 * A named random stream: value = f(seed, stream name, entity index, draw number).
 * `uniform(i, k)` is the k-th uniform draw of entity i; everything else is derived from it.
 * Derive sub-streams (`stream.child('amount')`) for separate variables of the same entity.
 */
export class RandomStream {
  readonly key: number;

  constructor(
    readonly seed: number,
    readonly name: string,
  ) {
    this.key = fmix32(hashString(name) ^ Math.imul(seed | 0, 0x9e3779b1)) ^ (seed >>> 0);
  }

  child(name: string): RandomStream {
    return new RandomStream(this.seed, `${this.name}/${name}`);
  }

  /** Raw 32-bit value. */
  bits(i: number, k = 0): number {
    return hash4(this.key, i >>> 0, Math.floor(i / TWO_32), k);
  }

  /** Uniform on the open interval (0, 1). */
  uniform(i: number, k = 0): number {
    return (hash4(this.key, i >>> 0, Math.floor(i / TWO_32), k) + 0.5) * INV_2_32;
  }

  /** Integer uniform on [lo, hi] inclusive. */
  int(i: number, lo: number, hi: number, k = 0): number {
    return lo + Math.floor(this.uniform(i, k) * (hi - lo + 1));
  }

  bernoulli(i: number, p: number, k = 0): boolean {
    return this.uniform(i, k) < p;
  }

  /** Standard normal by Box–Muller from two independent uniforms of draw k. */
  standardNormal(i: number, k = 0): number {
    const u1 = this.uniform(i, k);
    const u2 = (hash4(this.key ^ SALT_B, i >>> 0, Math.floor(i / TWO_32), k) + 0.5) * INV_2_32;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  normal(i: number, mean: number, sd: number, k = 0): number {
    return mean + sd * this.standardNormal(i, k);
  }

  /** exp(N(mu, sigma)): mu and sigma are of the log. */
  lognormal(i: number, mu: number, sigma: number, k = 0): number {
    return Math.exp(mu + sigma * this.standardNormal(i, k));
  }

  exponential(i: number, rate: number, k = 0): number {
    return -Math.log(this.uniform(i, k)) / rate;
  }

  /**
   * Poisson by inversion for small means (exact), normal approximation with continuity
   * correction above 40 (relative error of the moments below 1%).
   */
  poisson(i: number, lambda: number, k = 0): number {
    if (lambda <= 0) return 0;
    if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.standardNormal(i, k)));
    const u = this.uniform(i, k);
    let p = Math.exp(-lambda);
    let cdf = p;
    let x = 0;
    while (u > cdf && x < 1000) {
      x++;
      p *= lambda / x;
      cdf += p;
    }
    return x;
  }

  /** Index drawn with probability proportional to weights, given their cumulative sums. */
  categorical(i: number, cumulative: ArrayLike<number>, k = 0): number {
    const target = this.uniform(i, k) * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Pick one item with weights (convenience; precompute `cumulativeWeights` in hot loops). */
  choice<T>(i: number, items: readonly T[], weights?: readonly number[], k = 0): T {
    if (!weights) return items[Math.floor(this.uniform(i, k) * items.length)];
    return items[this.categorical(i, cumulativeWeights(weights), k)];
  }
}

export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let acc = 0;
  for (let j = 0; j < weights.length; j++) {
    if (!(weights[j] >= 0)) throw new RangeError(`weight ${j} must be ≥ 0, got ${weights[j]}`);
    acc += weights[j];
    out[j] = acc;
  }
  if (acc <= 0) throw new RangeError('weights must have a positive sum');
  return out;
}

/** Root of all streams for a seed: `rng(42).stream('fact_order.buyer_id')`. */
export function rng(seed: number) {
  return {
    seed,
    stream: (name: string) => new RandomStream(seed, name),
  };
}

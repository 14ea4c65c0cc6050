/**
 * A Fenwick (binary indexed) tree of non-negative weights: point updates and weighted sampling inside an
 * index range in O(log n). Used where a population's weights change while it is sampled (listings going
 * on and off sale while orders pick among them).
 */
export class WeightTree {
  private readonly tree: Float64Array;
  readonly weights: Float64Array;
  private readonly top: number;

  constructor(readonly n: number) {
    this.tree = new Float64Array(n + 1);
    this.weights = new Float64Array(n);
    let p = 1;
    while (p * 2 <= n) p *= 2;
    this.top = p;
  }

  /** Set the weight at index i (0-based). */
  set(i: number, w: number): void {
    const delta = w - this.weights[i];
    if (delta === 0) return;
    this.weights[i] = w;
    for (let j = i + 1; j <= this.n; j += j & -j) this.tree[j] += delta;
  }

  /** Sum of weights [0, i). */
  prefix(i: number): number {
    let s = 0;
    for (let j = i; j > 0; j -= j & -j) s += this.tree[j];
    return s;
  }

  /** Sum of weights [lo, hi). */
  range(lo: number, hi: number): number {
    return this.prefix(hi) - this.prefix(lo);
  }

  /**
   * Index in [lo, hi) drawn with probability ∝ weight (u uniform on (0, 1)); −1 when the range has no
   * weight. Rounding drift of the running sums is absorbed by stepping to the nearest positive weight.
   */
  sample(lo: number, hi: number, u: number): number {
    const base = this.prefix(lo);
    const total = this.prefix(hi) - base;
    if (!(total > 1e-12)) return -1;
    let target = base + u * total;
    let pos = 0;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.n && this.tree[next] < target) {
        pos = next;
        target -= this.tree[next];
      }
    }
    let i = Math.min(Math.max(pos, lo), hi - 1);
    if (this.weights[i] > 0) return i;
    for (let d = 1; d < hi - lo; d++) {
      if (i + d < hi && this.weights[i + d] > 0) return i + d;
      if (i - d >= lo && this.weights[i - d] > 0) return i - d;
    }
    i = -1;
    return i;
  }
}

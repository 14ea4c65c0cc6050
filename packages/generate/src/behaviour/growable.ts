/**
 * A typed column that grows by doubling (amortised O(1) push, 1–2× the final size in memory): for
 * simulation output whose length is known only at the end, instead of a number[] per column.
 */
export class GrowableColumn<A extends Int32Array | Float64Array | Uint8Array> {
  private data: A;
  n = 0;

  constructor(
    private readonly make: (n: number) => A,
    capacity = 4096,
  ) {
    this.data = make(capacity);
  }

  push(x: number): void {
    if (this.n === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = x;
  }

  /** The values pushed so far, as an array of exactly that length (a copy). */
  toArray(): A {
    return this.data.slice(0, this.n) as A;
  }
}

export const int32Column = (): GrowableColumn<Int32Array> => new GrowableColumn((n) => new Int32Array(n));
export const float64Column = (): GrowableColumn<Float64Array> => new GrowableColumn((n) => new Float64Array(n));
export const uint8Column = (): GrowableColumn<Uint8Array> => new GrowableColumn((n) => new Uint8Array(n));

/**
 * A Gamma(shape, 1) draw by Marsaglia and Tsang's squeeze method ("A simple method for generating gamma
 * variables", ACM TOMS 26(3), 2000), from keyed draws so it is deterministic: `normal(j)` and `uniform(j)`
 * give the j-th standard normal and uniform on (0, 1) of the entity (j = 0, 1, … per rejected try; a try is
 * accepted with probability above 0.95 for every shape, so a few draws suffice). Shapes below 1 use
 * Gamma(shape + 1) · U^(1/shape) (the uniform is draw `uniform(MAX_TRIES)`). Returns a value ≥ 0 with mean
 * `shape`; shape must be > 0. After MAX_TRIES rejections (probability < 1e-60) the mean is returned.
 */
export function gammaDraw(shape: number, normal: (j: number) => number, uniform: (j: number) => number): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  const a = shape < 1 ? shape + 1 : shape;
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  let g = a;
  for (let j = 0; j < MAX_TRIES; j++) {
    const x = normal(j);
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = uniform(j);
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
      g = d * v;
      break;
    }
  }
  return shape < 1 ? g * Math.pow(uniform(MAX_TRIES), 1 / shape) : g;
}

/** Tries of the squeeze method before giving up (each rejected with probability < 0.05). */
const MAX_TRIES = 48;

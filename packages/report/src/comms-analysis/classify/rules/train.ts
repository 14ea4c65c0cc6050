import type { SparseVector } from './features.js';
import { predictProba, type DenseHead, type ModelHead } from './model.js';

/**
 * Multinomial logistic regression trained with FTRL-Proximal (McMahan et al. 2013, "Ad click prediction:
 * a view from the trenches"), per coordinate and class: L1 keeps the hashed model sparse (small model
 * file), L2 keeps weights small. Deterministic: samples are visited in an order drawn from `seed`.
 */
export interface TrainSample {
  x: SparseVector;
  /** Class index. */
  y: number;
  /** Sample weight (hand-written items count more than generated ones). */
  w: number;
}

export interface FtrlOptions {
  epochs: number;
  alpha: number;
  beta: number;
  l1: number;
  l2: number;
  seed: number;
  /** Weights smaller than this in absolute value are dropped from the written head (default 0: none). */
  prune?: number;
}

/** mulberry32: a small seeded PRNG in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(n: number, rand: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * Train one head; returns it in the model-file shape: temperature 1, weights rounded to 4 decimals, weights
 * below `o.prune` in absolute value set to 0, and buckets whose weights are all 0 left out.
 */
export function trainSoftmax(samples: readonly TrainSample[], classes: readonly string[], dim: number, o: FtrlOptions): ModelHead {
  const k = classes.length;
  const z = new Float64Array(dim * k);
  const n = new Float64Array(dim * k);
  const bz = new Float64Array(k);
  const bn = new Float64Array(k);
  const weight = (zi: number, ni: number, l1: number, l2: number) => (Math.abs(zi) <= l1 ? 0 : -(zi - Math.sign(zi) * l1) / ((o.beta + Math.sqrt(ni)) / o.alpha + l2));
  const rand = mulberry32(o.seed);
  const logits = new Float64Array(k);
  const wcache = new Float64Array(k);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const s of shuffled(samples.length, rand)) {
      const { x, y, w } = samples[s];
      for (let c = 0; c < k; c++) logits[c] = weight(bz[c], bn[c], 0, 0);
      for (let j = 0; j < x.idx.length; j++) {
        const base = x.idx[j] * k;
        for (let c = 0; c < k; c++) logits[c] += weight(z[base + c], n[base + c], o.l1, o.l2) * x.val[j];
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, logits[c]);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += (logits[c] = Math.exp(logits[c] - max));
      for (let c = 0; c < k; c++) {
        const g = (logits[c] / sum - (c === y ? 1 : 0)) * w;
        const bw = weight(bz[c], bn[c], 0, 0);
        bz[c] += g - ((Math.sqrt(bn[c] + g * g) - Math.sqrt(bn[c])) / o.alpha) * bw;
        bn[c] += g * g;
        wcache[c] = g;
      }
      for (let j = 0; j < x.idx.length; j++) {
        const base = x.idx[j] * k;
        for (let c = 0; c < k; c++) {
          const g = wcache[c] * x.val[j];
          const i = base + c;
          const wi = weight(z[i], n[i], o.l1, o.l2);
          z[i] += g - ((Math.sqrt(n[i] + g * g) - Math.sqrt(n[i])) / o.alpha) * wi;
          n[i] += g * g;
        }
      }
    }
  }
  const index: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < dim; i++) {
    const row = Array.from({ length: k }, (_, c) => {
      const v = round4(weight(z[i * k + c], n[i * k + c], o.l1, o.l2));
      return Math.abs(v) < (o.prune ?? 0) ? 0 : v;
    });
    if (row.some((v) => v !== 0)) {
      index.push(i);
      weights.push(...row);
    }
  }
  return { classes: [...classes], bias: Array.from({ length: k }, (_, c) => round4(weight(bz[c], bn[c], 0, 0))), temperature: 1, index, weights };
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** Mean negative log-likelihood of the true classes. */
export function meanNll(head: DenseHead, samples: readonly TrainSample[]): number {
  let s = 0;
  for (const t of samples) s -= Math.log(Math.max(predictProba(head, t.x)[t.y], 1e-12));
  return samples.length > 0 ? s / samples.length : 0;
}

/**
 * Temperature scaling (the multiclass form of Platt scaling; Guo et al. 2017): the T in [0.2, 10] that
 * minimises the dev set's NLL, by golden-section search on log T. Fitted on dev, never on train.
 */
export function fitTemperature(head: DenseHead, dev: readonly TrainSample[]): number {
  if (dev.length === 0) return 1;
  const nll = (logT: number) => meanNll({ ...head, temperature: Math.exp(logT) }, dev);
  let a = Math.log(0.2);
  let b = Math.log(10);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 60; it++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (nll(c) < nll(d)) b = d;
    else a = c;
  }
  return Math.round(Math.exp((a + b) / 2) * 1000) / 1000;
}

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { SparseVector } from './features.js';
import { LEXICON_DIR } from './lexicon.js';

/**
 * The committed model file (`classify/rules/model/classifier.json`, written by `pnpm train:classifier`):
 * multinomial logistic-regression heads over hashed features — thread relevance, thread theme (trained on
 * positive threads), NLQ theme and, optionally, hard_negative vs negative (trained on the threads that are
 * not positive) — each with a temperature fitted on the dev sets, plus the
 * feature options they were trained with. Weights are stored sparsely (bucket index, then one weight per
 * class), rounded to 4 decimals, near-zero weights pruned.
 */
export const MODEL_FILE = fileURLToPath(new URL('../../../../src/comms-analysis/classify/rules/model/classifier.json', import.meta.url));
export const MODEL_FORMAT = 'dnr-rules-classifier/2';

/**
 * A numeric array checked in one pass: `z.array(z.number())` builds a result per element, which on the
 * model's ~0.8 M weights costs most of a second at every start-up (run-report reads the model once).
 */
const numbers = (what: string, ok: (x: number) => boolean) =>
  z.custom<number[]>((v) => Array.isArray(v) && v.every((x) => typeof x === 'number' && ok(x)), `expected an array of ${what}`);

const HeadSchema = z.object({
  classes: z.array(z.string()).min(2),
  bias: z.array(z.number()),
  temperature: z.number().positive(),
  index: numbers('non-negative integers', (x) => Number.isInteger(x) && x >= 0),
  weights: numbers('finite numbers', Number.isFinite),
});
export type ModelHead = z.infer<typeof HeadSchema>;

const FeatureOptionsSchema = z
  .object({
    pool: z.enum(['sum', 'max', 'both']),
    replyWeight: z.number().nonnegative(),
    charNgrams: z.tuple([z.number().int().positive(), z.number().int().positive()]).nullable(),
    subject: z.boolean(),
    themeHits: z.boolean(),
    lexCounts: z.boolean().optional(),
    groupNorm: z.boolean().optional(),
    nlqCharScale: z.number().positive().optional(),
    problemNear: z.number().int().nonnegative().optional(),
    quoted: z.number().nonnegative().optional(),
  })
  .strict();

const ModelSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.string(),
  seed: z.number().int(),
  dim: z.number().int().positive(),
  /** The feature choices the heads were trained with (scoring must compute the same features). */
  features: FeatureOptionsSchema,
  lexicon_sha256: z.string(),
  /** `not_relevant` (optional): hard_negative vs negative, trained on the threads that are not positive. */
  heads: z.object({ relevance: HeadSchema, theme: HeadSchema, nlq_theme: HeadSchema, not_relevant: HeadSchema.optional() }),
  training: z.record(z.unknown()),
});
export type ModelFile = z.infer<typeof ModelSchema>;

/** A head expanded to a dense weight table (dim × classes) for fast scoring. */
export interface DenseHead {
  classes: string[];
  bias: Float64Array;
  temperature: number;
  w: Float32Array;
}

export interface LoadedModel {
  file: ModelFile;
  relevance: DenseHead;
  theme: DenseHead;
  nlqTheme: DenseHead;
  /** hard_negative vs negative for a thread the relevance head does not call positive (when the model has it). */
  notRelevant: DenseHead | null;
}

export function densify(head: ModelHead, dim: number): DenseHead {
  const k = head.classes.length;
  const w = new Float32Array(dim * k);
  head.index.forEach((i, j) => {
    for (let c = 0; c < k; c++) w[i * k + c] = head.weights[j * k + c];
  });
  return { classes: head.classes, bias: Float64Array.from(head.bias), temperature: head.temperature, w };
}

/** Class probabilities: softmax(logits / temperature). */
export function predictProba(head: DenseHead, x: SparseVector): Float64Array {
  const k = head.classes.length;
  const z = Float64Array.from(head.bias);
  for (let j = 0; j < x.idx.length; j++) {
    const base = x.idx[j] * k;
    const v = x.val[j];
    for (let c = 0; c < k; c++) z[c] += head.w[base + c] * v;
  }
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, z[c] / head.temperature);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    z[c] = Math.exp(z[c] / head.temperature - max);
    sum += z[c];
  }
  for (let c = 0; c < k; c++) z[c] /= sum;
  return z;
}

/** sha256 over the lexicon files (name and content, sorted): a model trained on another lexicon is stale. */
export function lexiconDigest(dir: string = LEXICON_DIR): string {
  const h = createHash('sha256');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    h.update(f);
    h.update(readFileSync(path.join(dir, f)));
  }
  return h.digest('hex');
}

/** Parse and check a model file; throws an Error naming the file when it is missing or malformed. */
export function readModelFile(file: string = MODEL_FILE): ModelFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err: unknown) {
    throw new Error(`rules classifier model ${file} cannot be read (${(err as Error).message}); run \`pnpm train:classifier\``);
  }
  const parsed = ModelSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`rules classifier model ${file} is not a ${MODEL_FORMAT} file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

let cached: LoadedModel | undefined;
/** The committed model, read on first use (so `--help` and commands that do not classify never pay for it). */
export function rulesModel(): LoadedModel {
  if (!cached) {
    const file = readModelFile();
    cached = { file, relevance: densify(file.heads.relevance, file.dim), theme: densify(file.heads.theme, file.dim), nlqTheme: densify(file.heads.nlq_theme, file.dim), notRelevant: file.heads.not_relevant ? densify(file.heads.not_relevant, file.dim) : null };
  }
  return cached;
}

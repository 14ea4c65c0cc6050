import { round } from '../metrics/health.js';

/** Weights of the confidence parts (formula in docs/scoring.md: 0.45·class + 0.25·entity + 0.20·coverage + 0.10·agreement). */
export const CONFIDENCE_WEIGHTS = { class_conf: 0.45, entity_conf: 0.25, coverage: 0.2, agreement: 0.1 } as const;

export type ConfidenceParts = Record<keyof typeof CONFIDENCE_WEIGHTS, number | null>;

/**
 * Confidence from the parts that were observed: Σ wᵢ·partᵢ ÷ Σ wᵢ over the non-null parts. With every
 * part observed (comms analysed) this is the documented formula. Without comms the classifier and entity
 * parts are null (nothing was classified), so confidence rests on what was measured: coverage (share
 * of window days with data) and agreement (share of those days on which the problem showed).
 * 0 when no part was observed.
 */
export function confidenceOf(parts: ConfidenceParts): number {
  let num = 0;
  let den = 0;
  for (const [k, w] of Object.entries(CONFIDENCE_WEIGHTS) as Array<[keyof ConfidenceParts, number]>) {
    const v = parts[k];
    if (v == null) continue;
    num += w * v;
    den += w;
  }
  return den > 0 ? round(num / den, 4) : 0;
}

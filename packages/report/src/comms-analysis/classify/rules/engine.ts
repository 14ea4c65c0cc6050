import { RELEVANCES, THEMES, type Relevance, type Theme } from '@dnr/core';
import type { CommsThread, NlqItem, Prediction } from '../../types.js';
import { hashFeatures, itemFeatures, type FeatureItem, type SparseVector } from './features.js';
import { predictProba, rulesModel, type LoadedModel } from './model.js';

/**
 * The offline engine (`--engine rules`): the learned classifier in `model/classifier.json` over the
 * features of `features.ts`. Same output shape as the LLM engine, zero spend. Confidence is calibrated
 * (temperature fitted on the dev sets): for a positive thread P(positive) × P(theme), else P(relevance).
 */
export interface RulesDecision {
  relevance: Relevance;
  theme: Theme | null;
  confidence: number;
  /** Calibrated class probabilities of each head. */
  probabilities: { relevance: Record<string, number>; theme: Record<string, number> };
}

export function threadFeatureItem(t: CommsThread): FeatureItem {
  return { source: t.source, messages: t.messages };
}

export function nlqFeatureItem(q: NlqItem): FeatureItem {
  return { source: 'nlq', messages: [{ text: q.text, role: q.role, isRoot: true, hasCode: false, linkDomains: [], attachmentNames: [] }], sql: q.sql };
}

function argmax(p: Float64Array): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
}

const asRecord = (classes: readonly string[], p: Float64Array): Record<string, number> => Object.fromEntries(classes.map((c, i) => [c, round4(p[i])]));
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * Relevance probabilities in the relevance head's class order and the decided class. Without a
 * not-relevant head: the relevance head's argmax. With one, relevance is two decisions: positive or not
 * (the relevance head's argmax is positive or not), then hard_negative vs negative for the rest, with
 * P(hard_negative) = P(not positive) × P(hard_negative | not positive) from the not-relevant head.
 */
function relevanceOf(model: LoadedModel, x: SparseVector): { p: Float64Array; r: number } {
  const rel = predictProba(model.relevance, x);
  const r = argmax(rel);
  const nrHead = model.notRelevant;
  if (!nrHead) return { p: rel, r };
  const pos = model.relevance.classes.indexOf('positive');
  const nr = predictProba(nrHead, x);
  const p = Float64Array.from(model.relevance.classes, (c, i) => (i === pos ? rel[pos] : (1 - rel[pos]) * (nr[nrHead.classes.indexOf(c)] ?? 0)));
  if (r === pos) return { p, r };
  return { p, r: model.relevance.classes.indexOf(nrHead.classes[argmax(nr)]) };
}

export function decideThread(thread: CommsThread): RulesDecision {
  const model = rulesModel();
  const x = hashFeatures(itemFeatures(threadFeatureItem(thread), model.file.features), model.file.dim);
  const { p: rel, r } = relevanceOf(model, x);
  const theme = predictProba(model.theme, x);
  const t = argmax(theme);
  const relevance = model.relevance.classes[r] as Relevance;
  const positive = relevance === 'positive';
  return {
    relevance,
    theme: positive ? (model.theme.classes[t] as Theme) : null,
    confidence: round4(positive ? rel[r] * theme[t] : rel[r]),
    probabilities: { relevance: asRecord(model.relevance.classes, rel), theme: asRecord(model.theme.classes, theme) },
  };
}

/** NLQs always carry a theme. */
export function decideNlq(item: NlqItem): { theme: Theme; confidence: number; probabilities: Record<string, number> } {
  const model = rulesModel();
  const p = predictProba(model.nlqTheme, hashFeatures(itemFeatures(nlqFeatureItem(item), model.file.features), model.file.dim));
  const t = argmax(p);
  return { theme: model.nlqTheme.classes[t] as Theme, confidence: round4(p[t]), probabilities: asRecord(model.nlqTheme.classes, p) };
}

/** The rules engine over threads: same output shape as the LLM engine, zero spend. */
export function classifyRulesThreads(threads: readonly CommsThread[]): Prediction[] {
  return threads.map((t) => {
    const d = decideThread(t);
    return { id: t.id, source: t.source, relevance: d.relevance, theme: d.theme, confidence: d.confidence, engine: 'rules', status: 'ok' };
  });
}

export function classifyRulesNlq(items: readonly NlqItem[]): Prediction[] {
  return items.map((q) => {
    const d = decideNlq(q);
    return { id: q.id, source: 'nlq', relevance: null, theme: d.theme, confidence: d.confidence, engine: 'rules', status: 'ok' };
  });
}

/** Class lists the heads must have (checked by the training script and the model test). */
export const HEAD_CLASSES = { relevance: RELEVANCES, theme: THEMES } as const;

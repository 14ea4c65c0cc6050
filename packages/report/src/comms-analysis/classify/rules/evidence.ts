import { THEMES, type Theme } from '@dnr/core';
import { featureText } from '../../text.js';
import type { CommsMessage } from '../../types.js';
import { lexicon } from './lexicon.js';

/**
 * Lexicon evidence of one message (sums of entry weights by kind), for the prefilter's keyword score
 * and the LLM prompt's message ranking. The learned classifier reads the same hits as features instead.
 */
export interface MessageEvidence {
  themes: Record<Theme, number>;
  dataSense: number;
  trap: number;
  problem: number;
}

const cache = new WeakMap<CommsMessage, MessageEvidence>();

export function textEvidence(raw: string): MessageEvidence {
  const text = featureText(raw);
  const lex = lexicon().byKind;
  const themes = Object.fromEntries(THEMES.map((t) => [t, 0])) as Record<Theme, number>;
  for (const e of lex.phrase) if (e.theme && e.re.test(text)) themes[e.theme] += e.weight;
  const sum = (list: typeof lex.phrase) => list.reduce((s, e) => s + (e.re.test(text) ? e.weight : 0), 0);
  return { themes, dataSense: sum(lex.data_sense), trap: sum(lex.trap_sense), problem: sum(lex.problem_cue) };
}

/** Evidence of one message, computed once. */
export function messageEvidence(m: CommsMessage): MessageEvidence {
  let e = cache.get(m);
  if (!e) {
    e = textEvidence(m.text);
    cache.set(m, e);
  }
  return e;
}

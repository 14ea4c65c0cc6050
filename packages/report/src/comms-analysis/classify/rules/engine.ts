import { THEMES, type Relevance, type Role, type Theme } from '@dnr/core';
import { clamp01, logistic, normalizeText, scoreAndMask, scorePatterns } from '../../text.js';
import type { CommsMessage, CommsThread, NlqItem, Prediction } from '../../types.js';
import { DATA_SENSE, DATA_TOOL_DOMAINS, DATA_WORDS, PROBLEM_CUES, THEME_LEXICON, TRAP_SENSE } from './lexicon.js';


import { sqlThemeCues } from './sql-cues.js';
import { unknownAttributeCue } from './attribute-cue.js';
import { THEME_VOCAB } from './vocab.js';

/** Most that single-word vocabulary can add to one theme in one message. */
const VOCAB_CAP = 0.9;

/** Evidence gathered from one piece of text. */
export interface TextEvidence {
  themes: Record<Theme, number>;
  dataSense: number;
  trap: number;
  /** 1 when a bare data word (join, merge, record, key, …) is left after masking everyday phrases. */
  dataWords: number;
  /** Generic problem language ("looks wrong", "jumped", "is blank"), whatever the theme. */
  problem: number;
  tags: string[];
}

const zeroThemes = (): Record<Theme, number> => Object.fromEntries(THEMES.map((t) => [t, 0])) as Record<Theme, number>;

/**
 * Chat drops apostrophes ("isnt", "dont", "doesnt"): restore them so every negated pattern, written
 * with `n'?t`, and every pattern written with the apostrophe, reads the text the same way.
 */
const CONTRACTIONS = /\b(is|are|was|were|do|does|did|has|have|had|wo|ca|could|should|would|must)nt\b/g;
export function expandContractions(text: string): string {
  return text.replace(CONTRACTIONS, (_m, w: string) => `${w}n't`);
}

export function textEvidence(raw: string): TextEvidence {
  // Everyday senses first: their words are masked before the data lexicon looks at the text.
  const h = scoreAndMask(expandContractions(normalizeText(raw)), TRAP_SENSE);
  const text = h.masked;
  const themes = zeroThemes();
  const tags: string[] = [];
  for (const t of THEMES) {
    const s = scorePatterns(text, THEME_LEXICON[t]);
    // Single words add up, but never to more than a strong phrase would.
    const v = scorePatterns(text, THEME_VOCAB[t]);
    themes[t] = s.score + Math.min(v.score, VOCAB_CAP);
    for (const tag of s.tags) tags.push(`${t}:${tag}`);
    for (const tag of v.tags) tags.push(`${t}~${tag}`);
  }
  const d = scorePatterns(text, DATA_SENSE);
  const dataWords = scorePatterns(text, DATA_WORDS).score > 0 ? 1 : 0;
  const p = scorePatterns(text, PROBLEM_CUES);
  for (const tag of h.tags) tags.push(`trap:${tag}`);
  for (const tag of p.tags) tags.push(`problem:${tag}`);
  return { themes, dataSense: d.score, trap: h.score, dataWords, problem: p.score, tags };
}

/** SQL pasted in a message even when the export did not flag it as code. */
const CODE_IN_TEXT = /```|\bselect\b[\s\S]{1,200}\bfrom\b/i;

const evidenceCache = new WeakMap<CommsMessage, TextEvidence>();

/** Evidence of one message, computed once (the prefilter and the rules engine both read it). */
export function messageEvidence(m: CommsMessage): TextEvidence {
  let e = evidenceCache.get(m);
  if (!e) {
    e = textEvidence(m.text);
    evidenceCache.set(m, e);
  }
  return e;
}

/**
 * How much a message counts toward the thread's evidence: the root states the problem; replies of
 * data roles add context; execs are read in full (SPEC §7.3 role-aware input).
 */
export function messageWeight(isRoot: boolean, role: Role): number {
  const roleW: Record<Role, number> = {
    exec: 1.0,
    data_eng: 1.0,
    analytics_eng: 1.0,
    bi: 1.0,
    product_analytics: 0.95,
    eng_platform: 0.95,
    pm: 0.9,
    finance: 0.95,
    other: 0.8,
  };
  return (isRoot ? 1.0 : 0.75) * roleW[role];
}

export interface RulesDecision {
  relevance: Relevance;
  theme: Theme | null;
  confidence: number;
  /** Theme evidence after weighting, for explanations and tests. */
  evidence: TextEvidence;
}

function rankThemes(themes: Record<Theme, number>): Array<[Theme, number]> {
  return (Object.entries(themes) as Array<[Theme, number]>).sort((a, b) => b[1] - a[1] || THEMES.indexOf(a[0]) - THEMES.indexOf(b[0]));
}

/** Thresholds of the relevance decision (tuned on the generated corpus, checked on hand-written items). */
export const RULES_THRESHOLDS = {
  /** Theme evidence needed to call a thread positive. */
  positive: 1.0,
  /** Trap evidence that, unless outweighed, makes a thread a hard negative. */
  trap: 0.7,
  /**
   * Theme evidence alone (no data context at all: no table, number, dashboard, tool) must be strong:
   * "a duplicate key for the storage room" has a duplicate-word but nothing around it is data.
   */
  minContext: 0.2,
  strongTheme: 1.8,
  /** Theme evidence plus contextWeight × data context (capped at 1.5) reaching `positive` also counts. */
  combinedMinTheme: 0.4,
  contextWeight: 0.5,
  /** A weaker theme cue suffices with this much data context. */
  weakTheme: 0.5,
  dataContext: 0.6,
  /**
   * A generic problem cue ("the numbers look wrong") with this much data context and no everyday
   * sense around it is a data problem even without a theme phrase; the theme is then the best weak
   * lead, or a metric-definition question when there is none (the numbers disagree with expectation).
   */
  problem: 0.4,
  problemContext: 0.35,
  /** Data-sense or weak theme evidence that makes a non-positive thread a hard negative. */
  surface: 0.9,
};

/** Combine message evidence of a thread into one decision. */
export function decideThread(thread: CommsThread): RulesDecision {
  const ev: TextEvidence = { themes: zeroThemes(), dataSense: 0, trap: 0, dataWords: 0, problem: 0, tags: [] };
  for (const m of thread.messages) {
    const e = messageEvidence(m);
    const w = messageWeight(m.isRoot, m.role);
    for (const t of THEMES) ev.themes[t] += w * e.themes[t];
    ev.dataSense += w * e.dataSense;
    ev.trap += w * e.trap;
    ev.problem += w * e.problem;
    ev.dataWords = Math.max(ev.dataWords, e.dataWords);
    ev.tags.push(...e.tags);
    if (m.hasCode || CODE_IN_TEXT.test(m.text)) {
      ev.dataSense += 0.5 * w;
      const cues = sqlThemeCues(m.text);
      for (const t of THEMES) ev.themes[t] += 0.5 * w * cues[t];
    }
    if (m.linkDomains.some((d) => DATA_TOOL_DOMAINS.includes(d))) ev.dataSense += 0.3 * w;
    if (m.attachmentNames.some((a) => /\.(?:csv|sql|ipynb|parquet|xlsx)$/i.test(a))) ev.dataSense += 0.3 * w;
  }
  return decideFromEvidence(ev);
}

export function decideFromEvidence(ev: TextEvidence): RulesDecision {
  const ranked = rankThemes(ev.themes);
  const [bestTheme, best] = ranked[0];
  const second = ranked[1][1];
  const T = RULES_THRESHOLDS;
  // Theme evidence, helped a little by general data talk, must outweigh everyday senses of data words.
  const support = best + 0.25 * Math.min(ev.dataSense, 2);
  // A weaker theme cue counts when the thread is plainly about data (tables, dashboards, pipelines) and not a near miss.
  // Or a modest theme cue that, together with the data context around it, reaches the bar.
  const combined = best >= T.combinedMinTheme && best + T.contextWeight * Math.min(ev.dataSense, 1.5) >= T.positive && ev.trap < 0.5;
  const isPositive =
    ((best >= T.positive && (ev.dataSense >= T.minContext || best >= T.strongTheme)) || (best >= T.weakTheme && ev.dataSense >= T.dataContext && ev.trap < 0.5) || combined) && support > 0.8 * ev.trap;
  if (isPositive) {
    const relP = logistic(1.6 * (support - 0.8 * ev.trap - T.positive) + 1.0);
    const themeP = logistic(1.5 * (best - second) + 0.6 * (best / (best + second + 0.5)) - 0.2);
    return { relevance: 'positive', theme: bestTheme, confidence: round4(clamp01(relP * themeP)), evidence: ev };
  }
  if (ev.problem >= T.problem && ev.dataSense >= T.problemContext && ev.trap < 0.5) {
    const theme: Theme = best > 0 ? bestTheme : 'metric_definition_mismatch';
    const relP = logistic(1.2 * (Math.min(ev.problem, 1.5) + 0.5 * Math.min(ev.dataSense, 2) - 1));
    const themeP = best > 0 ? logistic(1.5 * (best - second) + 0.3) : 0.3;
    return { relevance: 'positive', theme, confidence: round4(clamp01(relP * themeP)), evidence: ev };
  }
  const surface = ev.dataSense + best;
  if (ev.trap >= T.trap) {
    // An everyday sense of a data word, and not enough theme evidence to outweigh it.
    const margin = Math.min(ev.trap - T.trap, 1.5) + Math.min(Math.max(T.positive - best, 0), 1);
    return { relevance: 'hard_negative', theme: null, confidence: round4(logistic(0.9 + 1.2 * margin)), evidence: ev };
  }
  if (surface >= T.surface || ev.dataWords > 0) {
    // Data words without a theme and without a recognised everyday sense: the least certain call.
    return { relevance: 'hard_negative', theme: null, confidence: round4(logistic(-0.1 + 1.2 * Math.min(surface - T.surface, 2))), evidence: ev };
  }
  return { relevance: 'negative', theme: null, confidence: round4(logistic(1.2 + 3 * (T.surface - surface))), evidence: ev };
}

/** NLQs always carry a theme: text evidence first, SQL structure second, a prior last. */
export function decideNlq(item: NlqItem): { theme: Theme; confidence: number; evidence: TextEvidence } {
  const ev = textEvidence(item.text);
  ev.themes.new_field_schema_request += 0.9 * unknownAttributeCue(normalizeText(item.text));
  if (item.sql) {
    const cues = sqlThemeCues(item.sql);
    for (const t of THEMES) ev.themes[t] += 0.6 * cues[t];
  }
  const ranked = rankThemes(ev.themes);
  const [bestTheme, best] = ranked[0];
  const second = ranked[1][1];
  if (best <= 0) return { theme: 'metric_definition_mismatch', confidence: 0.2, evidence: ev };
  const p = logistic(1.4 * (best - second) + 0.8 * Math.min(best, 2) + 0.3);
  return { theme: bestTheme, confidence: round4(clamp01(p)), evidence: ev };
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

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

import { countTokens, RELEVANCES, THEMES, type AnswerSchema, type ChatMessage, type Relevance, type Theme } from '@dnr/core';
import type { CommsMessage, CommsThread, NlqItem } from '../../types.js';
import { cleanMessageText } from '../../text.js';
import { messageEvidence } from '../rules/evidence.js';

const THEME_GUIDE: Record<Theme, string> = {
  metric_definition_mismatch: 'the same metric differs between dashboards/teams, unclear or conflicting KPI definitions',
  join_keys_orphans: 'joins drop rows, orphaned or missing foreign keys, ids not found in dimension tables',
  freshness_ingest_lag: 'stale or late data, ingestion/pipeline delays, missed refresh SLAs',
  duplicates_dedup: 'duplicate rows/events, double counting, de-duplication',
  access_permissions_pii: 'access to data/tables/dashboards, permissions, PII masking and privacy',
  new_field_schema_request: 'requests for new columns/fields, schema changes, fields written empty',
  revenue_coverage_mapping: 'revenue not mapped or not covered (categories, fees, invoices), ties to finance/ledger',
  attribution_funnel_gaps: 'marketing attribution, UTM/campaign data, conversion funnels, tracking gaps',
};

const THEME_LIST = THEMES.map((t) => `- ${t}: ${THEME_GUIDE[t]}`).join('\n');

export const THREAD_SYSTEM_PROMPT = `You label internal company conversations about data.
relevance: "positive" = someone raises a real data problem or data need; "hard_negative" = uses data-sounding words in an everyday sense (join the call, duplicate invite, office access badge); "negative" = unrelated chatter.
theme (only when positive, else null), one of:
${THEME_LIST}
Reply with JSON only: {"relevance":"positive|hard_negative|negative","theme":"<theme>|null","confidence":0.0-1.0}`;

export const NLQ_SYSTEM_PROMPT = `You label natural-language questions people typed into a BI tool by the data problem they are about.
theme, one of:
${THEME_LIST}
Reply with JSON only: {"theme":"<theme>","confidence":0.0-1.0}`;

const confidence = { type: 'number', description: '0.0 to 1.0' };
const nullableTheme = { anyOf: [{ type: 'string', enum: [...THEMES] }, { type: 'null' }] };

/** The thread answer's JSON Schema (sent in json_schema mode; strict: every key required, no others). */
export const THREAD_ANSWER_SCHEMA: AnswerSchema = {
  name: 'thread_label',
  schema: {
    type: 'object',
    properties: { relevance: { type: 'string', enum: [...RELEVANCES] }, theme: nullableTheme, confidence },
    required: ['relevance', 'theme', 'confidence'],
    additionalProperties: false,
  },
};

/** The NLQ answer's JSON Schema. */
export const NLQ_ANSWER_SCHEMA: AnswerSchema = {
  name: 'nlq_label',
  schema: {
    type: 'object',
    properties: { theme: { type: 'string', enum: [...THEMES] }, confidence },
    required: ['theme', 'confidence'],
    additionalProperties: false,
  },
};

const ROLE_LABEL = (m: CommsMessage) => `${m.isRoot ? 'root' : 'reply'} ${m.role}`;

function messageScore(m: CommsMessage): number {
  const e = messageEvidence(m);
  let s = e.dataSense;
  for (const v of Object.values(e.themes)) s += v;
  return s + (m.hasCode ? 0.5 : 0);
}

export interface ThreadInputOptions {
  maxInputTokens: number;
  maxMessages: number;
  model: string;
}

/**
 * Role-aware thread input: the root and every exec message always; then the
 * top-scored other messages (ties newest first) while the thread stays within the input-token
 * budget and message cap. Shown in time order.
 */
export function selectThreadMessages(thread: CommsThread, options: ThreadInputOptions): CommsMessage[] {
  const line = (m: CommsMessage) => `[${ROLE_LABEL(m)}] ${cleanMessageText(m.text)}`;
  const always = thread.messages.filter((m) => m.isRoot || m.role === 'exec');
  const chosen = new Set<CommsMessage>(always);
  let tokens = always.reduce((a, m) => a + countTokens(line(m), options.model) + 1, 0);
  const rest = thread.messages
    .filter((m) => !chosen.has(m))
    .map((m) => ({ m, score: messageScore(m) }))
    .sort((a, b) => b.score - a.score || b.m.ts.getTime() - a.m.ts.getTime());
  for (const { m } of rest) {
    if (chosen.size >= options.maxMessages) break;
    const t = countTokens(line(m), options.model) + 1;
    if (tokens + t > options.maxInputTokens) continue;
    chosen.add(m);
    tokens += t;
  }
  return thread.messages.filter((m) => chosen.has(m));
}

export function threadMessages(thread: CommsThread, options: ThreadInputOptions): ChatMessage[] {
  const selected = selectThreadMessages(thread, options);
  const body = selected.map((m) => `[${ROLE_LABEL(m)}] ${cleanMessageText(m.text).replace(/\s+/g, ' ').trim()}`).join('\n');
  const header = thread.source === 'slack' ? `Slack thread in a ${thread.bucket} channel:` : `Email thread on a ${thread.bucket} list:`;
  return [
    { role: 'system', content: THREAD_SYSTEM_PROMPT },
    { role: 'user', content: `${header}\n${body}` },
  ];
}

export function nlqMessages(item: NlqItem): ChatMessage[] {
  return [
    { role: 'system', content: NLQ_SYSTEM_PROMPT },
    { role: 'user', content: `Question: ${item.text.trim()}` },
  ];
}

const asTheme = (v: unknown): Theme | null | undefined =>
  v === null || v === undefined || v === 'null' || v === '' ? null : (THEMES as readonly string[]).includes(String(v)) ? (v as Theme) : undefined;

const asConfidence = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
};

/** Validate a thread answer; undefined when it does not follow the contract (counted as a parse error). */
export function parseThreadAnswer(json: unknown): { relevance: Relevance; theme: Theme | null; confidence: number } | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const relevance = o.relevance;
  if (relevance !== 'positive' && relevance !== 'hard_negative' && relevance !== 'negative') return undefined;
  const theme = asTheme(o.theme);
  const confidence = asConfidence(o.confidence);
  if (theme === undefined || confidence === undefined) return undefined;
  if (relevance === 'positive' && theme === null) return undefined;
  return { relevance, theme: relevance === 'positive' ? theme : null, confidence };
}

export function parseNlqAnswer(json: unknown): { theme: Theme; confidence: number } | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const theme = asTheme(o.theme);
  const confidence = asConfidence(o.confidence);
  if (!theme || confidence === undefined) return undefined;
  return { theme, confidence };
}

import type { AnswerSchema, Archetype, ChatMessage, LlmClient, LlmFatal } from '@dnr/core';
import { llmSpendJson, type LlmSpendJson } from '../classify/llm/clients.js';
import type { EntityMention } from '../types.js';
import { tableDictionary } from './dictionary.js';
import type { EntityInput } from './extract.js';

export function entityMessages(archetype: Archetype, item: EntityInput): ChatMessage[] {
  const dict = tableDictionary(archetype)
    .map((t) => `${t.table}(${t.columns.join(', ')})`)
    .join('\n');
  return [
    {
      role: 'system',
      content: `Find which warehouse tables and columns a message is about. Use only these tables:\n${dict}\nReply with JSON only: {"entities":[{"table":"<table>","column":"<column>|null","confidence":0.0-1.0}]} (empty list when none).`,
    },
    { role: 'user', content: item.text.replace(/\s+/g, ' ').trim().slice(0, 2000) },
  ];
}

/** Validate an entity answer against the dictionary; unknown tables/columns are dropped. */
export function parseEntityAnswer(archetype: Archetype, item: EntityInput, json: unknown): EntityMention[] | undefined {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { entities?: unknown }).entities)) return undefined;
  const dict = new Map(tableDictionary(archetype).map((t) => [t.table, new Set(t.columns)]));
  const out: EntityMention[] = [];
  for (const e of (json as { entities: unknown[] }).entities) {
    if (typeof e !== 'object' || e === null) continue;
    const o = e as Record<string, unknown>;
    const table = String(o.table ?? '');
    const cols = dict.get(table);
    if (!cols) continue;
    const column = o.column === null || o.column === undefined || o.column === 'null' ? null : String(o.column);
    if (column !== null && !cols.has(column)) continue;
    const c = Number(o.confidence);
    const confidence = Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0.5;
    out.push({ id: item.id, source: item.source, theme: item.theme, table, column, confidence: Math.round(confidence * 10_000) / 10_000, method: 'llm', engine: 'llm' });
  }
  return out;
}

/** The entity answer's JSON Schema (sent in json_schema mode). */
export function entityAnswerSchema(archetype: Archetype): AnswerSchema {
  const dict = tableDictionary(archetype);
  return {
    name: 'entities',
    schema: {
      type: 'object',
      properties: {
        entities: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              table: { type: 'string', enum: dict.map((t) => t.table) },
              column: { anyOf: [{ type: 'string' }, { type: 'null' }] },
              confidence: { type: 'number', description: '0.0 to 1.0' },
            },
            required: ['table', 'column', 'confidence'],
            additionalProperties: false,
          },
        },
      },
      required: ['entities'],
      additionalProperties: false,
    },
  };
}

/** What LLM entity extraction did; every count is reported in budget.json and the run summary. */
export interface EntityLlmOutcome {
  entities: EntityMention[];
  /** Items asked about (requests may be more: retries, repair requests). */
  asked: number;
  answered: number;
  parseErrors: number;
  refusals: number;
  /** Requests that failed after retries. */
  errors: number;
  /** Items not sent: the cap was reached or the endpoint was unusable. */
  notSent: number;
  earlyStop: boolean;
  /** First error, for the summary. */
  firstError: string | null;
  fatal: LlmFatal | null;
}

/**
 * LLM entity extraction under its own cap (entities.api_cap_usd): asked only for items where the
 * offline rules found nothing, so the small cap goes where it adds information. Stops at the first cap
 * refusal, and when the client declares the endpoint unusable.
 */
export async function extractEntitiesLlm(archetype: Archetype, items: readonly EntityInput[], client: LlmClient, concurrency: number): Promise<EntityLlmOutcome> {
  const out: EntityLlmOutcome = { entities: [], asked: 0, answered: 0, parseErrors: 0, refusals: 0, errors: 0, notSent: 0, earlyStop: false, firstError: null, fatal: null };
  const schema = entityAnswerSchema(archetype);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (out.earlyStop || client.fatal()) {
        out.notSent++;
        continue;
      }
      out.asked++;
      const r = await client.completeJson(entityMessages(archetype, item), { schema });
      if (r.status === 'cap_exceeded' || (r.status === 'error' && r.kind === 'fatal')) {
        out.asked--;
        out.notSent++;
        if (r.status === 'cap_exceeded') out.earlyStop = true;
      } else if (r.status === 'error') {
        out.errors++;
        out.firstError ??= r.reason;
      } else if (r.status === 'refusal') out.refusals++;
      else {
        const parsed = r.status === 'ok' ? parseEntityAnswer(archetype, item, r.json) : undefined;
        if (parsed) {
          out.answered++;
          out.entities.push(...parsed);
        } else out.parseErrors++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  out.fatal = client.fatal();
  return out;
}

export type EntitiesBudgetJson = LlmSpendJson & {
  model: string;
  cap_usd: number;
  items_asked: number;
  answered: number;
  parse_errors: number;
  refusals: number;
  errors: number;
  items_not_sent: number;
  early_stop: boolean;
  first_error: string | null;
};

/** The entities part of budget.json: spend and every outcome count of the LLM entity extraction. */
export function entitiesBudgetJson(model: string, capUsd: number, run: { client: LlmClient; outcome: EntityLlmOutcome } | null): EntitiesBudgetJson {
  const o = run?.outcome;
  return {
    model,
    cap_usd: capUsd,
    ...llmSpendJson(run?.client ?? null),
    items_asked: o?.asked ?? 0,
    answered: o?.answered ?? 0,
    parse_errors: o?.parseErrors ?? 0,
    refusals: o?.refusals ?? 0,
    errors: o?.errors ?? 0,
    items_not_sent: o?.notSent ?? 0,
    early_stop: o?.earlyStop ?? false,
    first_error: o?.firstError ?? null,
  };
}

import type { Archetype, ChatMessage, LlmClient } from '@dnr/core';
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

/**
 * LLM entity extraction under its own cap (entities.api_cap_usd): asked only for items where the
 * offline rules found nothing, so the small cap goes where it adds information. Stops at the first cap refusal.
 */
export async function extractEntitiesLlm(archetype: Archetype, items: readonly EntityInput[], client: LlmClient, concurrency: number): Promise<{ entities: EntityMention[]; earlyStop: boolean; parseErrors: number; errors: number }> {
  const entities: EntityMention[] = [];
  let earlyStop = false;
  let parseErrors = 0;
  let errors = 0;
  let next = 0;
  const worker = async () => {
    while (next < items.length && !earlyStop) {
      const item = items[next++];
      const r = await client.completeJson(entityMessages(archetype, item));
      if (r.status === 'cap_exceeded') earlyStop = true;
      else if (r.status === 'error') errors++;
      else {
        const parsed = r.status === 'ok' ? parseEntityAnswer(archetype, item, r.json) : undefined;
        if (parsed) entities.push(...parsed);
        else parseErrors++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { entities, earlyStop, parseErrors, errors };
}

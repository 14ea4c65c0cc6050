import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../io/atomic.js';
import type { AnswerSchema, ChatMessage, LlmUsage } from './types.js';

export interface CacheKeyParts {
  model: string;
  messages: readonly ChatMessage[];
  temperature: number;
  maxOutputTokens: number;
  /** The answer's schema (null: any JSON object). */
  schema?: AnswerSchema | null;
}

/**
 * Hash of everything that decides the answer: model, messages, temperature, output-token limit and
 * the answer's schema — never the API key or URL, and not the negotiated wire parameters (which
 * token-limit field or JSON mode carried them), so a re-run answers from the cache however the
 * server was reached.
 */
export function llmCacheKey(parts: CacheKeyParts): string {
  const canonical = JSON.stringify({
    v: 2,
    model: parts.model,
    messages: parts.messages.map((m) => [m.role, m.content]),
    temperature: parts.temperature,
    max_tokens: parts.maxOutputTokens,
    schema: parts.schema ? [parts.schema.name, parts.schema.schema] : null,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export interface CacheEntry {
  key: string;
  model: string;
  raw: string;
  /** The server's usage when it sent a complete one. */
  usage: LlmUsage | null;
}

/** One JSON file per answer under dir/ab/abcdef….json; corrupt or foreign entries read as misses. */
export class LlmDiskCache {
  constructor(private readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): CacheEntry | undefined {
    const file = this.file(key);
    if (!existsSync(file)) return undefined;
    try {
      const e = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheEntry>;
      const usageOk = e.usage === null || (typeof e.usage?.prompt_tokens === 'number' && typeof e.usage.completion_tokens === 'number');
      if (e.key !== key || typeof e.raw !== 'string' || !usageOk) {
        return undefined;
      }
      return e as CacheEntry;
    } catch {
      return undefined;
    }
  }

  set(entry: CacheEntry): void {
    writeJsonAtomic(this.file(entry.key), entry);
  }
}

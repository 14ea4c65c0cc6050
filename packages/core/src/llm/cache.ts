import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../io/atomic.js';
import type { ChatMessage, LlmUsage } from './types.js';

export interface CacheKeyParts {
  model: string;
  messages: readonly ChatMessage[];
  temperature: number;
  maxOutputTokens: number;
  responseFormat: string;
}

/** Hash of everything that changes the answer: model, messages and parameters (never the API key or URL). */
export function llmCacheKey(parts: CacheKeyParts): string {
  const canonical = JSON.stringify({
    v: 1,
    model: parts.model,
    messages: parts.messages.map((m) => [m.role, m.content]),
    temperature: parts.temperature,
    max_tokens: parts.maxOutputTokens,
    response_format: parts.responseFormat,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export interface CacheEntry {
  key: string;
  model: string;
  raw: string;
  usage: LlmUsage;
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
      if (e.key !== key || typeof e.raw !== 'string' || typeof e.usage?.prompt_tokens !== 'number' || typeof e.usage.completion_tokens !== 'number') {
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

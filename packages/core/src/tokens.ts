import type { Tiktoken, TiktokenEncoding } from 'tiktoken';
import { lazyModule } from './lazy.js';

const tiktoken = lazyModule<typeof import('tiktoken')>('tiktoken');

/**
 * Token counting with the model's own encoding (README (LLM endpoints)): gpt-4o / gpt-4.1 / o-series use o200k_base,
 * older gpt-4 / gpt-3.5 cl100k_base. Unknown models count with o200k_base: the cost guard reserves
 * a margin on top, so a slightly different tokenizer on a compatible server cannot overrun the cap.
 */
export function encodingForModel(model: string): TiktokenEncoding {
  const m = model.toLowerCase();
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o)/.test(m)) return 'o200k_base';
  if (/^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada)/.test(m)) return 'cl100k_base';
  return 'o200k_base';
}

const encoders = new Map<TiktokenEncoding, Tiktoken>();

function encoder(model: string): Tiktoken {
  const name = encodingForModel(model);
  let enc = encoders.get(name);
  if (!enc) {
    // Encoders live for the process: they are WASM objects and building one costs ~100 ms.
    enc = tiktoken().get_encoding(name);
    encoders.set(name, enc);
  }
  return enc;
}

export const DEFAULT_TOKEN_MODEL = 'gpt-4o-mini';

/** Number of tokens of `text` under the model's encoding (default gpt-4o-mini → o200k_base). */
export function countTokens(text: string, model: string = DEFAULT_TOKEN_MODEL): number {
  if (text.length === 0) return 0;
  return encoder(model).encode_ordinary(text).length;
}

/** The longest prefix of `text` (cut at a word boundary when possible) with at most `maxTokens` tokens. */
export function truncateToTokens(text: string, maxTokens: number, model: string = DEFAULT_TOKEN_MODEL): string {
  const enc = encoder(model);
  const ids = enc.encode_ordinary(text);
  if (ids.length <= maxTokens) return text;
  const decoded = new TextDecoder().decode(enc.decode(ids.slice(0, Math.max(0, maxTokens))));
  // A cut in the middle of a multi-byte character decodes to U+FFFD: drop it.
  let cut = decoded.replace(/\uFFFD+$/u, '');
  const space = cut.lastIndexOf(' ');
  if (space > cut.length * 0.6) cut = cut.slice(0, space);
  cut = cut.trimEnd();
  // Decoding and re-encoding can merge differently; shrink until the count holds.
  while (cut.length > 0 && enc.encode_ordinary(cut).length > maxTokens) cut = cut.slice(0, -1).trimEnd();
  return cut;
}

export interface TokenChatMessage {
  role: string;
  content: string;
  name?: string;
}

/**
 * Prompt tokens of a Chat Completions request, following OpenAI's published accounting:
 * 3 tokens per message (+1 with a name) and 3 to prime the reply.
 */
export function countChatTokens(messages: readonly TokenChatMessage[], model: string = DEFAULT_TOKEN_MODEL): number {
  let n = 3;
  for (const m of messages) {
    n += 3 + countTokens(m.role, model) + countTokens(m.content, model);
    if (m.name) n += 1 + countTokens(m.name, model);
  }
  return n;
}

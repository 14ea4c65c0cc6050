import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../io/atomic.js';
import { DIMENSIONS, ParamNegotiator, type RequestParams } from './params.js';

/**
 * What dnr learned about each (endpoint, model), shared by every client of the process and kept in
 * `{cache.dir}/endpoints.json` so the next run starts with parameters that work:
 * `{ "<endpoint> <model>": { tokenParam, temperature, jsonMode, stream, learned_at } }`.
 * The endpoint is stored without credentials (user:password@ and the query string are dropped).
 */

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** A base URL safe to print and store: no user info, no query string, no trailing slash. */
export function displayEndpoint(baseURL: string | undefined): string {
  const raw = baseURL || DEFAULT_BASE_URL;
  try {
    const u = new URL(raw);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return raw.replace(/\/\/[^/@]*@/, '//').replace(/\?.*$/, '').replace(/\/+$/, '');
  }
}

const registry = new Map<string, ParamNegotiator>();

const fileOf = (cacheDir: string) => path.join(cacheDir, 'endpoints.json');

function readLearned(cacheDir: string | null | undefined, key: string): Partial<RequestParams> | undefined {
  if (!cacheDir || !existsSync(fileOf(cacheDir))) return undefined;
  try {
    const all = JSON.parse(readFileSync(fileOf(cacheDir), 'utf8')) as Record<string, Partial<RequestParams>>;
    const entry = all[key];
    return entry && typeof entry === 'object' ? entry : undefined;
  } catch {
    // A corrupt file is ignored and rewritten on the next save.
    return undefined;
  }
}

/** The negotiator of (endpoint, model): the process's, else one seeded from the cache folder. */
export function negotiatorFor(baseURL: string | undefined, model: string, cacheDir: string | null | undefined): { key: string; negotiator: ParamNegotiator } {
  const key = `${displayEndpoint(baseURL)} ${model}`;
  let negotiator = registry.get(key);
  if (!negotiator) {
    negotiator = new ParamNegotiator(model, readLearned(cacheDir, key));
    registry.set(key, negotiator);
  }
  return { key, negotiator };
}

/** Save what works for (endpoint, model) in the cache folder (read-modify-write, atomic). */
export function saveLearned(cacheDir: string | null | undefined, key: string, params: RequestParams): void {
  if (!cacheDir) return;
  let all: Record<string, unknown> = {};
  try {
    if (existsSync(fileOf(cacheDir))) all = JSON.parse(readFileSync(fileOf(cacheDir), 'utf8')) as Record<string, unknown>;
  } catch {
    all = {};
  }
  const entry: Record<string, unknown> = Object.fromEntries(DIMENSIONS.map((d) => [d, params[d]]));
  all[key] = { ...entry, learned_at: new Date().toISOString() };
  writeJsonAtomic(fileOf(cacheDir), all);
}

/** Forget what was learned about (endpoint, model), in the process and in the cache folder (`dnr doctor` probes afresh). */
export function forgetLearned(cacheDir: string | null | undefined, baseURL: string | undefined, model: string): void {
  const key = `${displayEndpoint(baseURL)} ${model}`;
  registry.delete(key);
  if (!cacheDir || !existsSync(fileOf(cacheDir))) return;
  try {
    const all = JSON.parse(readFileSync(fileOf(cacheDir), 'utf8')) as Record<string, unknown>;
    if (!(key in all)) return;
    delete all[key];
    writeJsonAtomic(fileOf(cacheDir), all);
  } catch {
    // A corrupt file is rewritten by the next save.
  }
}

/** The file that keeps learned parameters. */
export const learnedParamsFile = (cacheDir: string): string => fileOf(cacheDir);

/** Forget the process's learned state (tests). */
export function resetNegotiators(): void {
  registry.clear();
}

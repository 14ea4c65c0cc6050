import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A heavy dependency loaded on first use instead of at import, so `dnr --help`, `dnr config` and flag
 * errors never pay for DuckDB, tiktoken, parquet-wasm or the OpenAI SDK. Sync (CommonJS `require`), so
 * sync callers such as token counting can use it; only for packages whose CommonJS entry is the one
 * every caller shares (not apache-arrow, whose ESM and CJS builds are different classes).
 */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(id) as T);
}

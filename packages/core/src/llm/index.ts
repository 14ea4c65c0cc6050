export { createLlmClient, retryAfterMs } from './client.js';
export { llmClientFromConfig } from './from-config.js';
export { estimateCostUsd, modelPrice, type CostInput } from './pricing.js';
export { CostGuard } from './guard.js';
export { llmCacheKey, LlmDiskCache, type CacheEntry, type CacheKeyParts } from './cache.js';
export { readLedger, SpendLedger, type LedgerEntry } from './ledger.js';
export { cleanJson, tryParseJson } from './json.js';
export type {
  ChatMessage,
  CompleteOptions,
  LlmClient,
  LlmClientOptions,
  LlmErrorKind,
  LlmFailureStatus,
  LlmPurpose,
  LlmResult,
  LlmSpend,
  LlmUsage,
} from './types.js';

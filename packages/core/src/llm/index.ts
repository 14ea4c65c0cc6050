export { createLlmClient, retryAfterMs } from './client.js';
export { llmClientFromConfig, purposeSettings, requestSettings, apiKeyFrom, defaultModelWarnings } from './from-config.js';
export { estimateCostUsd, modelPrice, type CostInput } from './pricing.js';
export { CostGuard } from './guard.js';
export { llmCacheKey, LlmDiskCache, type CacheEntry, type CacheKeyParts } from './cache.js';
export { readLedger, ledgerBookedUsd, openLedgerBookedUsd, resumeLedger, ledgerHistoryPath, SpendLedger, type LedgerEntry, type LedgerEvent } from './ledger.js';
export { parseJsonObject, tryParseJson } from './json.js';
export { extractAnswer, stripReasoning, type Answer, type ChoiceView } from './answer.js';
export { completeUsage, parseCompletionBody, type CompletionBody } from './response.js';
export { AUTO_SETTINGS, autoLadders, namedDimensions, ParamNegotiator, type RequestParams, type RequestSettings, type TokenParam, type TemperatureMode, type JsonMode, type StreamMode } from './params.js';
export { displayEndpoint, forgetLearned, resetNegotiators, DEFAULT_BASE_URL } from './capabilities.js';
export { LlmEndpointError, spendSoFar } from './errors.js';
export { FIRST_REQUESTS } from './failures.js';
export type {
  AnswerSchema,
  ChatMessage,
  CompleteOptions,
  LlmClient,
  LlmClientOptions,
  LlmErrorKind,
  LlmFailureStatus,
  LlmFatal,
  LlmPurpose,
  LlmResult,
  LlmSpend,
  LlmUsage,
} from './types.js';
export { probeLlmEndpoint, doctorLines, doctorFailure, LLM_PURPOSES, type DoctorReport, type PurposeProbe } from './doctor.js';

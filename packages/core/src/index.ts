export * from './errors.js';
export * from './config/index.js';
export * from './rng/index.js';
export * from './io/index.js';
export { Progress, mapChunks, pacer, yieldToEventLoop, formatSeconds, type ProgressOptions, type StepHandle, type StepTiming } from './progress.js';
export { closestMatch, didYouMean } from './suggest.js';
export { scaffoldProject, ENV_EXAMPLE, OUTPUT_FOLDERS, type ScaffoldOptions, type ScaffoldResult } from './scaffold.js';
export { countTokens, countChatTokens, truncateToTokens, encodingForModel, DEFAULT_TOKEN_MODEL, type TokenChatMessage } from './tokens.js';
export * from './llm/index.js';

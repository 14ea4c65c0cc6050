export type { AnalyzeCommsOptions, CommsAnalysis, CommsSource, SourceSummary, ThemeDemand, CommsThread, CommsMessage, NlqItem, CommsCorpus, Prediction, PredictionStatus, EntityMention } from './types.js';
export { analyzeComms, commsNotMeasured } from './analyze.js';
export { loadCommsCorpus } from './load.js';
export { prefilterThreads, scoreThread, type PrefilterOptions, type PrefilterResult, type BoostEvent } from './prefilter/prefilter.js';
export { sampleToFit, allocate, p90, type BudgetItem, type SampleToFitOptions, type SampleToFitResult } from './budget/sample-to-fit.js';
export { classifyRulesThreads, classifyRulesNlq, decideThread, decideNlq, threadFeatureItem, nlqFeatureItem, type RulesDecision } from './classify/rules/engine.js';
export { itemFeatures, hashFeatures, DEFAULT_FEATURE_OPTIONS, type FeatureItem, type FeatureOptions, type SparseVector } from './classify/rules/features.js';
export { trainSoftmax, fitTemperature, meanNll, type TrainSample, type FtrlOptions } from './classify/rules/train.js';
export { densify, predictProba, lexiconDigest, readModelFile, MODEL_FILE, MODEL_FORMAT, type ModelFile, type ModelHead, type DenseHead } from './classify/rules/model.js';
export { lexicon, loadLexicon, LEXICON_DIR, type LexiconEntry } from './classify/rules/lexicon.js';
export { cleanMessageText, featureText, normalizeText, quotedHistory, slackToWords, stripEmailQuoting } from './text.js';
export { linkKind, reduceLinks, LINK_WORD, type LinkKind } from './links.js';
export { classifyLlm, type LlmJob, type ClassifyLlmOptions, type ClassifyLlmResult } from './classify/llm/engine.js';
export { llmSummaryLine } from './classify/llm/summary.js';
export { threadMessages, nlqMessages, selectThreadMessages, parseThreadAnswer, parseNlqAnswer } from './classify/llm/prompt.js';
export { isThreadMet } from './classify/met.js';
export { extractEntitiesRules, type EntityInput } from './entities/extract.js';
export { extractEntitiesLlm } from './entities/llm.js';
export { tableDictionary } from './entities/dictionary.js';
export { computeDemand, sourceWeights, countsTowardDemand, type ComputeDemandOptions, type DemandResult, type DemandItemMeta } from './demand/demand.js';

import { classifyRulesNlq, classifyRulesThreads } from './classify/rules/engine.js';
import type { CommsThread, NlqItem, Prediction } from './types.js';
/** The offline rules engine over threads and NLQs, one call. */
export function classifyRules(threads: readonly CommsThread[], nlq: readonly NlqItem[] = []): Prediction[] {
  return [...classifyRulesThreads(threads), ...classifyRulesNlq(nlq)];
}
export { extractEntitiesRules as extractEntities } from './entities/extract.js';

export { evalLabels, evalGateFailure, type EvalLabelsOptions, type EvalLabelsResult } from './run.js';
export { encodeTask, confusionCounts, scoreConfusion, confusionMatrix, type EncodedTask, type Scores } from './metrics.js';
export { calibrate } from './calibration.js';
export { bootstrapIntervals } from './bootstrap.js';
export { renderEvalMarkdown } from './write.js';
export { renderVegaLitePng, renderVegaLiteSvg, confusionMatrixSpec, reliabilitySpec, type VegaLiteSpec } from './figures/index.js';
export * from './types.js';

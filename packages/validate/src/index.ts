export { validateOutputs, validateGateFailure, type ValidateOptions, type ValidateResult, type ValidateSummary } from './run.js';
export { GATE_FAMILIES } from './gates/index.js';
export { invoiceAggregates, eveningWindow } from './gates/guardrails.js';
export { renderValidateMarkdown } from './write.js';
export type { GateRow, GateFamily, Verdict, ValidateContext } from './types.js';

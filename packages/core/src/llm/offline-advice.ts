import type { LlmPurpose } from './types.js';

/**
 * What a user without a key can run instead, by who asked for the key: the advice names only flags the
 * asking command has (gen-comms has --engine template; run-report and quickstart have --no-llm and
 * --engine rules; doctor has no offline mode, so it names the commands that need no key).
 */
export const OFFLINE_ADVICE: Record<LlmPurpose | 'doctor', string> = {
  classify: 'or classify offline (--engine rules, or --no-llm to skip the network entirely).',
  entities: 'or classify offline (--engine rules, or --no-llm to skip the network entirely).',
  comms: 'or write the texts offline (--engine template).',
  doctor: 'doctor only probes the LLM endpoint; the offline paths need no key: `dnr quickstart --no-llm`, `dnr run-report --engine rules`, `dnr gen-comms --engine template`.',
};

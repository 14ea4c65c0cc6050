import type { GateFamily } from '../types.js';
import { behaviourGates } from './behaviour.js';
import { commsVolumeGates } from './comms-volumes.js';
import { defectGates } from './defects.js';
import { eventCorrelationGates } from './event-correlation.js';
import { goldenKpiGates } from './golden-kpis.js';
import { guardrailGates } from './guardrails.js';
import { llmSpendGates } from './llm-spend.js';
import { monetizationGates } from './monetization.js';
import { nlqGates } from './nlq.js';
import { reproducibilityGates } from './reproducibility.js';
import { schemaGates } from './schema.js';
import { seasonalityGates } from './seasonality.js';
import { taxonomyGates } from './taxonomy.js';
import { themeMixGates } from './theme-mix.js';
import { trajectoryGates } from './trajectory.js';
import { volumeGates } from './volumes.js';

/** Every gate family of docs/validate.md, in report order. */
export const GATE_FAMILIES: GateFamily[] = [
  schemaGates,
  volumeGates,
  defectGates,
  seasonalityGates,
  taxonomyGates,
  monetizationGates,
  trajectoryGates,
  behaviourGates,
  guardrailGates,
  goldenKpiGates,
  commsVolumeGates,
  themeMixGates,
  nlqGates,
  eventCorrelationGates,
  reproducibilityGates,
  llmSpendGates,
];

import type { Config } from '../config/index.js';
import { InputError } from '../errors.js';

export interface CostInput {
  model: string;
  inputTokens: number;
  outputTokens: number;
  pricing: Config['pricing'];
}

/** Price per million tokens of a model; fails closed (InputError) when the model has no price. */
export function modelPrice(model: string, pricing: Config['pricing']): { input_per_mtok: number; output_per_mtok: number } {
  const price = Object.prototype.hasOwnProperty.call(pricing, model) ? pricing[model] : undefined;
  if (!price || !Number.isFinite(price.input_per_mtok) || !Number.isFinite(price.output_per_mtok)) {
    throw new InputError(`No price for model "${model}" in the pricing table: the cost guard cannot call an unpriced model.`, {
      suggestion: `Add pricing."${model}" with input_per_mtok and output_per_mtok (USD per million tokens) to the config.`,
    });
  }
  return price;
}

/** USD cost of a request with the given token counts. */
export function estimateCostUsd({ model, inputTokens, outputTokens, pricing }: CostInput): number {
  const price = modelPrice(model, pricing);
  return (inputTokens * price.input_per_mtok + outputTokens * price.output_per_mtok) / 1_000_000;
}

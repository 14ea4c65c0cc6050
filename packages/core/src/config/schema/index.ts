import { z } from 'zod';
import { ClassificationSchema, EntitiesSchema } from './classification.js';
import { CommsSchema } from './comms.js';
import { PathsSchema } from './paths.js';
import { BudgetSchema, CacheSchema, EvalSchema, PricingSchema, ReportSchema, ValidateSchema } from './report.js';
import { WarehouseSchema } from './warehouse.js';
import { BehaviourSchema } from './behaviour/index.js';

export * from './common.js';
export { DEFAULT_SCALE_TARGETS } from './warehouse.js';
export { LlmRequestSchema, type LlmRequestConfig } from './classification.js';
export { commsVolumes, DEFAULT_COMMS_VOLUMES, type CommsVolumes } from './comms.js';
export * from './behaviour/index.js';

/** The whole dnr configuration: defaults → YAML → environment → flags. Unknown keys are errors at every level. */
export const ConfigSchema = z
  .object({
    paths: PathsSchema,
    warehouse: WarehouseSchema,
    behaviour: BehaviourSchema,
    comms: CommsSchema,
    classification: ClassificationSchema,
    entities: EntitiesSchema,
    report: ReportSchema,
    budget: BudgetSchema,
    pricing: PricingSchema,
    cache: CacheSchema,
    eval: EvalSchema,
    validate: ValidateSchema,
  })
  .strict()
  .superRefine((c, ctx) => {
    const w = c.report.scoring_weights;
    if (Math.abs(w.revenue + w.demand + w.severity - 1) > 1e-6) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['report', 'scoring_weights'], message: `weights must sum to 1 (got ${(w.revenue + w.demand + w.severity).toFixed(4)}); to change one weight, set all three` });
    }
    if (c.comms.slack_messages_min > c.comms.slack_messages_max) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['comms', 'slack_messages_min'], message: `must be ≤ comms.slack_messages_max (${c.comms.slack_messages_max})` });
    }
    const caps = c.report.demand_weight_caps;
    if (caps.min > caps.max) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['report', 'demand_weight_caps', 'min'], message: `must be ≤ report.demand_weight_caps.max (${caps.max})` });
    }
    for (const [code, country] of Object.entries(c.behaviour.marketplace.countries)) {
      if (!(country.currency in c.warehouse.currency_rates)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['behaviour', 'marketplace', 'countries', code, 'currency'], message: `currency ${country.currency} has no rate: add warehouse.currency_rates.${country.currency} (USD per unit)` });
      }
    }
    const ew = c.report.marketplace.evening_window;
    if (ew.start_hour >= ew.end_hour) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['report', 'marketplace', 'evening_window', 'start_hour'], message: `must be < end_hour (${ew.end_hour})` });
    }
    // An unpriced model cannot be guarded: refuse it at start instead of booking its calls at $0.
    const models: Array<[string[], string]> = [
      [['classification', 'model'], c.classification.model],
      [['entities', 'model'], c.entities.model],
      [['comms', 'model'], c.comms.model],
    ];
    for (const [where, model] of models) {
      if (!Object.prototype.hasOwnProperty.call(c.pricing, model)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: where,
          message: `model "${model}" has no price: add pricing."${model}" with input_per_mtok and output_per_mtok (USD per million tokens; 0 and 0 for a free local model)`,
        });
      }
    }
  });

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

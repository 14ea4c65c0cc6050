import { z } from 'zod';
import { ARCHETYPES, THEMES } from '@dnr/core';
import { EveningWindowSchema, GuardrailSchema, InvoiceAggregatesSchema, WindowSchema } from './data-health.js';

export const GapSchema = z
  .object({
    id: z.string().describe('theme:table'),
    theme: z.enum(THEMES),
    table: z.string(),
    score: z.number().describe('(w_rev·RevenueImpact + w_dem·Demand + w_sev·HealthSeverity) · decay.'),
    components: z.object({
      revenue_impact: z.number().describe('Revenue at risk ÷ trailing 3-month median monthly revenue (capped at 1).'),
      demand: z.number(),
      health_severity: z.number().describe('Scaled SLO overage, 0..1: x/(1+x) with x = worst relative overage.'),
      decay: z.number().describe('exp(−days_since_peak/decay_days).'),
      weighted: z.object({ revenue: z.number(), demand: z.number(), severity: z.number() }).describe('Each weight × component × decay; they sum to score.'),
    }),
    revenue_at_risk_usd: z.number(),
    affected_rows: z.number().int(),
    peak_day: z.string().nullable(),
    days_since_peak: z.number().nullable(),
    evidence: z.array(z.string()).describe('Metric statements supporting the gap.'),
    confidence: z.number(),
    confidence_parts: z.object({ class_conf: z.number(), entity_conf: z.number(), coverage: z.number(), agreement: z.number() }),
  })
  .describe('One scored gap (theme × table).');

export const ActionSchema = GapSchema.extend({
  rank: z.number().int(),
  title: z.string(),
  recommendation: z.string(),
});

export const HiddenActionSchema = GapSchema.extend({ reason: z.string() });

export const ExecSummarySchema = z
  .object({
    schema_version: z.literal(1),
    archetype: z.enum(ARCHETYPES),
    run_id: z.string(),
    window: WindowSchema,
    gap_source: z.enum(['comms_and_health', 'health_only']).describe('health_only when themes were skipped: demand is 0 and gaps come from the defect families.'),
    gap_source_note: z.string(),
    themes_status: z.enum(['ok', 'skipped', 'partial']),
    themes_skipped_reason: z.string().nullable(),
    top_themes: z
      .array(z.object({ theme: z.enum(THEMES), demand: z.number(), peak_day: z.string().nullable(), unmet_share: z.number() }))
      .describe('Up to five themes with the highest demand (empty when skipped).'),
    kpis: z.record(z.number().nullable()),
    revenue_norm: z.object({ months: z.array(z.string()), median_monthly_revenue_usd: z.number() }),
    actions: z.array(ActionSchema).describe('Top-3 actions, one per theme, confidence ≥ confidence_min.'),
    hidden_actions: z.array(HiddenActionSchema).describe('Candidates hidden for low confidence, with the reason.'),
    gaps: z.array(GapSchema).describe('Every scored gap, best first.'),
    data_health: z.object({
      failing_guardrails: z.array(GuardrailSchema),
      guardrails_failing: z.number().int(),
      guardrails_total: z.number().int(),
      null_spike_days: z.number().int(),
      null_spike_days_in_window: z.number().int(),
      null_spikes_in_window: z
        .array(z.object({ table: z.string(), column: z.string(), day: z.string(), null_pct: z.number(), threshold_pct: z.number() }))
        .describe('The null-spike days inside the window.'),
    }),
    invoice_aggregates: InvoiceAggregatesSchema.nullable(),
    marketplace_evening_window: EveningWindowSchema.omit({ daily_share_pct: true }).nullable(),
    coverage: z.object({ sources_below_floor: z.array(z.string()), budget_early_stop: z.boolean() }),
    figures: z.array(z.string()).describe('PNG files under figures/.'),
  })
  .describe('reports/{arch}/exec_summary.json');
export type ExecSummary = z.infer<typeof ExecSummarySchema>;
export type Gap = z.infer<typeof GapSchema>;
export type Action = z.infer<typeof ActionSchema>;

import { z } from 'zod';
import { ROLES, THEMES } from '@dnr/core';
import { EveningWindowSchema, GuardrailSchema, InvoiceAggregatesSchema, WindowSchema } from './data-health.js';

const FamilySchema = z.enum(['keys', 'duplicates', 'lag', 'null_spikes', 'revenue_nulls']);

export const EvidenceSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('metric'),
      table: z.string(),
      metric: z.string().describe('key_null_pct, orphan_pct, dup_key_pct, p95_ingest_lag_min or revenue_null_pct.'),
      value: z.number().describe('Window value (percent or minutes).'),
      limit: z.number().describe('The SLO it is held to.'),
      ratio: z.number().describe('value ÷ limit (> 1: breach).'),
      unit: z.enum(['pct', 'min']),
    }),
    z.object({
      kind: z.literal('null_spike'),
      table: z.string(),
      column: z.string(),
      day: z.string(),
      null_pct: z.number().describe('Share of rows with the column empty that day, percent.'),
      threshold_pct: z.number().describe('Detection threshold that day, percent.'),
      ratio: z.number().describe('null_pct ÷ threshold_pct.'),
    }),
  ])
  .describe('A measurement behind a gap (raw values; the Markdown and HTML name and format them).');

export const GapSchema = z
  .object({
    id: z.string().describe('theme:table'),
    theme: z.enum(THEMES),
    table: z.string(),
    problem: FamilySchema.nullable().describe('The measured defect family behind the gap; null when no warehouse metric measures the theme (demand only).'),
    evidence_key: z.string().describe('problem:table (or theme:table when demand only); no two actions share one.'),
    score: z.number().describe('(w_rev·RevenueImpact + w_dem·Demand + w_sev·HealthSeverity) · decay.'),
    components: z
      .object({
        revenue_impact: z.number().describe('Revenue at risk ÷ scoring.normalisers.revenue_usd (0..1).'),
        demand: z.number().describe('Demand share ÷ scoring.normalisers.demand (0..1; 0 when demand was not measured).'),
        health_severity: z.number().describe('ln(severity_ratio) ÷ scoring.normalisers.severity (0..1; 0 without a breach).'),
        decay: z.number().describe('exp(−days_since_peak/decay_days).'),
        weighted: z.object({ revenue: z.number(), demand: z.number(), severity: z.number() }).describe('Each weight × component × decay; they sum to score.'),
        shown: z
          .object({ revenue: z.number(), demand: z.number(), severity: z.number() })
          .describe('The weighted parts rounded to whole points (hundredths, largest remainder) so they add up to the score rounded the same way; what the memo shows.'),
      })
      .describe('Score components (scaled 0..1 before weights) and the decay.'),
    revenue_at_risk_usd: z.number().describe('Revenue carried by the affected rows in the window, USD.'),
    revenue_share_pct: z.number().nullable().describe('revenue_at_risk_usd ÷ median monthly revenue, percent.'),
    affected_rows: z.number().int().describe('Rows of the table in the window hit by the problem.'),
    table_rows: z.number().int().describe('Rows of the table in the window.'),
    demand_share: z.number().describe('Weighted share of the comms about the theme, 0..1 (0 when demand was not measured).'),
    mentions: z.number().int().nullable().describe('Comms items of the theme that mention the table (null without comms).'),
    severity_ratio: z.number().nullable().describe('Worst measured value ÷ its limit when above 1, else null.'),
    peak_day: z.string().nullable().describe('The gap’s most recent peak: the later of the busiest comms day of the theme and the last window day the measured problem breached its limit (else its worst day).'),
    peak_source: z.enum(['data', 'comms']).nullable().describe('Whether peak_day comes from the data or from the comms.'),
    days_since_peak: z.number().nullable().describe('Days from peak_day to the window end.'),
    evidence: z.array(EvidenceSchema).describe('Measurements behind the gap (empty when demand only).'),
    confidence: z.number().describe('Σ wᵢ·partᵢ ÷ Σ wᵢ over the observed parts (weights 0.45, 0.25, 0.20, 0.10).'),
    confidence_parts: z
      .object({
        class_conf: z.number().nullable().describe('Mean classifier confidence of the theme’s items (null: nothing classified).'),
        entity_conf: z.number().nullable().describe('Confidence that the comms point at this table (null: nothing classified).'),
        coverage: z.number().describe('Comms coverage weighted by source, or the share of window days with data without comms.'),
        agreement: z.number().nullable().describe('How consistently the sources rank the theme; without comms, the share of window days on which the problem showed (null: no daily series).'),
      })
      .describe('Parts of the confidence.'),
  })
  .describe('One scored gap (theme × table).');

export const VoiceSchema = z
  .object({
    ref: z.string().describe('Anonymised reference of the item (hash of its id).'),
    id: z.string().describe('Thread or query id in the comms corpus.'),
    source: z.enum(['slack', 'email', 'nlq']).describe('Slack thread, e-mail thread or BI question.'),
    role: z.enum(ROLES).describe('Role of the person who wrote it.'),
    day: z.string().describe('Local day.'),
    text: z.string().describe('The message, with @-mentions and e-mail addresses replaced, cut at about 240 characters.'),
  })
  .describe('One quoted example message.');

export const AskingSchema = z
  .object({
    items: z.number().int().describe('Comms items classified into the theme (all sources).'),
    window_items: z.number().int().describe('Of those, items inside the report window.'),
    window_peak_day: z.string().nullable().describe('Busiest day inside the report window (null: no item in the window).'),
    people: z.number().int().describe('Distinct people who wrote them.'),
    roles: z
      .array(z.object({ role: z.enum(ROLES).describe('Role of the asker.'), items: z.number().int().describe('Items written by people of the role.') }).describe('One role and its items.'))
      .describe('Items per role of the asker, most first.'),
    examples: z.array(VoiceSchema).describe('Two or three example messages, newest and most confident first.'),
  })
  .describe('Who is asking about the theme.');

export const ActionSchema = GapSchema.extend({
  rank: z.number().int().describe('1..3.'),
  title: z.string().describe('Short action title.'),
  recommendation: z.string().describe('What to do.'),
  asking: AskingSchema.nullable().describe('Who is asking (null when demand was not measured).'),
});

export const HiddenActionSchema = GapSchema.extend({ reason: z.enum(['low_confidence']).describe('Why the candidate is hidden: confidence below report.confidence_min.') });

export const KpiSchema = z
  .object({
    key: z.string().describe('KPI id (see data_health.json kpis).'),
    label: z.string().describe("The KPI in words: the contract's label, else its id in words."),
    value: z.number().nullable().describe('This window.'),
    previous: z.number().nullable().describe('The window of the same length just before.'),
    change_pct: z.number().nullable().describe('(value − previous) ÷ previous, percent (null when previous is 0 or missing).'),
  })
  .describe('A KPI with its change versus the previous window.');

export const FigureSchema = z
  .object({
    file: z.string().describe('PNG under figures/.'),
    title: z.string(),
    alt: z.string().describe('Text alternative: what the figure shows.'),
    caption: z.string().describe('What to look for.'),
  })
  .describe('One figure.');

export const ExecSummarySchema = z
  .object({
    schema_version: z.literal(2),
    archetype: z.string().describe('The warehouse contract name: neobank or marketplace for the built-in ones.'),
    run_id: z.string(),
    window: WindowSchema,
    previous_window: WindowSchema.describe('The window of the same length just before (KPI changes).'),
    gap_source: z.enum(['comms_and_health', 'health_only']).describe('health_only when themes were skipped or nothing was classified: demand not measured, gaps from data health alone.'),
    gap_source_note: z.string(),
    themes_status: z.enum(['ok', 'skipped', 'partial']),
    themes_engine: z.enum(['llm', 'rules', 'none']),
    themes_skipped_reason: z.string().nullable(),
    top_themes: z
      .array(
        z.object({
          theme: z.enum(THEMES),
          demand: z.number().describe('Weighted share of the comms, 0..1.'),
          peak_day: z.string().nullable().describe('Busiest day over the whole comms history.'),
          window_items: z.number().int().describe('Items of the theme inside the report window.'),
          window_peak_day: z.string().nullable().describe('Busiest day inside the report window (null: no item in the window).'),
          unmet_share: z.number(),
        }),
      )
      .describe('Up to five themes with the highest demand (empty when skipped).'),
    kpis: z.array(KpiSchema),
    revenue_norm: z.object({ months: z.array(z.string()), median_monthly_revenue_usd: z.number() }),
    scoring: z
      .object({
        weights: z.object({ revenue: z.number(), demand: z.number(), severity: z.number() }),
        normalisers: z
          .object({
            revenue_usd: z.number().describe('max(largest revenue at risk, materiality_usd).'),
            materiality_usd: z.number().describe('report.revenue_materiality_pct of the median monthly revenue.'),
            demand: z.number().describe('Largest demand share of the candidates.'),
            severity: z.number().describe('Largest ln(value ÷ limit) of the candidates.'),
          })
          .describe('Scales of the score components.'),
        decay_days: z.number(),
        confidence_min: z.number(),
      })
      .describe('How the gaps were scored (docs/scoring.md).'),
    actions: z.array(ActionSchema).describe('Top-3 actions: one per theme and per evidence, confidence ≥ confidence_min.'),
    hidden_actions: z.array(HiddenActionSchema).describe('Candidates hidden for low confidence.'),
    gaps: z.array(GapSchema).describe('Every scored gap, best first.'),
    data_health: z.object({
      failing_guardrails: z.array(GuardrailSchema),
      passing_guardrails: z.array(GuardrailSchema),
      unmeasured_guardrails: z.array(GuardrailSchema).describe('Checks with no value (nothing to measure): neither passing nor failing.'),
      guardrails_failing: z.number().int(),
      guardrails_passing: z.number().int(),
      guardrails_not_measured: z.number().int().describe('Number of checks with no value; failing + passing + not measured = total.'),
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
    figures: z.array(FigureSchema).describe('Figures under figures/, with captions.'),
  })
  .describe('reports/{arch}/exec_summary.json');
export type ExecSummary = z.infer<typeof ExecSummarySchema>;
export type Gap = z.infer<typeof GapSchema>;
export type Action = z.infer<typeof ActionSchema>;
export type HiddenAction = z.infer<typeof HiddenActionSchema>;
export type Evidence = z.infer<typeof EvidenceSchema>;
export type Asking = z.infer<typeof AskingSchema>;
export type Voice = z.infer<typeof VoiceSchema>;
export type Kpi = z.infer<typeof KpiSchema>;
export type Figure = z.infer<typeof FigureSchema>;

import { z } from 'zod';
import { nonNegative, percent, share } from './common.js';

const bound = (d: { max?: number; min?: number }) =>
  z
    .object({ min: z.number().finite().optional().describe('Lowest passing value.'), max: z.number().finite().optional().describe('Highest passing value.') })
    .strict()
    .default(d);

export const ReportSchema = z
  .object({
    scoring_weights: z
      .object({
        revenue: share.default(0.6).describe('Weight of RevenueImpact (money at risk) in a gap score; the three weights must sum to 1.'),
        demand: share.default(0.25).describe('Weight of Demand in a gap score; the three weights must sum to 1.'),
        severity: share.default(0.15).describe('Weight of HealthSeverity in a gap score; the three weights must sum to 1.'),
      })
      .strict()
      .default({})
      .describe('Score = revenue·RevenueImpact + demand·Demand + severity·HealthSeverity; each component is scaled so the strongest candidate scores 1 on it. The three weights must sum to 1 (else exit 2): to change one, set all three.'),
    slos: z
      .object({
        key_null_pct: percent.default(1.0).describe('Key-null % above this fails.'),
        fk_orphan_pct: percent.default(2.0).describe('FK orphan % above this fails.'),
        dup_keys_pct: percent.default(0.2).describe('Duplicate-key % above this fails.'),
        p95_ingest_lag_min: nonNegative.default(90).describe('p95 ingest lag (minutes) above this fails.'),
      })
      .strict()
      .default({})
      .describe('Data-health SLOs.'),
    window_days: z.number().int().min(1).max(3650).default(30).describe('Report window, days.'),
    demand_base_weights: z
      .object({
        nlq: share.default(0.5).describe('Base demand weight of NLQ.'),
        slack: share.default(0.3).describe('Base demand weight of Slack.'),
        email: share.default(0.2).describe('Base demand weight of email.'),
      })
      .strict()
      .default({})
      .describe('Base source weights for demand.'),
    demand_weight_caps: z
      .object({ min: share.default(0.15).describe('Lowest source weight.'), max: share.default(0.6).describe('Highest source weight.') })
      .strict()
      .default({})
      .describe('Caps applied to source weights before renormalising.'),
    revenue_norm: z.enum(['median_3m']).default('median_3m').describe('Monthly revenue the money at risk is compared with: trailing 3-month median monthly revenue.'),
    revenue_materiality_pct: percent
      .default(1.0)
      .describe('Money at risk below this % of monthly revenue never scores as the top revenue gap: RevenueImpact = revenue at risk ÷ max(largest revenue at risk of the candidates, this % of monthly revenue).'),
    decay_days: z.number().positive().default(60).describe('Score decay: exp(−days_since_peak/decay_days).'),
    confidence_min: share.default(0.55).describe('Actions below this confidence are hidden (listed with the reason).'),
    invoice_aggregates: z
      .object({
        slos: z
          .object({
            missing_pct: bound({ max: 3.0 }).describe('Missing months inside customer invoice spans, percent.'),
            on_time_pct: bound({ min: 90.0 }).describe('Invoices paid within 3 days of period_start, percent.'),
            dup_key_pct: bound({ max: 1.0 }).describe('(customer_id, period_start) repeated, percent.'),
            p95_payment_lag_min: bound({ max: 4320 }).describe('p95 of paid_at − period_start, minutes.'),
          })
          .strict()
          .default({})
          .describe('Guardrails on subscription invoices.'),
      })
      .strict()
      .default({})
      .describe('Neobank invoice aggregates of fact_subscription_invoice.'),
    marketplace: z
      .object({
        evening_window: z
          .object({
            start_hour: z
              .number()
              .int()
              .min(0)
              .max(23)
              .default(15)
              .describe(
                'Evening window start, warehouse-local hour (inclusive; default 15: buyers live in several zones, and on the default Pacific clock the US evening from 18:00 Eastern, where 47% of US buyers live, starts at 15:00).',
              ),
            end_hour: z.number().int().min(1).max(24).default(21).describe("Evening window end, warehouse-local hour (exclusive; default 21: the Pacific buyers' own evening peak)."),
            min_share_pct: percent.default(25).describe('A day passes when at least this % of captured payments fall in the window.'),
            min_days_pct: percent.default(80).describe('Guardrail passes when at least this % of days pass.'),
          })
          .strict()
          .default({})
          .describe('Evening coverage guardrail.'),
      })
      .strict()
      .default({})
      .describe('Marketplace guardrails.'),
  })
  .strict()
  .default({})
  .describe('Report metrics, demand and scoring.');

export const BudgetSchema = z
  .object({
    mode: z.enum(['sample_to_fit']).default('sample_to_fit').describe('Budget policy.'),
    safety_margin: share.default(0.25).describe('Sample when the estimate exceeds cap × (1 − margin).'),
    coverage_floor_pct: percent.default(20).describe('Per-source coverage floor after prefilter and budgeting, percent.'),
  })
  .strict()
  .default({})
  .describe('Sample-to-fit budgeting of the LLM classification.');

/** The model of every LLM purpose unless configured. */
export const DEFAULT_LLM_MODEL = 'gpt-4o-mini';

/** Prices dnr knows without configuration, USD per million tokens. */
export const BUILTIN_PRICING: Record<string, { input_per_mtok: number; output_per_mtok: number }> = { [DEFAULT_LLM_MODEL]: { input_per_mtok: 0.15, output_per_mtok: 0.6 } };

export const PricingSchema = z
  .record(
    z.string().min(1),
    z
      .object({
        input_per_mtok: nonNegative.describe('USD per million input tokens.'),
        output_per_mtok: nonNegative.describe('USD per million output tokens.'),
      })
      .strict(),
  )
  // Entries a config or the environment gives are added to the built-in ones (and override them), so
  // pricing a local model does not unprice the default model of the other purposes.
  .transform((p) => ({ ...BUILTIN_PRICING, ...p }))
  .default(BUILTIN_PRICING)
  .describe(
    'Price per model, USD per million tokens, added to the built-in gpt-4o-mini price. Every model named in classification.model, entities.model and comms.model needs an entry (a free local model: 0 and 0); a model without a price is a configuration error, never priced at $0. Names with "." or ":" (llama3.1:8b) are quoted keys in YAML; from the environment give the whole entry as JSON: DNR_PRICING=\'{"llama3.1:8b":{"input_per_mtok":0,"output_per_mtok":0}}\'.',
  );

export const CacheSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Cache LLM answers on disk.'),
    dir: z.string().min(1).default('.cache/llm').describe('Cache folder (relative to the working folder).'),
  })
  .strict()
  .default({})
  .describe('LLM disk cache: answers, and the request parameters each endpoint accepts (endpoints.json).');

export const EvalSchema = z
  .object({
    gates: z
      .object({
        theme_macro_f1: share.default(0.72).describe('Slack and email theme macro-F1 at least.'),
        relevance_macro_f1: share.default(0.75).describe('Slack and email relevance macro-F1 at least.'),
        nlq_theme_macro_f1: share.default(0.72).describe('NLQ theme macro-F1 at least.'),
        coverage: share.default(0.95).describe('Share of labelled items with a valid prediction at least.'),
      })
      .strict()
      .default({})
      .describe('Classifier gates (exit 3 when one fails).'),
    bootstrap_samples: z.number().int().min(10).max(100_000).default(1000).describe('Bootstrap resamples for 95% CIs.'),
    bootstrap_seed: z.number().int().min(0).default(7).describe('Seed of the bootstrap.'),
    calibration_bins: z.number().int().min(2).max(100).default(10).describe('Reliability bins for ECE.'),
  })
  .strict()
  .default({})
  .describe('Label evaluation.');

export const ValidateSchema = z
  .object({
    volume_tolerance_pct: percent.default(10).describe('Row counts must lie within ± this % of the scale targets.'),
    defect_rate_tolerance: z
      .object({
        key_null: share.default(0.25).describe('Relative band of the key-null rate around its target (2% ± 0.5 ⇒ 0.25).'),
        fk_missing: share.default(0.2).describe('Relative band of the FK-failure rates around their targets (5% ± 1 ⇒ 0.2).'),
        fk_temporal: share.default(0.2).describe('Relative band of the temporal FK-mismatch rate around its target.'),
        duplicate: share.default(0.29).describe('Relative band of the duplicate rate around its target (0.7% ± 0.2 ⇒ 0.29).'),
        ingest_lag: share.default(0.2).describe('Relative band of the late-ingest share (4–12 h) around its target.'),
      })
      .strict()
      .default({})
      .describe('Defect-rate bands, relative to each injected target (three binomial standard errors are added on small tables).'),
    spike_min_pp: percent.default(5).describe('A null spike is detected when the day’s null rate exceeds the column’s median daily rate by at least this many percentage points.'),
    theme_mix_tolerance_pp: percent.default(8).describe('Theme shares of positive labels must lie within ± this many percentage points of comms.theme_mix.'),
    mix_tolerance_pp: percent.default(8).describe('Relevance, bucket and role shares must lie within ± this many percentage points of their configured mix.'),
    comms_volume_tolerance_pct: percent.default(10).describe('Comms item counts must lie within ± this % of the configured volumes.'),
    nlq_sql_parse_rate_min: share.default(0.95).describe('Share of NLQ generated_sql that DuckDB parses, at least.'),
    event_correlation_min_lift: z.number().finite().min(0).default(1.5).describe('Themed threads within ±event_window_hours of a matching defect event, over the share expected by chance, at least.'),
    monetization: z
      .object({
        interchange_pct: bound({ min: 1.2, max: 1.8 }).describe('Neobank interchange revenue ÷ approved spend, percent.'),
        premium_share_pct: bound({ min: 6.5, max: 9.5 }).describe('Neobank customers on a paid plan, percent (8 ± 1.5).'),
        take_rate_pct: bound({ min: 11.5, max: 12.5 }).describe('Marketplace platform fees ÷ subtotal, percent (12 ± 0.5).'),
        aov_usd: bound({ min: 15, max: 150 }).describe('Marketplace average order value (buyer paid), USD.'),
      })
      .strict()
      .default({})
      .describe('Monetization sanity bands.'),
    trajectory: z
      .object({
        steady_max_abs_growth_pct: nonNegative.default(2).describe('T1 (marketplace): |monthly growth| of new-entity inflow at most this %.'),
        steady_band_standard_errors: z.number().finite().positive()
          .default(3)
          .describe(
            'T1 (neobank): half-width of the sign-up growth band in standard errors. The band is the declared trend (the configured inflow trend fitted through the month-of-year, weekday and calendar weights of the fitted months) ± this many standard errors of the log-linear slope, computed from the configured sign-up noise (inflow.counts day_sigma, month_sigma), Poisson counts and the number of months fitted.',
          ),
        growth_min_pct: z.number().finite().default(2).describe('T2: monthly growth of new-entity inflow at least this %.'),
        decline_max_pct: z.number().finite().default(-0.5).describe('T3: monthly growth of active entities at most this % (negative = decline).'),
      })
      .strict()
      .default({})
      .describe('Trajectory sanity: log-linear monthly growth over the steady part of the window.'),
    reproducibility_tables: z
      .object({
        neobank: z.array(z.string().min(1)).min(1).default(['dim_plan', 'dim_account', 'dim_customer', 'fact_subscription_invoice']).describe('Tables regenerated for neobank.'),
        marketplace: z.array(z.string().min(1)).min(1).default(['dim_category', 'dim_campaign', 'fact_payment']).describe('Tables regenerated for marketplace.'),
      })
      .strict()
      .default({})
      .describe(
        'Tables regenerated in a temp folder with the same seed; their checksums must equal manifest.json. dim_card, dim_merchant, dim_buyer, dim_seller and dim_listing regenerate their fact table too (which of their rows the FK defects break is chosen from the fact rows), so listing them makes the check several times slower.',
      ),
  })
  .strict()
  .default({})
  .describe('Quality gates of `dnr validate`.');

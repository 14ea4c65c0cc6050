import { z } from 'zod';

const pctOrNull = z.number().nullable();

export const WindowSchema = z
  .object({
    start: z.string().describe('First local day of the report window (YYYY-MM-DD, inclusive).'),
    end: z.string().describe('Last local day (inclusive): the warehouse end date.'),
    days: z.number().int().describe('Window length in days.'),
    tz: z.string().describe('Time zone of the local days.'),
  })
  .describe('Report window.');

export const HealthValuesSchema = z
  .object({
    rows: z.number().int().describe('Rows whose local event day is in scope.'),
    key_null_pct: pctOrNull.describe('NULL foreign-key values ÷ all foreign-key values, percent.'),
    fk_success_pct: pctOrNull.describe('Foreign-key values that resolve and pass the temporal rule ÷ all foreign-key values, percent.'),
    orphan_pct: pctOrNull.describe('Non-null foreign-key values that do not resolve or precede the dim row (fact_ts < dim.created_at) ÷ non-null values, percent.'),
    orphan_missing_pct: pctOrNull.describe('Orphans referencing an id that does not exist, percent of non-null values.'),
    orphan_temporal_pct: pctOrNull.describe('Orphans failing the temporal rule, percent of non-null values.'),
    dup_key_pct: pctOrNull.describe('Rows repeating a business key (on the same local day) beyond its first copy ÷ keyed rows, percent.'),
    p95_ingest_lag_min: pctOrNull.describe('95th percentile of loaded_at − event time, minutes.'),
  })
  .describe('Data-health values of one scope (table or overall; window or one day).');

export const SloCheckSchema = z.object({
  metric: z.string(),
  value: z.number().nullable(),
  slo: z.number(),
  passed: z.boolean().describe('value ≤ slo (a missing value passes: nothing to measure).'),
});

const ScopeSchema = z.object({
  window: HealthValuesSchema,
  slo: z.array(SloCheckSchema).describe('SLO compliance of the window totals.'),
  daily: z.array(HealthValuesSchema.extend({ day: z.string() })).describe('One entry per local day of the window.'),
});

export const ColumnHealthSchema = z.object({
  values: z.number().int(),
  key_null_pct: z.number(),
  fk_success_pct: z.number(),
  orphan_pct: pctOrNull,
  orphan_missing_pct: pctOrNull,
  orphan_temporal_pct: pctOrNull,
});

export const GuardrailCheckSchema = z.object({
  metric: z.string(),
  value: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  passed: z.boolean(),
});

export const InvoiceAggregatesSchema = z
  .object({
    metrics: z.object({
      missing_pct: pctOrNull.describe('Months inside each customer’s first→last covered month that no invoice covers ÷ months in the spans, percent.'),
      on_time_pct: pctOrNull.describe('Invoices paid within 3 days of period_start (local midnight) ÷ invoices due by end − 3 days, percent.'),
      dup_key_pct: pctOrNull.describe('Rows repeating (customer_id, period_start) ÷ keyed rows, percent.'),
      p95_payment_lag_min: pctOrNull.describe('95th percentile of paid_at − period_start, minutes.'),
    }),
    counts: z.record(z.number()),
    checks: z.array(GuardrailCheckSchema),
    passed: z.boolean(),
  })
  .describe('Neobank subscription-invoice guardrails over the full invoice history.');

export const EveningWindowSchema = z
  .object({
    start_hour: z.number().int(),
    end_hour: z.number().int(),
    daily_share_pct: z.array(z.object({ day: z.string(), payments: z.number().int(), share_pct: z.number(), passed: z.boolean() })),
    overall_share_pct: pctOrNull,
    days_pct: pctOrNull.describe('Days whose evening share ≥ min_share_pct ÷ days, percent.'),
    checks: z.array(GuardrailCheckSchema),
    passed: z.boolean(),
  })
  .describe('Marketplace evening coverage: captured payments in [start_hour, end_hour) local time, window days.');

export const NullSpikesSchema = z.object({
  method: z.string(),
  params: z.object({ z: z.number(), floorPp: z.number(), minNulls: z.number(), trimQuantile: z.number(), minRows: z.number() }),
  columns: z.array(z.object({ table: z.string(), column: z.string(), baseline_pct: z.number(), robust_sd_pct: z.number(), days_scanned: z.number().int() })),
  spikes: z.array(
    z.object({
      table: z.string(),
      column: z.string(),
      day: z.string(),
      rows: z.number().int(),
      null_pct: z.number(),
      baseline_pct: z.number(),
      threshold_pct: z.number(),
      in_window: z.boolean(),
    }),
  ),
});

export const EVENT_KINDS = ['null_spike', 'schema_gap', 'ingest_lag', 'duplicate', 'fk_failure', 'load_gap'] as const;

export const DetectedEventSchema = z
  .object({
    kind: z.enum(EVENT_KINDS),
    table: z.string(),
    column: z.string().nullable().describe('The column (null_spike, schema_gap); null for row-level events.'),
    days: z.array(z.string().describe('Local day (YYYY-MM-DD).')).describe('Consecutive local days.'),
    evidence: z
      .array(
        z.object({
          day: z.string(),
          rows: z.number().int().describe('Rows of the table that day.'),
          measured_pct: z.number().describe('Share of rows that day that are NULL / late / extra copies / orphaned, percent.'),
          baseline_pct: z.number().describe("The column's or table's usual share, percent."),
          threshold_pct: z.number().describe('Share above which the day is an event, percent.'),
        }),
      )
      .describe('One entry per day.'),
  })
  .describe('A data event found in the warehouse itself.');

export const EventRecallSchema = z.object({
  injected: z.number().int().describe('Dated injected events of this kind in the ground truth.'),
  detected: z.number().int().describe('Detected events of this kind.'),
  recall: z.number().nullable().describe('Share of dated injected events matched by a detected event (same table, column when both have one, a shared day); null when none is dated.'),
  precision: z.number().nullable().describe('Share of detected events matching a dated injected event; null when the ground truth dates no event of this kind.'),
});

export const EventsSchema = z.object({
  method: z.string(),
  detected: z.array(DetectedEventSchema),
  truth: z
    .object({ file: z.string(), by_kind: z.record(EventRecallSchema) })
    .nullable()
    .describe('Detected vs injected, per kind; only with run-report --truth (null otherwise).'),
});

export const GuardrailSchema = z
  .object({
    name: z.string().describe('Stable id, e.g. slo.fact_order.key_null_pct or invoice.on_time_pct.'),
    scope: z.string().describe('Table name, "overall", "fact_subscription_invoice" or "evening_window".'),
    metric: z.string(),
    value: z.number().nullable(),
    bound: z.string().describe('Human form of the bound, e.g. "≤ 1" or "≥ 90".'),
    passed: z.boolean(),
  })
  .describe('One guardrail verdict; exec_summary lists the failing ones.');

export const DataHealthSchema = z
  .object({
    schema_version: z.literal(1),
    archetype: z.string().describe('The warehouse contract name: neobank or marketplace for the built-in ones.'),
    window: WindowSchema,
    slos: z.record(z.number()).describe('report.slos used.'),
    tables: z.record(ScopeSchema.extend({ columns: z.record(ColumnHealthSchema).describe('Per foreign-key column, window totals.') })),
    overall: ScopeSchema,
    null_spikes: NullSpikesSchema,
    kpis: z.record(z.number().nullable()).describe('Window KPIs (deduplicated: one copy per business key and local day, the earliest loaded; captured/approved only).'),
    monthly_revenue: z.array(
      z.object({ month: z.string(), revenue_usd: z.number(), gmv_usd: z.number().nullable(), interchange_usd: z.number().nullable(), subscription_usd: z.number().nullable(), days_with_data: z.number().int() }),
    ),
    revenue_norm: z.object({ months: z.array(z.string()), median_monthly_revenue_usd: z.number() }),
    aggregates_by_table: z.record(z.record(z.number().nullable())).describe('Per-table aggregates; fact_subscription_invoice carries the invoice metrics.'),
    invoice_aggregates: InvoiceAggregatesSchema.nullable().describe('When the contract declares guardrails.invoice_aggregates (the built-in neobank does); else null.'),
    marketplace_evening_window: EveningWindowSchema.nullable().describe('When the contract declares guardrails.evening_window (the built-in marketplace does; the name is kept for every warehouse); else null.'),
    guardrails: z.array(GuardrailSchema),
    events: EventsSchema.describe('Data events found in the warehouse (the comms prefilter boosts threads within ±24 h of them).'),
  })
  .describe('reports/{arch}/data_health.json');
export type DataHealth = z.infer<typeof DataHealthSchema>;
export type Guardrail = z.infer<typeof GuardrailSchema>;
export type DetectedEvent = z.infer<typeof DetectedEventSchema>;
export type EventRecall = z.infer<typeof EventRecallSchema>;

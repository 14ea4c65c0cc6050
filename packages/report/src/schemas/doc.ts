import { z } from 'zod';
import { DataHealthSchema } from './data-health.js';
import { ExecSummarySchema } from './exec-summary.js';
import { RunRecordSchema } from './run.js';
import { ThemesSchema } from './themes.js';

interface Row {
  path: string;
  type: string;
  description: string;
}

/** Unwrap wrappers, collecting the first description on the way. */
function unwrap(schema: z.ZodTypeAny): { inner: z.ZodTypeAny; nullable: boolean; description?: string } {
  let s = schema;
  let nullable = false;
  let description = s.description;
  for (;;) {
    if (s instanceof z.ZodNullable) nullable = true;
    if (s instanceof z.ZodNullable || s instanceof z.ZodOptional) s = s.unwrap();
    else if (s instanceof z.ZodDefault) s = s._def.innerType;
    else if (s instanceof z.ZodEffects) s = s.innerType();
    else break;
    description ??= s.description;
  }
  return { inner: s, nullable, description };
}

function typeName(s: z.ZodTypeAny): string {
  if (s instanceof z.ZodString) return 'string';
  if (s instanceof z.ZodNumber) return s.isInt ? 'integer' : 'number';
  if (s instanceof z.ZodBoolean) return 'boolean';
  if (s instanceof z.ZodLiteral) return JSON.stringify(s.value);
  if (s instanceof z.ZodEnum) return (s.options as string[]).map((o) => `\`${o}\``).join(' \\| ');
  if (s instanceof z.ZodArray) return 'array';
  if (s instanceof z.ZodRecord) return 'map';
  if (s instanceof z.ZodObject) return 'object';
  return 'value';
}

/** Meanings of field names that recur across the schemas (used where a field has no .describe()). */
const FIELD_MEANING: Record<string, string> = {
  schema_version: 'Version of this file format.',
  archetype: 'neobank or marketplace.',
  run_id: 'Deterministic run id: {archetype}-{hash of inputs and settings}, or --run-id.',
  gap_source_note: 'One sentence on where the gaps come from (says so when themes were skipped).',
  themes_status: 'Status of the comms analysis.',
  themes_skipped_reason: 'Why themes were skipped (null when not).',
  status: 'ok, skipped (no classification) or partial (a source failed or stopped early).',
  skipped_reason: 'Why themes were skipped (null when not).',
  engine: 'Classifier engine used (none when skipped).',
  kpis: 'KPIs of the window: neobank active_customers_30d, new_account_opens, card_spend_usd, interchange_revenue_usd, subscription_revenue_usd, total_revenue_usd, approved_transactions; marketplace gmv_usd, net_revenue_usd, take_rate_pct, orders, aov_usd, active_buyers_30d, active_sellers, live_listings.',
  revenue_norm: 'Median monthly revenue of the 3 latest complete months (money at risk is shown as a share of it).',
  months: 'The local months used.',
  median_monthly_revenue_usd: 'Median monthly revenue of those months, USD.',
  theme: 'One of the 8 themes.',
  table: 'Warehouse table.',
  column: 'Column of the table.',
  components: 'Score components (before weights) and the decay.',
  demand: 'Weighted share of comms about the theme, 0..1 (0 when demand was not measured).',
  weighted: 'Weight × component × decay; the three sum to the score.',
  shown: 'The weighted parts in whole points (hundredths, largest remainder), adding up to the score as shown.',
  revenue: 'Revenue part of the score.',
  severity: 'Severity part of the score.',
  revenue_at_risk_usd: 'Revenue carried by the affected rows in the window, USD.',
  affected_rows: 'Rows of the table in the window hit by the theme’s defect family.',
  peak_day: 'The gap’s most recent peak: the later of the local day of peak demand (comms) and the worst daily metric of its family in the window.',
  days_since_peak: 'Days from peak_day to the window end.',
  confidence: 'Confidence 0..1.',
  confidence_parts: 'Parts of the confidence (null when not observed).',
  class_conf: 'Mean classifier confidence of the theme’s items.',
  entity_conf: 'Confidence that the comms point at this table.',
  coverage: 'Comms coverage (weighted by source), or share of window days with data in health-only mode.',
  agreement: 'How consistently the sources rank the theme.',
  rank: '1..3.',
  title: 'Short action title.',
  recommendation: 'What to do.',
  reason: 'Why the candidate is hidden.',
  guardrails_passing: 'Number of passing guardrails (measured and within the limit).',
  passing_guardrails: 'Every passing guardrail (measured and within the limit).',
  previous_window: 'The window of the same length just before.',
  themes_engine: 'Classifier engine of the comms analysis (none when skipped).',
  weights: 'report.scoring_weights.',
  decay_days: 'report.decay_days.',
  confidence_min: 'report.confidence_min.',
  scoring: 'How the gaps were scored.',
  data_health: 'Summary of data_health.json.',
  failing_guardrails: 'Every failing guardrail.',
  guardrails_failing: 'Number of failing guardrails.',
  guardrails_total: 'Number of guardrails checked.',
  null_spike_days: 'Null-spike days detected over the full history.',
  null_spike_days_in_window: 'Of which inside the window.',
  metrics: 'The metric values.',
  counts: 'Counts behind the percentages.',
  checks: 'One verdict per guarded metric.',
  metric: 'Metric name.',
  value: 'Measured value.',
  min: 'Lowest passing value (null: none).',
  max: 'Highest passing value (null: none).',
  slo: 'The SLO (upper bound).',
  passed: 'Verdict.',
  start_hour: 'Window start, local hour (inclusive).',
  end_hour: 'Window end, local hour (exclusive).',
  overall_share_pct: 'Share of all captured payments of the window inside the evening hours, percent.',
  daily_share_pct: 'Per local day: payments, evening share and verdict.',
  payments: 'Captured payments that day.',
  share_pct: 'Evening share that day, percent.',
  sources_below_floor: 'Comms sources under the coverage floor.',
  budget_early_stop: 'Whether the spend cap stopped classification early.',
  figures: 'Figures under figures/, with title, alt text and caption.',
  slos: 'report.slos used.',
  tables: 'Per fact table.',
  overall: 'All fact tables together.',
  slo_checks: 'SLO verdicts.',
  day: 'Local day.',
  values: 'FK values in scope.',
  null_spikes: 'Null-spike detection over the full history.',
  method: 'How spikes are detected.',
  params: 'Detector parameters.',
  baseline_pct: 'Baseline NULL rate, percent.',
  robust_sd_pct: '1.4826·MAD of the daily NULL rates (reference).',
  days_scanned: 'Days with enough rows to test.',
  spikes: 'Detected spike days.',
  rows: 'Rows that day.',
  null_pct: 'NULL rate that day, percent.',
  threshold_pct: 'Detection threshold that day, percent.',
  in_window: 'Inside the report window.',
  monthly_revenue: 'Monthly revenue trend (local months).',
  month: 'YYYY-MM.',
  revenue_usd: 'Revenue: neobank interchange + subscription; marketplace platform fees.',
  gmv_usd: 'Marketplace GMV (subtotal of captured orders), USD.',
  interchange_usd: 'Neobank interchange, USD.',
  subscription_usd: 'Neobank paid subscriptions, USD.',
  guardrails: 'Every guardrail verdict (SLOs, null spikes in window, invoice, evening window).',
  sources: 'Per comms source.',
  items: 'Items in the corpus window.',
  afterPrefilter: 'Items kept by the prefilter.',
  sent: 'Items sent to the LLM.',
  classified: 'Items with a valid prediction.',
  parseErrors: 'Answers that could not be parsed.',
  parse_errors: 'Answers that could not be parsed (excluded from demand).',
  coveragePct: 'Classified ÷ kept items, percent.',
  belowFloor: 'Under budget.coverage_floor_pct.',
  partial: 'Source stopped early or failed.',
  partialReason: 'Why.',
  weight: 'Demand weight of the source.',
  budget: 'Classification spend.',
  capUsd: 'Cap, USD.',
  estimateUsd: 'Preflight estimate, USD.',
  actualUsd: 'Actual spend, USD.',
  earlyStop: 'The cap stopped classification early.',
  sampled: 'Sample-to-fit was applied.',
  themes: 'Per theme, highest demand first.',
  bySource: 'Items and weighted share per source.',
  weightedShare: 'Weighted share within the source.',
  peakDay: 'Local day with most mentions.',
  classConfidence: 'Mean confidence of the theme’s items.',
  entityConfidence: 'Mean confidence of its entities.',
  unmetShare: 'Share of its threads judged unmet.',
  mentions: 'Mentions of the table.',
  finished_at: 'Wall clock (ISO).',
  duration_s: 'Wall time, seconds.',
  stage_seconds: 'Wall time per stage, seconds, keyed by the step id (never a count); `other` is the time between named stages, so they sum to duration_s.',
  stage_counts: 'What each stage counted: done of total items (total 0 when the size was not known in advance).',
  peak_rss_mb: 'Peak resident memory, MB.',
  options: 'The options of the run.',
  inputs: 'Input fingerprints.',
  warehouse_checksums: 'Per table content checksum from the warehouse manifest.',
  comms_files: 'Comms files read.',
  outputs: 'Files written.',
  strict_failures: 'Reasons --strict would exit 3 (empty when none).',
  evidence: 'Measurements behind the gap.',
  detected: 'Data events found in the warehouse, ordered by first day.',
  kind: 'Event kind: null_spike, schema_gap, ingest_lag, duplicate, fk_failure or load_gap (a day with no rows).',
  file: 'The ground-truth file given with --truth.',
  by_kind: 'Per event kind (defects.json kinds fk_missing/fk_temporal count as fk_failure).',
  top_themes: 'Theme, demand, peak day and unmet share.',
  days_with_data: 'Local days of the month with activity (edge months of the history are partial).',
  null_spikes_in_window: 'The null-spike days inside the window.',
  unmet_share: 'Share of its threads judged unmet.',
  aggregates_by_table: 'Per table: window health values; fact_subscription_invoice also carries the invoice metrics.',
  warehouse: '--warehouse.',
  comms: '--comms.',
  out: '--out.',
  window_days: 'report.window_days (--window).',
  no_llm: '--no-llm.',
  api_cap_usd: 'classification.api_cap_usd (--api-cap-usd).',
  strict: '--strict.',
  meta: '--meta (null: default or none).',
  columns: 'Per foreign-key column (window totals) / per scanned column.',
  key_null_pct: 'NULL FK values ÷ FK values, percent.',
  fk_success_pct: 'FK values that resolve and pass the temporal rule ÷ FK values, percent.',
  orphan_pct: 'Orphaned non-null FK values ÷ non-null FK values, percent.',
  orphan_missing_pct: 'Non-null FK values referencing a missing id, percent.',
  orphan_temporal_pct: 'Non-null FK values failing the temporal rule, percent.',
  z: 'Binomial standard deviations above the baseline.',
  floorPp: 'Minimum excess over the baseline, percentage points.',
  minNulls: 'Minimum NULL rows on a spike day.',
  trimQuantile: 'Days above this quantile of the daily rate are left out of the baseline.',
  minRows: 'Days with fewer rows are not tested.',
};

function walk(schema: z.ZodTypeAny, path: string, rows: Row[]): void {
  const { inner, nullable, description } = unwrap(schema);
  const leaf = path.replace(/(\[\]|\.\{key\})+$/, '').split('.').pop() ?? '';
  if (path) rows.push({ path, type: `${typeName(inner)}${nullable ? ' \\| null' : ''}`, description: description ?? FIELD_MEANING[leaf] ?? '' });
  if (inner instanceof z.ZodObject) {
    for (const [k, v] of Object.entries(inner.shape as Record<string, z.ZodTypeAny>)) walk(v, path ? `${path}.${k}` : k, rows);
  } else if (inner instanceof z.ZodArray) {
    walk(inner.element, `${path}[]`, rows);
  } else if (inner instanceof z.ZodRecord) {
    walk(inner.valueSchema, `${path}.{key}`, rows);
  }
}

export const DOCUMENTED_SCHEMAS: Array<{ file: string; name: string; schema: z.ZodTypeAny }> = [
  { file: 'reports/{arch}/exec_summary.json', name: 'ExecSummarySchema', schema: ExecSummarySchema },
  { file: 'reports/{arch}/data_health.json', name: 'DataHealthSchema', schema: DataHealthSchema },
  { file: 'reports/{arch}/themes.json', name: 'ThemesSchema', schema: ThemesSchema },
  { file: 'runs/{run_id}/run.json', name: 'RunRecordSchema', schema: RunRecordSchema },
];

/** docs/report-schemas.md, generated from the zod schemas so the documentation cannot drift. */
export function renderReportSchemasMd(): string {
  const out = [
    '# Report output schemas',
    '',
    '<!-- Generated from the zod schemas in packages/report/src/schemas by renderReportSchemasMd(); a test keeps it in sync. -->',
    '',
    'Every JSON file `dnr run-report` writes is validated against a zod schema exported by `@dnr/report` before it is written.',
    'Percentages are 0–100 and rounded to 4 decimals, minutes to 2, USD to 2. Days are local days (`YYYY-MM-DD`) in the',
    'warehouse time zone. `exec_summary.md`, `themes.md` and `data_health.csv` are rendered only from these JSON values.',
    'Apart from `runs/{run_id}/run.json` (and the warehouse `manifest.json` `generated_at`) no output carries a wall-clock value,',
    'so two runs over the same inputs write byte-identical reports.',
    '',
    '## Metric definitions',
    '',
    '- **key_null_pct**: NULL foreign-key values ÷ all foreign-key values of the scope (per FK column, per table over all its FK columns, overall over every fact table).',
    '- **orphan_pct**: non-null FK values that do not resolve in the dim, or whose fact time precedes the dim row’s creation time (`fact_ts >= dim.created_at`; `dim_card.activated_at` for cards; no temporal rule where the dim has no creation time) ÷ non-null FK values. Split into `orphan_missing_pct` and `orphan_temporal_pct`.',
    '- **fk_success_pct**: FK values that resolve and pass the temporal rule ÷ all FK values (NULLs count as failures).',
    '- **dup_key_pct**: rows repeating a business key beyond its first copy ÷ rows with a non-null key (txn_id, invoice_id, order_id, (order_id, line_id), payment order_id).',
    '- **p95_ingest_lag_min**: 95th percentile (continuous) of `loaded_at − event time` in minutes. Event time: `event_time`, invoice `paid_at` (else local midnight of `period_start`), `order_time` (order items take their order’s), `captured_at`.',
    '- Rows belong to the local day of their event time; the window is the last `report.window_days` local days ending on the warehouse `end_date`.',
    '- **Null spikes** (full history): per column, a day is a spike when its NULL count exceeds the trimmed pooled baseline rate by more than 5 binomial standard deviations for that day’s row count, by at least 1.5 percentage points and at least one row. Columns NULL by design (`paid_at`) are not scanned.',
    '- **KPIs** count each business key once (earliest `loaded_at`) and only approved transactions / captured payments; interchange uses 150 bps where the rate is NULL (schema gap).',
    '- **Invoice aggregates** (full history, same definitions as `validate`): an invoice covers the months of [period_start, period_end); `missing_pct` = months inside each customer’s first→last covered month that no invoice covers ÷ months in the spans; `on_time_pct` = invoices (once per invoice_id) paid within 3 days of local midnight of `period_start`, leaving out invoices due in the last 3 days before the warehouse end; `dup_key_pct` over raw rows on (customer_id, period_start); `p95_payment_lag_min` = p95 of `paid_at − period_start` over the same invoices.',
    '- **Evening window** (window days): share of captured payments whose local hour is in [start_hour, end_hour); `days_pct` = share of days meeting `min_share_pct`.',
    '- **Scoring** (formulas and reasons in [scoring.md](scoring.md)): gap = theme × fact table. Score = (w_rev·RevenueImpact + w_dem·Demand + w_sev·HealthSeverity)·exp(−days_since_peak/decay_days) with the weights of `report.scoring_weights`; each component is its raw value ÷ the strongest candidate’s (`scoring.normalisers`): revenue at risk (never below `report.revenue_materiality_pct` of the median monthly revenue), demand share, ln(value ÷ limit). Affected rows per measured problem: join_keys_orphans → NULL or orphaned keys; duplicates_dedup → duplicate copies; freshness_ingest_lag → rows loaded later than the lag SLO and on a later local day than their event; new_field_schema_request → NULLs on detected spike days; revenue_coverage_mapping → rows with a NULL revenue column. metric_definition_mismatch, attribution_funnel_gaps and access_permissions_pii are measured by no warehouse metric (demand only, on the tables their comms mention). At most one action per theme and per evidence (`evidence_key`).',
    '- **Confidence**: Σ wᵢ·partᵢ ÷ Σ wᵢ over the observed parts (class 0.45, entity 0.25, coverage 0.20, agreement 0.10). Health-only mode (themes skipped, or nothing classified): demand is not measured; class and entity parts are null, coverage = share of window days with data, agreement = share of those days on which the problem showed.',
    '- **exec_summary.md** and **report.html** are rendered from exec_summary.json only: the same document (decision memo, one section per action, KPIs against the previous window, data health, demand, figures with captions), numbers formatted for people (percent with one decimal, money with thousands separators, durations in h/min, scores out of 100); internal ids stay in the JSON.',
    '',
  ];
  for (const d of DOCUMENTED_SCHEMAS) {
    const rows: Row[] = [];
    walk(d.schema, '', rows);
    out.push(`## \`${d.file}\` (\`${d.name}\`)`, '', d.schema.description ?? '', '', '| Field | Type | Meaning |', '|---|---|---|');
    for (const r of rows) out.push(`| \`${r.path}\` | ${r.type} | ${r.description.replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  return out.join('\n');
}

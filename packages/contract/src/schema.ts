import { z } from 'zod';
import { isTimeZone, timeZoneProblem } from './zone.js';

/**
 * The warehouse contract: everything the report, the validator and the generator need to know about a
 * warehouse's tables, as one YAML document (docs/contract.md describes every key with a worked example).
 * SQL fragments are DuckDB SQL over the table's own columns; they are data, never code paths.
 */

const ident = z
  .string()
  .min(1)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain SQL identifier (letters, digits, underscore; not starting with a digit)');

export const ForeignKeySchema = z
  .object({
    column: ident.describe('Column of this table holding the reference.'),
    references: ident.describe('The referenced (dimension) table, as named under `tables`.'),
    key: ident.describe("The referenced table's key column."),
    valid_from: ident
      .optional()
      .describe("Referenced table's validity-start column (e.g. created_at): a row whose event time precedes it is an orphan (temporal rule). Omit when the dimension has none."),
  })
  .strict();

export const EventTimeSchema = z.union([
  ident.describe('A TIMESTAMP column of this table.'),
  z
    .object({
      sql: z.string().min(1).describe('DuckDB expression over this table giving the UTC event time (may call utc_of_local_midnight(date)).'),
      columns: z.array(ident).min(1).describe('The columns the expression reads (they bound the time span).'),
    })
    .strict(),
  z
    .object({
      from: z
        .object({
          table: ident.describe('Table holding the event time.'),
          key: ident.describe('Column shared by both tables (joined on equality; the earliest time wins).'),
          column: ident.describe('The TIMESTAMP column in that table.'),
        })
        .strict(),
    })
    .strict(),
]);

export const TableSchema = z
  .object({
    role: z
      .enum(['fact', 'dimension', 'snapshot', 'other'])
      .describe('fact: measured (keys, FKs, ingest lag, null spikes, revenue). dimension/snapshot/other: read for joins, KPIs and guardrails only.'),
    description: z.string().optional().describe('What one row is (for people).'),
    required: z.boolean().default(true).describe('false: the report runs without this table (it is skipped when absent).'),
    file: z.string().min(1).optional().describe('Parquet source relative to the warehouse folder: a file, a folder of *.parquet, or a glob. Default parquet/{table}.parquet, parquet/{table}/, {table}.parquet or {table}/.'),
    relation: z.string().min(1).optional().describe('Table or view name inside a .duckdb warehouse file (default: the table name).'),
    columns: z
      .record(ident, z.string().min(1))
      .optional()
      .describe('Column → DuckDB type. Every listed column must exist; values are converted exactly to the type or refused. Omit to read the columns as they are.'),
    key: z.array(ident).min(1).optional().describe('Business key: rows sharing it are duplicates (the earliest loaded_at counts). Required for facts.'),
    event_time: EventTimeSchema.optional().describe('When the row happened (UTC); a DATE column is the start of that local day in time_zone. Required for facts.'),
    loaded_at: ident.optional().describe('When the row landed in the warehouse (UTC TIMESTAMP). Required for facts.'),
    foreign_keys: z.array(ForeignKeySchema).default([]).describe('References checked for key nulls, missing rows and the temporal rule.'),
    captured: z.string().min(1).optional().describe('SQL filter selecting the rows that count as money (approved, captured, paid). Default: every row.'),
    revenue_usd: z.string().min(1).optional().describe('SQL expression: the USD revenue the row carries (for revenue at risk); {usd(expr)} and {usd(expr, day)} allowed. Default 0.'),
    revenue_columns: z.array(ident).default([]).describe('Columns whose NULL leaves the row\'s revenue unknown (counted as revenue at risk).'),
    nullable_by_design: z.array(ident).default([]).describe('Columns that are NULL by design and not scanned for null spikes.'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.role !== 'fact') return;
    for (const k of ['key', 'event_time', 'loaded_at'] as const) {
      if (t[k] === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: `a fact table needs ${k}` });
    }
  });

export const KpiSchema = z
  .object({
    name: ident.describe('KPI id in data_health.json (snake_case; a _usd or _pct suffix formats it as money or a percent).'),
    label: z.string().optional().describe('Name shown to people (default: the id in words).'),
    sql: z
      .string()
      .min(1)
      .optional()
      .describe('Scalar DuckDB query. Placeholders: {start}, {end}, {last30_start} (DATE literals of the window), {usd(expr)} (USD rate of a currency column), {usd(expr, day)} (its rate on that day from dim_fx_rate when the warehouse has it).'),
    formula: z.string().min(1).optional().describe('Expression over KPIs listed before this one (e.g. 100 * net_revenue_usd / nullif(gmv_usd, 0)).'),
    round: z.number().int().min(0).max(6).optional().describe('Decimal places kept (default: as computed).'),
  })
  .strict()
  .refine((k) => (k.sql === undefined) !== (k.formula === undefined), { message: 'give exactly one of sql or formula' });

const SloOverrides = z
  .object({
    key_null_pct: z.number().min(0).max(100).optional(),
    fk_orphan_pct: z.number().min(0).max(100).optional(),
    dup_keys_pct: z.number().min(0).max(100).optional(),
    p95_ingest_lag_min: z.number().min(0).optional(),
  })
  .strict();

export const InvoiceGuardrailSchema = z
  .object({
    table: ident.describe('Table of billing-period rows (one per customer and period).'),
    customer: ident.describe('Customer column.'),
    period_start: ident.describe('DATE the period starts (invoice due).'),
    period_end: ident.describe('DATE the period ends (exclusive).'),
    paid_at: ident.describe('TIMESTAMP of payment (NULL: unpaid).'),
  })
  .strict();

export const EveningWindowSchema = z
  .object({
    table: ident.describe('Fact table of payments (deduplicated by its key).'),
    time: ident.describe('TIMESTAMP column whose local hour is tested (e.g. captured_at).'),
  })
  .strict();

export const ContractSchema = z
  .object({
    contract_version: z.literal(1).describe('Format version; 1.'),
    name: ident.describe('Contract name (shown in the report; the built-ins are neobank and marketplace).'),
    description: z.string().optional(),
    time_zone: z
      .string()
      .min(1)
      .superRefine((tz, ctx) => {
        if (!isTimeZone(tz)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: timeZoneProblem(tz) });
      })
      .optional()
      .describe("IANA zone of the business's local days (default: the warehouse manifest's, else warehouse.tz)."),
    tables: z.record(ident, TableSchema).refine((t) => Object.keys(t).length > 0, 'list at least one table'),
    kpis: z.array(KpiSchema).default([]).describe('KPIs over the report window, in display order.'),
    views: z
      .record(ident, z.string().min(1))
      .default({})
      .describe('Named SQL views created after the tables are read, for KPIs to share. Placeholders: {usd(expr)}, {usd(expr, day)}.'),
    monthly_revenue: z
      .object({
        sql: z.string().min(1).describe('Query returning month (YYYY-MM), revenue_usd, days and optionally gmv_usd, interchange_usd, subscription_usd.'),
      })
      .strict()
      .optional(),
    slos: SloOverrides.default({}).describe('Overrides of report.slos for this warehouse.'),
    guardrails: z
      .object({
        invoice_aggregates: InvoiceGuardrailSchema.optional().describe('Billing completeness/timeliness guardrail (bounds: report.invoice_aggregates.slos).'),
        evening_window: EveningWindowSchema.optional().describe('Share of payments in the evening window (bounds: report.marketplace.evening_window).'),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ForeignKeySpec = z.infer<typeof ForeignKeySchema>;
export type EventTimeSpec = z.infer<typeof EventTimeSchema>;
export type TableSpec = z.infer<typeof TableSchema>;
export type KpiSpec = z.infer<typeof KpiSchema>;
export type Contract = z.infer<typeof ContractSchema>;

import { z } from 'zod';
import { ARCHETYPES, Archetype, isoDate, nonNegative, percent, Quality, Scale, seed, share, Trajectory } from './common.js';

/** One key per core table (a typo'd table name is an unknown key, reported with the nearest one). */
const targets = (d: Record<string, number>) =>
  z
    .object(Object.fromEntries(Object.entries(d).map(([table, n]) => [table, z.number().int().nonnegative().default(n).describe(`Target rows of ${table}.`)])))
    .strict()
    .default(d)
    .describe('Target row count per table at this scale (validate checks volumes within ±10%).');

/**
 * Target volumes of the 15 core tables. The seven driven tables (customers, merchants, card
 * transactions, buyers, sellers, listings, orders) are generated to these counts; the others follow from
 * behaviour (accounts and cards from the onboarding funnel and the savings/replacement rates, invoices
 * from the premium state machine, 1.5 items per order, one payment per order, one snapshot row per
 * listing-day) and are the values the default behaviour produces over the default 18 months
 * (dim_account, dim_card and fact_subscription_invoice: the mean of seeds 42 and 7 at small and
 * evaluation scale with the account and card-issue drop-offs of the onboarding funnel; large = 10 ×
 * evaluation).
 */
export const DEFAULT_SCALE_TARGETS = {
  small: {
    dim_customer: 2_000,
    dim_account: 2_080,
    dim_card: 1_870,
    dim_merchant: 600,
    dim_plan: 3,
    fact_card_transaction: 200_000,
    fact_subscription_invoice: 1_290,
    dim_buyer: 14_000,
    dim_seller: 400,
    dim_category: 90,
    dim_listing: 10_000,
    fact_order: 30_000,
    fact_order_item: 44_500,
    fact_payment: 30_000,
    snapshot_listing_daily: 4_250_000,
  },
  evaluation: {
    dim_customer: 40_000,
    dim_account: 41_600,
    dim_card: 37_300,
    dim_merchant: 6_000,
    dim_plan: 3,
    fact_card_transaction: 5_000_000,
    fact_subscription_invoice: 24_600,
    dim_buyer: 280_000,
    dim_seller: 8_000,
    dim_category: 90,
    dim_listing: 200_000,
    fact_order: 600_000,
    fact_order_item: 898_000,
    fact_payment: 600_000,
    snapshot_listing_daily: 85_000_000,
  },
  large: {
    dim_customer: 400_000,
    dim_account: 416_000,
    dim_card: 373_000,
    dim_merchant: 60_000,
    dim_plan: 3,
    fact_card_transaction: 50_000_000,
    fact_subscription_invoice: 246_000,
    dim_buyer: 2_800_000,
    dim_seller: 80_000,
    dim_category: 90,
    dim_listing: 2_000_000,
    fact_order: 6_000_000,
    fact_order_item: 8_980_000,
    fact_payment: 6_000_000,
    snapshot_listing_daily: 850_000_000,
  },
} as const;

const columnRef = z
  .string()
  .regex(/^[a-z_]+\.[a-z_]+$/, 'expected table.column')
  .describe('A warehouse column as table.column.');

const byArchetype = <T extends z.ZodTypeAny>(item: T, d: Record<Archetype, z.input<T>>, what: string) =>
  z
    .object(Object.fromEntries(ARCHETYPES.map((a) => [a, item.default(d[a]).describe(`${what} (${a})`)])) as Record<Archetype, z.ZodDefault<T>>)
    .strict()
    .default({} as never);

export const DefectsSchema = z
  .object({
    key_null_pct: percent.default(2.0).describe('Share of rows whose required FK column is NULL (typical profile), percent.'),
    fk_fail_pct: percent.default(5.0).describe('Share of rows whose FK does not resolve (typical profile), percent.'),
    fk_missing_share: share.default(0.7).describe('Of FK failures, the share referencing an id that does not exist; the rest are temporal mismatches.'),
    duplicate_pct: percent.default(0.7).describe('Share of rows duplicated on the business key with a later loaded_at (typical profile), percent.'),
    lag_processing_seconds: nonNegative
      .default(30)
      .describe('Processing time every row spends before its micro-batch can take it, seconds: the lag floor (waits and landings add a continuous amount on top; default 30).'),
    lag_batch_minutes: z.number().finite().positive().max(1440).default(15).describe('Rows load in micro-batches: each row waits for the next batch boundary (every N minutes from midnight UTC; default 15).'),
    lag_median_minutes: nonNegative.default(4).describe('Median time a batch takes to land after its boundary, minutes (lognormal per batch, so a slow batch delays all its rows; default 4).'),
    lag_sigma: z.number().finite().min(0).max(3).default(1.1).describe('Log-sd of the per-batch landing time (the long tail of usual lags, not capped; default 1.1).'),
    duplicate_delay: z
      .object({
        replay_share: share.default(0.6).describe('Share of duplicate copies from a retried load minutes after the first (default 0.6).'),
        replay_median_minutes: z.number().finite().positive().default(15).describe('Median delay of a replayed copy, minutes (lognormal, log-sd 0.8; default 15).'),
        rerun_median_hours: z.number().finite().positive().default(6).describe('Median delay of a same-day rerun copy, hours (lognormal, log-sd 0.6; default 6).'),
        backfill_share: share.default(0.15).describe('Share of duplicate copies from a backfill days later (default 0.15); the rest (1 − replay − backfill) are reruns.'),
        backfill_max_days: z.number().finite().min(1).max(60).default(10).describe('95th percentile of a backfill copy delay, days (lognormal, 5th percentile 1 day; default 10).'),
        incidents_per_quarter: z
          .number()
          .finite()
          .min(0)
          .max(30)
          .default(2)
          .describe(
            "Duplicate incidents per quarter per fact table (default 2): each re-ingests a contiguous range of events (a replay, rerun or backfill, by the shares above) and together they carry the table's duplicate rate; 0 spreads single copies evenly over the rows instead.",
          ),
        replay_batch_hours: z.number().finite().positive().max(96).default(3).describe('Median span of events a replay re-sends, hours (lognormal, log-sd 0.5; default 3).'),
        rerun_batch_hours: z.number().finite().positive().max(96).default(12).describe('Median span of events a rerun re-sends, hours (lognormal, log-sd 0.4; default 12).'),
        backfill_batch_days: z.number().finite().positive().max(4).default(2).describe('Median span of events a backfill re-sends, days (lognormal, log-sd 0.3, at most 4 days; default 2).'),
      })
      .strict()
      .refine((d) => d.replay_share + d.backfill_share <= 1, { message: 'replay_share + backfill_share must be at most 1', path: ['backfill_share'] })
      .default({})
      .describe('Duplicate incidents: how many, how much of the event stream each re-sends, and how long after the first load its copies arrive (replays minutes later, reruns hours later, backfills days later).'),
    key_null_outages: z
      .object({
        share: share
          .default(0.4)
          .describe(
            "Share of a grouped FK column's key-null budget that falls in upstream outages (an enrichment or lookup service down for hours: the group's keys are NULL together on the same rows, clustered in time); the rest is scattered row by row (default 0.4; 0 scatters all).",
          ),
        per_quarter: z.number().finite().min(0).max(30).default(3).describe('Outages per quarter of the window, per column group (default 3).'),
        median_hours: z.number().finite().positive().max(240).default(5).describe('Median outage duration, hours (lognormal; default 5).'),
        log_sd: z.number().finite().min(0).max(3).default(0.9).describe('Log-sd of the outage duration (default 0.9).'),
        max_hours: z.number().finite().positive().max(240).default(48).describe('Longest outage, hours: longer draws are capped here (default 48).'),
        null_probability: share
          .default(0.8)
          .describe(
            'Nominal share of the rows inside an outage whose keys are NULL (each outage draws 70–100% of it); all outages of a group are then scaled by one factor, capped at 0.97, so together they carry `share` of the budget (default 0.8).',
          ),
        groups: byArchetype(
          z
            .array(z.array(columnRef).min(1))
            .refine((gs) => gs.every((g) => g.every((c) => c.split('.')[0] === g[0].split('.')[0])), { message: 'every column of a group must be in one table' }),
          {
            neobank: [['fact_card_transaction.card_id', 'fact_card_transaction.merchant_id']],
            marketplace: [['fact_order_item.listing_id', 'fact_order_item.seller_id'], ['fact_order.buyer_id']],
          },
          'FK column groups whose keys go NULL together in an outage (one table per group)',
        ).describe('FK column groups whose keys go NULL together in an outage, per archetype; FK columns in no group keep scattered key nulls only.'),
      })
      .strict()
      .default({})
      .describe('Key-null outages: part of the key-null budget of grouped FK columns arrives as upstream outages instead of independent row-by-row nulls; each column keeps its overall key-null rate.'),
    late_share: share.default(0.05).describe('Share of rows delivered in late batches (typical profile; each table draws its own within ± rate_spread).'),
    late_min_hours: nonNegative.default(4).describe('5th percentile of a late batch lag, hours (late lags are lognormal per micro-batch; also the threshold above which a row counts as loaded late).'),
    late_max_hours: nonNegative.default(12).describe('95th percentile of a late batch lag, hours.'),
    rate_spread: share
      .default(0.1)
      .describe('Relative spread of the per-table / per-column FK-failure, duplicate and late-ingest rates around the configured ones (0.1: each drawn within ±10%, recorded as target_rate); key nulls keep the configured rate.'),
    null_spikes_per_quarter: z.number().int().min(0).max(20).default(2).describe('Null spikes injected per quarter per archetype.'),
    null_spike_pp: percent.default(10).describe('Extra nulls on a spike day, percentage points: the smallest spike; incident sizes vary up to 1.6× this.'),
    null_spike_columns: byArchetype(
      z.array(columnRef).min(1),
      {
        neobank: ['fact_card_transaction.merchant_id', 'fact_card_transaction.card_id'],
        marketplace: ['fact_order.buyer_id', 'fact_order_item.listing_id'],
      },
      'Columns that receive null spikes',
    ).describe('Columns that receive null spikes, per archetype.'),
    schema_gap_column: byArchetype(
      columnRef,
      { neobank: 'fact_card_transaction.interchange_bps', marketplace: 'fact_order.shipping_cents' },
      'Column written NULL for a window then backfilled',
    ).describe('The column of the schema write gap, per archetype.'),
    schema_gap_days: z.number().int().min(1).max(60).default(3).describe('Length of the schema write gap, local days.'),
    schema_gap_backfill_share: share.default(0.95).describe('Share of gap rows later backfilled with their value.'),
    messy_multiplier: z.number().finite().min(1).max(10).default(2.5).describe('Rate multiplier of the messy profile over typical.'),
  })
  .strict()
  .default({})
  .describe('Defect injection rates of the typical profile; clean injects none, messy multiplies.');

export const WarehouseSchema = z
  .object({
    archetypes: z.array(Archetype).min(1).default([...ARCHETYPES]).describe('Archetypes that quickstart builds.'),
    scale: Scale.default('evaluation').describe('Volume profile: small | evaluation | large.'),
    quality: Quality.default('typical').describe('Defect profile: clean | typical | messy.'),
    trajectory: Trajectory.default('T1').describe('T1 steady | T2 growth (+4%/month inflow) | T3 decline (rising churn).'),
    tz: z
      .string()
      .default('America/Los_Angeles')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'expected an IANA time zone such as America/Los_Angeles')
      .describe('Business time zone: daily windows and rules are computed in it (DST-correct).'),
    months: z.number().int().min(1).max(120).default(18).describe('Months of events, ending at end_date (1–120).'),
    end_date: isoDate.default('2026-06-30').describe('Fixed anchor: the last local day of events, so outputs do not depend on today.'),
    seed: seed.default(42).describe('Seed of the warehouse generator.'),
    chunk_rows: z.number().int().min(1_000).max(50_000_000).default(500_000).describe('Rows generated per chunk (bounds memory: ~0.5 GB peak at the default); never changes values, only part files.'),
    // DuckDB's own row-group size: its Parquet writer encodes a 122,880-row group in about half the CPU time
    // per row of a 1M-row group (measured on a neobank chunk: 0.43 s vs 0.72–0.93 s), for files ~2% larger.
    row_group_rows: z.number().int().min(1_000).max(50_000_000).default(122_880).describe('Parquet row-group size in rows (never changes values; larger groups write slower and compress ~2% better).'),
    scales: z
      .object({
        small: targets(DEFAULT_SCALE_TARGETS.small),
        evaluation: targets(DEFAULT_SCALE_TARGETS.evaluation),
        large: targets(DEFAULT_SCALE_TARGETS.large),
      })
      .strict()
      .default({})
      .describe('Target volumes per scale.'),
    currency_rates: z
      .record(z.string().regex(/^[A-Z]{3}$/, 'expected an ISO-4217 code'), z.number().positive())
      .default({ USD: 1, EUR: 1.08, GBP: 1.27, CAD: 0.73, AUD: 0.66 })
      .describe("USD per unit of each marketplace shop currency: the level the dated rates in dim_fx_rate wander around, and the rate listings are priced from (a shop whose currency has no rate prices in USD)."),
    defects: DefectsSchema,
  })
  .strict()
  .default({})
  .describe('Synthetic warehouse generation.');

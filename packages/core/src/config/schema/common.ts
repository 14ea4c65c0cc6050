import { z } from 'zod';

export const ARCHETYPES = ['neobank', 'marketplace'] as const;
export const Archetype = z.enum(ARCHETYPES);
export type Archetype = z.infer<typeof Archetype>;

export const SCALES = ['small', 'evaluation', 'large'] as const;
export const Scale = z.enum(SCALES);
export type Scale = z.infer<typeof Scale>;

export const QUALITIES = ['clean', 'typical', 'messy'] as const;
export const Quality = z.enum(QUALITIES);
export type Quality = z.infer<typeof Quality>;

export const TRAJECTORIES = ['T1', 'T2', 'T3'] as const;
export const Trajectory = z.enum(TRAJECTORIES);
export type Trajectory = z.infer<typeof Trajectory>;

export const THEMES = [
  'metric_definition_mismatch',
  'join_keys_orphans',
  'freshness_ingest_lag',
  'duplicates_dedup',
  'access_permissions_pii',
  'new_field_schema_request',
  'revenue_coverage_mapping',
  'attribution_funnel_gaps',
] as const;
export const Theme = z.enum(THEMES);
export type Theme = z.infer<typeof Theme>;

export const RELEVANCES = ['positive', 'hard_negative', 'negative'] as const;
export const Relevance = z.enum(RELEVANCES);
export type Relevance = z.infer<typeof Relevance>;

export const ROLES = [
  'exec',
  'data_eng',
  'analytics_eng',
  'bi',
  'product_analytics',
  'eng_platform',
  'pm',
  'finance',
  'other',
] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const BUCKETS = ['platform', 'analytics', 'domain'] as const;
export const Bucket = z.enum(BUCKETS);
export type Bucket = z.infer<typeof Bucket>;

export const nonNegative = z.number().finite().nonnegative();
export const percent = z.number().finite().min(0).max(100);
export const share = z.number().finite().min(0).max(1);
export const usd = z.number().finite().nonnegative();
export const seed = z.number().int().min(0).max(2 ** 31 - 1);
/** A YYYY-MM-DD calendar date that exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real calendar date');

/** Weights that must have at least one positive entry (normalised where used). */
export const weights = <K extends string>(keys: readonly [K, ...K[]], defaults: Record<K, number>, what: string) =>
  z
    .object(Object.fromEntries(keys.map((k) => [k, nonNegative.default(defaults[k]).describe(`${what}: weight of ${k}`)])) as Record<K, z.ZodDefault<z.ZodNumber>>)
    .strict()
    .default({} as never)
    .refine((w) => Object.values(w).some((v) => (v as number) > 0), 'at least one weight must be positive');

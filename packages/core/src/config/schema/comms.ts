import { z } from 'zod';
import { LlmRequestSchema } from './classification.js';
import { ARCHETYPES, BUCKETS, RELEVANCES, ROLES, THEMES, seed, usd, weights, type Scale, type Theme } from './common.js';
import { DEFAULT_LLM_MODEL } from './report.js';

const THEME_MIX: Record<(typeof ARCHETYPES)[number], Record<Theme, number>> = {
  neobank: {
    metric_definition_mismatch: 0.16,
    join_keys_orphans: 0.14,
    freshness_ingest_lag: 0.16,
    duplicates_dedup: 0.12,
    access_permissions_pii: 0.1,
    new_field_schema_request: 0.1,
    revenue_coverage_mapping: 0.14,
    attribution_funnel_gaps: 0.08,
  },
  marketplace: {
    metric_definition_mismatch: 0.14,
    join_keys_orphans: 0.14,
    freshness_ingest_lag: 0.14,
    duplicates_dedup: 0.12,
    access_permissions_pii: 0.08,
    new_field_schema_request: 0.1,
    revenue_coverage_mapping: 0.14,
    attribution_funnel_gaps: 0.14,
  },
};

const themeMix = (a: (typeof ARCHETYPES)[number]) =>
  weights(THEMES, THEME_MIX[a], `Target share of positive threads/NLQs about the theme (${a})`).describe(`Theme mix for ${a}.`);

/** Comms volumes per archetype at one warehouse scale. */
export interface CommsVolumes {
  slack_threads: number;
  email_threads: number;
  nlq: number;
}

/**
 * Default volumes per scale. `small` is a quarter of `evaluation`: enough for the theme-mix (±8 pp) and
 * classifier gates, and a `quickstart --fast` of about a minute; `large` keeps the evaluation corpus (the
 * large scale stresses the warehouse, not the classifier).
 */
export const DEFAULT_COMMS_VOLUMES: Record<Scale, CommsVolumes> = {
  small: { slack_threads: 750, email_threads: 200, nlq: 250 },
  evaluation: { slack_threads: 3000, email_threads: 800, nlq: 1000 },
  large: { slack_threads: 3000, email_threads: 800, nlq: 1000 },
};

const count = z.number().int().min(0).max(1_000_000);
const volumes = (d: CommsVolumes) =>
  z
    .object({
      slack_threads: count.default(d.slack_threads).describe('Slack threads per archetype.'),
      email_threads: count.default(d.email_threads).describe('Email messages (threads) per archetype.'),
      nlq: count.default(d.nlq).describe('Natural-language BI queries per archetype.'),
    })
    .strict()
    .default({});

export const CommsSchema = z
  .object({
    scales: z
      .object({ small: volumes(DEFAULT_COMMS_VOLUMES.small), evaluation: volumes(DEFAULT_COMMS_VOLUMES.evaluation), large: volumes(DEFAULT_COMMS_VOLUMES.large) })
      .strict()
      .default({})
      .describe('Volumes per archetype at each warehouse scale (gen-comms uses the scale of the warehouse it reads, else warehouse.scale).'),
    slack_threads: count.optional().describe('Slack threads per archetype at every scale (unset: comms.scales.<scale>.slack_threads; gen-comms --slack).'),
    email_threads: count.optional().describe('Email messages per archetype at every scale (unset: comms.scales.<scale>.email_threads; gen-comms --email).'),
    nlq: count.optional().describe('NLQs per archetype at every scale (unset: comms.scales.<scale>.nlq; gen-comms --nlq).'),
    window_months: z.number().int().min(1).max(120).default(12).describe('Comms cover the last N months of the warehouse window.'),
    engine: z.enum(['template', 'llm']).default('template').describe('Text engine: template (offline, deterministic) | llm.'),
    sample_policy: z.enum(['event_aware', 'uniform']).default('event_aware').describe('event_aware clusters themed threads within ±24 h of injected defects; uniform does not.'),
    seed: seed.default(43).describe('Seed of the comms generator.'),
    api_cap_usd: usd.default(1.0).describe('Hard LLM spend cap per archetype and run for the llm engine, USD.'),
    model: z.string().min(1).default(DEFAULT_LLM_MODEL).describe('Model of the llm engine (needs a pricing entry).'),
    temperature: z.number().min(0).max(2).default(0.9).describe('Sampling temperature of the llm engine (varied text; answers are cached per prompt; sent unless request.temperature omits it).'),
    request: LlmRequestSchema.describe('Request shape for the llm engine: token-limit parameter, temperature, JSON mode.'),
    slack_messages_min: z.number().int().min(1).max(50).default(4).describe('Fewest messages in a Slack thread.'),
    slack_messages_max: z.number().int().min(1).max(50).default(8).describe('Most messages in a Slack thread.'),
    slack_max_tokens: z.number().int().min(5).max(1000).default(80).describe('Token cap per Slack message (model encoding).'),
    email_max_tokens: z.number().int().min(10).max(5000).default(180).describe('Token cap per email body.'),
    nlq_max_tokens: z.number().int().min(3).max(500).default(30).describe('Token cap per NLQ text.'),
    relevance_mix: weights(RELEVANCES, { positive: 0.45, hard_negative: 0.2, negative: 0.35 }, 'Share of Slack/email threads').describe('Relevance mix of Slack and email threads.'),
    theme_mix: z
      .object({ neobank: themeMix('neobank'), marketplace: themeMix('marketplace') })
      .strict()
      .default({})
      .describe('Target theme mix per archetype (validate checks ±8 pp).'),
    role_weights: weights(
      ROLES,
      { exec: 3, data_eng: 12, analytics_eng: 8, bi: 7, product_analytics: 5, eng_platform: 10, pm: 10, finance: 5, other: 40 },
      'Share of users with the role',
    ).describe('Role mix of comms users.'),
    bucket_mix: weights(BUCKETS, { platform: 0.35, analytics: 0.4, domain: 0.25 }, 'Share of Slack channels / email lists in the bucket').describe('Bucket mix of channels and lists.'),
    link_domains: z
      .array(z.string().regex(/^[a-z0-9.-]+\.example$/, 'link domains must be placeholder *.example domains'))
      .min(1)
      .default(['dbt.example', 'looker.example', 'jira.example', 'github.example', 'docs.example', 'wiki.example', 'status.example'])
      .describe('Allowlist of placeholder link domains.'),
    event_window_hours: z.number().min(1).max(168).default(24).describe('Half-width of the window around a defect event in which themed threads cluster, hours.'),
  })
  .strict()
  .default({})
  .describe('Synthetic communications.');

/** The comms volumes in force: an explicit comms.slack_threads/email_threads/nlq wins, else the scale's. */
export function commsVolumes(comms: z.infer<typeof CommsSchema>, scale: Scale): CommsVolumes {
  const byScale = comms.scales[scale];
  return {
    slack_threads: comms.slack_threads ?? byScale.slack_threads,
    email_threads: comms.email_threads ?? byScale.email_threads,
    nlq: comms.nlq ?? byScale.nlq,
  };
}

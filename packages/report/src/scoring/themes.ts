import { THEMES, type Theme } from '@dnr/core';
import type { Family } from './revenue-at-risk.js';

/**
 * The one defect family that measures each theme's problem in a table; null when no warehouse
 * metric measures it (the gap then rests on demand alone).
 * - metric_definition_mismatch is not a duplicate problem: two dashboards can disagree with no
 *   duplicate row (date ranges, status filters); mapping it to duplicates made it cite the
 *   duplicates evidence a second time.
 * - attribution_funnel_gaps is not a key problem: a funnel can lose attribution with every key present.
 * - access_permissions_pii is about who may read, not what the data holds.
 */
export const THEME_FAMILY: Record<Theme, Family | null> = {
  join_keys_orphans: 'keys',
  duplicates_dedup: 'duplicates',
  freshness_ingest_lag: 'lag',
  new_field_schema_request: 'null_spikes',
  revenue_coverage_mapping: 'revenue_nulls',
  metric_definition_mismatch: null,
  attribution_funnel_gaps: null,
  access_permissions_pii: null,
};

/** Themes a report can raise from data-health metrics alone (themes skipped): the measured ones. */
export const HEALTH_ONLY_THEMES: Theme[] = THEMES.filter((t) => THEME_FAMILY[t] !== null);

/** The evidence a gap rests on: its measured problem on its table, or (demand only) its theme on the table. */
export const evidenceKey = (theme: Theme, table: string): string => `${THEME_FAMILY[theme] ?? theme}:${table}`;

import type { Theme } from '@dnr/core';
import { tableName, tableRowName } from '../write/names.js';

/** What to do about each theme on a table: a short title and a one-sentence recommendation (human names only). */
export const ACTION_TEXT: Record<Theme, { title: (table: string) => string; recommendation: (table: string) => string }> = {
  join_keys_orphans: {
    title: (t) => `Repair the join keys of ${tableName(t)}`,
    recommendation: (t) => `Reject ${tableRowName(t)} rows with a missing or unknown key at load, quarantine the ones already loaded, and backfill their keys from the source system.`,
  },
  duplicates_dedup: {
    title: (t) => `Stop duplicate ${tableName(t)}`,
    recommendation: (t) => `Make the ${tableName(t)} load idempotent (merge on the business key, keep the first load) and add a uniqueness test.`,
  },
  metric_definition_mismatch: {
    title: (t) => `Agree one definition for the metrics built on ${tableName(t)}`,
    recommendation: (t) => `Publish one governed definition for the metrics computed from ${tableName(t)} (which rows count, which statuses, which dates) and retire the divergent copies.`,
  },
  freshness_ingest_lag: {
    title: (t) => `Load ${tableName(t)} on time`,
    recommendation: (t) => `Move ${tableName(t)} to incremental loads with a freshness alert, and page the owner when a batch is late.`,
  },
  new_field_schema_request: {
    title: (t) => `Guard ${tableName(t)} against empty columns and schema changes`,
    recommendation: (t) => `Add column-level checks for empty values and a schema contract on ${tableName(t)}; backfill the affected days.`,
  },
  revenue_coverage_mapping: {
    title: (t) => `Map all revenue in ${tableName(t)}`,
    recommendation: (t) => `Give every ${tableRowName(t)} row its revenue amount and mapping (no empty amounts or rates) and reconcile with finance monthly.`,
  },
  attribution_funnel_gaps: {
    title: (t) => `Close attribution gaps in ${tableName(t)}`,
    recommendation: (t) => `Carry the ids that funnel attribution needs through ${tableName(t)} and alert on rows that cannot be attributed.`,
  },
  access_permissions_pii: {
    title: (t) => `Give the right people access to ${tableName(t)}`,
    recommendation: (t) => `Grant role-based read access to ${tableName(t)} with personal data masked, through a documented request path.`,
  },
};

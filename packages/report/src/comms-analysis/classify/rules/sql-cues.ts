import { THEMES, type Theme } from '@dnr/core';

/**
 * Theme cues from the shape of SQL (in a code block or an NLQ's generated SQL): what the query
 * checks says what the asker worries about.
 */
const CUES: Array<[RegExp, Theme, number]> = [
  [/\bleft\s+join\b[\s\S]*\bis\s+null\b|\bnot\s+exists\b|\bnot\s+in\s*\(\s*select\b|\banti\s+join\b/i, 'join_keys_orphans', 1.0],
  [/\b\w+_id\s+is\s+null\b/i, 'join_keys_orphans', 0.6],
  [/\bhaving\s+count\s*\(\s*\*\s*\)\s*>\s*1\b|\bcount\s*\(\s*distinct\b[\s\S]*\bcount\s*\(\s*\*|\brow_number\s*\(|\bqualify\b/i, 'duplicates_dedup', 1.0],
  [/\bmax\s*\(\s*loaded_at\s*\)|\bloaded_at\s*-\s*\w+|\bdate_diff\s*\(\s*'minute'|\bdatediff\b|\bepoch\s*\(\s*loaded_at|\bage\s*\(/i, 'freshness_ingest_lag', 1.0],
  [/\bloaded_at\b/i, 'freshness_ingest_lag', 0.4],
  [/\bgrant\b|\brevoke\b|\bcurrent_role\b|\binformation_schema\.(?:table_privileges|role)/i, 'access_permissions_pii', 1.0],
  [/\balter\s+table\b|\badd\s+column\b|\binformation_schema\.columns\b/i, 'new_field_schema_request', 1.0],
  [/\binterchange_bps\b|\bplatform_fee_cents\b|\bmcc\b|\bamount_cents\b.*\bplan_id\b|\btake_rate\b/i, 'revenue_coverage_mapping', 0.6],
  [/\butm_\w+|\bcampaign\b|\breferr\w+|\bfunnel\b|\bconversion\b/i, 'attribution_funnel_gaps', 1.0],
  [/\bcount\s*\(\s*distinct\s+\w+_id\s*\)/i, 'metric_definition_mismatch', 0.3],
];

export function sqlThemeCues(sql: string): Record<Theme, number> {
  const out = Object.fromEntries(THEMES.map((t) => [t, 0])) as Record<Theme, number>;
  for (const [re, theme, w] of CUES) if (re.test(sql)) out[theme] = Math.max(out[theme], w);
  return out;
}

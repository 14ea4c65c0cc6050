import type { Theme } from '@dnr/core';
import type { DataHealth } from '../schemas/data-health.js';
import type { Family } from './revenue-at-risk.js';

/**
 * Which defect family measures each theme's damage in a table. Themes without a measurable family
 * (access, attribution funnels) carry no revenue at risk or severity; only their demand scores.
 */
export const THEME_FAMILY: Record<Theme, Family | null> = {
  join_keys_orphans: 'keys',
  duplicates_dedup: 'duplicates',
  metric_definition_mismatch: 'duplicates',
  freshness_ingest_lag: 'lag',
  new_field_schema_request: 'null_spikes',
  revenue_coverage_mapping: 'revenue_nulls',
  attribution_funnel_gaps: 'keys',
  access_permissions_pii: null,
};

/** Themes derived from health metrics alone when the comms themes are skipped. */
export const HEALTH_ONLY_THEMES: Theme[] = ['join_keys_orphans', 'duplicates_dedup', 'freshness_ingest_lag', 'new_field_schema_request'];

/** Relative SLO overage x of a table for a family, and the local day it peaked in the window. */
export function familyOverage(dh: DataHealth, table: string, family: Family | null, affectedRows = 0): { x: number; peakDay: string | null; evidence: string[] } {
  const t = dh.tables[table];
  if (!t || !family) return { x: 0, peakDay: null, evidence: [] };
  const s = dh.slos;
  const over = (v: number | null, slo: number) => (v == null || slo <= 0 ? 0 : Math.max(0, v / slo - 1));
  const peak = (metric: 'key_null_pct' | 'orphan_pct' | 'dup_key_pct' | 'p95_ingest_lag_min') => {
    let best: { day: string; v: number } | null = null;
    for (const d of t.daily) {
      const v = d[metric];
      if (v != null && (!best || v > best.v)) best = { day: d.day, v };
    }
    return best?.day ?? null;
  };
  const w = t.window;
  switch (family) {
    case 'keys': {
      const xn = over(w.key_null_pct, s.key_null_pct);
      const xo = over(w.orphan_pct, s.fk_orphan_pct);
      return {
        x: Math.max(xn, xo),
        peakDay: peak(xn >= xo ? 'key_null_pct' : 'orphan_pct'),
        evidence: [`${table}: key nulls ${w.key_null_pct}% (SLO ${s.key_null_pct}%)`, `${table}: orphan keys ${w.orphan_pct}% (SLO ${s.fk_orphan_pct}%)`],
      };
    }
    case 'duplicates':
      return { x: over(w.dup_key_pct, s.dup_keys_pct), peakDay: peak('dup_key_pct'), evidence: [`${table}: duplicate keys ${w.dup_key_pct}% (SLO ${s.dup_keys_pct}%)`] };
    case 'lag':
      return {
        x: over(w.p95_ingest_lag_min, s.p95_ingest_lag_min),
        peakDay: peak('p95_ingest_lag_min'),
        evidence: [`${table}: p95 ingest lag ${w.p95_ingest_lag_min} min (SLO ${s.p95_ingest_lag_min} min)`],
      };
    case 'null_spikes': {
      const spikes = dh.null_spikes.spikes.filter((sp) => sp.table === table && sp.in_window);
      if (!spikes.length) return { x: 0, peakDay: null, evidence: [] };
      const worst = spikes.reduce((a, b) => (b.null_pct - b.threshold_pct > a.null_pct - a.threshold_pct ? b : a));
      return {
        x: Math.max(...spikes.map((sp) => sp.null_pct / Math.max(sp.threshold_pct, 1e-9) - 1)),
        peakDay: worst.day,
        evidence: spikes.map((sp) => `${table}.${sp.column}: ${sp.null_pct}% NULL on ${sp.day} (threshold ${sp.threshold_pct}%)`),
      };
    }
    case 'revenue_nulls': {
      // Rows with a NULL revenue column, held to the key-null SLO.
      const p = w.rows > 0 ? Math.round((1e4 * affectedRows) / w.rows) / 100 : 0;
      return { x: over(p, s.key_null_pct), peakDay: null, evidence: [`${table}: ${p}% of rows have a NULL revenue column (SLO ${s.key_null_pct}%)`] };
    }
  }
}

export const ACTION_TEXT: Record<Theme, { title: (table: string) => string; recommendation: (table: string) => string }> = {
  join_keys_orphans: {
    title: (t) => `Repair join keys in ${t}`,
    recommendation: (t) => `Add NOT NULL and foreign-key checks on ${t} at load, quarantine orphaned rows, and backfill keys from the source system.`,
  },
  duplicates_dedup: {
    title: (t) => `Deduplicate ${t} on its business key`,
    recommendation: (t) => `Make the ${t} load idempotent (merge on the business key, keep the earliest loaded_at) and add a uniqueness test.`,
  },
  metric_definition_mismatch: {
    title: (t) => `Align metric definitions built on ${t}`,
    recommendation: (t) => `Publish one governed definition for the revenue metrics computed from ${t} (dedup and status rules) and retire the divergent copies.`,
  },
  freshness_ingest_lag: {
    title: (t) => `Cut ingest lag of ${t}`,
    recommendation: (t) => `Move ${t} to incremental loads with a freshness SLO alert and page on late batches.`,
  },
  new_field_schema_request: {
    title: (t) => `Guard ${t} against schema gaps and null spikes`,
    recommendation: (t) => `Add column-level null-rate monitors and schema contracts on ${t}; backfill the affected days.`,
  },
  revenue_coverage_mapping: {
    title: (t) => `Close revenue mapping gaps in ${t}`,
    recommendation: (t) => `Map every ${t} row to a revenue line (no NULL amounts or rates) and reconcile against finance monthly.`,
  },
  attribution_funnel_gaps: {
    title: (t) => `Fill attribution gaps in ${t}`,
    recommendation: (t) => `Carry the entity keys needed for funnel attribution through ${t} and alert on unattributed rows.`,
  },
  access_permissions_pii: {
    title: (t) => `Fix access to ${t}`,
    recommendation: (t) => `Grant role-based read access to ${t} with PII columns masked, through a documented request path.`,
  },
};

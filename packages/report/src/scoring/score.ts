import type { Config, Theme } from '@dnr/core';
import type { CommsAnalysis, ThemeDemand } from '../comms-analysis/types.js';
import type { DataHealth } from '../schemas/data-health.js';
import type { Action, Gap } from '../schemas/exec-summary.js';
import { round } from '../metrics/health.js';
import { daysBetween } from '../metrics/window.js';
import { FACT_TABLES } from '../tables.js';
import type { RevenueAtRisk } from './revenue-at-risk.js';
import { ACTION_TEXT, familyOverage, HEALTH_ONLY_THEMES, THEME_FAMILY } from './themes.js';

export interface ScoringInput {
  dh: DataHealth;
  rar: RevenueAtRisk;
  comms: CommsAnalysis;
  config: Config;
}

export interface ScoringResult {
  mode: 'comms_and_health' | 'health_only';
  note: string;
  gaps: Gap[];
  actions: Action[];
  hidden: Array<Gap & { reason: string }>;
}

/** Scaled SLO overage in [0, 1): x/(1+x), so 2× the SLO scores 0.5 and far overages approach 1. */
export const severityOf = (x: number) => (x > 0 ? x / (1 + x) : 0);

/** Coverage of the comms evidence: source coverage (0..1) averaged by demand weight. */
function commsCoverage(comms: CommsAnalysis): number {
  const s = Object.values(comms.sources);
  const wsum = s.reduce((a, x) => a + x.weight, 0);
  if (!s.length || wsum <= 0) return 0;
  return s.reduce((a, x) => a + x.weight * Math.min(1, x.coveragePct / 100), 0) / wsum;
}

/**
 * Score every gap (theme × fact table) per SPEC §7.6 and pick the top-3 actions, one per theme.
 * Health-only mode (themes skipped): the four defect families become themes with demand 0; class and
 * entity confidence are 1 (the theme and table are measured, not inferred), agreement 0, and
 * coverage is the share of window days with data.
 */
export function scoreGaps({ dh, rar, comms, config }: ScoringInput): ScoringResult {
  const weights = config.report.scoring_weights;
  const norm = dh.revenue_norm.median_monthly_revenue_usd;
  const classified = Object.values(comms.sources).reduce((a, x) => a + x.classified, 0);
  const healthOnly = comms.status === 'skipped' || comms.themes.length === 0 || classified === 0;
  const tables = FACT_TABLES[dh.archetype].map((t) => t.name);
  const coverageAll = healthOnly ? daysCoverage(dh) : commsCoverage(comms);
  const gaps: Gap[] = [];
  const themeList: Array<{ theme: Theme; demand: ThemeDemand | null }> = healthOnly
    ? HEALTH_ONLY_THEMES.map((theme) => ({ theme, demand: null }))
    : comms.themes.map((d) => ({ theme: d.theme, demand: d }));

  for (const { theme, demand } of themeList) {
    const family = THEME_FAMILY[theme];
    for (const table of tables) {
      const risk = family ? rar[table]?.[family] ?? { rows: 0, revenue_usd: 0 } : { rows: 0, revenue_usd: 0 };
      const ov = familyOverage(dh, table, family, risk.rows);
      const revenueImpact = norm > 0 ? Math.min(1, risk.revenue_usd / norm) : 0;
      const severity = severityOf(ov.x);
      const d = demand?.demand ?? 0;
      // Decay runs from the gap's most recent peak: a theme people talked about most in January is still
      // current when its table breaks its SLO worst this week (ISO days compare as strings).
      const peakDays = [demand?.peakDay ?? null, ov.peakDay].filter((x): x is string => x !== null).sort();
      const peakDay = peakDays.length ? peakDays[peakDays.length - 1] : null;
      const sincePeak = peakDay ? Math.max(0, daysBetween(peakDay, dh.window.end)) : null;
      const decay = sincePeak == null ? 1 : Math.exp(-sincePeak / config.report.decay_days);
      if (healthOnly && revenueImpact === 0 && severity === 0) continue;
      const mention = demand?.tables.find((m) => m.table === table);
      const parts = healthOnly
        ? { class_conf: 1, entity_conf: 1, coverage: coverageAll, agreement: 0 }
        : { class_conf: demand?.classConfidence ?? 0, entity_conf: mention?.confidence ?? 0, coverage: coverageAll, agreement: demand?.agreement ?? 0 };
      const confidence = 0.45 * parts.class_conf + 0.25 * parts.entity_conf + 0.2 * parts.coverage + 0.1 * parts.agreement;
      const weighted = {
        revenue: round(weights.revenue * revenueImpact * decay, 4),
        demand: round(weights.demand * d * decay, 4),
        severity: round(weights.severity * severity * decay, 4),
      };
      gaps.push({
        id: `${theme}:${table}`,
        theme,
        table,
        score: round(weighted.revenue + weighted.demand + weighted.severity, 4),
        components: { revenue_impact: round(revenueImpact, 4), demand: round(d, 4), health_severity: round(severity, 4), decay: round(decay, 4), weighted },
        revenue_at_risk_usd: risk.revenue_usd,
        affected_rows: risk.rows,
        peak_day: peakDay,
        days_since_peak: sincePeak,
        evidence: [
          ...(demand ? [`demand ${round(100 * d, 1)}% of weighted comms (${theme})${mention ? `, ${mention.mentions} mentions of ${table}` : ''}`] : []),
          ...ov.evidence,
        ],
        confidence: round(confidence, 4),
        confidence_parts: { class_conf: round(parts.class_conf, 4), entity_conf: round(parts.entity_conf, 4), coverage: round(parts.coverage, 4), agreement: round(parts.agreement, 4) },
      });
    }
  }
  gaps.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));

  const actions: Action[] = [];
  const hidden: ScoringResult['hidden'] = [];
  const usedThemes = new Set<Theme>();
  const min = config.report.confidence_min;
  for (const g of gaps) {
    if (actions.length >= 3) break;
    if (usedThemes.has(g.theme) || g.score <= 0) continue;
    usedThemes.add(g.theme);
    if (g.confidence < min) {
      hidden.push({ ...g, reason: `confidence ${g.confidence} < ${min} (class ${g.confidence_parts.class_conf}, entity ${g.confidence_parts.entity_conf}, coverage ${g.confidence_parts.coverage}, agreement ${g.confidence_parts.agreement})` });
      continue;
    }
    const text = ACTION_TEXT[g.theme];
    actions.push({ ...g, rank: actions.length + 1, title: text.title(g.table), recommendation: text.recommendation(g.table) });
  }
  return {
    mode: healthOnly ? 'health_only' : 'comms_and_health',
    note: healthOnly
      ? `${comms.status === 'skipped' ? `Themes were skipped (${comms.skippedReason ?? 'no comms analysis'})` : 'No comms item could be classified (every source is below the coverage floor; is the spend cap too small?)'}: gaps come from data-health metrics alone (key nulls/FK → join_keys_orphans, duplicates → duplicates_dedup, lag → freshness_ingest_lag, null spikes/schema gap → new_field_schema_request) with demand 0.`
      : `Gaps combine comms demand (${comms.engine} engine) with data-health metrics.`,
    gaps,
    actions,
    hidden,
  };
}

function daysCoverage(dh: DataHealth): number {
  const days = new Set(dh.overall.daily.filter((d) => d.rows > 0).map((d) => d.day)).size;
  return dh.window.days > 0 ? Math.min(1, days / dh.window.days) : 0;
}

import type { Config, Theme } from '@dnr/core';
import type { CommsAnalysis, ThemeDemand } from '../comms-analysis/types.js';
import type { DataHealth } from '../schemas/data-health.js';
import type { Action, Gap, HiddenAction } from '../schemas/exec-summary.js';
import { round } from '../metrics/health.js';
import { daysBetween } from '../metrics/window.js';
import { ACTION_TEXT } from './actions.js';
import { confidenceOf, type ConfidenceParts } from './confidence.js';
import { measureFamily, type FamilyMeasure } from './measure.js';
import { normalisers, scaled, severityInput, type Normalisers } from './normalise.js';
import type { Family, RevenueAtRisk } from './revenue-at-risk.js';
import { evidenceKey, HEALTH_ONLY_THEMES, THEME_FAMILY } from './themes.js';

export interface ScoringInput {
  dh: DataHealth;
  rar: RevenueAtRisk;
  comms: CommsAnalysis;
  config: Config;
}

export interface ScoringResult {
  mode: 'comms_and_health' | 'health_only';
  note: string;
  normalisers: Normalisers;
  gaps: Gap[];
  actions: Action[];
  hidden: HiddenAction[];
}

/** One theme × table before scaling: its raw money, demand and measurement. */
interface Candidate {
  theme: Theme;
  table: string;
  family: Family | null;
  revenueUsd: number;
  rows: number;
  demand: number;
  ratio: number;
  measure: FamilyMeasure;
  themeDemand: ThemeDemand | null;
  mention: ThemeDemand['tables'][number] | null;
}

/**
 * Score every gap (theme × fact table) and pick the top-3 actions:
 * score = (w_rev·RevenueImpact + w_dem·Demand + w_sev·HealthSeverity) · exp(−days_since_peak/decay_days),
 * each component scaled by the strongest candidate (see normalise.ts). Health-only mode (themes
 * skipped or nothing classified): the measured themes with demand 0, confidence from coverage and
 * persistence only. Formulas and reasons: docs/scoring.md.
 */
export function scoreGaps({ dh, rar, comms, config }: ScoringInput): ScoringResult {
  const healthOnly = isHealthOnly(comms);
  const candidates = collectCandidates(dh, rar, comms, healthOnly);
  const windowPeak = (t: Theme) => comms.voices[t]?.window_peak_day ?? null;
  const norm = normalisers(candidates, dh.revenue_norm.median_monthly_revenue_usd, config.report.revenue_materiality_pct);
  const coverage = healthOnly ? daysCoverage(dh) : commsCoverage(comms);
  const gaps = candidates
    .map((c) => toGap(c, norm, coverage, healthOnly, dh, config, windowPeak(c.theme)))
    .filter((g) => g.score > 0)
    .sort((a, b) => b.score - a.score || (b.mentions ?? 0) - (a.mentions ?? 0) || a.id.localeCompare(b.id));
  const { actions, hidden } = selectActions(gaps, config.report.confidence_min);
  return { mode: healthOnly ? 'health_only' : 'comms_and_health', note: modeNote(comms, healthOnly), normalisers: norm, gaps, actions, hidden };
}

function isHealthOnly(comms: CommsAnalysis): boolean {
  const classified = Object.values(comms.sources).reduce((a, x) => a + x.classified, 0);
  return comms.status === 'skipped' || comms.themes.length === 0 || classified === 0;
}

/** Measured themes on every fact table; demand-only themes on the tables their comms mention. */
function collectCandidates(dh: DataHealth, rar: RevenueAtRisk, comms: CommsAnalysis, healthOnly: boolean): Candidate[] {
  const themes: Array<{ theme: Theme; d: ThemeDemand | null }> = healthOnly ? HEALTH_ONLY_THEMES.map((theme) => ({ theme, d: null })) : comms.themes.map((d) => ({ theme: d.theme, d }));
  const out: Candidate[] = [];
  for (const { theme, d } of themes) {
    const family = THEME_FAMILY[theme];
    for (const table of Object.keys(dh.tables)) {
      const mention = d?.tables.find((m) => m.table === table) ?? null;
      if (!family && !mention) continue;
      const risk = family ? (rar[table]?.[family] ?? { rows: 0, revenue_usd: 0 }) : { rows: 0, revenue_usd: 0 };
      const measure = measureFamily(dh, table, family, risk.rows);
      const c: Candidate = { theme, table, family, revenueUsd: risk.revenue_usd, rows: risk.rows, demand: d?.demand ?? 0, ratio: measure.ratio, measure, themeDemand: d, mention };
      if (c.revenueUsd > 0 || c.ratio > 1 || c.demand > 0) out.push(c);
    }
  }
  return out;
}

/**
 * `windowPeak`: the busiest day of the theme inside the report window (the day the reader sees in the
 * themes table), or null when nobody asked in the window; the all-history peak is used only then.
 */
function toGap(c: Candidate, norm: Normalisers, coverage: number, healthOnly: boolean, dh: DataHealth, config: Config, windowPeak: string | null): Gap {
  const w = config.report.scoring_weights;
  const revenueImpact = scaled(c.revenueUsd, norm.revenue_usd);
  const demand = scaled(c.demand, norm.demand);
  const severity = scaled(severityInput(c.ratio), norm.severity);
  // Decay runs from the gap's most recent peak: a theme people talked about most months ago is still
  // current when its table breaks its limit worst this week (ISO days compare as strings). The comms
  // peak is the busiest day inside the window when people asked in it: a theme whose all-history peak
  // was a year ago but that people ask about this month is current.
  const commsPeak = windowPeak ?? c.themeDemand?.peakDay ?? null;
  const peakDay = [commsPeak, c.measure.peakDay].filter((x): x is string => x !== null).sort().at(-1) ?? null;
  const sincePeak = peakDay ? Math.max(0, daysBetween(peakDay, dh.window.end)) : null;
  const decay = sincePeak == null ? 1 : Math.exp(-sincePeak / config.report.decay_days);
  const parts: ConfidenceParts = healthOnly
    ? { class_conf: null, entity_conf: null, coverage, agreement: c.measure.persistence }
    : { class_conf: c.themeDemand?.classConfidence ?? 0, entity_conf: c.mention?.confidence ?? 0, coverage, agreement: c.themeDemand?.agreement ?? 0 };
  const weighted = { revenue: round(w.revenue * revenueImpact * decay, 4), demand: round(w.demand * demand * decay, 4), severity: round(w.severity * severity * decay, 4) };
  const norm4 = (x: number | null) => (x == null ? null : round(x, 4));
  return {
    id: `${c.theme}:${c.table}`,
    theme: c.theme,
    table: c.table,
    problem: c.family,
    evidence_key: evidenceKey(c.theme, c.table),
    score: round(weighted.revenue + weighted.demand + weighted.severity, 4),
    components: { revenue_impact: round(revenueImpact, 4), demand: round(demand, 4), health_severity: round(severity, 4), decay: round(decay, 4), weighted, shown: wholePoints(weighted) },
    revenue_at_risk_usd: c.revenueUsd,
    revenue_share_pct: dh.revenue_norm.median_monthly_revenue_usd > 0 ? round((100 * c.revenueUsd) / dh.revenue_norm.median_monthly_revenue_usd, 2) : null,
    affected_rows: c.rows,
    table_rows: dh.tables[c.table]?.window.rows ?? 0,
    demand_share: c.demand,
    mentions: c.mention?.mentions ?? null,
    severity_ratio: c.ratio > 1 ? round(c.ratio, 2) : null,
    peak_day: peakDay,
    peak_source: peakDay == null ? null : peakDay === c.measure.peakDay ? 'data' : 'comms',
    days_since_peak: sincePeak,
    evidence: c.measure.evidence,
    confidence: confidenceOf(parts),
    confidence_parts: { class_conf: norm4(parts.class_conf), entity_conf: norm4(parts.entity_conf), coverage: round(parts.coverage ?? 0, 4), agreement: norm4(parts.agreement) },
  };
}

/**
 * The three weighted parts (0..1 each) in whole points of 100, written back as hundredths: each part
 * rounded down, then the points left to reach round(sum × 100) go to the largest remainders
 * (Hamilton's method), so the parts a reader sees add up to the total shown.
 */
export function wholePoints(w: { revenue: number; demand: number; severity: number }): { revenue: number; demand: number; severity: number } {
  const keys = ['revenue', 'demand', 'severity'] as const;
  const exact = keys.map((k) => w[k] * 100);
  const total = Math.round(round(w.revenue + w.demand + w.severity, 4) * 100);
  const floor = exact.map((x) => Math.floor(x + 1e-9));
  const order = keys.map((_, i) => i).sort((a, b) => exact[b] - floor[b] - (exact[a] - floor[a]) || a - b);
  for (let left = total - floor.reduce((a, b) => a + b, 0), j = 0; left > 0; left--, j++) floor[order[j % 3]] += 1;
  return { revenue: floor[0] / 100, demand: floor[1] / 100, severity: floor[2] / 100 };
}

/**
 * Best gaps first, at most three actions: one per theme and one per evidence (a measured problem on
 * a table, or a demand-only theme on a table), so two actions never cite the same numbers. A gap below
 * confidence_min is listed as hidden with the reason and does not use up its theme.
 */
export function selectActions(gaps: readonly Gap[], confidenceMin: number): { actions: Action[]; hidden: HiddenAction[] } {
  const actions: Action[] = [];
  const hidden: HiddenAction[] = [];
  const usedThemes = new Set<Theme>();
  const usedEvidence = new Set<string>();
  for (const g of gaps) {
    if (actions.length >= 3) break;
    if (usedThemes.has(g.theme) || usedEvidence.has(g.evidence_key)) continue;
    if (g.confidence < confidenceMin) {
      hidden.push({ ...g, reason: 'low_confidence' });
      continue;
    }
    usedThemes.add(g.theme);
    usedEvidence.add(g.evidence_key);
    const text = ACTION_TEXT[g.theme];
    actions.push({ ...g, rank: actions.length + 1, title: text.title(g.table), recommendation: text.recommendation(g.table), asking: null });
  }
  return { actions, hidden };
}

function modeNote(comms: CommsAnalysis, healthOnly: boolean): string {
  if (!healthOnly) return `Gaps combine what people ask for (${comms.engine} classifier) with data-health measurements.`;
  // The reasons are whole clauses of their own (with their own parentheses): quoted after a colon, not nested.
  const why = comms.status === 'skipped' ? `Themes were skipped: ${comms.skippedReason ?? 'no comms analysis'}` : `No message could be classified: ${comms.statusReason ?? 'every source is below the coverage floor'}`;
  return `${why}. Gaps come from data-health measurements alone; demand was not measured.`;
}

/** Coverage of the comms evidence: source coverage (0..1) averaged by demand weight. */
function commsCoverage(comms: CommsAnalysis): number {
  const s = Object.values(comms.sources);
  const wsum = s.reduce((a, x) => a + x.weight, 0);
  if (!s.length || wsum <= 0) return 0;
  return s.reduce((a, x) => a + x.weight * Math.min(1, x.coveragePct / 100), 0) / wsum;
}

/** Share of window days with data (health-only coverage). */
function daysCoverage(dh: DataHealth): number {
  const days = new Set(dh.overall.daily.filter((d) => d.rows > 0).map((d) => d.day)).size;
  return dh.window.days > 0 ? Math.min(1, days / dh.window.days) : 0;
}

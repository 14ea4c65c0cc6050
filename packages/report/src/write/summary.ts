import { ARCHETYPES, type Archetype, type Config } from '@dnr/core';
import { tableDictionary } from '../comms-analysis/entities/dictionary.js';
import type { CommsAnalysis } from '../comms-analysis/types.js';
import { round } from '../metrics/health.js';
import type { ReportWindow } from '../metrics/window.js';
import type { DataHealth } from '../schemas/data-health.js';
import { examplesFor } from '../comms-analysis/demand/voices.js';
import { ExecSummarySchema, type Action, type ExecSummary, type Figure, type Kpi } from '../schemas/exec-summary.js';
import type { ThemesReport } from '../schemas/themes.js';
import type { ScoringResult } from '../scoring/score.js';
import { kpiName, tableName, tableRowName } from './names.js';

export interface ExecSummaryInput {
  runId: string;
  dh: DataHealth;
  /** The window of the same length just before, and its KPIs. */
  previous: { window: ReportWindow; kpis: Record<string, number | null> };
  /** The contract's KPI labels by id (KPIs without one are named by their id in words). */
  kpiLabels: Record<string, string | undefined>;
  scoring: ScoringResult;
  comms: CommsAnalysis;
  themes: ThemesReport;
  config: Config;
  figures: Figure[];
}

/** KPIs of the window beside the previous window's, with the relative change in percent. */
export function kpiChanges(now: Record<string, number | null>, before: Record<string, number | null>, labels: Record<string, string | undefined> = {}): Kpi[] {
  return Object.entries(now).map(([key, value]) => {
    const previous = before[key] ?? null;
    const change_pct = value != null && previous != null && previous !== 0 ? round((100 * (value - previous)) / Math.abs(previous), 2) : null;
    return { key, label: kpiName(key, labels[key]), value, previous, change_pct };
  });
}

/** exec_summary.json: everything the memo, the Markdown and the HTML show, validated by its schema. */
export function buildExecSummary(i: ExecSummaryInput): ExecSummary {
  const { dh, comms, scoring, config } = i;
  // A check with no value (nothing to measure in the window) neither passes nor fails: it is listed apart.
  const failing = dh.guardrails.filter((g) => !g.passed && g.value != null);
  const passing = dh.guardrails.filter((g) => g.passed && g.value != null);
  const unmeasured = dh.guardrails.filter((g) => g.value == null);
  const spikesInWindow = dh.null_spikes.spikes.filter((s) => s.in_window);
  return ExecSummarySchema.parse({
    schema_version: 2,
    archetype: dh.archetype,
    run_id: i.runId,
    window: dh.window,
    previous_window: i.previous.window,
    gap_source: scoring.mode,
    gap_source_note: scoring.note,
    themes_status: comms.status,
    themes_engine: comms.engine,
    themes_skipped_reason: comms.skippedReason,
    top_themes: i.themes.themes
      .filter((t) => t.demand > 0)
      .slice(0, 5)
      .map((t) => ({
        theme: t.theme,
        demand: t.demand,
        peak_day: t.peakDay,
        window_items: comms.voices[t.theme]?.window_items ?? 0,
        window_peak_day: comms.voices[t.theme]?.window_peak_day ?? null,
        unmet_share: t.unmetShare,
      })),
    kpis: kpiChanges(dh.kpis, i.previous.kpis, i.kpiLabels),
    revenue_norm: dh.revenue_norm,
    scoring: { weights: config.report.scoring_weights, normalisers: scoring.normalisers, decay_days: config.report.decay_days, confidence_min: config.report.confidence_min },
    actions: scoring.actions.map((a) => withAsking(a, comms, dh.window, dh.archetype)),
    hidden_actions: scoring.hidden,
    gaps: scoring.gaps,
    data_health: {
      failing_guardrails: failing,
      passing_guardrails: passing,
      unmeasured_guardrails: unmeasured,
      guardrails_failing: failing.length,
      guardrails_passing: passing.length,
      guardrails_not_measured: unmeasured.length,
      guardrails_total: dh.guardrails.length,
      null_spike_days: dh.null_spikes.spikes.length,
      null_spike_days_in_window: spikesInWindow.length,
      null_spikes_in_window: spikesInWindow.map((s) => ({ table: s.table, column: s.column, day: s.day, null_pct: s.null_pct, threshold_pct: s.threshold_pct })),
    },
    invoice_aggregates: dh.invoice_aggregates,
    marketplace_evening_window: dh.marketplace_evening_window ? (({ daily_share_pct: _d, ...rest }) => rest)(dh.marketplace_evening_window) : null,
    coverage: {
      sources_below_floor: Object.entries(comms.sources)
        .filter(([, s]) => s.belowFloor)
        .map(([k]) => k),
      budget_early_stop: comms.budget.earlyStop,
    },
    figures: i.figures,
  });
}

/** Who is asking about the action's theme, with up to three examples that name its table, from the window or the days just before. */
function withAsking(a: Action, comms: CommsAnalysis, window: DataHealth['window'], archetype: string): Action {
  const v = comms.voices[a.theme];
  if (!v) return { ...a, asking: null };
  return { ...a, asking: { ...v, examples: examplesFor(v.examples, tableMentions(archetype, a.table), window, 3, a.table_rows) } };
}

/** Regex sources of the ways a message names `table`: its id, its human name and its everyday aliases. */
function tableMentions(archetype: string, table: string): string[] {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Everyday aliases exist for the built-in archetypes' tables (other contracts: id and name only).
  const builtIn = (ARCHETYPES as readonly string[]).includes(archetype);
  const aliases = (builtIn ? tableDictionary(archetype as Archetype) : []).find((t) => t.table === table)?.aliases ?? [];
  return [...new Set([table, tableName(table), tableRowName(table)].map(esc)), ...aliases];
}

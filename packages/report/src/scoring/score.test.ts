import { describe, expect, it } from 'vitest';
import { ConfigSchema, THEMES, type Theme } from '@dnr/core';
import type { CommsAnalysis, ThemeDemand } from '../comms-analysis/types.js';
import type { DataHealth } from '../schemas/data-health.js';
import type { RevenueAtRisk } from './revenue-at-risk.js';
import { normalisers, severityInput } from './normalise.js';
import { scoreGaps, wholePoints } from './score.js';

const config = ConfigSchema.parse({});
const values = (v: Partial<Record<string, number>>) => ({
  rows: 1000,
  key_null_pct: 0.5,
  fk_success_pct: 98,
  orphan_pct: 1,
  orphan_missing_pct: 1,
  orphan_temporal_pct: 0,
  dup_key_pct: 0.1,
  p95_ingest_lag_min: 60,
  ...v,
});

function health(tables: Record<string, Partial<Record<string, number>>>): DataHealth {
  const days = ['2026-06-28', '2026-06-29', '2026-06-30'];
  return {
    schema_version: 1,
    archetype: 'neobank',
    window: { start: '2026-06-01', end: '2026-06-30', days: 30, tz: 'UTC' },
    slos: { key_null_pct: 1, fk_orphan_pct: 2, dup_keys_pct: 0.2, p95_ingest_lag_min: 90 },
    tables: Object.fromEntries(
      Object.entries(tables).map(([t, v]) => [t, { window: values(v), slo: [], daily: days.map((day, i) => ({ day, ...values(i === 1 ? v : {}) })), columns: {} }]),
    ),
    overall: { window: values({}), slo: [], daily: days.map((day) => ({ day, ...values({}) })) },
    null_spikes: { method: '', params: { z: 5, floorPp: 1.5, minNulls: 1, trimQuantile: 0.95, minRows: 20 }, columns: [], spikes: [] },
    kpis: {},
    monthly_revenue: [],
    revenue_norm: { months: ['2026-04', '2026-05', '2026-06'], median_monthly_revenue_usd: 1000 },
    aggregates_by_table: {},
    invoice_aggregates: null,
    marketplace_evening_window: null,
    guardrails: [],
    events: { method: '', detected: [], truth: null },
  };
}

const risk = (r: Partial<Record<string, { rows: number; revenue_usd: number }>>): RevenueAtRisk => {
  const zero = { rows: 0, revenue_usd: 0 };
  const fam = { keys: zero, duplicates: zero, lag: zero, null_spikes: zero, revenue_nulls: zero, ...r };
  return { fact_card_transaction: fam, fact_subscription_invoice: { keys: zero, duplicates: zero, lag: zero, null_spikes: zero, revenue_nulls: zero } };
};

const source = (coveragePct: number, weight: number) => ({ items: 10, afterPrefilter: 10, sent: 10, classified: 10, parseErrors: 0, refusals: 0, errors: 0, coveragePct, belowFloor: false, partial: false, partialReason: null, weight });
const skipped: CommsAnalysis = {
  status: 'skipped',
  skippedReason: '--no-llm',
  statusReason: null,
  llm: null,
  engine: 'none',
  sources: { slack: source(0, 0.3), email: source(0, 0.2), nlq: source(0, 0.5) },
  budget: { capUsd: 1, estimateUsd: 0, actualUsd: 0, earlyStop: false, sampled: false },
  themes: [],
  voices: {},
  parseErrors: 0,
};
const theme = (t: Theme, demand: number, classConfidence: number, peakDay: string | null = '2026-06-30'): ThemeDemand => ({
  theme: t,
  demand,
  bySource: { slack: { items: 1, weightedShare: demand }, email: { items: 1, weightedShare: demand }, nlq: { items: 1, weightedShare: demand } },
  peakDay,
  classConfidence,
  entityConfidence: 0.8,
  agreement: 1,
  unmetShare: 0.5,
  tables: [{ table: 'fact_card_transaction', mentions: 5, confidence: 0.8 }],
});

const commsWith = (themes: ThemeDemand[]): CommsAnalysis => ({
  ...skipped,
  status: 'ok',
  skippedReason: null,
  engine: 'rules',
  sources: { slack: source(100, 0.3), email: source(100, 0.2), nlq: source(100, 0.5) },
  themes,
});
const withWeights = (w: { revenue: number; demand: number; severity: number }) => ({ ...config, report: { ...config.report, scoring_weights: w } });

describe('scoreGaps', () => {
  it('severity grows with the log of value ÷ limit and does not saturate early', () => {
    expect(severityInput(1)).toBe(0);
    expect(severityInput(0.5)).toBe(0);
    const n = normalisers([{ revenueUsd: 0, demand: 0, ratio: 8 }, { revenueUsd: 0, demand: 0, ratio: 3 }], 1000, 1);
    // 8× the limit scores 1, 3× scores ln 3 / ln 8 ≈ 0.53 (x/(1+x) gave 0.875 and 0.67).
    expect(severityInput(3) / n.severity).toBeCloseTo(Math.log(3) / Math.log(8), 6);
    // Money at risk is scaled by the largest candidate, never below 1% of monthly revenue.
    expect(normalisers([{ revenueUsd: 2, demand: 0, ratio: 0 }], 1000, 1).revenue_usd).toBe(10);
    expect(normalisers([{ revenueUsd: 300, demand: 0, ratio: 0 }], 1000, 1).revenue_usd).toBe(300);
  });

  it('health-only mode: measured themes, demand not measured, confidence from coverage and persistence', () => {
    const dh = health({ fact_card_transaction: { key_null_pct: 2, dup_key_pct: 0.6, p95_ingest_lag_min: 300 }, fact_subscription_invoice: {} });
    const r = scoreGaps({ dh, rar: risk({ keys: { rows: 10, revenue_usd: 100 }, lag: { rows: 50, revenue_usd: 500 } }), comms: skipped, config });
    expect(r.mode).toBe('health_only');
    expect(r.note).toMatch(/--no-llm.*demand was not measured/);
    expect(new Set(r.gaps.map((g) => g.theme))).toEqual(new Set(['join_keys_orphans', 'duplicates_dedup', 'freshness_ingest_lag']));
    for (const g of r.gaps) expect(g.components.demand).toBe(0);
    const lag = r.gaps.find((g) => g.id === 'freshness_ingest_lag:fact_card_transaction')!;
    // The largest money at risk scales to 1; severity ln(300/90) over the largest ln ratio (lag is the worst: 3.33×).
    expect(lag.components.revenue_impact).toBe(1);
    expect(lag.components.health_severity).toBe(1);
    expect(lag.days_since_peak).toBe(1);
    expect(lag.score).toBeCloseTo((0.6 + 0.15) * Math.exp(-1 / 60), 3);
    const keys = r.gaps.find((g) => g.id === 'join_keys_orphans:fact_card_transaction')!;
    expect(keys.components.revenue_impact).toBeCloseTo(0.2, 4);
    expect(keys.components.health_severity).toBeCloseTo(Math.log(2) / Math.log(300 / 90), 3);
    // Nothing was classified: class and entity parts are absent; 3 days of 30 have data, the breach shows on 1 of them.
    expect(lag.confidence_parts).toEqual({ class_conf: null, entity_conf: null, coverage: 0.1, agreement: 0.3333 });
    expect(lag.confidence).toBeCloseTo((0.2 * 0.1 + 0.1 * 0.3333) / 0.3, 3);
    expect(r.actions.map((a) => a.theme)).toEqual(['freshness_ingest_lag', 'join_keys_orphans', 'duplicates_dedup'].filter((t) => r.actions.some((a) => a.theme === t)));
  });

  it('one action per theme and per evidence; metric definitions never cite the duplicates evidence', () => {
    const dh = health({ fact_card_transaction: { key_null_pct: 3, dup_key_pct: 1 }, fact_subscription_invoice: {} });
    const comms = commsWith([theme('join_keys_orphans', 0.4, 0.9), theme('metric_definition_mismatch', 0.35, 0.9), theme('duplicates_dedup', 0.3, 0.9), theme('access_permissions_pii', 0.38, 0.1), theme('freshness_ingest_lag', 0.05, 0.8)]);
    const r = scoreGaps({ dh, rar: risk({ keys: { rows: 10, revenue_usd: 200 }, duplicates: { rows: 3, revenue_usd: 30 } }), comms, config });
    expect(r.mode).toBe('comms_and_health');
    expect(new Set(r.actions.map((a) => a.theme)).size).toBe(r.actions.length);
    expect(new Set(r.actions.map((a) => a.evidence_key)).size).toBe(r.actions.length);
    const evidence = r.actions.flatMap((a) => a.evidence.map((e) => JSON.stringify(e)));
    expect(new Set(evidence).size).toBe(evidence.length);
    const mdm = r.gaps.find((g) => g.theme === 'metric_definition_mismatch')!;
    expect(mdm.problem).toBeNull();
    expect(mdm.evidence).toEqual([]);
    expect(mdm.revenue_at_risk_usd).toBe(0);
    // Demand-only themes only appear on the tables their comms mention.
    expect(r.gaps.filter((g) => g.theme === 'metric_definition_mismatch').map((g) => g.table)).toEqual(['fact_card_transaction']);
    for (const a of r.actions) expect(a.confidence).toBeGreaterThanOrEqual(config.report.confidence_min);
    expect(r.hidden.find((h) => h.theme === 'access_permissions_pii')?.reason).toBe('low_confidence');
    expect(r.actions[0].confidence).toBeCloseTo(0.45 * 0.9 + 0.25 * 0.8 + 0.2 * 1 + 0.1 * 1, 4);
  });

  it('each weight moves the ranking: lowering only the revenue weight (others keep their ratio, sum 1) reorders the actions', () => {
    // Keys: much money, little demand, mild breach. Duplicates: little money, top demand, worst breach.
    const dh = health({ fact_card_transaction: { key_null_pct: 1.5, dup_key_pct: 1.6 }, fact_subscription_invoice: {} });
    const comms = commsWith([theme('join_keys_orphans', 0.1, 0.9), theme('duplicates_dedup', 0.4, 0.9)]);
    const rar = risk({ keys: { rows: 100, revenue_usd: 800 }, duplicates: { rows: 5, revenue_usd: 40 } });
    const rank = (w: { revenue: number; demand: number; severity: number }) => scoreGaps({ dh, rar, comms, config: withWeights(w) }).actions.map((a) => a.theme);
    expect(rank({ revenue: 0.6, demand: 0.25, severity: 0.15 })).toEqual(['join_keys_orphans', 'duplicates_dedup']);
    expect(rank({ revenue: 1 / 3, demand: 5 / 12, severity: 1 / 4 })).toEqual(['duplicates_dedup', 'join_keys_orphans']);
    // Demand alone and severity alone each put duplicates first; revenue alone puts keys first.
    expect(rank({ revenue: 0, demand: 1, severity: 0 })[0]).toBe('duplicates_dedup');
    expect(rank({ revenue: 0, demand: 0, severity: 1 })[0]).toBe('duplicates_dedup');
    expect(rank({ revenue: 1, demand: 0, severity: 0 })[0]).toBe('join_keys_orphans');
  });

  it('decays from the most recent peak: old comms demand on a table breaking its limit this week stays current', () => {
    const dh = health({ fact_card_transaction: { key_null_pct: 3 }, fact_subscription_invoice: {} });
    const comms = commsWith([theme('join_keys_orphans', 0.4, 0.9, '2026-01-20'), theme('access_permissions_pii', 0.3, 0.9, '2026-03-01')]);
    const r = scoreGaps({ dh, rar: risk({ keys: { rows: 10, revenue_usd: 200 } }), comms, config });
    const keys = r.gaps.find((g) => g.id === 'join_keys_orphans:fact_card_transaction')!;
    expect(keys.peak_day).toBe('2026-06-29');
    expect(keys.peak_source).toBe('data');
    expect(keys.components.decay).toBeCloseTo(Math.exp(-1 / 60), 4);
    const pii = r.gaps.find((g) => g.id === 'access_permissions_pii:fact_card_transaction')!;
    expect(pii.peak_day).toBe('2026-03-01');
    expect(pii.peak_source).toBe('comms');
    expect(pii.components.decay).toBeCloseTo(Math.exp(-121 / 60), 4);
    expect(THEMES).toContain(pii.theme);
  });

  it('fades a theme from its busiest day inside the window, not from its all-history peak', () => {
    const dh = health({ fact_card_transaction: {}, fact_subscription_invoice: {} });
    const comms: CommsAnalysis = {
      ...commsWith([theme('metric_definition_mismatch', 0.4, 0.9, '2025-07-17')]),
      voices: { metric_definition_mismatch: { items: 20, window_items: 4, window_peak_day: '2026-06-26', people: 9, roles: [], examples: [] } },
    };
    const gap = scoreGaps({ dh, rar: risk({}), comms, config }).gaps.find((g) => g.id === 'metric_definition_mismatch:fact_card_transaction')!;
    expect(gap.peak_day).toBe('2026-06-26');
    expect(gap.days_since_peak).toBe(4);
    expect(gap.components.decay).toBeCloseTo(Math.exp(-4 / 60), 4);
    // Nobody asked inside the window: the all-history peak is the only peak there is.
    const old = scoreGaps({ dh, rar: risk({}), comms: { ...comms, voices: {} }, config }).gaps.find((g) => g.id === gap.id)!;
    expect(old.peak_day).toBe('2025-07-17');
    expect(old.components.decay).toBeLessThan(0.01);
  });
});

describe('score parts shown in whole points', () => {
  it('add up to the score shown (largest remainder), each within a point of its exact value', () => {
    // 0.334 + 0.333 + 0.333 = 1.000 → 33 + 33 + 33 = 99 by plain rounding; largest remainder gives 34 + 33 + 33.
    expect(wholePoints({ revenue: 0.334, demand: 0.333, severity: 0.333 })).toEqual({ revenue: 0.34, demand: 0.33, severity: 0.33 });
    // 0.125 + 0.125 + 0.25 = 0.5: plain rounding shows 13 + 13 + 25 = 51 under a total of 50.
    expect(wholePoints({ revenue: 0.125, demand: 0.125, severity: 0.25 })).toEqual({ revenue: 0.13, demand: 0.12, severity: 0.25 });
    for (const w of [{ revenue: 0.4567, demand: 0.0649, severity: 0.0998 }, { revenue: 0.0051, demand: 0.0052, severity: 0.0053 }, { revenue: 0, demand: 0, severity: 0 }]) {
      const p = wholePoints(w);
      expect(Math.round(100 * (p.revenue + p.demand + p.severity))).toBe(Math.round(100 * (w.revenue + w.demand + w.severity)));
      for (const k of ['revenue', 'demand', 'severity'] as const) expect(Math.abs(p[k] - w[k])).toBeLessThan(0.01);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigSchema, THEMES, type Theme } from '@dnr/core';
import type { CommsAnalysis, ThemeDemand } from '../comms-analysis/types.js';
import type { DataHealth } from '../schemas/data-health.js';
import type { RevenueAtRisk } from './revenue-at-risk.js';
import { scoreGaps, severityOf } from './score.js';

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
  };
}

const risk = (r: Partial<Record<string, { rows: number; revenue_usd: number }>>): RevenueAtRisk => {
  const zero = { rows: 0, revenue_usd: 0 };
  const fam = { keys: zero, duplicates: zero, lag: zero, null_spikes: zero, revenue_nulls: zero, ...r };
  return { fact_card_transaction: fam, fact_subscription_invoice: { keys: zero, duplicates: zero, lag: zero, null_spikes: zero, revenue_nulls: zero } };
};

const source = (coveragePct: number, weight: number) => ({ items: 10, afterPrefilter: 10, sent: 10, classified: 10, parseErrors: 0, coveragePct, belowFloor: false, partial: false, partialReason: null, weight });
const skipped: CommsAnalysis = {
  status: 'skipped',
  skippedReason: '--no-llm',
  engine: 'none',
  sources: { slack: source(0, 0.3), email: source(0, 0.2), nlq: source(0, 0.5) },
  budget: { capUsd: 1, estimateUsd: 0, actualUsd: 0, earlyStop: false, sampled: false },
  themes: [],
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

describe('scoreGaps (SPEC §7.6)', () => {
  it('severity scales SLO overage to 0..1', () => {
    expect(severityOf(0)).toBe(0);
    expect(severityOf(1)).toBe(0.5);
    expect(severityOf(9)).toBeCloseTo(0.9);
  });

  it('health-only mode maps defect families to themes with demand 0 and says so', () => {
    const dh = health({ fact_card_transaction: { key_null_pct: 2, dup_key_pct: 0.6, p95_ingest_lag_min: 300 }, fact_subscription_invoice: {} });
    const r = scoreGaps({ dh, rar: risk({ keys: { rows: 10, revenue_usd: 100 }, lag: { rows: 50, revenue_usd: 5000 } }), comms: skipped, config });
    expect(r.mode).toBe('health_only');
    expect(r.note).toMatch(/--no-llm.*demand 0/);
    expect(new Set(r.gaps.map((g) => g.theme))).toEqual(new Set(['join_keys_orphans', 'duplicates_dedup', 'freshness_ingest_lag']));
    for (const g of r.gaps) expect(g.components.demand).toBe(0);
    // lag: RevenueImpact capped at 1 (5000 / 1000), severity (300/90 − 1) → x/(1+x); peak on 06-29 ⇒ decay e^(−1/60).
    const lag = r.gaps.find((g) => g.id === 'freshness_ingest_lag:fact_card_transaction')!;
    expect(lag.components.revenue_impact).toBe(1);
    const x = 300 / 90 - 1;
    expect(lag.components.health_severity).toBeCloseTo(x / (1 + x), 4);
    expect(lag.days_since_peak).toBe(1);
    expect(lag.score).toBeCloseTo((0.6 * 1 + 0.15 * (x / (1 + x))) * Math.exp(-1 / 60), 3);
    expect(r.actions.map((a) => a.theme)).toEqual(['freshness_ingest_lag', 'join_keys_orphans', 'duplicates_dedup']);
    // Coverage in health-only mode = window days with data (3 of 30 here).
    expect(r.actions[0].confidence_parts).toEqual({ class_conf: 1, entity_conf: 1, coverage: 0.1, agreement: 0 });
  });

  it('comms mode: one action per theme, low-confidence candidates hidden with the reason', () => {
    const dh = health({ fact_card_transaction: { key_null_pct: 3, dup_key_pct: 1 }, fact_subscription_invoice: {} });
    const comms: CommsAnalysis = {
      ...skipped,
      status: 'ok',
      skippedReason: null,
      engine: 'rules',
      sources: { slack: source(100, 0.3), email: source(100, 0.2), nlq: source(100, 0.5) },
      themes: [theme('join_keys_orphans', 0.4, 0.9), theme('duplicates_dedup', 0.3, 0.9), theme('access_permissions_pii', 0.25, 0.1), theme('freshness_ingest_lag', 0.05, 0.8)],
    };
    const r = scoreGaps({ dh, rar: risk({ keys: { rows: 10, revenue_usd: 200 }, duplicates: { rows: 3, revenue_usd: 30 } }), comms, config });
    expect(r.mode).toBe('comms_and_health');
    expect(new Set(r.actions.map((a) => a.theme)).size).toBe(r.actions.length);
    expect(r.actions.length).toBe(3);
    expect(r.actions[0].theme).toBe('join_keys_orphans');
    for (const a of r.actions) expect(a.confidence).toBeGreaterThanOrEqual(config.report.confidence_min);
    const hidden = r.hidden.find((h) => h.theme === 'access_permissions_pii')!;
    expect(hidden.reason).toMatch(/confidence 0\.\d+ < 0\.55/);
    // Confidence = 0.45·class + 0.25·entity + 0.20·coverage + 0.10·agreement.
    expect(r.actions[0].confidence).toBeCloseTo(0.45 * 0.9 + 0.25 * 0.8 + 0.2 * 1 + 0.1 * 1, 4);
    expect(THEMES).toContain(r.actions[2].theme);
  });

  it('decays from the most recent peak: old comms demand on a table breaking its SLO this week stays current', () => {
    const dh = health({ fact_card_transaction: { key_null_pct: 3 }, fact_subscription_invoice: {} });
    const comms: CommsAnalysis = {
      ...skipped,
      status: 'ok',
      skippedReason: null,
      engine: 'rules',
      sources: { slack: source(100, 0.3), email: source(100, 0.2), nlq: source(100, 0.5) },
      themes: [theme('join_keys_orphans', 0.4, 0.9, '2026-01-20'), theme('access_permissions_pii', 0.3, 0.9, '2026-03-01')],
    };
    const r = scoreGaps({ dh, rar: risk({ keys: { rows: 10, revenue_usd: 200 } }), comms, config });
    const keys = r.gaps.find((g) => g.id === 'join_keys_orphans:fact_card_transaction')!;
    // The worst key-null day of the window (06-29) is later than the comms peak (01-20).
    expect(keys.peak_day).toBe('2026-06-29');
    expect(keys.components.decay).toBeCloseTo(Math.exp(-1 / 60), 4);
    // A demand-only theme has no metric peak: its comms peak (121 days before the window end) decides.
    const pii = r.gaps.find((g) => g.id === 'access_permissions_pii:fact_card_transaction')!;
    expect(pii.peak_day).toBe('2026-03-01');
    expect(pii.components.decay).toBeCloseTo(Math.exp(-121 / 60), 4);
  });
});

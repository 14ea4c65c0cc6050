import { describe, expect, it } from 'vitest';
import type { Prediction } from '../types.js';
import { computeDemand, sourceWeights } from './demand.js';

const base = { nlq: 0.5, slack: 0.3, email: 0.2 };
const caps = { min: 0.15, max: 0.6 };

describe('sourceWeights', () => {
  it('reweights by volume, caps to [0.15, 0.60] and renormalises', () => {
    const w = sourceWeights({ nlq: 1000, slack: 1350, email: 360 }, base, caps);
    // raw: nlq .5×1000/2710, slack .3×1350/2710, email .2×360/2710 → email capped at .15, rest in proportion
    const rn = 0.5 * 1000;
    const rs = 0.3 * 1350;
    expect(w.email).toBeCloseTo(0.15, 6);
    expect(w.nlq).toBeCloseTo((0.85 * rn) / (rn + rs), 6);
    expect(w.slack).toBeCloseTo((0.85 * rs) / (rn + rs), 6);
    expect(w.nlq + w.slack + w.email).toBeCloseTo(1, 9);
  });

  it('caps a dominant source at 0.60 and keeps all within bounds', () => {
    const w = sourceWeights({ nlq: 10_000, slack: 10, email: 10 }, base, caps);
    expect(w.nlq).toBeCloseTo(0.6, 6);
    expect(w.slack).toBeGreaterThanOrEqual(0.15 - 1e-9);
    expect(w.email).toBeGreaterThanOrEqual(0.15 - 1e-9);
    expect(w.nlq + w.slack + w.email).toBeCloseTo(1, 9);
  });

  it('gives a source without themed items weight 0', () => {
    const w = sourceWeights({ nlq: 100, slack: 0, email: 50 }, base, caps);
    expect(w.slack).toBe(0);
    expect(w.nlq + w.email).toBeCloseTo(1, 9);
    expect(w.nlq).toBeCloseTo(0.6, 6);
  });
});

describe('computeDemand', () => {
  const p = (id: string, source: Prediction['source'], theme: Prediction['theme'], extra: Partial<Prediction> = {}): Prediction => ({
    id, source, relevance: source === 'nlq' ? null : theme ? 'positive' : 'negative', theme, confidence: 0.8, engine: 'rules', status: 'ok', ...extra,
  });

  it('post-stratifies by sampling weight and excludes parse errors and non-positive threads', () => {
    const predictions = {
      slack: [p('s1', 'slack', 'duplicates_dedup'), p('s2', 'slack', 'freshness_ingest_lag'), p('s3', 'slack', null), p('s4', 'slack', null, { status: 'parse_error' })],
      email: [p('e1', 'email', 'duplicates_dedup')],
      nlq: [p('q1', 'nlq', 'freshness_ingest_lag'), p('q2', 'nlq', 'duplicates_dedup', { status: 'parse_error' })],
    };
    const meta = new Map([
      ['s1', { day: '2026-05-01', weight: 3, met: false }],
      ['s2', { day: '2026-05-02', weight: 1, met: true }],
      ['e1', { day: '2026-05-01', weight: 1, met: true }],
      ['q1', { day: '2026-05-02', weight: 1 }],
    ]);
    const r = computeDemand({ predictions, meta, baseWeights: base, caps });
    const d = Object.fromEntries(r.themes.map((t) => [t.theme, t]));
    // slack shares: dup 3/4, fresh 1/4; email dup 1; nlq fresh 1
    const w = r.sourceWeights;
    expect(d.duplicates_dedup.demand).toBeCloseTo(w.slack * 0.75 + w.email * 1, 5);
    expect(d.freshness_ingest_lag.demand).toBeCloseTo(w.slack * 0.25 + w.nlq * 1, 5);
    expect(r.themes.reduce((a, t) => a + t.demand, 0)).toBeCloseTo(1, 5);
    expect(d.duplicates_dedup.bySource.slack.items).toBe(1);
    expect(d.duplicates_dedup.bySource.nlq.items).toBe(0);
    expect(d.duplicates_dedup.unmetShare).toBeCloseTo(0.5, 6);
    expect(d.duplicates_dedup.peakDay).toBe('2026-05-01');
    expect(d.freshness_ingest_lag.peakDay).toBe('2026-05-02');
    expect(d.metric_definition_mismatch.demand).toBe(0);
  });
});

describe('agreementOf', () => {
  it('is min/max share across sources, 0 when a source never mentions the theme', async () => {
    const { agreementOf } = await import('./demand.js');
    expect(agreementOf([0.12, 0.1, 0.15])).toBeCloseTo(0.1 / 0.15, 6);
    expect(agreementOf([0.2, 0])).toBe(0);
    expect(agreementOf([0.3])).toBe(0.5);
    expect(agreementOf([])).toBe(0);
  });
});

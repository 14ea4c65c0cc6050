import { describe, expect, it } from 'vitest';
import { ConfigSchema, type Quality } from '@dnr/core';
import { eventWindow } from '../behaviour/window.js';
import { planDefects } from './profile.js';

const config = (quality: Quality, seed = 42) => ConfigSchema.parse({ warehouse: { quality, seed } });
const window = eventWindow('2026-06-30', 18, 'America/Los_Angeles');

describe('planDefects', () => {
  it('clean injects nothing', () => {
    const p = planDefects(config('clean'), 'neobank', window);
    expect(p.rates).toMatchObject({ keyNull: 0, fkFail: 0, duplicate: 0, lateShare: 0, spikeShare: 0 });
    expect(p.spikes).toEqual([]);
    expect(p.gap).toBeNull();
  });

  it('typical follows config; messy is 2.5×', () => {
    const t = planDefects(config('typical'), 'marketplace', window);
    const m = planDefects(config('messy'), 'marketplace', window);
    const expected = { keyNull: 0.02, fkFail: 0.05, duplicate: 0.007, lateShare: 0.05, spikeShare: 0.1 };
    for (const [k, v] of Object.entries(expected)) expect(t.rates[k as keyof typeof expected], k).toBeCloseTo(v, 10);
    expect(m.rates.keyNull).toBeCloseTo(0.05);
    expect(m.rates.fkFail).toBeCloseTo(0.125);
    expect(m.rates.duplicate).toBeCloseTo(0.0175);
  });

  it('two spikes per quarter on the configured columns, spread out, off the schema gap, deterministic', () => {
    const p = planDefects(config('typical'), 'neobank', window);
    expect(p.spikes).toHaveLength(12);
    expect(new Set(p.spikes.map((s) => `${s.table}.${s.column}`))).toEqual(new Set(['fact_card_transaction.merchant_id', 'fact_card_transaction.card_id']));
    const days = p.spikes.map((s) => s.day);
    expect([...days].sort((a, b) => a - b)).toEqual(days);
    expect(new Set(days).size).toBe(12);
    for (const d of days) expect(d < p.gap!.firstDay - 2 || d >= p.gap!.firstDay + p.gap!.days + 2).toBe(true);
    expect(p.gap).toMatchObject({ table: 'fact_card_transaction', column: 'interchange_bps', days: 3, backfillShare: 0.95 });
    expect(planDefects(config('typical'), 'neobank', window)).toEqual(p);
    expect(planDefects(config('typical', 7), 'neobank', window).spikes).not.toEqual(p.spikes);
  });
});

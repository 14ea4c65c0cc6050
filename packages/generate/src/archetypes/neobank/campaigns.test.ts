import { describe, expect, it } from 'vitest';
import { campaignEffectOn, type AcquisitionCampaign } from './campaigns.js';

const base: AcquisitionCampaign = { months_of_year: [], from: null, to: null, segment_tilt: {}, dormant_multiplier: 1, activity: 1, churn: 1, activation_log_odds: 0 };
const bonus: AcquisitionCampaign = { ...base, months_of_year: [1], segment_tilt: { occasional: 1.7 }, dormant_multiplier: 1.9, churn: 1.35 };
const promo: AcquisitionCampaign = { ...base, months_of_year: [1, 12], segment_tilt: { occasional: 1.4, young_digital: 1.2 }, churn: 1.3 };
const card: AcquisitionCampaign = { ...base, from: '2025-10-01', activation_log_odds: 0.8 };

describe('campaignEffectOn', () => {
  it('is neutral on a day no campaign covers', () => {
    expect(campaignEffectOn([bonus, promo, card], '2025-06-15')).toEqual({ tilt: {}, dormant: 1, activity: 1, churn: 1, activation: 0 });
  });

  it('multiplies overlapping campaigns and adds their activation log-odds', () => {
    const e = campaignEffectOn([bonus, promo, card], '2026-01-31');
    expect(e.tilt.occasional).toBeCloseTo(1.7 * 1.4, 12);
    expect(e.tilt.young_digital).toBeCloseTo(1.2, 12);
    expect(e.churn).toBeCloseTo(1.35 * 1.3, 12);
    expect(e.dormant).toBeCloseTo(1.9, 12);
    expect(e.activation).toBeCloseTo(0.8, 12);
  });

  it('includes both ends of a dated range and nothing outside it', () => {
    const ranged: AcquisitionCampaign = { ...base, from: '2025-05-01', to: '2025-07-31', churn: 0.75 };
    expect(campaignEffectOn([ranged], '2025-04-30').churn).toBe(1);
    expect(campaignEffectOn([ranged], '2025-05-01').churn).toBe(0.75);
    expect(campaignEffectOn([ranged], '2025-07-31').churn).toBe(0.75);
    expect(campaignEffectOn([ranged], '2025-08-01').churn).toBe(1);
  });
});

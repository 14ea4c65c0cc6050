import type { NeobankBehaviour } from '@dnr/core';
import type { NeobankModel } from './model.js';

/** One entry of `behaviour.neobank.acquisition_campaigns`. */
export type AcquisitionCampaign = NeobankBehaviour['acquisition_campaigns'][string];

/** The combined effect of the acquisition campaigns running on one sign-up day (all 1 / 0 when none). */
export interface CampaignEffect {
  /** Segment share multipliers (segment name → multiplier; missing = 1). */
  tilt: Record<string, number>;
  dormant: number;
  activity: number;
  churn: number;
  /** Shift of the card-activation log-odds. */
  activation: number;
}

const NONE: CampaignEffect = { tilt: {}, dormant: 1, activity: 1, churn: 1, activation: 0 };

/**
 * Effect of the acquisition campaigns on a customer whose local sign-up date is `isoDate`
 * (YYYY-MM-DD): every campaign whose months_of_year contain the month, or whose [from, to] range
 * contains the date, multiplies its tilt, dormant share, activity and churn and adds its activation
 * log-odds. Pure: the generator draws with it and validate's behaviour gates compute their
 * expectations with it.
 */
export function campaignEffectOn(campaigns: readonly AcquisitionCampaign[], isoDate: string): CampaignEffect {
  const month = Number(isoDate.slice(5, 7));
  let e = NONE;
  for (const c of campaigns) {
    const inMonths = c.months_of_year.length === 0 || c.months_of_year.includes(month);
    const inRange = (c.from === null || isoDate >= c.from) && (c.to === null || isoDate <= c.to);
    if (!inMonths || !inRange) continue;
    const tilt = { ...e.tilt };
    for (const [seg, x] of Object.entries(c.segment_tilt)) tilt[seg] = (tilt[seg] ?? 1) * x;
    e = { tilt, dormant: e.dormant * c.dormant_multiplier, activity: e.activity * c.activity, churn: e.churn * c.churn, activation: e.activation + c.activation_log_odds };
  }
  return e;
}

/** {@link campaignEffectOn} at a Unix instant (seconds), on the local day of the model's clock; memoised per day. */
export function campaignEffects(m: NeobankModel): (signupUtc: number) => CampaignEffect {
  const campaigns = Object.values(m.b.acquisition_campaigns);
  const memo = new Map<number, CampaignEffect>();
  return (utc) => {
    const day = m.clock.dayOf(utc);
    const hit = memo.get(day);
    if (hit) return hit;
    const i = day - m.days.fromDay;
    const iso = `${m.days.year[i]}-${String(m.days.month[i] + 1).padStart(2, '0')}-${String(m.days.dom[i]).padStart(2, '0')}`;
    const e = campaignEffectOn(campaigns, iso);
    memo.set(day, e);
    return e;
  };
}

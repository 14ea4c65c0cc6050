import type { NeobankModel } from './model.js';

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
 * Effect of `behaviour.neobank.acquisition_campaigns` on a customer signing up at a Unix instant
 * (local date of the sign-up): every campaign whose months_of_year contain the month, or whose
 * [from, to] range contains the date, multiplies its tilt, dormant share, activity and churn and adds
 * its activation log-odds. Memoised per local day.
 */
export function campaignEffects(m: NeobankModel): (signupUtc: number) => CampaignEffect {
  const campaigns = Object.values(m.b.acquisition_campaigns);
  const memo = new Map<number, CampaignEffect>();
  return (utc) => {
    const day = m.clock.dayOf(utc);
    const hit = memo.get(day);
    if (hit) return hit;
    const i = day - m.days.fromDay;
    const month = m.days.month[i] + 1;
    const iso = `${m.days.year[i]}-${String(month).padStart(2, '0')}-${String(m.days.dom[i]).padStart(2, '0')}`;
    let e = NONE;
    for (const c of campaigns) {
      const inMonths = c.months_of_year.length === 0 || c.months_of_year.includes(month);
      const inRange = (c.from === null || iso >= c.from) && (c.to === null || iso <= c.to);
      if (!inMonths || !inRange) continue;
      const tilt = { ...e.tilt };
      for (const [seg, x] of Object.entries(c.segment_tilt)) tilt[seg] = (tilt[seg] ?? 1) * x;
      e = { tilt, dormant: e.dormant * c.dormant_multiplier, activity: e.activity * c.activity, churn: e.churn * c.churn, activation: e.activation + c.activation_log_odds };
    }
    memo.set(day, e);
    return e;
  };
}

import { z } from 'zod';
import { isoDate, nonNegative, share } from '../common.js';
import { MCC_CODES, SECTORS, type Sector } from './neobank-mcc.js';
import {
  activityCurve,
  behaviourName,
  calendarEvents,
  checkBehaviourRefs,
  conversionStep,
  dayShape,
  funnelStep,
  heterogeneity,
  inflow,
  lognormalLag,
  monthCurve,
  tailedLag,
  tenureHazard,
  trajectories,
  vintage,
  weekCurve,
} from './shared.js';

/**
 * The neobank's behaviour model (every modelling assumption of the generator). Numbers are
 * illustrative of a US consumer neobank (Chime/Varo/Current-like: debit card spend, direct deposit,
 * a premium tier); where a number comes from a public pattern the description says which.
 */

const positive = z.number().finite().positive();
const sectorMix = (d: Partial<Record<Sector, number>>, what: string) =>
  z
    .object(Object.fromEntries(SECTORS.map((s) => [s, nonNegative.default(d[s] ?? 1).describe(`${what}: ${s} multiplier (new-segment default ${d[s] ?? 1}).`)])) as Record<Sector, z.ZodDefault<z.ZodNumber>>)
    .strict()
    .default({} as never)
    .describe(`${what}: multipliers on the MCC transaction weights, per sector (1 = the population mix).`);

interface SegmentDefaults {
  share: number;
  frequency: number;
  ticket: number;
  sector_mix: Partial<Record<Sector, number>>;
  ecommerce: number;
  contactless_share: number;
  churn: { monthly: number; early_multiplier: number; early_months: number };
  activity: { ramp_days: number; long_run: number; half_life_days: number };
  premium_propensity: number;
  decline_risk: number;
  payday_sensitivity: number;
  savings_share: number;
  dormant_share: number;
  recurring: number;
  loyalty: number;
  weekend_lean: number;
  hour_shift: number;
}

const segment = (d: SegmentDefaults, name: string) =>
  z
    .object({
      share: share.default(d.share).describe(`${name}: share of new customers at the population mix (new-segment default ${d.share}); vintage tilts move it over time.`),
      frequency: positive.default(d.frequency).describe(`${name}: card transactions per active day relative to the population (new-segment default ${d.frequency}).`),
      ticket: positive.default(d.ticket).describe(`${name}: amount multiplier on every MCC's median ticket (new-segment default ${d.ticket}).`),
      sector_mix: sectorMix(d.sector_mix, `${name}: category mix`),
      ecommerce: positive.default(d.ecommerce).describe(`${name}: multiplier on each MCC's card-not-present share (new-segment default ${d.ecommerce}).`),
      contactless_share: share.default(d.contactless_share).describe(`${name}: share of card-present payments made contactless (new-segment default ${d.contactless_share}).`),
      churn: tenureHazard(d.churn.monthly, d.churn.early_multiplier, d.churn.early_months, `${name}: churn (customer stops using the card)`),
      activity: activityCurve(d.activity, `${name}: spend activity`),
      premium_propensity: nonNegative.default(d.premium_propensity).describe(`${name}: relative odds of upgrading to premium (new-segment default ${d.premium_propensity}).`),
      decline_risk: positive.default(d.decline_risk).describe(`${name}: odds multiplier of an authorisation being declined (insufficient funds, limits; default ${d.decline_risk}).`),
      payday_sensitivity: nonNegative.default(d.payday_sensitivity).describe(`${name}: multiplier on the payday lift (0 = spend ignores paydays; default ${d.payday_sensitivity}).`),
      savings_share: share.default(d.savings_share).describe(`${name}: share who open a savings account (new-segment default ${d.savings_share}).`),
      dormant_share: share.default(d.dormant_share).describe(`${name}: share who activate a card but never spend (new-segment default ${d.dormant_share}).`),
      recurring: nonNegative.default(d.recurring).describe(`${name}: multiplier on the adoption of recurring card-on-file services (new-segment default ${d.recurring}).`),
      loyalty: share.default(d.loyalty).describe(`${name}: share of spend at the customer's favourite merchants of an MCC (new-segment default ${d.loyalty}).`),
      weekend_lean: z
        .number()
        .finite()
        .min(-0.8)
        .max(0.8)
        .default(d.weekend_lean)
        .describe(`${name}: mean weekend lean of a customer's card use: > 0 moves that share of their purchases to Saturday/Sunday (weekend shoppers), < 0 to Monday–Friday (commuters); each customer draws their own around it (habits.weekend_sigma; new-segment default ${d.weekend_lean}).`),
      hour_shift: z
        .number()
        .finite()
        .min(-6)
        .max(6)
        .default(d.hour_shift)
        .describe(`${name}: mean hour lean of a customer's card use, hours (> 0 later: night owls; < 0 earlier: early risers); each customer draws their own whole-hour lean around it (habits.hour_shift_sigma), which tilts every MCC's hour curve towards later or earlier hours without moving its opening hours (habits.hour_shift_tilt; new-segment default ${d.hour_shift}).`),
    })
    .strict()
    .describe('A customer segment: its share of new customers and its behaviour.');

/**
 * Default segments. Shares follow the usual neobank split of a primary-account (direct deposit) base,
 * a young digital base, secondary-card "occasional" users, travellers and cash-flow-constrained gig
 * workers; the share-weighted long-run churn ≈ 1.8%/month (the population figure).
 */
const SEGMENTS: Record<string, SegmentDefaults> = {
  salaried_primary: {
    share: 0.3,
    frequency: 1.45,
    ticket: 1.1,
    sector_mix: { grocery: 1.3, health_utilities: 1.3, services: 1.1, dining: 0.9, entertainment: 0.8 },
    ecommerce: 0.9,
    contactless_share: 0.45,
    churn: { monthly: 0.009, early_multiplier: 20, early_months: 1.4 },
    activity: { ramp_days: 14, long_run: 1.25, half_life_days: 240 },
    premium_propensity: 1.6,
    decline_risk: 0.6,
    payday_sensitivity: 1.3,
    savings_share: 0.5,
    dormant_share: 0.03,
    recurring: 1.3,
    loyalty: 0.62,
    weekend_lean: -0.08,
    hour_shift: -0.5,
  },
  young_digital: {
    share: 0.26,
    frequency: 1.25,
    ticket: 0.62,
    sector_mix: { dining: 1.5, entertainment: 1.7, transport: 1.15, grocery: 0.7, health_utilities: 0.6, services: 0.8 },
    ecommerce: 1.35,
    contactless_share: 0.72,
    churn: { monthly: 0.018, early_multiplier: 20, early_months: 1.4 },
    activity: { ramp_days: 7, long_run: 0.85, half_life_days: 200 },
    premium_propensity: 0.7,
    decline_risk: 1.7,
    payday_sensitivity: 1.0,
    savings_share: 0.2,
    dormant_share: 0.06,
    recurring: 1.4,
    loyalty: 0.5,
    weekend_lean: 0.08,
    hour_shift: 1.5,
  },
  occasional: {
    share: 0.24,
    frequency: 0.32,
    ticket: 1.15,
    sector_mix: { retail: 1.6, entertainment: 1.2, grocery: 0.7, transport: 0.7 },
    ecommerce: 1.5,
    contactless_share: 0.35,
    churn: { monthly: 0.026, early_multiplier: 20, early_months: 1.4 },
    activity: { ramp_days: 14, long_run: 0.5, half_life_days: 150 },
    premium_propensity: 0.35,
    decline_risk: 0.9,
    payday_sensitivity: 0.4,
    savings_share: 0.12,
    dormant_share: 0.18,
    recurring: 0.5,
    loyalty: 0.4,
    weekend_lean: 0.15,
    hour_shift: 0,
  },
  traveller: {
    share: 0.08,
    frequency: 0.95,
    ticket: 1.55,
    sector_mix: { travel: 5.0, dining: 1.3, transport: 1.3, grocery: 0.7 },
    ecommerce: 1.25,
    contactless_share: 0.6,
    churn: { monthly: 0.012, early_multiplier: 20, early_months: 1.4 },
    activity: { ramp_days: 14, long_run: 1.0, half_life_days: 300 },
    premium_propensity: 2.6,
    decline_risk: 0.7,
    payday_sensitivity: 0.5,
    savings_share: 0.4,
    dormant_share: 0.04,
    recurring: 1.0,
    loyalty: 0.45,
    weekend_lean: 0.05,
    hour_shift: 0,
  },
  gig_worker: {
    share: 0.12,
    frequency: 1.05,
    ticket: 0.85,
    sector_mix: { transport: 1.9, grocery: 1.2, dining: 1.1, travel: 0.4, retail: 0.8 },
    ecommerce: 0.8,
    contactless_share: 0.4,
    churn: { monthly: 0.02, early_multiplier: 20, early_months: 1.4 },
    activity: { ramp_days: 10, long_run: 0.95, half_life_days: 200 },
    premium_propensity: 0.6,
    decline_risk: 3.0,
    payday_sensitivity: 0.8,
    savings_share: 0.15,
    dormant_share: 0.05,
    recurring: 0.8,
    loyalty: 0.58,
    weekend_lean: 0.0,
    hour_shift: 0.5,
  },
};

/** Parameters a segment added in config takes for anything it does not set (its share defaults to 0). */
const NEW_SEGMENT: SegmentDefaults = { ...SEGMENTS.occasional, share: 0 };

const segments = z
  .record(behaviourName, segment(NEW_SEGMENT, 'Segment'))
  .default(SEGMENTS as Record<string, z.input<ReturnType<typeof segment>>>)
  .describe(
    'Customer segments (name → parameters; defaults: salaried_primary, young_digital, occasional, traveller, gig_worker). Each new customer draws one, with these shares tilted by vintage. Set a share to 0 to drop a segment; a new segment takes the occasional defaults for anything unset.',
  );

/** Hour-of-day shapes by sector (local time). Restaurants (5812), bakeries/coffee (5462) and bars (5813) get their own curves. */
const HOURS: Record<string, { weekday: number[]; weekend: number[] }> = {
  grocery: {
    weekday: [0.3, 0.15, 0.1, 0.1, 0.15, 0.4, 1.0, 1.8, 2.4, 3.0, 3.6, 4.4, 5.0, 4.6, 4.2, 4.6, 5.8, 7.4, 7.6, 6.0, 4.2, 2.6, 1.4, 0.7],
    weekend: [0.4, 0.2, 0.1, 0.1, 0.1, 0.3, 0.8, 1.8, 3.4, 5.0, 6.4, 7.0, 6.8, 6.2, 5.8, 5.6, 5.6, 5.8, 5.2, 4.0, 2.8, 1.8, 1.0, 0.6],
  },
  dining: {
    weekday: [0.8, 0.5, 0.3, 0.15, 0.1, 0.3, 1.2, 2.6, 2.4, 1.6, 1.8, 4.4, 8.0, 6.4, 2.8, 2.0, 2.4, 4.6, 7.0, 7.2, 5.0, 3.2, 2.2, 1.4],
    weekend: [1.8, 1.4, 0.9, 0.4, 0.15, 0.2, 0.6, 1.6, 2.8, 3.6, 4.0, 5.4, 6.8, 6.2, 4.0, 3.0, 3.2, 5.0, 7.0, 7.4, 5.8, 4.2, 3.2, 2.4],
  },
  transport: {
    weekday: [0.5, 0.3, 0.2, 0.2, 0.5, 1.6, 4.2, 7.4, 6.4, 3.6, 3.0, 3.2, 3.6, 3.2, 3.2, 4.0, 5.6, 7.0, 5.6, 3.6, 2.6, 2.0, 1.6, 1.0],
    weekend: [1.4, 1.2, 0.8, 0.5, 0.4, 0.6, 1.0, 1.8, 2.8, 3.8, 4.6, 5.0, 5.0, 4.8, 4.6, 4.6, 4.8, 5.0, 4.8, 4.2, 3.6, 3.0, 2.6, 2.0],
  },
  retail: {
    weekday: [0.6, 0.35, 0.2, 0.15, 0.15, 0.25, 0.6, 1.2, 2.2, 3.4, 4.6, 5.4, 6.0, 6.0, 5.8, 5.8, 6.0, 6.4, 6.6, 6.0, 5.0, 3.8, 2.4, 1.2],
    weekend: [0.8, 0.5, 0.3, 0.2, 0.15, 0.2, 0.4, 1.0, 2.2, 4.0, 5.8, 6.8, 7.2, 7.2, 7.0, 6.6, 6.2, 5.6, 4.8, 4.0, 3.2, 2.4, 1.6, 1.0],
  },
  travel: {
    weekday: [0.8, 0.5, 0.4, 0.4, 0.6, 1.2, 2.4, 3.4, 4.0, 4.6, 4.8, 5.0, 5.2, 5.0, 4.8, 4.8, 5.0, 5.4, 5.6, 6.0, 6.2, 5.4, 3.8, 2.0],
    weekend: [1.0, 0.6, 0.4, 0.4, 0.5, 0.9, 1.8, 2.8, 3.8, 4.6, 5.0, 5.2, 5.2, 5.0, 4.8, 4.8, 5.0, 5.2, 5.4, 5.6, 5.6, 5.0, 3.6, 2.0],
  },
  entertainment: {
    weekday: [1.6, 1.0, 0.6, 0.4, 0.4, 0.5, 0.8, 1.2, 1.6, 2.0, 2.4, 3.0, 3.6, 3.6, 3.6, 3.8, 4.4, 5.6, 7.0, 7.8, 7.6, 6.4, 4.4, 2.8],
    weekend: [2.2, 1.4, 0.8, 0.5, 0.4, 0.4, 0.6, 1.0, 1.8, 2.8, 3.8, 4.6, 5.0, 5.4, 5.8, 6.0, 6.0, 6.2, 6.8, 7.4, 7.6, 6.8, 5.0, 3.4],
  },
  services: {
    weekday: [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 1.8, 4.4, 6.2, 7.0, 7.0, 6.4, 6.6, 6.8, 6.6, 6.0, 5.0, 3.6, 2.4, 1.6, 1.0, 0.6, 0.3],
    weekend: [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 1.2, 3.0, 5.2, 6.6, 7.0, 6.6, 6.0, 5.2, 4.4, 3.6, 2.8, 2.0, 1.4, 1.0, 0.7, 0.4, 0.3],
  },
  health_utilities: {
    weekday: [0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.8, 2.0, 3.8, 5.2, 6.0, 6.2, 6.0, 6.0, 5.8, 5.6, 5.6, 5.8, 5.2, 3.8, 2.6, 1.6, 0.8, 0.4],
    weekend: [0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 1.4, 3.0, 4.6, 5.6, 6.0, 5.8, 5.4, 5.0, 4.6, 4.2, 3.8, 3.2, 2.4, 1.6, 1.0, 0.6, 0.4],
  },
  // restaurants: lunch (12–13 h) and dinner (18–20 h) services, closed kitchens after midnight
  '5812': {
    weekday: [0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.4, 1.0, 1.2, 1.0, 1.6, 5.0, 9.0, 7.6, 3.0, 1.8, 2.2, 4.6, 8.2, 9.0, 7.0, 4.0, 2.0, 0.8],
    weekend: [0.5, 0.3, 0.15, 0.05, 0.05, 0.1, 0.3, 1.0, 2.2, 3.4, 4.4, 5.6, 7.4, 6.6, 3.6, 2.4, 2.8, 4.8, 8.0, 8.8, 7.2, 4.4, 2.4, 1.1],
  },
  // bakeries and coffee: the morning commute and a later weekend brunch
  '5462': {
    weekday: [0.1, 0.05, 0.05, 0.05, 0.1, 0.6, 2.6, 6.4, 8.0, 6.4, 4.8, 4.2, 4.4, 3.8, 3.2, 2.8, 2.4, 2.0, 1.4, 0.9, 0.5, 0.3, 0.2, 0.1],
    weekend: [0.1, 0.05, 0.05, 0.05, 0.05, 0.3, 1.2, 3.6, 6.4, 7.8, 7.6, 6.2, 5.0, 4.0, 3.2, 2.6, 2.2, 1.8, 1.2, 0.8, 0.5, 0.3, 0.2, 0.1],
  },
  // bars: evenings (19–23 h), tailing off after midnight to closing time
  '5813': {
    weekday: [3.0, 1.6, 0.6, 0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.4, 1.2, 2.4, 2.0, 1.4, 1.8, 3.2, 5.6, 7.4, 8.0, 8.2, 8.0, 7.2, 6.2],
    weekend: [6.0, 4.4, 2.2, 0.3, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 2.0, 3.0, 3.2, 3.0, 3.2, 3.8, 5.0, 6.4, 7.4, 8.4, 9.0, 9.2, 8.6],
  },
};

/**
 * Day-of-week weights by sector (Mon…Sun), relative within a sector (each curve is normalised to mean 1).
 * Shapes (illustrative, not fitted to one data set): Friday and Saturday are the busiest card days and
 * Sunday the quietest in public day-of-week payment counts (Federal Reserve Diary of Consumer Payment
 * Choice; card-spend trackers such as the Bank of America Institute's show the same weekend pattern);
 * so Sunday sits about 13% below Monday–Thursday, and Friday–Saturday about 25% above, over all sectors once the segments' weekend lean is
 * added. Grocery peaks on Saturday (the big weekly shop) and stays near a weekday on Sunday; restaurants,
 * bars and entertainment hold up over the weekend (Friday–Saturday evenings, Sunday brunch); retail
 * peaks on Saturday with shorter Sunday store hours; commuting transit and fuel, business services and
 * software, and health care/utilities (offices, pharmacies' reduced hours, bills paid on workdays) drop
 * on Sundays.
 */
const WEEKDAYS: Record<string, number[]> = {
  grocery: [0.96, 0.94, 0.97, 1.0, 1.07, 1.13, 0.98],
  dining: [0.88, 0.9, 0.96, 1.02, 1.18, 1.2, 0.9],
  transport: [1.06, 1.08, 1.08, 1.08, 1.1, 0.86, 0.6],
  retail: [0.96, 0.95, 0.96, 1.0, 1.07, 1.17, 0.92],
  travel: [1.04, 1.02, 1.02, 1.04, 1.12, 0.96, 0.78],
  entertainment: [0.86, 0.88, 0.93, 1.0, 1.17, 1.24, 0.96],
  services: [1.1, 1.12, 1.12, 1.12, 1.1, 0.84, 0.42],
  health_utilities: [1.12, 1.1, 1.08, 1.08, 1.04, 0.82, 0.48],
  '5813': [0.6, 0.65, 0.8, 1.0, 1.7, 1.9, 0.9],
};

/** Monthly seasonality by sector (Jan…Dec): summer travel, holiday retail, winter utilities. Shapes follow public card-spend indices. */
const MONTHS: Record<Sector, number[]> = {
  grocery: [0.96, 0.92, 0.98, 0.98, 1.0, 0.99, 1.0, 1.0, 0.98, 1.0, 1.08, 1.18],
  dining: [0.88, 0.9, 0.98, 1.0, 1.04, 1.04, 1.05, 1.04, 1.0, 1.0, 0.98, 1.1],
  transport: [0.92, 0.92, 0.98, 1.0, 1.04, 1.06, 1.08, 1.06, 1.0, 1.0, 0.98, 0.98],
  retail: [0.84, 0.82, 0.92, 0.94, 0.98, 0.96, 0.96, 1.04, 0.96, 0.98, 1.2, 1.42],
  travel: [0.72, 0.78, 0.98, 0.96, 1.08, 1.3, 1.42, 1.3, 0.96, 0.9, 0.9, 1.18],
  entertainment: [0.94, 0.92, 0.96, 0.96, 1.0, 1.06, 1.1, 1.06, 0.96, 0.98, 1.0, 1.12],
  services: [0.98, 0.96, 1.0, 1.02, 1.02, 0.98, 0.94, 1.02, 1.06, 1.02, 0.98, 0.96],
  health_utilities: [1.1, 1.06, 1.02, 0.98, 0.96, 0.98, 1.02, 1.02, 0.96, 0.96, 1.0, 1.06],
};

/** US holidays and shopping days with their effect on each sector; 'signup' is the customer inflow. */
const CALENDAR = {
  new_years_day: { rule: { month: 1, day: 1 }, effects: { '*': 0.7, dining: 1.0, entertainment: 1.2, services: 0.3, signup: 1.2 } },
  valentines_day: { rule: { month: 2, day: 14 }, effects: { dining: 1.45, retail: 1.15 } },
  memorial_day: { rule: { month: 5, weekday: 'mon' as const, nth: -1 }, effects: { '*': 0.9, travel: 1.3, grocery: 1.1, services: 0.3 } },
  independence_day_eve: { rule: { relative_to: 'independence_day', offset_days: -1 }, effects: { grocery: 1.35 } },
  independence_day: { rule: { month: 7, day: 4 }, effects: { '*': 0.75, dining: 1.1, entertainment: 1.15, services: 0.25, signup: 0.7 } },
  labor_day: { rule: { month: 9, weekday: 'mon' as const, nth: 1 }, effects: { '*': 0.8, retail: 1.1, travel: 1.2, transport: 0.7, services: 0.3, health_utilities: 0.6 } },
  halloween: { rule: { month: 10, day: 31 }, effects: { retail: 1.25, grocery: 1.1, entertainment: 1.2 } },
  thanksgiving_eve: { rule: { relative_to: 'thanksgiving', offset_days: -1 }, effects: { grocery: 1.7, '*': 1.05 } },
  thanksgiving: { rule: { month: 11, weekday: 'thu' as const, nth: 4 }, effects: { '*': 0.55, grocery: 0.6, dining: 0.7, retail: 0.5, services: 0.2, signup: 0.6 } },
  black_friday: { rule: { relative_to: 'thanksgiving', offset_days: 1 }, effects: { '*': 1.1, retail: 2.3, entertainment: 1.3, signup: 1.3 } },
  cyber_monday: { rule: { relative_to: 'thanksgiving', offset_days: 4 }, effects: { retail: 1.6, entertainment: 1.4 } },
  christmas_eve: { rule: { month: 12, day: 24 }, effects: { grocery: 1.5, retail: 1.35, services: 0.6 } },
  christmas_day: { rule: { month: 12, day: 25 }, effects: { '*': 0.35, entertainment: 1.3, travel: 0.6, signup: 0.5 } },
  boxing_day: { rule: { month: 12, day: 26 }, effects: { retail: 1.3 } },
  // a month-end payday too for most pay schedules (paydays.lift): the evening out lifts dining and bars, not the whole day
  new_years_eve: { rule: { month: 12, day: 31 }, effects: { dining: 1.25, grocery: 1.05, entertainment: 1.15 } },
};

const PAY_SCHEDULES = ['semi_monthly', 'biweekly', 'monthly'] as const;

/** Calendar entries that are Federal Reserve holidays (no payroll settlement). */
const BANK_HOLIDAYS = ['new_years_day', 'memorial_day', 'independence_day', 'labor_day', 'thanksgiving', 'christmas_day'] as const;

const cohortShocks = z
  .object({
    activity_sigma: z.number().finite().min(0).max(2).default(0.12).describe('Log-sd of a sign-up month\'s spend-activity multiplier (default 0.12).'),
    churn_sigma: z.number().finite().min(0).max(2).default(0.25).describe('Log-sd of a sign-up month\'s churn-hazard multiplier (default 0.25).'),
    kyc_sigma: z.number().finite().min(0).max(3).default(0.3).describe('Sd of a sign-up month\'s shift of the KYC log-odds (documents sent, automatic and manual approval; default 0.3).'),
  })
  .strict()
  .default({})
  .describe(
    'Month-to-month acquisition quality on top of the vintage knots: every sign-up month draws a seeded shock (campaign mix, promotions, channel changes), so monthly cohorts differ by more than sampling noise. A cohort\'s KYC pass rates also follow its vintage churn multiplier (low-intent cohorts abandon and fail KYC more). 0 = no shocks.',
  );

const campaign = z
  .object({
    months_of_year: z
      .array(z.number().int().min(1).max(12))
      .default([])
      .describe('Calendar months (1–12) the campaign runs every year (empty = use from/to only).'),
    from: isoDate.nullable().default(null).describe('First sign-up date the campaign applies to, YYYY-MM-DD (null = no lower bound).'),
    to: isoDate.nullable().default(null).describe('Last sign-up date the campaign applies to, YYYY-MM-DD (null = no upper bound, e.g. a lasting product change).'),
    segment_tilt: z
      .record(behaviourName, nonNegative.describe('Share multiplier of this segment among the campaign\'s sign-ups.'))
      .default({})
      .describe('Segment share multipliers of the sign-ups it brings (segment name → multiplier; shares are renormalised).'),
    dormant_multiplier: nonNegative.default(1).describe('Multiplier of every segment\'s dormant_share (never spends) for its sign-ups (default 1).'),
    activity: z.number().finite().positive().default(1).describe('Spend-activity multiplier of its sign-ups (default 1).'),
    churn: z.number().finite().positive().default(1).describe('Churn-hazard multiplier of its sign-ups (default 1).'),
    activation_log_odds: z
      .number()
      .finite()
      .min(-5)
      .max(5)
      .default(0)
      .describe('Shift of the card-activation log-odds of its sign-ups (a product change such as instant virtual cards; default 0).'),
  })
  .strict()
  .describe('One acquisition campaign or product change: which sign-ups it touches and how they differ.');

const ACQUISITION: Record<string, z.input<typeof campaign>> = {
  // New-year sign-up bonus: many low-intent accounts opened for the bonus
  new_year_bonus: { months_of_year: [1], segment_tilt: { occasional: 1.7, salaried_primary: 0.8 }, dormant_multiplier: 1.9, activity: 0.88, churn: 1.35 },
  // Holiday cash-back promotion: deal seekers who leave once it ends
  holiday_promo: { months_of_year: [11, 12], segment_tilt: { occasional: 1.4, young_digital: 1.2 }, dormant_multiplier: 1.5, activity: 0.95, churn: 1.3 },
  // Tax-refund season: refunds deposited to a new account, then used as the main card
  tax_refund_season: { months_of_year: [3, 4], segment_tilt: { salaried_primary: 1.25, gig_worker: 1.2 }, dormant_multiplier: 0.8, churn: 0.9 },
  // Refer-a-friend push: referred customers are better engaged
  referral_push: { from: '2025-05-01', to: '2025-07-31', segment_tilt: { salaried_primary: 1.3, occasional: 0.7 }, dormant_multiplier: 0.5, activity: 1.1, churn: 0.75 },
  // Instant virtual card at sign-up: more customers activate and spend in their first weeks
  instant_virtual_card: { from: '2025-10-01', to: null, dormant_multiplier: 0.7, activation_log_odds: 0.8 },
};

const growthEvent = z
  .object({
    from: isoDate.describe('First sign-up date the event moves, YYYY-MM-DD.'),
    to: isoDate.nullable().default(null).describe('Last sign-up date it moves, YYYY-MM-DD (null = lasting: a regime change such as a referral programme or a budget cut).'),
    multiplier: z.number().finite().min(0.05).max(20).describe('Sign-up multiplier at full effect (> 1 a campaign or feature, < 1 a bad stretch).'),
    ramp_days: z.number().finite().min(0).max(365).default(7).describe('Days over which the effect ramps in after `from` and out before `to`, linearly (default 7; 0 = a hard step).'),
    decay_days: z.number().finite().positive().max(3650).nullable().default(null).describe('E-folding days of a lift that fades after `from` (an app-store feature, a viral post; null = holds until `to`, the default).'),
  })
  .strict()
  .describe('One growth event: a dated change in the sign-up volume.');

/** Default growth events (illustrative, in the manner of a US neobank's acquisition history). */
const GROWTH_EVENTS: Record<string, z.input<typeof growthEvent>> = {
  // featured in the app store's finance collection: a spike that fades over weeks
  app_store_feature: { from: '2021-05-12', to: '2021-07-31', multiplier: 2.2, ramp_days: 2, decay_days: 18 },
  // a TV and streaming-audio campaign in the autumn
  brand_campaign_2022: { from: '2022-09-06', to: '2022-11-06', multiplier: 1.45, ramp_days: 10 },
  // rates up, fintech funding winter: paid acquisition cut for a bad quarter and a slow recovery
  budget_freeze_2023: { from: '2023-04-01', to: '2023-09-30', multiplier: 0.68, ramp_days: 21 },
  // refer-a-friend programme with a $50 bonus: a lasting step up
  referral_programme: { from: '2023-11-01', to: null, multiplier: 1.22, ramp_days: 30 },
  // big-game ad: a one-week spike
  big_game_ad: { from: '2024-02-11', to: '2024-03-10', multiplier: 2.6, ramp_days: 1, decay_days: 5 },
  // partner-bank outage in the press: sign-ups dip for two months
  outage_press: { from: '2024-08-19', to: '2024-10-15', multiplier: 0.72, ramp_days: 5 },
};

const growthEvents = z
  .record(behaviourName, growthEvent)
  .default(GROWTH_EVENTS)
  .describe(
    'Growth events: dated campaigns, app-store features, programmes and bad stretches that scale the sign-up volume (name → from, to, multiplier, ramp, fade); overlapping events multiply, and the total sign-up count stays the configured volume (events move sign-ups between months). Defaults: an app-store feature (2021), a brand campaign (autumn 2022), a budget freeze (Apr–Sep 2023), a lasting referral programme (Nov 2023), a big-game ad (Feb 2024), an outage in the press (Aug–Oct 2024). Set the multiplier of an event to 1 to switch it off.',
  );

const acquisitionCampaigns = z
  .record(behaviourName, campaign)
  .default(ACQUISITION)
  .describe(
    'Acquisition calendar: campaigns and product changes by sign-up month (name → months or dates, segment mix tilt, dormant share, activity, churn, activation). Multipliers of overlapping campaigns multiply. Monthly sign-up cohorts therefore differ by acquisition month beyond sampling noise (defaults: a January sign-up bonus and a November–December promotion bring lower-intent customers, tax-refund season and a 2025 referral push better ones, an instant virtual card from October 2025 lifts activation). Empty = no campaigns.',
  );

const paydays = z
  .object({
    schedule_shares: z
      .object({
        semi_monthly: share.default(0.4).describe('Paid on the 1st and 15th (the previous business day when those fall on a weekend or bank holiday); default 0.4.'),
        biweekly: share.default(0.42).describe('Paid every other Friday (about 43% of US private payrolls are biweekly, BLS); default 0.42.'),
        monthly: share.default(0.18).describe('Paid on the last business day of the month; default 0.18.'),
      })
      .strict()
      .default({})
      .describe('How customers are paid: shares of pay schedules (sum to 1).'),
    lift: nonNegative.default(0.35).describe('Extra spend on payday, as a fraction of the ordinary day (default 0.35: paycheck-to-paycheck households spend a large part of pay within days), fading over the next days.'),
    fade_days: positive.default(2).describe('Days for the payday lift to fall by 1/e (default 2).'),
    pre_payday_dip: share.default(0.08).describe('Lower spend on the two days before payday (default 0.08 = −8%).'),
    bank_holidays: z
      .array(behaviourName)
      .default([...BANK_HOLIDAYS])
      .describe(`Calendar days (names of calendar entries) on which banks are closed: a payday falling on one is paid on the business day before, as on weekends (default ${BANK_HOLIDAYS.join(', ')}: Federal Reserve holidays).`),
  })
  .strict()
  .default({})
  .describe('Payday cycle of spend (scaled per segment by payday_sensitivity).');

export const PAY_SCHEDULE_NAMES = PAY_SCHEDULES;

const onboarding = z
  .object({
    kyc_submit: z
      .object({
        conversion: share.default(0.94).describe('Sign-up → identity documents submitted: share that submits (default 0.94; the rest are pending until they expire: abandoned applications).'),
        lag: tailedLag(
          { median_hours: 0.2, sigma: 1.6, tail_share: 0.16, tail_median_hours: 60, tail_sigma: 0.9 },
          'Sign-up → documents submitted (most in the sign-up session; a sixth come back days later with their ID)',
        ),
      })
      .strict()
      .default({})
      .describe('Sign-up → identity documents submitted.'),
    kyc_auto_verified: share.default(0.8).describe('Of submitted applications, share verified automatically within minutes (default 0.8).'),
    kyc_auto_lag: lognormalLag(0.05, 1.0, 'Automatic KYC decision'),
    kyc_instant_reject: share.default(0.02).describe('Of submitted applications, share rejected automatically (sanctions/fraud screens; default 0.02).'),
    kyc_review_lag: lognormalLag(30, 1.1, 'Manual KYC review (the rest of the submitted applications)'),
    kyc_review_approve: share.default(0.8).describe('Share of manual reviews that end verified; the rest are rejected (default 0.8).'),
    kyc_review_stall: share.default(0.08).describe('Share of manual reviews that stall waiting for documents (pending until they expire; default 0.08).'),
    kyc_expiry_days: z
      .number()
      .int()
      .min(0)
      .max(3650)
      .default(45)
      .describe('Applications with no activity for this many days (since sign-up, or since the documents were sent) are closed as rejected (expired) by the nightly clean-up job, so pending is a recent state; 0 = never expire (default 45).'),
    kyc_expiry_hour: z.number().int().min(0).max(23).default(2).describe('Local hour at which the nightly job closes expired applications (it works through them over about 40 minutes; default 2).'),
    kyc_review_weekend_share: share
      .default(0.25)
      .describe('Weekend capacity of the manual KYC review team relative to a weekday: a review due on a Saturday or Sunday is done that day with this chance, otherwise on Monday (default 0.25).'),
    account_open: conversionStep(
      0.96,
      lognormalLag(0.02, 1.0, 'KYC verified → checking account opened'),
      'KYC verified → checking account opened',
      'the rest are verified applicants who never accept the account agreement or never finish the set-up in the app: they stay in dim_customer as verified with no account, card or transaction; a few percent is illustrative of digital account-opening abandonment after approval',
    ),
    card_issue: conversionStep(
      0.95,
      tailedLag(
        { median_hours: 10, sigma: 1.1, tail_share: 0.2, tail_median_hours: 80, tail_sigma: 0.7 },
        'Account opened → physical card issued by the card processor (a continuous wait: most within a day or two, a fifth wait days for address checks or a re-print)',
      ),
      'Account opened → physical debit card issued',
      'the rest never get a card: the address check fails or the mail comes back and the customer keeps only the app and ACH transfers; their checking account stays (and may close later like any other) with no card and no card transactions; illustrative',
    ),
    card_activate: funnelStep(0.88, 130, 0.5, 'Card issued → card activated (mail delivery, then activation in the app)'),
    first_spend: lognormalLag(36, 1.3, 'Card activated → first card transaction (segments set who never spends)'),
  })
  .strict()
  .default({})
  .describe('Onboarding funnel: sign-up → KYC (verified / pending / rejected, with resolution times) → account → card issued → activated → first transaction.');

const accounts = z
  .object({
    savings_lag: lognormalLag(24 * 30, 1.2, 'Checking opened → savings account opened (for those who open one)'),
    freeze: z
      .object({
        monthly_hazard: z.number().finite().min(0).max(0.5).default(0.0025).describe('Fraud/compliance freezes per open account per month at decline risk 1 (default 0.0025).'),
        duration: lognormalLag(24 * 4, 1.3, 'Length of a freeze'),
        review_share: share
          .default(0.12)
          .describe('Share of freezes escalated to a long compliance review (default 0.12); a review lasts review_duration, then ends in closure (review_close_share) or an unfreeze: no freeze lasts forever.'),
        review_duration: lognormalLag(24 * 45, 0.9, 'Length of a long compliance review freeze (p90 about 140 days)'),
        review_close_share: share.default(0.6).describe('Share of long reviews that end with the bank closing the account; the rest are unfrozen (default 0.6).'),
        close_share: share.default(0.25).describe('Share of ordinary (short) freezes followed by the bank closing the account when lifted (default 0.25).'),
      })
      .strict()
      .default({})
      .describe('Account freezes: no approved spend while frozen; attempts are declined.'),
    close_after_churn: share.default(0.45).describe('Share of churned customers who also close their accounts; the rest stay open and dormant (default 0.45).'),
    bills_moved_at_churn: share
      .default(0.8)
      .describe('Share of a churned customer\'s recurring card-on-file services moved to another bank within weeks; the rest keep billing until the account closes (default 0.8).'),
    close_lag: lognormalLag(24 * 45, 1.0, 'Last spend → account closed (for those who close)'),
  })
  .strict()
  .default({})
  .describe('Account lifecycle: savings accounts, freezes and closures.');

const cards = z
  .object({
    lost_monthly_hazard: z.number().finite().min(0).max(0.5).default(0.005).describe('Cards reported lost or stolen per active card per month (default 0.005); a replacement is issued the same day.'),
    validity_years: z
      .array(z.number().int().min(1).max(10))
      .min(1)
      .max(10)
      .default([3, 4, 4, 5])
      .describe('Card validity in years from the issue month: each card (replacements included, so a replacement resets the expiry) draws one entry with equal chance and is good through the last day of its expiry month (MM/YY; default [3, 4, 4, 5]: issuers use 3–5 years by product and network); a renewal is issued renewal_lead_days before expiry.'),
    replacement_activation: lognormalLag(24 * 5, 0.6, 'Replacement issued → replacement activated'),
    replacement_issue: lognormalLag(16, 0.9, 'Card reported lost or stolen → replacement issued (the lost card stops at once)'),
    renewal_lead_days: z
      .number()
      .finite()
      .min(1)
      .max(120)
      .default(45)
      .describe('Median days before expiry (the end of the expiry month) that a renewal card is mailed (default 45; spread lognormally with log-sd 0.3: renewals go out in batches over weeks, most 30–60 days ahead). Spend moves to the renewal once it is activated; the old card stays valid until it expires.'),
  })
  .strict()
  .default({})
  .describe('Card lifecycle: loss and expiry replacements (the old card stops approving at replacement).');

/** Premium takers' spend-mix tilt by sector (subscriptions.premium_takers.sector_tilt); the others 1. */
const PREMIUM_TILT: Partial<Record<Sector, number>> = { travel: 1.8, dining: 1.25, entertainment: 1.15 };

const subscriptions = z
  .object({
    premium_share: share
      .default(0.08)
      .describe('Share of customers with a paid invoice in the window (8%: the premium base); the upgrade hazard level is solved to reach it, its shape comes from the keys below.'),
    upgrade: tenureHazard(0.01, 6, 2, 'Free → premium upgrade (scaled per segment by premium_propensity)'),
    annual_at_upgrade: share.default(0.05).describe('Share of upgrades straight to the annual plan (default 0.05).'),
    monthly_to_annual: z.number().finite().min(0).max(1).default(0.004).describe('Monthly premium → annual switches per month (default 0.004).'),
    annual_to_monthly_at_renewal: share.default(0.15).describe('Share of annual renewals that switch to monthly instead (default 0.15).'),
    cancel: tenureHazard(0.03, 1.8, 3, 'Premium → free (cancel the subscription, keep the account)'),
    winback: z.number().finite().min(0).max(1).default(0.004).describe('Former premium customers re-subscribing, per month (default 0.004).'),
    payment_failure: share.default(0.05).describe('Share of renewal charges that fail on the first attempt at decline risk 1 (default 0.05).'),
    retry_days: z.array(positive).min(1).max(6).default([1, 3, 5]).describe('Dunning retries after a failed charge, days after the period start (default 1, 3, 5).'),
    retry_success: share
      .default(0.4)
      .describe('Chance the first retry succeeds for a customer of decline risk 1 on the monthly plan (default 0.4); the odds then move with retry_decay, annual_retry_log_odds, risk_retry_exponent and the customer\'s balance (customer_retry_sigma). After the last failed retry a grace period starts (see dunning_grace).'),
    retry_decay: z
      .number()
      .finite()
      .min(0.05)
      .max(1)
      .default(0.75)
      .describe('Odds multiplier of each later retry succeeding (default 0.75: a card that failed twice is less likely to clear the third time; 1 = every retry alike).'),
    annual_retry_log_odds: z
      .number()
      .finite()
      .min(-5)
      .max(5)
      .default(-0.8)
      .describe('Log-odds shift of a retry succeeding on the annual plan ($99.90 at once needs a fuller balance than $9.99; default −0.8).'),
    risk_retry_exponent: z
      .number()
      .finite()
      .min(0)
      .max(3)
      .default(0.6)
      .describe("Retry success odds × (segment decline_risk)^−x (default 0.6: a gig worker's thin balance recovers about 60% of failed renewals, a salaried customer's about 85%; 0 = segments alike)."),
    customer_retry_sigma: z
      .number()
      .finite()
      .min(0)
      .max(3)
      .default(0.7)
      .describe("Sd of a customer's own log-odds of a retry succeeding (their usual balance; drawn once per failed renewal's customer, shared by its retries; default 0.7)."),
    retry_jitter_sigma: z
      .number()
      .finite()
      .min(0)
      .max(1)
      .default(0.3)
      .describe('Log-sd of the timing of each retry around its scheduled day (default 0.3: payment processors retry at smart times, not on the dot; 0 = exactly on the day).'),
    dunning_grace: lognormalLag(24 * 2.5, 0.8, 'Last failed retry → subscription cancelled for non-payment (grace period, during which the customer may pay)'),
    grace_recovery: share.default(0.2).describe('Share of grace periods that end with the customer paying (updating the card) instead of cancellation (default 0.2).'),
    premium_spend_lift: nonNegative.default(0.12).describe('Extra card activity while premium (cash-back and perks; default 0.12).'),
    premium_takers: z
      .object({
        ticket_lift: z.number().finite().min(0).max(3).default(0.3).describe('Customers who ever hold premium have usual tickets this much larger (default 0.3: paid plans are taken up by higher spenders).'),
        sector_tilt: z
          .object(
            Object.fromEntries(
              SECTORS.map((sec) => [sec, z.number().finite().positive().max(10).default(PREMIUM_TILT[sec] ?? 1).describe(`Premium takers' ${sec} weight multiplier (default ${PREMIUM_TILT[sec] ?? 1}).`)]),
            ) as Record<Sector, z.ZodDefault<z.ZodNumber>>,
          )
          .strict()
          .default({})
          .describe('Relative weight of these merchant sectors in a premium taker\'s spend mix (the others 1; the mix is renormalised; default travel 1.8, dining 1.25, entertainment 1.15: premium plans sell travel and lifestyle perks such as no FX fees and lounge passes).'),
      })
      .strict()
      .default({})
      .describe('Who takes premium (self-selection): customers who hold a paid plan at any time spend differently from the start, not only more often while premium — bigger tickets and more travel and dining.'),
  })
  .strict()
  .default({})
  .describe('Subscription state machine: free / premium monthly / premium annual, upgrades, cadence switches, cancellations, failed payments with dunning.');

/** A non-negative number with default `d`, described as `what` followed by its default. */
const nonNegativeWithDefault = (d: number, what: string) => nonNegative.default(d).describe(`${what} (default ${d}).`);

/** An extra log-odds (log-weight) term of a decline reason, 0–5. */
const extraLogOdds = z.number().finite().min(0).max(5);

/**
 * What a customer does after a decline of one reason: retry or not, how soon, and how likely the retry
 * is declined again. Defaults per reason follow how card declines resolve in practice: a wrong PIN is
 * re-entered within a minute and nearly always goes through; a fraud alert is confirmed in the app within
 * minutes; a short balance is topped up (or a smaller basket paid) hours later and often fails again.
 */
const reasonRetry = (d: { probability: number; medianHours: number; sigma: number; redecline: number }, what: string) =>
  z
    .object({
      probability: share.default(d.probability).describe(`Share of ${what} declines the customer retries (default ${d.probability}).`),
      lag: lognormalLag(d.medianHours, d.sigma, `${what} decline → retry`),
      redecline: share
        .default(d.redecline)
        .describe(`Chance a retry at the declined amount is declined again for the same reason (default ${d.redecline}); a retry for a smaller amount is declined with this chance × (retry amount ÷ declined amount).`),
    })
    .strict()
    .default({})
    .describe(`Retries after a ${what} decline.`);

const reasons = z
  .object({
    insufficient_funds: z
      .object({
        weight: nonNegativeWithDefault(0.62, 'Relative weight of insufficient funds among declines at a usual ticket, card present, away from payday'),
        amount_log_odds: extraLogOdds.default(0.6).describe("Extra log-weight per unit of ln(amount ÷ the customer's usual ticket) above it (default 0.6: big baskets overdraw the balance)."),
        pre_payday_log_odds: extraLogOdds.default(0.8).describe('Extra log-weight in the two days before payday (default 0.8: balances run low).'),
        retry: reasonRetry({ probability: 0.4, medianHours: 1.5, sigma: 1.8, redecline: 0.4 }, 'an insufficient-funds'),
      })
      .strict()
      .default({})
      .describe('Insufficient funds (ISO 8583 response 51).'),
    suspected_fraud: z
      .object({
        weight: nonNegativeWithDefault(0.09, 'Relative weight of suspected fraud among declines at a usual ticket, card present'),
        ecommerce_log_odds: extraLogOdds.default(1.2).describe('Extra log-weight of card-not-present payments (default 1.2: most fraud screens fire online).'),
        unusual_amount_log_odds: extraLogOdds
          .default(0.5)
          .describe("Extra log-weight per unit of |ln(amount ÷ the customer's usual ticket)| (default 0.5: amounts far above or below the customer's habit, such as card-testing micro-charges, look unusual)."),
        retry: reasonRetry({ probability: 0.55, medianHours: 0.15, sigma: 1, redecline: 0.12 }, 'a suspected-fraud'),
      })
      .strict()
      .default({})
      .describe('Suspected fraud (ISO 8583 response 59).'),
    limit_exceeded: z
      .object({
        weight: nonNegativeWithDefault(0.03, 'Relative weight of a daily spending limit among declines at a usual ticket'),
        amount_log_odds: extraLogOdds.default(1.5).describe("Extra log-weight per unit of ln(amount ÷ the customer's usual ticket) above it (default 1.5: only large purchases hit the limit)."),
        retry: reasonRetry({ probability: 0.3, medianHours: 0.5, sigma: 1.6, redecline: 0.3 }, 'a limit-exceeded'),
      })
      .strict()
      .default({})
      .describe('Daily spending limit exceeded (ISO 8583 response 61).'),
    incorrect_pin: z
      .object({
        weight: nonNegativeWithDefault(0.2, 'Relative weight of a wrong PIN among declines of chip-and-PIN (card_present) payments; never on contactless or ecommerce payments'),
        retry: reasonRetry({ probability: 0.85, medianHours: 0.01, sigma: 0.7, redecline: 0.1 }, 'an incorrect-PIN'),
      })
      .strict()
      .default({})
      .describe('Incorrect PIN (ISO 8583 response 55), card_present only.'),
  })
  .strict()
  .default({})
  .describe(
    "Why an ordinary purchase was declined (fact_authorization_decline.reason_code): among the declines the logistic model draws, a reason is picked with probability ∝ weight × exp(its log-odds terms), so insufficient funds grows with the amount and before payday, suspected fraud online and at unusual amounts, incorrect PIN only on card_present payments. Each reason has its own retry behaviour (`retry`: share retried, lag, chance of another decline); a declined retry keeps the reason of the attempt it retries. State declines (account_frozen, account_closed, expired_card, lost_card) come from the account and card state, not from this mix.",
  );

const stale_card = z
  .object({
    expired: nonNegativeWithDefault(0.6, 'Mean attempts on a card after it expired or was replaced by a renewal (a card saved in a browser or a wallet, the old card taken out of a drawer)'),
    lost: nonNegativeWithDefault(0.4, 'Mean attempts on a card after it was reported lost or stolen (a thief trying it, the customer finding it again)'),
    closed: nonNegativeWithDefault(0.5, 'Mean attempts on a card after its account was closed (a saved card, a customer who forgot)'),
    days: z.number().int().min(1).max(365).default(45).describe('Attempts fall within this many days after the card stopped, most in the first days (default 45).'),
  })
  .strict()
  .default({})
  .describe('Declined attempts on cards that no longer work (Poisson per card, at the MCC mix and hours of ordinary spend): expired_card, lost_card or account_closed (account_frozen while the account is frozen).');

const declinePolicy = z
  .object({
    from: isoDate.describe('Date the risk-policy change starts to apply, YYYY-MM-DD.'),
    log_odds: z.number().finite().min(-3).max(3).describe('Decline log-odds shift once in full force (> 0 stricter rules, < 0 looser).'),
    ramp_days: z.number().finite().min(0).max(365).default(14).describe('Days over which it is rolled out (linear; default 14; 0 = at once).'),
  })
  .strict()
  .describe('A lasting risk-policy change (fraud model, velocity rules, limits).');

const declineIncident = z
  .object({
    start: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:MM')
      .describe("Local start on the bank's clock (warehouse.timezone), YYYY-MM-DDTHH:MM."),
    hours: z.number().finite().positive().max(72).describe('Duration, hours.'),
    log_odds: z.number().finite().min(0).max(8).describe('Extra decline log-odds of purchases during the incident; the extra declines carry reason issuer_unavailable (ISO 8583 91).'),
  })
  .strict()
  .describe('An issuer-processor incident: purchases time out or are declined for its duration.');

const DECLINE_MONTHS = [0.1, 0.04, -0.04, -0.07, -0.05, 0, 0.03, 0.05, 0, -0.03, 0.08, 0.16];

const declineCalendar = z
  .object({
    month_of_year_log_odds: z
      .array(z.number().finite().min(-2).max(2))
      .length(12)
      .default(DECLINE_MONTHS)
      .describe(`Decline log-odds shift by calendar month, January first (default ${DECLINE_MONTHS.join(', ')}: stricter fraud rules over the holiday shopping season, thin balances in January and late summer, tax refunds in spring).`),
    month_end_days: z.number().int().min(0).max(10).default(3).describe('Last days of each month with low balances (rent and bills due; default 3).'),
    month_end_log_odds: z.number().finite().min(-2).max(2).default(0.15).describe('Decline log-odds shift on those days (default 0.15).'),
    policy_changes: z
      .record(behaviourName, declinePolicy)
      .default({
        // a new fraud model cuts false-positive declines
        fraud_model_v2: { from: '2025-03-18', log_odds: -0.2, ramp_days: 21 },
        // velocity rules tightened ahead of the holiday season after a card-testing wave
        velocity_rules: { from: '2025-10-27', log_odds: 0.24, ramp_days: 7 },
        // the rules eased after the season
        velocity_rules_eased: { from: '2026-01-20', log_odds: -0.16, ramp_days: 14 },
      })
      .describe('Dated risk-policy changes (name → from, log-odds, roll-out days); they add up once started. Defaults: a fraud model that cuts false declines (Mar 2025), tighter velocity rules (Oct 2025), eased in Jan 2026.'),
    incidents: z
      .record(behaviourName, declineIncident)
      .default({
        processor_outage: { start: '2025-08-14T11:20', hours: 5, log_odds: 2.8 },
        network_timeouts: { start: '2026-04-03T17:05', hours: 2.5, log_odds: 2.2 },
      })
      .describe("Issuer-processor incidents (name → local start, hours, extra log-odds): a day with a decline spike (defaults: a 5-hour processor outage on 2025-08-14, 2.5 hours of network time-outs on 2026-04-03). Incidents outside the window change nothing."),
  })
  .strict()
  .default({})
  .describe('How the purchase decline rate moves over time: month-of-year, month-end balances, dated risk-policy changes and processor incidents, as log-odds shifts of the decline model.');

const declines = z
  .object({
    base_rate: share
      .default(0.045)
      .describe(
        "Share of ordinary authorisations declined at segment risk 1, a customer risk multiplier of 1 and a median ticket (default 0.045: with the customers' spread of risk (customer_risk_sigma) about 5% of all authorisations are declined).",
      ),
    customer_risk_sigma: z
      .number()
      .finite()
      .min(0)
      .max(3)
      .default(1.8)
      .describe(
        "Spread of a customer's own decline odds around their segment's (a lognormal multiplier with mean 1 and this log-sd; default 1.8: thin balances are a trait of some households, so insufficient-funds and limit declines pile up on a minority instead of reaching nearly every customer; 0 = every customer at the segment's odds).",
      ),
    amount_log_odds: z
      .number()
      .finite()
      .min(0)
      .max(5)
      .default(0.55)
      .describe('Decline log-odds per unit of ln(amount ÷ the customer\'s usual ticket) above it (default 0.55: big purchases hit balances and limits).'),
    usual_ticket_cents: z.number().int().positive().default(2500).describe('A customer\'s usual ticket at ticket multiplier 1, cents (default 2500); amounts above it raise the decline odds.'),
    ecommerce_log_odds: z.number().finite().min(-3).max(3).default(0.45).describe('Extra decline log-odds of card-not-present payments (fraud screens; default 0.45).'),
    pre_payday_log_odds: z.number().finite().min(-3).max(3).default(0.5).describe('Extra decline log-odds in the two days before payday (low balances; default 0.5).'),
    retry_amount_change: share
      .default(0.3)
      .describe('Share of retries after an insufficient-funds or limit-exceeded decline made for a smaller amount than the declined attempt (fewer items, a partial payment; default 0.3); the rest, and every retry after another reason (a PIN re-entered, a fraud alert confirmed in the app), repeat the amount.'),
    retry_amount_cut: z
      .object({
        min: share.default(0.05).describe('Smallest cut of a changed retry, as a fraction of the declined amount (default 0.05).'),
        max: share.default(0.5).describe('Largest cut of a changed retry, as a fraction of the declined amount (default 0.5).'),
      })
      .strict()
      .default({})
      .describe('How much smaller a changed retry is: a cut uniform between min and max of the declined amount.'),
    calendar: declineCalendar,
    blocked_attempts_per_day: nonNegative.default(0.5).describe('Purchase attempts per day on a frozen account, fading over a week (all declined; default 0.5).'),
    reasons,
    stale_card,
    recurring_retry: z
      .object({
        attempts: z.number().int().min(0).max(8).default(3).describe('Most retries a recurring merchant makes after a card-on-file charge is declined for insufficient funds (default 3; 0 = none).'),
        success: share.default(0.45).describe('Chance each retry goes through (default 0.45: balances are refilled by payday); failures before the first success are geometric.'),
        lag: lognormalLag(72, 0.35, 'Spacing between a declined recurring charge and each retry (retry j falls j × this after the decline, at a batch hour up to 6 h later)'),
      })
      .strict()
      .default({})
      .describe('Card-on-file retries ("dunning") after a recurring charge is declined for insufficient funds: a few days apart, until one goes through, the attempts run out, the card stops or the account closes.'),
    closed_account_billing_months: nonNegative
      .default(2)
      .describe(
        'Mean number of further monthly card-on-file charges a recurring merchant still attempts after the account closed while the service was live (exponential, so some try once and a few for half a year; all declined account_closed; default 2; 0 = merchants stop at closure).',
      ),
  })
  .strict()
  .default({})
  .describe('Authorisation outcomes: a logistic decline model (amount, channel, segment risk, pre-payday balance) with a decline reason per decline, retries after some declines, and state declines on frozen and closed accounts and on expired, replaced and lost cards (recurring merchants still charging, customers using an old card).');

/** Default share of approved card payments refunded, by sector (returns are a retail and travel habit). */
const REFUND_SECTOR: Record<Sector, number> = { grocery: 0.004, dining: 0.003, transport: 0.01, retail: 0.05, travel: 0.04, entertainment: 0.015, services: 0.01, health_utilities: 0.006 };
/** MCCs whose refund share differs from their sector's (apparel and department-store returns, airline cancellations). */
const REFUND_MCC: Record<string, number> = { 5651: 0.1, 5311: 0.075, 5732: 0.06, 5999: 0.045, 4511: 0.05, 7922: 0.03, 4121: 0.02 };

const refunds = z
  .object({
    sector_rate: z
      .object(Object.fromEntries(SECTORS.map((x) => [x, share.default(REFUND_SECTOR[x]).describe(`${x}: share of approved payments refunded (default ${REFUND_SECTOR[x]}).`)])) as Record<Sector, z.ZodDefault<typeof share>>)
      .strict()
      .default({})
      .describe(`Share of approved card payments later refunded by the merchant, by sector (default ${SECTORS.map((x) => `${x} ${REFUND_SECTOR[x]}`).join(', ')}).`),
    mcc_rate: z
      .record(z.string(), share.describe('Share of approved payments refunded at this MCC.'))
      .default(REFUND_MCC)
      .describe(`Refund shares of single MCCs, replacing their sector's (default ${Object.entries(REFUND_MCC).map(([k, v]) => `${k} ${v}`).join(', ')}: clothing and department-store returns, electronics, airline and ticket cancellations, rideshare fare adjustments).`),
    ecommerce_multiplier: z.number().finite().min(0).max(10).default(1.8).describe('Multiplier of the refund share of card-not-present payments (online orders are returned about twice as often; default 1.8; capped at a share of 0.9).'),
    partial_share: share.default(0.3).describe('Share of refunds for part of the payment (one item of a basket returned, a fare adjusted; default 0.3); the rest refund the whole amount.'),
    partial_fraction: z
      .object({
        min: share.default(0.1).describe('Smallest partial refund, as a fraction of the payment (default 0.1).'),
        max: share.default(0.9).describe('Largest partial refund, as a fraction of the payment (default 0.9).'),
      })
      .strict()
      .default({})
      .describe('Size of a partial refund: uniform between min and max of the payment, to the cent.'),
    lag: lognormalLag(24 * 8, 0.8, 'Payment → refund credited (a return shipped back and processed, a cancellation; days to weeks)'),
  })
  .strict()
  .default({})
  .describe('Merchant refunds of approved card payments (fact_card_refund): which payments are refunded (by sector and MCC, more online), how much, and when. A refund past the window end is not in the warehouse yet.');

const prices = z
  .object({
    taxed_share: share
      .default(0.9)
      .describe('Share of purchases at shelf-priced (charm: x.99 / x.49 / x.95) merchant categories whose total carries sales tax, so the amount no longer ends in the shelf price (default 0.9; the rest: tax-free states and tax-included items).'),
    sales_tax_pct: z
      .object({
        min: z.number().finite().min(0).max(30).default(4).describe('Lowest combined sales-tax rate, percent (default 4).'),
        max: z.number().finite().min(0).max(30).default(10.25).describe('Highest combined sales-tax rate, percent (default 10.25: the highest US state + local rates).'),
      })
      .strict()
      .default({})
      .describe('Sales-tax rate of a taxed basket: uniform between min and max, percent.'),
    small_tickets: z
      .record(
        z.string(),
        z
          .object({
            share: share.describe('Share of the MCC\'s purchases that are small tickets.'),
            cents: z.array(z.number().int().min(1)).min(1).max(32).describe('Small-ticket prices, cents (equally likely).'),
          })
          .strict(),
      )
      .default({
        7523: { share: 0.3, cents: [25, 50, 75, 100, 125, 150, 200, 250] },
        5499: { share: 0.12, cents: [75, 99, 100, 125, 150, 175, 200] },
        5441: { share: 0.15, cents: [59, 69, 79, 89, 99, 129] },
        7994: { share: 0.3, cents: [25, 50, 75, 100, 200] },
        7210: { share: 0.35, cents: [125, 150, 175, 200, 225, 250, 275, 300, 350] },
        5815: { share: 0.12, cents: [49, 99] },
      })
      .describe(
        'Small tickets by MCC (code → share of its purchases, price list): parking meters and laundromat machines in quarters, vending and candy at shelf prices, arcade tokens, in-app purchases at 49¢ and 99¢; they replace the lognormal amount and its 50¢ floor (default 7523 parking 30%, 5499 convenience/vending 12%, 5441 candy 15%, 7994 arcades 30%, 7210 laundry 35%, 5815 digital media 12%).',
      ),
    point_popularity_exponent: z
      .number()
      .finite()
      .min(1)
      .max(6)
      .default(2.2)
      .describe('Popularity of list prices (fares, tickets, digital goods): the k-th of n listed prices is picked with probability ((k+1)/n)^(1/e) − (k/n)^(1/e), cheapest first (default 2.2: about 1 in 3 digital-media purchases is the cheapest item; 1 = all equally likely).'),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const code of Object.keys(p.small_tickets)) {
      if (!MCC_CODES.includes(code)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['small_tickets', code], message: `unknown MCC ${code}` });
    }
    if (p.sales_tax_pct.min > p.sales_tax_pct.max) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['sales_tax_pct', 'min'], message: `min (${p.sales_tax_pct.min}) is above max (${p.sales_tax_pct.max})` });
  })
  .default({})
  .describe('How card amounts end: shelf prices plus sales tax, and the popularity of list prices.');

const recurringService = (
  d: {
    mcc: number;
    adoption: number;
    price_points_cents: number[];
    price_weights?: number[];
    monthly_cancel: number;
    variable: number;
    price_rise_pct?: number;
    price_rise_every_months?: number;
    overage_share?: number;
    overage_max?: number;
    seasonal?: number;
  },
  what: string,
) =>
  z
    .object({
      mcc: z.number().int().default(d.mcc).describe(`${what}: merchant category of the service (default ${d.mcc}).`),
      adoption: share.default(d.adoption).describe(`${what}: share of active customers paying it by card (default ${d.adoption}).`),
      price_points_cents: z.array(z.number().int().positive()).min(1).default(d.price_points_cents).describe(`${what}: list prices in cents; each customer keeps one (default ${d.price_points_cents.join(', ')}).`),
      price_weights: z
        .array(z.number().finite().positive())
        .nullable()
        .default(d.price_weights ?? null)
        .describe(`${what}: relative popularity of each list price (market share of the tiers/providers; same length as price_points_cents; null = equally likely).`),
      monthly_cancel: z.number().finite().min(0).max(1).default(d.monthly_cancel).describe(`${what}: cancellations per month (default ${d.monthly_cancel}).`),
      variable: z.number().finite().min(0).max(1).default(d.variable).describe(`${what}: month-to-month variation of the bill (sd of a multiplicative normal; 0 = the same amount every month; default ${d.variable}).`),
      price_rise_pct: z
        .number()
        .finite()
        .min(0)
        .max(1)
        .default(d.price_rise_pct ?? 0)
        .describe(`${what}: list-price rise at each of the provider's price changes, as a fraction (the new price keeps the old cents ending, e.g. 6.99 → 7.99; 0 = never; default ${d.price_rise_pct ?? 0}).`),
      price_rise_every_months: z
        .number()
        .int()
        .min(1)
        .max(120)
        .default(d.price_rise_every_months ?? 24)
        .describe(`${what}: months between a provider's price changes; each provider (merchant) changes on its own calendar month (default ${d.price_rise_every_months ?? 24}).`),
      overage_share: share.default(d.overage_share ?? 0).describe(`${what}: share of bills with an overage charge added to the plan price (extra usage, roaming; default ${d.overage_share ?? 0}).`),
      overage_max: z
        .number()
        .finite()
        .min(0)
        .max(5)
        .default(d.overage_max ?? 0)
        .describe(`${what}: largest overage as a fraction of the plan price; an overage is uniform up to it, to the cent (default ${d.overage_max ?? 0}).`),
      seasonal: z
        .number()
        .finite()
        .min(0)
        .max(0.9)
        .default(d.seasonal ?? 0)
        .describe(`${what}: seasonal swing of the bill: × (1 + seasonal · cos(2π · month / 6)), highest in January (heating) and July (cooling), lowest in April and October (default ${d.seasonal ?? 0}).`),
    })
    .strict()
    .default({})
    .describe(what);

const recurring = z
  .record(behaviourName, recurringService({ mcc: 5815, adoption: 0.3, price_points_cents: [999], monthly_cancel: 0.03, variable: 0 }, 'A recurring service'))
  .default({
    // ad-supported tiers and the big two providers' standard plans dominate; premium tiers are a minority
    video_streaming: { mcc: 5815, adoption: 0.42, price_points_cents: [699, 1099, 1549, 1799, 2299], price_weights: [0.3, 0.12, 0.36, 0.14, 0.08], monthly_cancel: 0.035, variable: 0, price_rise_pct: 0.12, price_rise_every_months: 24 },
    music_streaming: { mcc: 5815, adoption: 0.3, price_points_cents: [599, 1099, 1699], price_weights: [0.22, 0.63, 0.15], monthly_cancel: 0.025, variable: 0, price_rise_pct: 0.09, price_rise_every_months: 30 },
    cloud_software: { mcc: 7372, adoption: 0.22, price_points_cents: [299, 999, 1499, 1999], price_weights: [0.5, 0.3, 0.12, 0.08], monthly_cancel: 0.03, variable: 0, price_rise_pct: 0.1, price_rise_every_months: 24 },
    mobile_phone: { mcc: 4814, adoption: 0.35, price_points_cents: [2500, 3500, 4500, 6000, 8000], price_weights: [0.15, 0.3, 0.25, 0.2, 0.1], monthly_cancel: 0.012, variable: 0, overage_share: 0.08, overage_max: 0.4 },
    utilities: { mcc: 4900, adoption: 0.2, price_points_cents: [6500, 9000, 12000], monthly_cancel: 0.01, variable: 0.1, seasonal: 0.25 },
    gym: { mcc: 7941, adoption: 0.14, price_points_cents: [1000, 2499, 3999, 5999], price_weights: [0.35, 0.3, 0.22, 0.13], monthly_cancel: 0.04, variable: 0, price_rise_pct: 0.1, price_rise_every_months: 36 },
  })
  .describe("Recurring card-on-file charges (name → MCC, adoption, list prices): one charge a month on the customer's fixed billing day at the plan's list price (dated price rises, overages and seasonal swings as set per service), billed by the MCC's subscription providers, merchants that take no ordinary purchases.");

/** Default share of an MCC's merchants that are chain locations (chains dominate groceries, fuel, pharmacies, department stores and the online services; bars, salons and laundries are mostly independents). */
const CHAIN_SHARE: Record<string, number> = {
  5411: 0.45, 5422: 0.05, 5441: 0.1, 5451: 0.1, 5499: 0.35, 5812: 0.15, 5813: 0.05, 5814: 0.5, 5462: 0.1, 5811: 0,
  4111: 1, 4121: 0.6, 5541: 0.7, 7523: 0.4, 4784: 1, 5311: 0.7, 5651: 0.3, 5732: 0.4, 5942: 0.3, 5999: 0.2,
  4511: 1, 7011: 0.4, 7512: 0.8, 4722: 0.6, 4411: 1, 7832: 0.6, 7922: 0.4, 7941: 0.35, 7994: 0.3, 5815: 0.7,
  7230: 0.1, 7210: 0.05, 7299: 0.05, 8299: 0.2, 7372: 0.7, 4814: 0.8, 4900: 0.6, 5912: 0.6, 8011: 0.2, 8021: 0.1,
};

const chainShare = z
  .object(Object.fromEntries(MCC_CODES.map((c) => [c, share.default(CHAIN_SHARE[c] ?? 0.15).describe(`MCC ${c}: share of its merchants that are chain locations (default ${CHAIN_SHARE[c] ?? 0.15}).`)])) as Record<string, z.ZodDefault<typeof share>>)
  .strict()
  .default({})
  .describe(
    "Share of each MCC's merchants that are locations of a national or regional chain (dim_merchant.name `BRAND #0412 CITY ST`, fuel `BRAND 57012345 CITY ST`, online `BRAND.COM` / `BRAND*ORDER 888-555-0142`); the chains take the MCC's most used popularity ranks, so a few big chains carry most grocery and fuel spend. The rest are independents (local names, some behind a processor prefix).",
  );

/** Default share of a physical store's purchases paid card-not-present (order-ahead, pickup, a booking on the store's own site), by sector. */
const STORE_ECOMMERCE: Record<Sector, number> = { grocery: 0.05, dining: 0.06, transport: 0.05, retail: 0.1, travel: 0.5, entertainment: 0.3, services: 0.08, health_utilities: 0.1 };
/** Default share of in-person purchases made in the customer's home metro, by sector (hotels and car rentals are mostly away from home). */
const HOME_SHARE: Record<Sector, number> = { grocery: 0.92, dining: 0.88, transport: 0.88, retail: 0.88, travel: 0.3, entertainment: 0.85, services: 0.92, health_utilities: 0.93 };

const geography = z
  .object({
    merchants_per_metro: z
      .number()
      .int()
      .min(10)
      .max(100_000)
      .default(172)
      .describe(
        'Merchants per metro area: the stores of a warehouse with n merchants trade in the round(n ÷ this) largest of 35 US metro areas (at least 3; default 172: New York, Los Angeles and Chicago at small scale, all 35 at evaluation), each metro getting stores and customers in proportion to its 2020 Census population.',
      ),
    home_share: z
      .object(Object.fromEntries(SECTORS.map((s) => [s, share.default(HOME_SHARE[s]).describe(`${s}: share of in-person purchases in the home metro (default ${HOME_SHARE[s]}).`)])) as Record<Sector, z.ZodDefault<typeof share>>)
      .strict()
      .default({})
      .describe(
        "Share of a customer's in-person purchases (card_present, contactless, and order-ahead at a store) made at stores of their home metro, by sector; the rest are trips to other metros: a trip goes to one metro whatever is bought there (metros weighted by their stores; an MCC with no store in it goes to another metro that has one) (default grocery 0.92, dining 0.88, transport 0.88, retail 0.88, travel 0.3, entertainment 0.85, services 0.92, health_utilities 0.93). A customer's home metro is drawn in proportion to the metro's 2020 population, as the stores are, so big metros have more customers. When the home metro has no store of an MCC, all its purchases there are trips.",
      ),
    web_shop_share: z
      .number()
      .finite()
      .min(0)
      .max(1)
      .default(0.25)
      .describe(
        "Chains' web shops: in an MCC whose ecommerce share is at least 0.25 (department, clothing, electronics and book stores, hotels, car rentals, cinemas …), a share (this × the MCC's ecommerce share, at most 0.3) of its chain locations are the chain's online store `BRAND.COM ST`, an online-only merchant (default 0.25; 0 = chains sell online only through their stores).",
      ),
    calendar_dip_in_store: share
      .default(0.85)
      .describe(
        "Share of a calendar dip (a named day's multiplier below 1: Thanksgiving, Christmas Day) that falls on in-store purchases: online keeps 1 − (1 − multiplier)(1 − this) of its volume, the ecommerce probability rising to match (capped at 0.98) while the day's total is unchanged (default 0.85: on Thanksgiving online dips 7%, stores about 60%; 0 = both dip alike).",
      ),
    local_time: z
      .boolean()
      .default(true)
      .describe(
        "Customers live on their home metro's clock: card transactions follow the hour-of-day and day-of-week curves, paydays, holidays and named shopping days in the local time of where the purchase happens (the home metro's IANA zone for purchases at home and online, the trip metro's for in-person purchases on a trip; recurring charges at the merchant's billing hour in its seat's zone; sign-ups, KYC submissions and card activations at the app-use hours of the home zone), DST-correct per zone; each metro keeps its IANA zone (Eastern, including America/Detroit and America/Indiana/Indianapolis; Central; Mountain; Arizona without daylight saving time; Pacific). Default true; false = every customer and merchant on `warehouse.timezone`. `warehouse.timezone` stays the bank's own clock either way (nightly jobs, billing batches, reviewers' office hours, reporting days and the days defects are dated on).",
      ),
    summer_trip_lift: z
      .number()
      .finite()
      .min(1)
      .max(5)
      .default(1.5)
      .describe('Multiplier of the trip share (1 − home_share) on days in June, July and August (default 1.5: summer holidays; 1 = no season).'),
    trip_destinations: z
      .object({
        favourites: z
          .number()
          .int()
          .min(0)
          .max(16)
          .default(3)
          .describe('Metros a customer goes back to (family, a second home, a regular work site): each 30-day period that is not a new place goes to one of them, chosen evenly (default 3; 0 = every period a new draw).'),
        new_place_share: share
          .default(0.2)
          .describe('Share of 30-day periods whose trips go to a metro drawn afresh instead of a favourite (default 0.2; 1 = every period a new draw, as with no favourites).'),
      })
      .strict()
      .default({})
      .describe(
        "Where a customer's trips go: each 30-day period's trips go to one metro (weighted by where the MCC's stores are), a favourite most of the time, so a customer's in-person spend over 18 months names their home metro and a handful of others rather than a new metro each month.",
      ),
    store_ecommerce_share: z
      .object(Object.fromEntries(SECTORS.map((s) => [s, share.default(STORE_ECOMMERCE[s]).describe(`${s}: share of a store's purchases paid card-not-present (default ${STORE_ECOMMERCE[s]}).`)])) as Record<Sector, z.ZodDefault<typeof share>>)
      .strict()
      .default({})
      .describe(
        "Share of a physical store's purchases paid card-not-present (ecommerce: order-ahead, pickup, a booking on the store's own site), by sector (default grocery 0.05, dining 0.06, transport 0.05, retail 0.1, travel 0.5, entertainment 0.3, services 0.08, health_utilities 0.1). A purchase's channel is drawn first (the MCC's ecommerce share × the customer's propensity); an ecommerce purchase goes to a store with the probability that gives its stores this share (capped at 1) and otherwise to an online-only merchant (`BRAND.COM`, `BRAND*BILL …`, app rides, `PAYPAL *` / `SP ` checkouts, digital media, software), which never take card_present or contactless payments. An MCC without online-only merchants sends all its ecommerce to stores; one without stores takes only ecommerce.",
      ),
  })
  .strict()
  .default({})
  .describe("Where merchants trade and which channels they take: customers' home metros, trips, and stores versus online-only merchants.");

const merchants = z
  .object({
    chain_share: chainShare,
    chain_brand_exponent: z
      .number()
      .finite()
      .min(0)
      .max(4)
      .default(1.2)
      .describe("Zipf exponent over an MCC's chains: a chain location's brand is the j-th chain with weight (j + 1)^−x (default 1.2: the biggest grocery chain has about 40% of the chain stores; 0 = equal chains)."),
    processor_prefix_share: share
      .default(0.35)
      .describe("Share of independent merchants whose descriptor starts with their payment processor's prefix (`SQ *`, `TST* ` at restaurants, `PAYPAL *` and `SP ` online, `CLV*`; default 0.35)."),
    popularity_exponent: z.number().finite().min(0).max(3).default(1.1).describe('Zipf exponent of merchant popularity within an MCC (default 1.1: a few big merchants, a long tail).'),
    favourites_per_mcc: z.number().int().min(1).max(10).default(3).describe('Favourite merchants a customer keeps per MCC (default 3).'),
    favourite_weights: z.array(positive).min(1).max(10).default([0.6, 0.28, 0.12]).describe('Relative use of the 1st, 2nd, … favourite (default 0.6, 0.28, 0.12).'),
    sector_loyalty: z
      .record(z.enum(SECTORS), positive.describe('Loyalty exponent of this sector (1 = the segment loyalty as is).'))
      .default({ grocery: 4, transport: 3, health_utilities: 2.5, dining: 1.6, services: 1.6 })
      .describe(
        'Loyalty exponent per sector: the share of a customer\'s purchases of that sector at their favourites is 1 − (1 − segment loyalty)^x (default grocery 4, transport 3, health_utilities 2.5, dining 1.6, services 1.6, others 1: most grocery trips go to one to three stores, travel and retail shop around).',
      ),
    geography,
  })
  .strict()
  .default({})
  .describe('Merchant popularity, customer loyalty, where merchants trade and the channels they take.');

const habits = z
  .object({
    weekend_sigma: z.number().finite().min(0).max(1).default(0.15).describe("Spread (sd) of customers' weekend lean around their segment's weekend_lean (default 0.15)."),
    hour_shift_sigma: z.number().finite().min(0).max(6).default(1.2).describe("Spread (sd, hours) of customers' hour shift around their segment's hour_shift; rounded to whole hours, capped at ±4 (default 1.2)."),
    hour_shift_tilt: z
      .number()
      .finite()
      .min(0)
      .max(0.5)
      .default(0.05)
      .describe(
        "How a customer's hour shift s acts on an MCC's hour curve: the curve's weight at hour h is multiplied by exp(tilt · s · lateness(h)), lateness running from −11.5 at 5 a.m. to +11.5 at 4 a.m., so night owls lean to the evening and the small hours, early risers to the morning, while the MCC's opening hours stay as they are (a bar stays closed at 7 a.m. for everyone; default 0.05: a 2-hour night owl's 22 h weight is ×2.7 its 9 h weight relative to the curve; 0 = everyone follows the curve).",
      ),
  })
  .strict()
  .default({})
  .describe('Personal time habits: each customer keeps their own weekday/weekend and hour-of-day propensities (segment traits weekend_lean and hour_shift plus these spreads).');

const network = (d: { share: number; card_present_bps: number; contactless_bps: number; ecommerce_bps: number }, name: string) =>
  z
    .object({
      share: share.default(d.share).describe(`${name}: share of cards on this network (default ${d.share}).`),
      card_present_bps: z.number().finite().min(-100).max(100).default(d.card_present_bps).describe(`${name}: programme adjustment of chip/swipe rates, bps (default ${d.card_present_bps}).`),
      contactless_bps: z.number().finite().min(-100).max(100).default(d.contactless_bps).describe(`${name}: programme adjustment of contactless rates, bps (default ${d.contactless_bps}).`),
      ecommerce_bps: z.number().finite().min(-100).max(200).default(d.ecommerce_bps).describe(`${name}: programme adjustment of card-not-present rates, bps (default ${d.ecommerce_bps}).`),
    })
    .strict()
    .default({})
    .describe(`${name} interchange programme.`);

const interchange = z
  .object({
    regulated_share: share
      .default(0.15)
      .describe('Share of cards issued through a partner bank with over $10B in assets: regulated debit (Durbin), paid regulated_cents + regulated_bps per transaction whatever the MCC (default 0.15; the rest are exempt debit at the MCC rate tables).'),
    regulated_cents: z.number().finite().min(0).max(100).default(22).describe('Regulated debit: fixed part per transaction, cents (default 22 = 21¢ + the 1¢ fraud-prevention adjustment).'),
    regulated_bps: z.number().finite().min(0).max(100).default(5).describe('Regulated debit: ad valorem part, bps (default 5).'),
    premium_card_share: share.default(0.1).describe('Share of exempt cards on a premium debit product (metal / rewards tier; default 0.1).'),
    premium_card_bps: z.number().finite().min(0).max(200).default(25).describe('Premium debit product: extra bps on every transaction (default 25).'),
    networks: z
      .object({
        visa: network({ share: 0.7, card_present_bps: 0, contactless_bps: 0, ecommerce_bps: 15 }, 'Visa'),
        mastercard: network({ share: 0.3, card_present_bps: 5, contactless_bps: 8, ecommerce_bps: 20 }, 'Mastercard'),
      })
      .strict()
      .default({})
      .describe('Card networks (shares sum to 1) and their programme adjustments by channel, on top of the MCC rate.'),
    merchant_tiers: z
      .record(
        behaviourName,
        z
          .object({
            share: share.describe('Share of merchants in this tier.'),
            bps: z.number().finite().min(-200).max(200).describe('Adjustment of this tier, bps.'),
          })
          .strict()
          .describe('A merchant interchange tier.'),
      )
      .default({
        negotiated: { share: 0.08, bps: -35 },
        high_volume: { share: 0.12, bps: -15 },
        standard: { share: 0.68, bps: 0 },
        unqualified: { share: 0.12, bps: 12 },
      })
      .describe('Merchant interchange tiers (name → share of merchants, bps adjustment; shares sum to 1): negotiated / high-volume programmes lower the rate, unqualified transactions pay more (default negotiated 8% −35 bps, high_volume 12% −15, standard 68% 0, unqualified 12% +12).'),
  })
  .strict()
  .default({})
  .describe('Interchange on exempt debit: MCC rate (the MCC table) + card product + network programme by channel + merchant tier; regulated debit pays a fixed fee plus bps.');

const INFLOW = {
  launch_date: '2020-03-02',
  ramp_months: 20,
  trend_pct_per_month: 0.4,
  // January resolutions and back-to-school; a December lull (public app-download seasonality).
  month_of_year: [1.15, 1.05, 1.02, 0.98, 0.97, 0.95, 0.95, 1.0, 1.06, 1.0, 0.98, 0.89],
  day_of_week: [1.08, 1.06, 1.02, 1.0, 0.96, 0.92, 0.96],
  hour_of_day: {
    weekday: [0.6, 0.3, 0.2, 0.15, 0.2, 0.4, 0.9, 1.8, 2.8, 3.4, 3.8, 4.2, 4.8, 4.8, 4.6, 4.6, 4.8, 5.2, 5.8, 6.6, 7.2, 6.6, 4.6, 2.2],
    weekend: [0.9, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2.2, 3.4, 4.4, 5.0, 5.2, 5.2, 5.0, 4.8, 4.8, 5.0, 5.4, 6.0, 6.4, 6.0, 4.4, 2.4],
  },
  // sign-ups are drawn, with day-level noise and monthly campaign/press shocks (real acquisition is
  // noisier than Poisson)
  counts: { mode: 'drawn' as const, day_sigma: 0.15, month_sigma: 0.05 },
};

export const NeobankBehaviourSchema = z
  .object({
    inflow: inflow(INFLOW, 'Customer sign-ups'),
    trajectories: trajectories({
      T1: { inflow_growth_pct_per_month: null, churn_multiplier_at_end: 1, churn_rise_months: 24 },
      T2: { inflow_growth_pct_per_month: 4, churn_multiplier_at_end: 1, churn_rise_months: 24 },
      // T3: a product in decline both signs up fewer people (−1%/month after the ramp) and loses them
      // faster (churn ×4 by the window end). Either alone is too close to the sign-up noise of a small
      // warehouse (inflow flat + churn ×3 measured −0.39 to −0.93 %/month active growth over seeds 42/7/11
      // against the −0.5 gate); together seeds 42/7/11/3/99 measure −1.6 to −2.1 %/month.
      T3: { inflow_growth_pct_per_month: -1, churn_multiplier_at_end: 4, churn_rise_months: 24 },
    }),
    segments,
    vintage: vintage(
      {
        // early adopters: engaged, loyal, travel-heavy
        '2020-03-01': { activity: 1.12, churn: 0.8, segment_tilt: { young_digital: 1.3, traveller: 1.6, occasional: 0.7 } },
        // sign-up bonus and referral promotions: many low-intent accounts
        '2021-09-01': { activity: 0.88, churn: 1.3, segment_tilt: { occasional: 1.6, salaried_primary: 0.8 } },
        // paid social at scale
        '2023-03-01': { activity: 0.96, churn: 1.1, segment_tilt: { gig_worker: 1.4 } },
        // direct-deposit push: more primary-account customers
        '2025-06-01': { activity: 1.06, churn: 0.9, segment_tilt: { salaried_primary: 1.4, occasional: 0.8 } },
      },
      'Customer vintage',
    ),
    heterogeneity: heterogeneity({ activity_sigma: 0.6, ticket_sigma: 0.3, sector_sigma: 0.55, ecommerce_sigma: 0.5, week_sigma: 0.35 }, 'Customers'),
    cohort_shocks: cohortShocks,
    acquisition_campaigns: acquisitionCampaigns,
    growth_events: growthEvents,
    hour_of_day: z
      .record(z.string(), dayShape({ weekday: HOURS.grocery.weekday, weekend: HOURS.grocery.weekend }, 'Hour-of-day curve'))
      .default(HOURS)
      .describe('Hour-of-day curves of card spend by sector (or by a single MCC code such as "5813" for bars), local time.'),
    day_of_week: z
      .record(z.string(), weekCurve(WEEKDAYS.grocery, 'Weekday curve'))
      .default(WEEKDAYS)
      .describe('Day-of-week weights of card spend by sector (or MCC code), Monday first.'),
    month_of_year: z
      .object(Object.fromEntries(SECTORS.map((s) => [s, monthCurve(MONTHS[s], `Monthly seasonality of ${s} spend.`)])) as Record<Sector, z.ZodDefault<z.ZodArray<z.ZodNumber>>>)
      .strict()
      .default({} as never)
      .describe('Monthly seasonality by sector (summer travel, holiday retail, winter utilities).'),
    calendar: calendarEvents(CALENDAR, 'US holidays and shopping days'),
    paydays,
    onboarding,
    accounts,
    cards,
    subscriptions,
    declines,
    recurring,
    prices,
    refunds,
    merchants,
    habits,
    interchange,
  })
  .strict()
  .superRefine((b, ctx) => {
    const nw = b.interchange.networks;
    if (Math.abs(nw.visa.share + nw.mastercard.share - 1) > 1e-6) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['interchange', 'networks'], message: `network shares must sum to 1 (got ${Number((nw.visa.share + nw.mastercard.share).toFixed(6))})` });
    const cut = b.declines.retry_amount_cut;
    if (cut.min > cut.max) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['declines', 'retry_amount_cut', 'min'], message: `min (${cut.min}) is above max (${cut.max})` });
    const tiers = Object.values(b.interchange.merchant_tiers).reduce((x, t) => x + t.share, 0);
    if (Math.abs(tiers - 1) > 1e-6) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['interchange', 'merchant_tiers'], message: `merchant tier shares must sum to 1 (got ${Number(tiers.toFixed(6))})` });
    checkBehaviourRefs(b, [...SECTORS, ...MCC_CODES, 'signup'], ctx);
    for (const key of [...Object.keys(b.hour_of_day), ...Object.keys(b.day_of_week)]) {
      if (!(SECTORS as readonly string[]).includes(key) && !MCC_CODES.includes(key)) {
        const where = key in b.hour_of_day ? 'hour_of_day' : 'day_of_week';
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [where, key], message: `unknown sector or MCC "${key}" (sectors: ${SECTORS.join(', ')})` });
      }
    }
    for (const s of SECTORS) {
      if (!b.hour_of_day[s]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['hour_of_day', s], message: 'every sector needs an hour-of-day curve' });
      if (!b.day_of_week[s]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['day_of_week', s], message: 'every sector needs a day-of-week curve' });
    }
    const ps = b.paydays.schedule_shares;
    if (Math.abs(ps.semi_monthly + ps.biweekly + ps.monthly - 1) > 1e-6) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['paydays', 'schedule_shares'], message: `pay schedule shares must sum to 1 (got ${Number((ps.semi_monthly + ps.biweekly + ps.monthly).toFixed(6))})` });
    }
    for (const [i, name] of b.paydays.bank_holidays.entries()) {
      if (!(name in b.calendar)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['paydays', 'bank_holidays', i], message: `unknown calendar entry "${name}" (calendar: ${Object.keys(b.calendar).join(', ')})` });
    }
    const ob = b.onboarding;
    if (ob.kyc_auto_verified + ob.kyc_instant_reject > 1) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['onboarding', 'kyc_instant_reject'], message: `kyc_auto_verified + kyc_instant_reject must be ≤ 1 (got ${ob.kyc_auto_verified + ob.kyc_instant_reject})` });
    }
    for (const [name, c] of Object.entries(b.acquisition_campaigns)) {
      for (const seg of Object.keys(c.segment_tilt)) {
        if (!(seg in b.segments)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['acquisition_campaigns', name, 'segment_tilt', seg], message: `unknown segment "${seg}" (segments: ${Object.keys(b.segments).join(', ')})` });
      }
      if (c.from && c.to && c.from > c.to) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['acquisition_campaigns', name, 'to'], message: `to (${c.to}) is before from (${c.from})` });
    }
    for (const code of Object.keys(b.refunds.mcc_rate)) {
      if (!MCC_CODES.includes(code)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['refunds', 'mcc_rate', code], message: `unknown MCC ${code}` });
    }
    const pf = b.refunds.partial_fraction;
    if (pf.min > pf.max) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['refunds', 'partial_fraction', 'min'], message: `min (${pf.min}) is above max (${pf.max})` });
    for (const [name, e] of Object.entries(b.growth_events)) {
      if (e.to !== null && e.to < e.from) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['growth_events', name, 'to'], message: `to (${e.to}) is before from (${e.from})` });
    }
    for (const [name, svc] of Object.entries(b.recurring)) {
      if (!MCC_CODES.includes(String(svc.mcc))) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['recurring', name, 'mcc'], message: `unknown MCC ${svc.mcc}` });
      if (svc.price_weights && svc.price_weights.length !== svc.price_points_cents.length) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['recurring', name, 'price_weights'], message: `expected ${svc.price_points_cents.length} weights (one per price point), got ${svc.price_weights.length}` });
      }
    }
  })
  .default({})
  .describe('Neobank behaviour: segments, vintage, churn from sign-up, calendar and time-of-use curves, onboarding funnel, account/card/subscription state machines, declines, loyalty.');

export type NeobankBehaviour = z.infer<typeof NeobankBehaviourSchema>;
export type NeobankSegment = NeobankBehaviour['segments'][string];

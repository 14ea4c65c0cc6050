import { z } from 'zod';
import { isoDate, nonNegative, share } from '../common.js';
import { unwrap } from '../../describe.js';

/**
 * Domain-agnostic building blocks of the `behaviour` config: each archetype composes its section from
 * these (segments, vintage drift, churn hazards, tenure activity curves, inflow with a trend, calendar
 * effects, time-of-use curves, lognormal lags, funnel steps, trajectory presets). The generator's
 * runtime counterparts live in packages/generate/src/behaviour/ (one function per block).
 */

const positive = z.number().finite().positive();
/** A name usable as a segment, event or stage key. */
export const behaviourName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower_snake_case name');

/** Relative weights (any positive scale; normalised where used), one per hour 00–23 local time. */
export const hourCurve = (d: readonly number[], what: string) =>
  z.array(nonNegative).length(24, 'expected 24 hourly weights (00:00–23:00 local)').default([...d]).describe(what);

/** Relative weights Monday…Sunday (ISO order). */
export const weekCurve = (d: readonly number[], what: string) =>
  z.array(nonNegative).length(7, 'expected 7 weights, Monday first').default([...d]).describe(what);

/** Multipliers January…December. */
export const monthCurve = (d: readonly number[], what: string) =>
  z.array(nonNegative).length(12, 'expected 12 monthly multipliers, January first').default([...d]).describe(what);

/** Hour-of-day curves for weekdays and weekend days. */
export const dayShape = (d: { weekday: readonly number[]; weekend: readonly number[] }, what: string) =>
  z
    .object({
      weekday: hourCurve(d.weekday, `${what}: Monday–Friday hourly weights, local time.`),
      weekend: hourCurve(d.weekend, `${what}: Saturday–Sunday hourly weights, local time.`),
    })
    .strict()
    .default({})
    .describe(what);

/**
 * A skewed waiting time: lognormal with the given median (hours) and log-sd. Real process lags (KYC
 * review, card delivery, payment retries) have a long right tail; p90 = median·exp(1.2816·sigma).
 */
export const lognormalLag = (medianHours: number, sigma: number, what: string) =>
  z
    .object({
      median_hours: positive.default(medianHours).describe(`${what}: median, hours (default ${medianHours}).`),
      sigma: z.number().finite().min(0).max(4).default(sigma).describe(`${what}: log-standard deviation (0 = always the median; default ${sigma}).`),
    })
    .strict()
    .default({})
    .describe(`${what}: lognormal lag.`);
export type LognormalLag = z.infer<ReturnType<typeof lognormalLag>>;

/**
 * A waiting time with a long tail: most waits follow a fast lognormal (median_hours, sigma), a share
 * `tail_share` follows a slow one measured in days (tail_median_hours, tail_sigma) — people who finish
 * a step another day, work that misses a batch cut-off or waits for a document. A single lognormal with
 * a small median stops dead within a day; real process lags do not.
 */
export const tailedLag = (d: { median_hours: number; sigma: number; tail_share: number; tail_median_hours: number; tail_sigma: number }, what: string) =>
  z
    .object({
      median_hours: positive.default(d.median_hours).describe(`${what}: median of the fast component, hours (default ${d.median_hours}).`),
      sigma: z.number().finite().min(0).max(4).default(d.sigma).describe(`${what}: log-standard deviation of the fast component (default ${d.sigma}).`),
      tail_share: share.default(d.tail_share).describe(`${what}: share of waits drawn from the slow component (default ${d.tail_share}; 0 = a plain lognormal).`),
      tail_median_hours: positive.default(d.tail_median_hours).describe(`${what}: median of the slow component, hours (default ${d.tail_median_hours}).`),
      tail_sigma: z.number().finite().min(0).max(4).default(d.tail_sigma).describe(`${what}: log-standard deviation of the slow component (default ${d.tail_sigma}).`),
    })
    .strict()
    .default({})
    .describe(`${what}: two-component lognormal lag (fast majority, slow tail of days).`);
export type TailedLag = z.infer<ReturnType<typeof tailedLag>>;

/** One funnel step: the share of entities that reach it from the previous step, and how long that takes. */
export const funnelStep = (conversion: number, medianHours: number, sigma: number, what: string) =>
  z
    .object({
      conversion: share.default(conversion).describe(`${what}: share that reaches this step from the previous one (default ${conversion}).`),
      lag: lognormalLag(medianHours, sigma, `${what}: time from the previous step`),
    })
    .strict()
    .default({})
    .describe(what);
export type FunnelStep = z.infer<ReturnType<typeof funnelStep>>;

/**
 * A funnel step whose lag is any lag schema (`lag`, e.g. tailedLag): {conversion, lag}. For steps that
 * used to be a bare lag, the old shape still parses: the lag's own keys given at the step's level
 * (e.g. `card_issue: {tail_share: 0.1}`) are moved into `lag` (over any `lag` given), with the default
 * conversion unless one is set, so configs written before the step had a conversion keep working (a
 * problem in such a key is reported under `<step>.lag.<key>`).
 */
export const conversionStep = <L extends z.ZodTypeAny>(conversion: number, lag: L, what: string, source: string) => {
  const lagKeys = Object.keys((unwrap(lag) as z.AnyZodObject).shape);
  const step = z
    .preprocess(
      (v) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
        const o = v as Record<string, unknown>;
        const legacy = Object.keys(o).filter((k) => lagKeys.includes(k));
        if (!legacy.length) return v;
        const rest = Object.fromEntries(Object.entries(o).filter(([k]) => !lagKeys.includes(k)));
        const inner = o.lag !== null && typeof o.lag === 'object' && !Array.isArray(o.lag) ? (o.lag as Record<string, unknown>) : {};
        return { ...rest, lag: { ...inner, ...Object.fromEntries(legacy.map((k) => [k, o[k]])) } };
      },
      z
        .object({
          conversion: share.default(conversion).describe(`${what}: share that reaches this step from the previous one (default ${conversion}; ${source}).`),
          lag,
        })
        .strict()
        .default({} as never),
    )
    .describe(`${what} (the lag's keys given directly here, the former bare-lag shape, are read as lag.<key>).`);
  LEGACY_LAG_KEYS.set(step, lagKeys);
  return step;
};

/**
 * conversionStep schemas → the keys of their lag: the config loader moves these keys, given at the
 * step's level in a YAML/env/flag layer (the former bare-lag shape), under `lag` before merging the
 * layers, so an error names `<step>.lag.<key>` with the value and file position the user wrote.
 */
export const LEGACY_LAG_KEYS = new WeakMap<z.ZodTypeAny, string[]>();

/**
 * A hazard that starts at each entity's creation: `monthly` per month at long tenure, multiplied by
 * `early_multiplier` at creation and relaxing to 1 with time constant `early_months`
 * (h(t) = monthly·(1 + (early_multiplier − 1)·exp(−t/early_months))). New customers leave faster
 * than established ones: the classic declining-hazard retention curve.
 */
export const tenureHazard = (monthly: number, earlyMultiplier: number, earlyMonths: number, what: string) =>
  z
    .object({
      monthly: z.number().finite().min(0).max(1).default(monthly).describe(`${what}: hazard per month at long tenure (default ${monthly}).`),
      early_multiplier: z.number().finite().min(0).max(60).default(earlyMultiplier).describe(`${what}: hazard multiplier at creation (default ${earlyMultiplier}).`),
      early_months: positive.default(earlyMonths).describe(`${what}: months for the early excess to fall by 1/e (default ${earlyMonths}).`),
    })
    .strict()
    .default({})
    .describe(`${what}: hazard from creation, per month.`);
export type TenureHazard = z.infer<ReturnType<typeof tenureHazard>>;

/**
 * Activity by tenure: ramps up after creation (1 − exp(−t/ramp_days)), then moves from 1 towards
 * `long_run` with half-life `half_life_days` (long_run < 1: decay; > 1: a deepening relationship).
 */
export const activityCurve = (d: { ramp_days: number; long_run: number; half_life_days: number }, what: string) =>
  z
    .object({
      ramp_days: positive.default(d.ramp_days).describe(`${what}: days to reach 63% of full activity after the first use (default ${d.ramp_days}).`),
      long_run: z.number().finite().min(0).max(5).default(d.long_run).describe(`${what}: activity at long tenure relative to the post-ramp level (default ${d.long_run}).`),
      half_life_days: positive.default(d.half_life_days).describe(`${what}: days to move half-way to long_run (default ${d.half_life_days}).`),
    })
    .strict()
    .default({})
    .describe(`${what}: activity by tenure.`);
export type ActivityCurve = z.infer<ReturnType<typeof activityCurve>>;

/** Acquisition quality at one point in calendar time; values between knots are interpolated linearly. */
export const vintageKnot = z
  .object({
    activity: positive.default(1).describe('Activity multiplier of entities created at this date (default 1).'),
    churn: positive.default(1).describe('Churn hazard multiplier of entities created at this date (default 1).'),
    segment_tilt: z
      .record(behaviourName, nonNegative.describe('Share multiplier of this segment among entities created at the date.'))
      .default({})
      .describe('Segment share multipliers for entities created at this date (segment name → multiplier; shares are renormalised).'),
  })
  .strict()
  .describe('Acquisition quality of entities created at this date.');
export type VintageKnot = z.infer<typeof vintageKnot>;

/** Acquisition quality drifting over calendar time (cohorts differ): knots keyed by YYYY-MM-DD. */
export const vintage = (d: Record<string, z.input<typeof vintageKnot>>, what: string) =>
  z
    .record(isoDate, vintageKnot)
    .default(d)
    .describe(`${what}: acquisition quality by creation date (YYYY-MM-DD → knot), linear between knots, constant outside.`);

/** A named date rule: a fixed day, the nth weekday of a month, or an offset from another event. */
const ruleMonth = z.number().int().min(1).max(12).describe('Month, 1–12.');
export const calendarRule = z.union([
  z.object({ month: ruleMonth, day: z.number().int().min(1).max(31).describe('Day of the month.') }).strict(),
  z
    .object({
      month: ruleMonth,
      weekday: z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']).describe('Weekday: mon … sun.'),
      nth: z
        .number()
        .int()
        .min(-1)
        .max(5)
        .refine((n) => n !== 0, 'nth is 1–5 or -1 (last)')
        .describe('Which of the month\'s weekdays: 1–5, or -1 for the last.'),
    })
    .strict(),
  z
    .object({
      relative_to: behaviourName.describe('Another (fixed or weekday) event this one follows.'),
      offset_days: z.number().int().min(-14).max(14).describe('Days after (negative: before) that event.'),
    })
    .strict(),
]);
export type CalendarRule = z.infer<typeof calendarRule>;

/** A named calendar effect: its date rule and per-key multipliers ('*' for every key not listed). */
export const calendarEvent = z
  .object({
    rule: calendarRule.describe('When: {month, day} | {month, weekday, nth (−1 = last)} | {relative_to: event, offset_days}.'),
    effects: z
      .record(z.string(), nonNegative.describe('Multiplier of that key on the day.'))
      .default({})
      .describe("Multipliers on that local day: key (a sector, category or stream of the archetype, or '*' for all others) → multiplier."),
  })
  .strict()
  .describe('A named calendar day: its date rule and effects.');
export type CalendarEvent = z.infer<typeof calendarEvent>;

export const calendarEvents = (d: Record<string, z.input<typeof calendarEvent>>, what: string) =>
  z.record(behaviourName, calendarEvent).default(d).describe(`${what}: named calendar effects (name → rule and multipliers).`);

/**
 * How many entities each day gets: drawn (each entity's day is an independent draw from the day
 * weights times mean-one lognormal day and month shocks, so counts are Poisson-like with
 * overdispersion, as real acquisition is) or allocated (stratified along the curve: monthly counts
 * follow it with less noise than chance, like a quota).
 */
const inflowCounts = (d: { mode: 'drawn' | 'allocated'; day_sigma: number; month_sigma: number }, what: string) =>
  z
    .object({
      mode: z
        .enum(['drawn', 'allocated'])
        .default(d.mode)
        .describe(`${what}: 'drawn' = each entity's day is drawn independently from the (shocked) day weights, so counts carry Poisson noise; 'allocated' = spread along the curve like a quota, smoother than chance (default ${d.mode}).`),
      day_sigma: z.number().finite().min(0).max(2).default(d.day_sigma).describe(`${what}: log-sd of a mean-one shock to each day's weight (word of mouth, app-store features, outages), drawn mode only (default ${d.day_sigma}; 0 = none).`),
      month_sigma: z
        .number()
        .finite()
        .min(0)
        .max(2)
        .default(d.month_sigma)
        .describe(`${what}: log-sd of a mean-one shock to each calendar month's weight (campaign budgets, press), drawn mode only, so a month's share of its year varies from year to year (default ${d.month_sigma}; 0 = none).`),
    })
    .strict()
    .default({})
    .describe(`${what}: how daily counts are produced from the curve.`);

/** Entity inflow over calendar time: launch, ramp, trend (T1), seasonality and weekly/hourly shape. */
export const inflow = (d: {
  launch_date: string;
  ramp_months: number;
  trend_pct_per_month: number;
  month_of_year: readonly number[];
  day_of_week: readonly number[];
  hour_of_day: { weekday: readonly number[]; weekend: readonly number[] };
  /** Absent: counts allocated to the curve (the marketplace's choice so far). */
  counts?: { mode: 'drawn' | 'allocated'; day_sigma: number; month_sigma: number };
}, what: string) =>
  z
    .object({
      launch_date: isoDate.default(d.launch_date).describe(`${what}: first creation date; history before the window is generated by the same process from here (default ${d.launch_date}).`),
      ramp_months: nonNegative.default(d.ramp_months).describe(`${what}: months of the launch ramp (logistic) before inflow reaches its trend (default ${d.ramp_months}).`),
      trend_pct_per_month: z.number().finite().min(-20).max(20).default(d.trend_pct_per_month).describe(`${what}: compounding inflow growth after the ramp under T1, %/month (default ${d.trend_pct_per_month}); T2/T3 replace it.`),
      month_of_year: monthCurve(d.month_of_year, `${what}: inflow multipliers by month.`),
      day_of_week: weekCurve(d.day_of_week, `${what}: inflow weights by weekday.`),
      hour_of_day: dayShape(d.hour_of_day, `${what}: creation hour of day`),
      counts: inflowCounts(d.counts ?? { mode: 'allocated', day_sigma: 0, month_sigma: 0 }, what),
    })
    .strict()
    .default({})
    .describe(`${what}: when entities are created.`);
export type Inflow = z.infer<ReturnType<typeof inflow>>;

/** T1/T2/T3 presets layered on the behaviour model. */
export const trajectoryPreset = (d: { inflow_growth_pct_per_month: number | null; churn_multiplier_at_end: number; churn_rise_months: number }, what: string) =>
  z
    .object({
      inflow_growth_pct_per_month: z
        .number()
        .finite()
        .min(-20)
        .max(20)
        .nullable()
        .default(d.inflow_growth_pct_per_month)
        .describe(`${what}: inflow growth after the launch ramp, %/month (null = the inflow's own trend; default ${d.inflow_growth_pct_per_month}).`),
      churn_multiplier_at_end: positive.default(d.churn_multiplier_at_end).describe(`${what}: churn hazard multiplier reached at the window end (default ${d.churn_multiplier_at_end}).`),
      churn_rise_months: positive
        .default(d.churn_rise_months)
        .describe(`${what}: months before the window end over which churn rises linearly to that multiplier (default ${d.churn_rise_months}; starts before the window so nothing switches at its start).`),
    })
    .strict()
    .default({})
    .describe(what);
export type TrajectoryPreset = z.infer<ReturnType<typeof trajectoryPreset>>;

export const trajectories = (
  d: Record<'T1' | 'T2' | 'T3', { inflow_growth_pct_per_month: number | null; churn_multiplier_at_end: number; churn_rise_months: number }>,
) =>
  z
    .object({
      T1: trajectoryPreset(d.T1, 'T1 steady baseline'),
      T2: trajectoryPreset(d.T2, 'T2 growth'),
      T3: trajectoryPreset(d.T3, 'T3 decline'),
    })
    .strict()
    .default({})
    .describe('Trajectory presets layered on the behaviour model (warehouse.trajectory picks one).');

/** Per-entity spread around the segment's parameters (log-sd of lognormal multipliers). */
export const heterogeneity = (d: Record<string, number>, what: string) =>
  z
    .object(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, z.number().finite().min(0).max(3).default(v).describe(`${what}: log-sd of the per-entity ${k.replace(/_sigma$/, '')} multiplier (default ${v}).`)])))
    .strict()
    .default({})
    .describe(`${what}: per-entity variation around the segment parameters.`);

/** A segments record: name → parameters including a `share`. */
export type SegmentRecord = Record<string, { share: number }>;

/**
 * Cross-field checks every archetype applies to its section: segment shares sum to 1, named
 * references (vintage tilts, calendar effects, relative calendar rules) point at things that exist.
 */
export function checkBehaviourRefs(
  section: { segments?: SegmentRecord; vintage?: Record<string, VintageKnot>; calendar?: Record<string, CalendarEvent> },
  effectKeys: readonly string[],
  ctx: z.RefinementCtx,
  base: string[] = [],
): void {
  if (section.segments) checkSegments(section.segments, section.vintage ?? {}, ctx, base);
  checkCalendar(section.calendar ?? {}, effectKeys, ctx, base);
}

/** Segment shares sum to 1; vintage tilts name existing segments. */
function checkSegments(segments: SegmentRecord, vintageKnots: Record<string, VintageKnot>, ctx: z.RefinementCtx, base: string[]): void {
  const segs = Object.keys(segments);
  if (segs.length === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...base, 'segments'], message: 'at least one segment is needed' });
  const total = Object.values(segments).reduce((s, x) => s + x.share, 0);
  if (segs.length && Math.abs(total - 1) > 1e-6) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...base, 'segments'], message: `segment shares must sum to 1 (got ${Number(total.toFixed(6))}: ${segs.map((s) => `${s} ${segments[s].share}`).join(', ')})` });
  }
  for (const [date, knot] of Object.entries(vintageKnots)) {
    for (const name of Object.keys(knot.segment_tilt)) {
      if (!segs.includes(name)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...base, 'vintage', date, 'segment_tilt', name], message: `unknown segment "${name}" (segments: ${segs.join(', ')})` });
    }
  }
}

/** Relative calendar rules point at fixed or weekday events; effects name known keys. */
function checkCalendar(events: Record<string, CalendarEvent>, effectKeys: readonly string[], ctx: z.RefinementCtx, base: string[]): void {
  for (const [name, ev] of Object.entries(events)) {
    if ('relative_to' in ev.rule) {
      const target = events[ev.rule.relative_to];
      if (!target) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...base, 'calendar', name, 'rule', 'relative_to'], message: `unknown event "${ev.rule.relative_to}" (events: ${Object.keys(events).join(', ')})` });
      else if ('relative_to' in target.rule) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...base, 'calendar', name, 'rule', 'relative_to'], message: `"${ev.rule.relative_to}" is itself relative; point at a fixed or weekday event` });
    }
    for (const key of Object.keys(ev.effects)) {
      if (key !== '*' && !effectKeys.includes(key)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...base, 'calendar', name, 'effects', key], message: `unknown key "${key}" (known: *, ${effectKeys.join(', ')})` });
    }
  }
}

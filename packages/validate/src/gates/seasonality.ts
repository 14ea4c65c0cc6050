import { neobankTxnSql } from '@dnr/profile';
import { rangeRow, skipRow } from '../rows.js';
import { sourceOf } from './behaviour.js';
import type { GateFamily, GateRow, ValidateContext } from '../types.js';

const FAMILY = 'seasonality';

interface Pattern {
  day_night: number | null;
  weekday_spread: number | null;
  weekend_ratio: number | null;
  evening_ratio: number | null;
  month_spread: number | null;
  full_months: bigint;
}

/**
 * Hour-of-day, day-of-week and month-of-year shape of the main event stream, in local time.
 * Month spread divides each full month's daily volume by its centred 3-month average, so a
 * growth or decline trend does not count as seasonality.
 */
/** `events`: a relation of local times `t`; `evening` = [start, end) local hours of the evening ratio (the marketplace reads its evening window). */
async function pattern(ctx: ValidateContext, events: string, evening: [number, number] = [17, 22]): Promise<Pattern> {
  const [r] = await ctx.q<Pattern>(`
    WITH e AS (${events}),
    hours AS (SELECT hour(t) AS h, count(*) AS n FROM e GROUP BY 1),
    days AS (SELECT t::DATE AS d, count(*) AS n FROM e GROUP BY 1),
    dows AS (SELECT isodow(d) AS dow, avg(n) AS n FROM days GROUP BY 1),
    months AS (
      SELECT date_trunc('month', d) AS m, avg(n) AS n, count(*) AS days_in FROM days GROUP BY 1
    ),
    full_months AS (SELECT * FROM months WHERE days_in >= 28),
    smoothed AS (
      SELECT m, n / avg(n) OVER (ORDER BY m ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS ratio,
             count(*) OVER (ORDER BY m ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS k
      FROM full_months
    )
    SELECT
      (SELECT avg(n) FROM hours WHERE h BETWEEN 10 AND 19) / nullif((SELECT avg(n) FROM hours WHERE h BETWEEN 1 AND 5), 0) AS day_night,
      (SELECT max(n) / nullif(min(n), 0) FROM dows) AS weekday_spread,
      (SELECT avg(n) FROM dows WHERE dow IN (6, 7)) / nullif((SELECT avg(n) FROM dows WHERE dow <= 5), 0) AS weekend_ratio,
      (SELECT avg(n) FROM hours WHERE h >= ${evening[0]} AND h < ${evening[1]}) / nullif((SELECT avg(n) FROM hours WHERE h < ${evening[0]} OR h >= ${evening[1]}), 0) AS evening_ratio,
      (SELECT max(ratio) / nullif(min(ratio), 0) FROM smoothed WHERE k = 3) AS month_spread,
      (SELECT count(*) FROM full_months) AS full_months`);
  return r;
}

/** SQL: the events of `table` at column `time` in the warehouse's local time. */
const localEvents = (table: string, time: string) => `SELECT local_ts(${time}) AS t FROM ${table} WHERE ${time} IS NOT NULL`;

/** Monthly seasonality needs half a year of full months to tell a seasonal swing from noise. */
function monthRow(p: Pattern): GateRow {
  const detail = 'max ÷ min of monthly daily volume over its centred 3-month mean';
  if (p.month_spread === null || Number(p.full_months) < 6) return skipRow(FAMILY, 'monthly.spread', `${p.full_months} full months, 6 needed: ${detail}`);
  return rangeRow(FAMILY, 'monthly.spread', p.month_spread, { min: 1.02, max: 2 }, { detail });
}

/** docs/behaviour.md: spend follows hour-of-day, day-of-week and monthly curves; marketplace peaks at weekends and evenings. */
export const seasonalityGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx) {
    const rows: GateRow[] = [];
    if (ctx.archetype === 'neobank') {
      // customers live in several zones: each transaction in the local time of where it happens, as the
      // profile reads it from the merchants' metros (docs/profile.md); without the truth the warehouse clock
      const src = await sourceOf(ctx);
      const events = typeof src === 'string' ? localEvents(await ctx.first('fact_card_transaction'), 'event_time') : `SELECT lt AS t FROM ${await neobankTxnSql(src)} WHERE lt IS NOT NULL`;
      const p = await pattern(ctx, events);
      rows.push(
        rangeRow(FAMILY, 'hour_of_day.day_night_ratio', p.day_night, { min: 2 }, { detail: `mean hourly volume 10–20 h over 1–6 h, ${typeof src === 'string' ? 'warehouse-local' : 'local to where each transaction happens'}` }),
        rangeRow(FAMILY, 'day_of_week.spread', p.weekday_spread, { min: 1.03, max: 2 }, { detail: 'busiest ÷ quietest weekday, mean daily volume' }),
        monthRow(p),
      );
    } else {
      // Buyers live in several zones: the evening is the report's evening window on the warehouse clock (default 15–21 h Pacific: 18:00 Eastern to 21:00 Pacific).
      const ew = ctx.config.report.marketplace.evening_window;
      const p = await pattern(ctx, localEvents(await ctx.first('fact_order'), 'order_time'), [ew.start_hour, ew.end_hour]);
      rows.push(
        rangeRow(FAMILY, 'hour_of_day.evening_ratio', p.evening_ratio, { min: 1.3 }, { detail: `mean hourly volume ${ew.start_hour}–${ew.end_hour} h over the other hours, warehouse-local` }),
        rangeRow(FAMILY, 'day_of_week.weekend_ratio', p.weekend_ratio, { min: 1.05, max: 2 }, { detail: 'mean daily orders Sat–Sun over Mon–Fri' }),
        monthRow(p),
      );
    }
    return rows;
  },
};

import { MCCS } from '@dnr/generate';
import { calendarProfile, type CalendarRow, type NamedDay } from '../calendar.js';
import { neobankTxnSql, num, round } from '../sql.js';
import type { ProfileSource } from '../source.js';

export interface SeasonalityProfile {
  /** Share of a sector's transactions at each local hour (rows sum to 1 per sector). */
  hour_by_sector: Array<{ sector: string; hour: number; share: number }>;
  /** Mean daily transactions per ISO weekday ÷ mean daily transactions (1 = average day). */
  day_of_week: Array<{ dow: number; index: number }>;
  /** Mean daily transactions per calendar month of year ÷ the mean over months, per sector. */
  month_by_sector: Array<{ sector: string; month: number; index: number }>;
  calendar: CalendarRow[];
}

/** Daily transactions per local day and sector (day, key, n), available once seasonalityProfile ran on the source. */
export const NEOBANK_DAILY = '(SELECT day, key, n FROM _nb_daily)';

const SECTOR_OF = `(VALUES ${MCCS.map((m) => `(${m.mcc}, '${m.sector}')`).join(', ')}) AS s(mcc, sector)`;

/**
 * Hour × sector, day of week, month × sector and named days of the card transactions (every auth
 * result, deduplicated, local time). Month indexes use every month of the window (a month seen twice
 * averages both years), so an 18-month window shows a seasonal profile plus a little trend.
 */
export async function seasonalityProfile(src: ProfileSource, days: NamedDay[]): Promise<SeasonalityProfile> {
  const tx = await neobankTxnSql(src);
  await src.q(`CREATE OR REPLACE TEMP TABLE _nb_daily AS
    SELECT lt::DATE AS day, hour(lt) AS hour, s.sector AS key, count(*) AS n
    FROM ${tx} t JOIN dim_merchant m USING (merchant_id) JOIN ${SECTOR_OF} ON s.mcc = m.mcc
    -- local days of the window only: customers east of the bank's zone reach into the next local day
    WHERE lt::DATE BETWEEN DATE '${src.window.start}' AND DATE '${src.window.end}' GROUP BY ALL`);
  const hours = await src.q<{ sector: string; hour: number; share: number }>(`
    SELECT key AS sector, hour, sum(n) / sum(sum(n)) OVER (PARTITION BY key) AS share FROM _nb_daily GROUP BY 1, 2 ORDER BY 1, 2`);
  const dows = await src.q<{ dow: number; index: number }>(`
    WITH d AS (SELECT day, sum(n) AS n FROM _nb_daily GROUP BY 1)
    SELECT isodow(day)::INTEGER AS dow, avg(n) / (SELECT avg(n) FROM d) AS index FROM d GROUP BY 1 ORDER BY 1`);
  const months = await src.q<{ sector: string; month: number; index: number }>(`
    WITH d AS (SELECT day, key, sum(n) AS n FROM _nb_daily GROUP BY 1, 2),
    m AS (SELECT key, month(day)::INTEGER AS month, sum(n) / count(DISTINCT day) AS per_day FROM d GROUP BY 1, 2)
    SELECT key AS sector, month, per_day / avg(per_day) OVER (PARTITION BY key) AS index FROM m ORDER BY 1, 2`);
  const calendar = await calendarProfile(src, NEOBANK_DAILY, days);
  return {
    hour_by_sector: hours.map((h) => ({ sector: h.sector, hour: num(h.hour), share: round(h.share) ?? 0 })),
    day_of_week: dows.map((d) => ({ dow: num(d.dow), index: round(d.index) ?? 0 })),
    month_by_sector: months.map((m) => ({ sector: m.sector, month: num(m.month), index: round(m.index) ?? 0 })),
    calendar,
  };
}

import { num, round } from './sql.js';
import type { ProfileSource } from './source.js';

/** A named day of the window with its declared multipliers (key → ×, '*' = any other key). */
export interface NamedDay {
  name: string;
  date: string;
  effects: Record<string, number>;
}

export interface CalendarRow {
  name: string;
  date: string;
  /** Events that local day. */
  events: number;
  /** Mean events on the same weekday 1–4 weeks before and after (other named days left out). */
  baseline: number | null;
  /** events ÷ baseline. */
  ratio: number | null;
  /** The multiplier the config declares for the whole day (mix-weighted over keys), when known. */
  declared: number | null;
  /** Baseline days used. */
  baseline_days: number;
}

/**
 * Named calendar days against the same weekday: `daily` is a relation (day DATE, key VARCHAR, n)
 * of local-day event counts per key (sector, category … or one key '*'). The declared whole-day
 * multiplier is Σ_key share_key × effect_key with the key shares of the baseline days, so a day that
 * lifts dining 1.45× but leaves the rest alone is expected at ~1.05× overall. With `monthWeights`
 * (12 month-of-year weights of ordinary days, January first) the declared multiplier is also scaled by
 * the named day's month weight over the mean of its baseline days' (Christmas Day against early December
 * and January days expects December's volume, not their average).
 */
export async function calendarProfile(src: ProfileSource, daily: string, days: NamedDay[], monthWeights?: readonly number[]): Promise<CalendarRow[]> {
  if (!days.length) return [];
  const named = days.map((d) => `DATE '${d.date}'`).join(', ');
  // the declared month-of-year weights of an ordinary day (1 = none): a baseline of days in other months
  // (the same weekday up to four weeks away) expects their volume, not the named day's month's
  const mw = (day: string) => (monthWeights ? `[${monthWeights.join(', ')}][month(${day})]` : '1');
  const rows = await src.q<{ date: string; key: string; events: number; base: number | null; base_days: bigint; season: number | null }>(`
    WITH d AS (SELECT day, key, sum(n) AS n FROM ${daily} GROUP BY 1, 2),
    keys AS (SELECT DISTINCT key FROM d),
    target AS (SELECT unnest([${named}]) AS date),
    ref AS (SELECT t.date, t.date + r.offs AS rday FROM target t, (SELECT unnest([-28, -21, -14, -7, 7, 14, 21, 28]) AS offs) r
            WHERE (t.date + r.offs) NOT IN (${named}) AND t.date + r.offs BETWEEN DATE '${src.window.start}' AND DATE '${src.window.end}'),
    nref AS (SELECT date, count(*) AS base_days, ${mw('date')} / avg(${mw('rday')}) AS season FROM ref GROUP BY 1),
    base AS (SELECT ref.date, keys.key, sum(coalesce(d.n, 0)) AS tot FROM ref CROSS JOIN keys LEFT JOIN d ON d.day = ref.rday AND d.key = keys.key GROUP BY 1, 2),
    obs AS (SELECT t.date, keys.key, coalesce(d.n, 0) AS events FROM target t CROSS JOIN keys LEFT JOIN d ON d.day = t.date AND d.key = keys.key)
    SELECT strftime(obs.date, '%Y-%m-%d') AS date, obs.key, obs.events::DOUBLE AS events, base.tot / nref.base_days AS base, coalesce(nref.base_days, 0) AS base_days, nref.season::DOUBLE AS season
    FROM obs LEFT JOIN nref USING (date) LEFT JOIN base ON base.date = obs.date AND base.key = obs.key`);
  return days.map((day) => {
    const mine = rows.filter((r) => r.date === day.date);
    const events = mine.reduce((a, r) => a + num(r.events), 0);
    const baseDays = num(mine[0]?.base_days ?? 0n);
    const baseline = baseDays ? mine.reduce((a, r) => a + (r.base ?? 0), 0) : null;
    const season = mine[0]?.season ?? 1;
    const declared = baseline && Object.keys(day.effects).length ? (season * mine.reduce((a, r) => a + (r.base ?? 0) * effectOf(day.effects, r.key), 0)) / baseline : null;
    return { name: day.name, date: day.date, events, baseline: round(baseline, 2), ratio: baseline ? round(events / baseline) : null, declared: round(declared), baseline_days: baseDays };
  });
}

/** The multiplier an event declares for a key: its own, else '*', else 1. */
export function effectOf(effects: Record<string, number>, key: string): number {
  return effects[key] ?? effects['*'] ?? 1;
}

/**
 * Day-to-day noise of the same-weekday ratio: the standard deviation of log(events ÷ mean of the same
 * weekday ±1–4 weeks) over the ordinary days of the window (named days and their baselines' named days
 * left out). It carries Poisson noise at the table's volume, over-dispersion and payday cycles: what
 * a named day's ratio would scatter by if the day had no effect.
 */
export async function ordinaryDayNoise(src: ProfileSource, daily: string, named: string[]): Promise<{ sd: number | null; days: number }> {
  const skip = named.length ? `(${named.map((d) => `DATE '${d}'`).join(', ')})` : '(NULL)';
  const [r] = await src.q<{ sd: number | null; days: bigint }>(`
    WITH d AS (SELECT day, sum(n) AS n FROM ${daily} GROUP BY 1),
    ok AS (SELECT * FROM d WHERE day NOT IN ${skip}),
    ratio AS (
      SELECT x.day, ln(x.n / avg(r.n)) AS lr, count(r.n) AS k
      FROM ok x JOIN ok r ON r.day IN (x.day - 28, x.day - 21, x.day - 14, x.day - 7, x.day + 7, x.day + 14, x.day + 21, x.day + 28)
      WHERE x.n > 0 GROUP BY x.day, x.n)
    SELECT stddev_samp(lr) AS sd, count(*) AS days FROM ratio WHERE k >= 4`);
  return { sd: r.sd, days: num(r.days) };
}

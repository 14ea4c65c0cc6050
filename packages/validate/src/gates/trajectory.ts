import { eventWindow } from '@dnr/generate';
import { rangeRow, skipRow } from '../rows.js';
import type { GateFamily, GateRow, ValidateContext } from '../types.js';
import { neobankBehaviourOf, steadyInflowBand, type MonthCount } from './trajectory-band.js';

const FAMILY = 'trajectory';

/**
 * Monthly growth as exp(slope) − 1 of a least-squares line through ln(monthly count), over full
 * local months after the first quarter (the launch ramp).
 */
function growthSql(monthlyCounts: string): string {
  return `WITH mc AS (${monthlyCounts}), pts AS (
      SELECT row_number() OVER (ORDER BY m) AS x, ln(n) AS y FROM mc WHERE n > 0
    )
    SELECT 100.0 * (exp(regr_slope(y, x)) - 1) AS growth, count(*) AS months FROM pts WHERE x > 3`;
}

/**
 * The neobank's T1 bound: the declared sign-up trend ± k standard errors of the fit (trajectory-band.ts),
 * over the same months the measurement fits (the monthly counts after the first quarter).
 */
async function neobankSteadyBand(ctx: ValidateContext, monthlyCounts: string): Promise<{ min: number; max: number; detail: string }> {
  const rows = await ctx.q<{ month: string; n: bigint }>(`SELECT strftime(m, '%Y-%m-%d') AS month, n FROM (${monthlyCounts}) WHERE n > 0 ORDER BY m`);
  const months: MonthCount[] = rows.slice(3).map((r) => ({ month: r.month, n: Number(r.n) }));
  const b = neobankBehaviourOf([ctx.warehouseDir, ctx.metaDir], ctx.config.behaviour.neobank);
  const trend = b.trajectories.T1.inflow_growth_pct_per_month ?? b.inflow.trend_pct_per_month;
  const k = ctx.config.validate.trajectory.steady_band_standard_errors;
  const band = steadyInflowBand(b, trend, eventWindow(ctx.manifest.end_date, ctx.manifest.months, ctx.manifest.tz).startDate, months, k);
  const detail = `declared ${band.declaredPct.toFixed(2)} %/month (trend ${trend} %/month through the configured month-of-year, weekday, calendar weights and growth events of the ${months.length} fitted months) ± ${k} standard errors (${(100 * band.se).toFixed(2)} %: configured sign-up noise day_sigma ${b.inflow.counts.day_sigma}, month_sigma ${b.inflow.counts.month_sigma} and Poisson counts)`;
  return { min: band.min, max: band.max, detail };
}

/** docs/behaviour.md trajectories: T1 steady inflow, T2 growing inflow (+4%/month), T3 shrinking active base. */
export const trajectoryGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx) {
    const t = ctx.config.validate.trajectory;
    const [dim, fact, time, who] =
      ctx.archetype === 'neobank' ? ['dim_customer', 'fact_card_transaction', 'event_time', 'card_id'] : ['dim_buyer', 'fact_order', 'order_time', 'buyer_id'];
    const fullMonths = `SELECT date_trunc('month', d) AS m FROM (SELECT DISTINCT local_ts(${time})::DATE AS d FROM ${fact}) GROUP BY 1 HAVING count(*) >= 28`;
    const inflowCounts = `
      SELECT date_trunc('month', local_ts(created_at)) AS m, count(*) AS n FROM ${dim}
      WHERE date_trunc('month', local_ts(created_at)) IN (${fullMonths}) GROUP BY 1`;
    const inflow = growthSql(inflowCounts);
    const active = growthSql(`
      SELECT date_trunc('month', local_ts(${time})) AS m, count(DISTINCT ${who}) AS n FROM ${fact}
      WHERE ${who} IS NOT NULL AND date_trunc('month', local_ts(${time})) IN (${fullMonths}) GROUP BY 1`);
    const [i] = await ctx.q<{ growth: number | null; months: bigint }>(inflow);
    const [a] = ctx.manifest.trajectory === 'T3' ? await ctx.q<{ growth: number | null; months: bigint }>(active) : [{ growth: null, months: 0n }];
    const rows: GateRow[] = [];
    const fitted = ctx.manifest.trajectory === 'T3' ? a.months : i.months;
    if (Number(fitted) < 6) {
      return [skipRow(FAMILY, `${ctx.manifest.trajectory}.growth`, `${fitted} full months after the first quarter: too few to fit a monthly trend (need 6)`)];
    }
    const detail = (what: string, months: bigint) => `${what}, log-linear monthly growth over ${months} full months after the first quarter`;
    switch (ctx.manifest.trajectory) {
      case 'T1':
        if (ctx.archetype === 'neobank') {
          const band = await neobankSteadyBand(ctx, inflowCounts);
          rows.push(rangeRow(FAMILY, 'T1.inflow_growth_pct', i.growth, { min: band.min, max: band.max }, { unit: '%/month', detail: `${detail(`new ${dim} rows`, i.months)}; bound: ${band.detail}` }));
        } else {
          rows.push(rangeRow(FAMILY, 'T1.inflow_growth_pct', i.growth, { min: -t.steady_max_abs_growth_pct, max: t.steady_max_abs_growth_pct }, { unit: '%/month', detail: detail(`new ${dim} rows`, i.months) }));
        }
        break;
      case 'T2':
        rows.push(rangeRow(FAMILY, 'T2.inflow_growth_pct', i.growth, { min: t.growth_min_pct }, { unit: '%/month', detail: detail(`new ${dim} rows`, i.months) }));
        break;
      case 'T3':
        rows.push(rangeRow(FAMILY, 'T3.active_growth_pct', a.growth, { max: t.decline_max_pct }, { unit: '%/month', detail: detail(`active ${who}s`, a.months) }));
        break;
    }
    return rows;
  },
};

import { rangeRow, skipRow } from '../rows.js';
import type { GateFamily, GateRow } from '../types.js';

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

/** docs/behaviour.md trajectories: T1 steady inflow, T2 growing inflow (+4%/month), T3 shrinking active base. */
export const trajectoryGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx) {
    const t = ctx.config.validate.trajectory;
    const [dim, fact, time, who] =
      ctx.archetype === 'neobank' ? ['dim_customer', 'fact_card_transaction', 'event_time', 'card_id'] : ['dim_buyer', 'fact_order', 'order_time', 'buyer_id'];
    const fullMonths = `SELECT date_trunc('month', d) AS m FROM (SELECT DISTINCT local_ts(${time})::DATE AS d FROM ${fact}) GROUP BY 1 HAVING count(*) >= 28`;
    const inflow = growthSql(`
      SELECT date_trunc('month', local_ts(created_at)) AS m, count(*) AS n FROM ${dim}
      WHERE date_trunc('month', local_ts(created_at)) IN (${fullMonths}) GROUP BY 1`);
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
        rows.push(rangeRow(FAMILY, 'T1.inflow_growth_pct', i.growth, { min: -t.steady_max_abs_growth_pct, max: t.steady_max_abs_growth_pct }, { unit: '%/month', detail: detail(`new ${dim} rows`, i.months) }));
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

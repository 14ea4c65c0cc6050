import type { ValidateContext } from '../types.js';

/**
 * How a marketplace gate converts an order's amounts to USD. Amounts are cents of the order's (shop's)
 * currency; dim_fx_rate, when the warehouse has it, gives USD per unit on each date (an order on a date
 * the table lacks counts at 1). Without dim_fx_rate amounts are taken as USD.
 * `rate`: SQL factor; `join`: the LEFT JOIN to put after a FROM naming the orders `o`; `via`: note for details.
 */
export function orderUsd(ctx: Pick<ValidateContext, 'tables'>): { rate: string; join: string; via: string } {
  if (!ctx.tables.has('dim_fx_rate')) return { rate: '1', join: '', via: '' };
  return {
    rate: 'coalesce(fx.usd_rate, 1)',
    join: 'LEFT JOIN dim_fx_rate fx ON fx.currency = o.currency AND fx.rate_date = CAST(o.order_time AS DATE)',
    via: ' (USD via dim_fx_rate)',
  };
}

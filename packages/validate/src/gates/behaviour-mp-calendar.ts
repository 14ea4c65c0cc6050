import { MARKET_CATEGORY_KEYS, sqlString, type MarketplaceBehaviour } from '@dnr/core';
import { calendarProfile, ordinaryDayNoise, type NamedDay, type ProfileSource } from '@dnr/profile';
import { skipRow } from '../rows.js';
import type { GateRow } from '../types.js';
import { namedDayRows } from './behaviour-calendar.js';

const FAMILY = 'behaviour';

/**
 * Window orders per local day of the buyer (its country's time zone from `countries`; null = the
 * warehouse's) and top-level category key of the first line (`orders` when unknown): the relation
 * (day, key, n) the calendar measurements read. Demand's calendar effects act on the buyer's own day.
 */
async function dailyByCategory(src: ProfileSource, d: MarketplaceBehaviour): Promise<string> {
  const orders = await src.first('fact_order');
  const items = await src.first('fact_order_item');
  const zones = Object.entries(d.countries).filter(([, c]) => c.tz !== null && c.tz !== src.tz);
  const local = zones.length
    ? `CASE b.country ${zones.map(([code, c]) => `WHEN ${sqlString(code)} THEN timezone(${sqlString(c.tz!)}, timezone('UTC', o.order_time))`).join(' ')} ELSE local_ts(o.order_time) END`
    : 'local_ts(o.order_time)';
  const key = `CASE coalesce(c.parent_id, c.category_id) ${MARKET_CATEGORY_KEYS.map((k, j) => `WHEN ${j + 1} THEN '${k}'`).join(' ')} ELSE 'orders' END`;
  await src.q(`CREATE OR REPLACE TEMP TABLE _mp_daily AS
    SELECT (${local})::DATE AS day, ${key} AS key, count(*) AS n
    FROM ${orders} o LEFT JOIN dim_buyer b ON b.buyer_id = o.buyer_id
    LEFT JOIN ${items} i ON i.order_id = o.order_id AND i.line_id = 1
    LEFT JOIN dim_listing l ON l.listing_id = i.listing_id LEFT JOIN dim_category c ON c.category_id = l.category_id
    GROUP BY 1, 2`);
  return '_mp_daily';
}

/** A named day's order effects as calendar keys: categories as declared, `orders` for every other key. */
function orderEffects(effects: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of MARKET_CATEGORY_KEYS) if (effects[k] !== undefined) out[k] = effects[k];
  if (effects.orders !== undefined) out['*'] = effects.orders;
  return out;
}

/**
 * Named days (Black Friday, Cyber Monday, Christmas …) of the behaviour truth: orders that buyer-local
 * day against the same weekday ±1–4 weeks, declared = the day's category effects weighted by the
 * baseline category mix (`orders` for categories not named) × its month's `month_of_year` weight over
 * the baseline days' mean. Days without an order effect are left out.
 */
export async function marketCalendarRows(src: ProfileSource, d: MarketplaceBehaviour, days: NamedDay[]): Promise<GateRow[]> {
  const withOrders = days.map((x) => ({ ...x, effects: orderEffects(x.effects) })).filter((x) => Object.keys(x.effects).length);
  if (!withOrders.length) return [skipRow(FAMILY, 'calendar', 'no named day with an order effect inside the window')];
  const daily = await dailyByCategory(src, d);
  const calendar = await calendarProfile(src, daily, withOrders, d.month_of_year);
  const noise = await ordinaryDayNoise(src, daily, days.map((x) => x.date));
  return namedDayRows(calendar, noise, "category effects weighted by the baseline category mix, `orders` for the rest, × the day's month_of_year weight over its baseline days'; buyer-local days");
}

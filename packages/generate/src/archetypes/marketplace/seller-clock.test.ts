import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '@dnr/core';
import { weekdayOf } from '../../behaviour/calendar.js';
import { eventWindow } from '../../behaviour/window.js';
import { LISTING_STATUS } from './market.js';
import { simulateMarketplace } from './world.js';

const config = ConfigSchema.parse({ warehouse: { months: 6 } });
const window = eventWindow(config.warehouse.end_date, 6, config.warehouse.tz);
const world = simulateMarketplace(config, window, { dim_buyer: 1500, dim_seller: 400, dim_listing: 8000 }, 9000);
const { m, sellers: s, listings: L } = world;

/** Local hour (0–23) and ISO weekday (0 = Monday) of instant t on shop k's clock (its country's zone). */
function local(k: number, t: number): { hour: number; weekday: number } {
  const c = m.clocks[m.countryZone[s.country[k]]];
  const ls = c.localOf(t);
  return { hour: Math.floor((((ls % 86400) + 86400) % 86400) / 3600), weekday: weekdayOf(m.window.startDate, Math.floor(ls / 86400)) };
}

describe('marketplace seller clocks', () => {
  it('listings are created on the seller’s local clock: weekday evenings and Sunday batches, few at night', () => {
    const hours = new Array<number>(24).fill(0);
    const days = new Array<number>(7).fill(0);
    for (let l = 0; l < L.n; l++) {
      const x = local(L.seller[l], L.created[l]);
      hours[x.hour]++;
      days[x.weekday]++;
    }
    const share = (from: number, to: number) => hours.slice(from, to).reduce((a, x) => a + x, 0) / L.n;
    // defaults: 18:00–22:00 carry 39% of the weekday curve's weight and 35% of the weekend one's, 02:00–06:00
    // under 1%; a flat clock (the former uniform instants) gives 4/24 = 17% to each (seed 9000: 0.377 and 0.0105)
    expect(share(18, 22)).toBeGreaterThan(0.32);
    expect(share(2, 6)).toBeLessThan(0.025);
    // Sunday weight 1.6 of 7.2 (22%), Friday 0.8 (11%), Monday–Thursday 0.9–0.95 (seed 9000: Monday 0.135, Friday 0.117, Saturday 0.157)
    expect(days[6] / L.n).toBeGreaterThan(0.19);
    expect(days[6]).toBeGreaterThan(1.5 * days[4]);
    expect(days[5]).toBeGreaterThan(days[0]);
    // still after the shop opened and, when in the window, while it was open
    for (let l = 0; l < L.n; l++) {
      const k = L.seller[l];
      expect(L.created[l]).toBeGreaterThanOrEqual(Math.floor(s.opened[k]));
      if (L.createdDay[l] >= 0) expect(L.created[l]).toBeLessThan(Math.min(s.closed[k], s.suspended[k]));
    }
  });

  it('vacation mode and closures change at a local daytime hour; spells stay ordered', () => {
    const hours = new Array<number>(24).fill(0);
    let n = 0;
    for (let k = 0; k < s.n; k++) {
      const at = [...Array.from({ length: s.vacFrom[k + 1] - s.vacFrom[k] }, (_, j) => s.vacStart[s.vacFrom[k] + j])];
      if (Number.isFinite(s.closed[k]) && s.closed[k] < m.endUtc) at.push(s.closed[k]);
      for (const t of at) {
        hours[local(k, t).hour]++;
        n++;
      }
      for (let j = s.vacFrom[k]; j < s.vacFrom[k + 1]; j++) {
        expect(s.vacEnd[j]).toBeGreaterThan(s.vacStart[j]);
        expect(s.vacStart[j]).toBeGreaterThan(s.opened[k]);
        if (j > s.vacFrom[k]) expect(s.vacStart[j]).toBeGreaterThan(s.vacEnd[j - 1]);
      }
      expect(s.closed[k]).toBeGreaterThan(s.opened[k]);
    }
    expect(n).toBeGreaterThan(300);
    // defaults: 08:00–22:00 hold 92% of the weekday curve (a flat clock: 58%); 00:00–06:00 1.3% (flat: 25%);
    // seed 9000: 0.936 and 0.014 over 421 changes
    const day = hours.slice(8, 22).reduce((a, x) => a + x, 0) / n;
    const night = hours.slice(0, 6).reduce((a, x) => a + x, 0) / n;
    expect(day).toBeGreaterThan(0.85);
    expect(night).toBeLessThan(0.04);
  });

  it('a sold-out listing does not sell until restocked: every sold line’s listing ended the day before active', () => {
    const tr = world.market.transitions;
    // end-of-day status per listing per day from the transitions (the snapshot's spans)
    const byListing = new Map<number, Array<[number, number]>>();
    for (let j = 0; j < tr.n; j++) (byListing.get(tr.listing[j]) ?? byListing.set(tr.listing[j], []).get(tr.listing[j])!).push([tr.day[j], tr.status[j]]);
    const statusOn = (l: number, d: number) => {
      let st = -1;
      for (const [day, x] of byListing.get(l) ?? []) if (day <= d) st = x;
      return st < 0 ? 'none' : LISTING_STATUS[st];
    };
    const { lines, orders } = world.market;
    const prev = new Map<string, number>();
    let restocked = 0;
    for (let j = 0; j < lines.n; j++) {
      const l = lines.listing[j];
      const d = orders.day[lines.order[j]];
      const before = statusOn(l, d - 1);
      prev.set(before, (prev.get(before) ?? 0) + 1);
      if ((byListing.get(l) ?? []).some(([day, x]) => day < d && LISTING_STATUS[x] === 'sold_out')) restocked++;
    }
    expect(prev.get('active')).toBe(lines.n);
    // restocks do happen (lines of listings that were sold out on an earlier day and came back)
    expect(restocked).toBeGreaterThan(0);
  });
});

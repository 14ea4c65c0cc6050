import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '@dnr/core';
import { eventWindow } from '../../behaviour/window.js';
import { simulateMarket } from './world.js';

/**
 * Active listings and open shop size (Σ size of the shops open that day) every 30 days of the window, at a
 * fifth of the evaluation scale (18 months, seed 42, default behaviour).
 */
function liveCatalogue(): Array<{ day: number; active: number; size: number }> {
  const config = ConfigSchema.parse({ warehouse: { seed: 42 } });
  const w = config.warehouse;
  const window = eventWindow(w.end_date, w.months, w.tz);
  const { market, listings: L, sellers: s, m } = simulateMarket(config, window, { dim_buyer: 56_000, dim_seller: 1_600, dim_listing: 40_000 }, 120_000);
  const tr = market.transitions;
  const days = Array.from({ length: Math.floor((window.days - 1) / 30) + 1 }, (_, i) => 30 * i);
  // status at the end of each sampled day: the last change on or before it (transitions are per listing in time order)
  const active = new Float64Array(days.length);
  const last = new Int32Array(L.n).fill(-1);
  const byListing: number[][] = Array.from({ length: L.n }, () => []);
  for (let j = 0; j < tr.n; j++) byListing[tr.listing[j]].push(j);
  for (let l = 0; l < L.n; l++) {
    let k = 0;
    for (const [i, d] of days.entries()) {
      while (k < byListing[l].length && tr.day[byListing[l][k]] <= d) last[l] = tr.status[byListing[l][k++]];
      if (last[l] === 0) active[i]++;
    }
  }
  return days.map((day, i) => {
    const t = m.clock.midnight(day);
    let size = 0;
    for (let k = 0; k < s.n; k++) if (s.opened[k] <= t && Math.min(s.closed[k], s.suspended[k]) > t) size += s.size[k];
    return { day, active: active[i], size };
  });
}

describe('marketplace live catalogue', () => {
  it('follows the open shop base across the window start: no spring sag after a catalogue that started too full', () => {
    const rows = liveCatalogue();
    const perSize = rows.map((r) => r.active / r.size);
    // live listings per unit of open shop size stay within ±6% of their window mean (with 45 days of
    // history they fell 14% in the first four months, then recovered)
    const mean = perSize.reduce((a, b) => a + b, 0) / perSize.length;
    for (const [i, x] of perSize.entries()) expect(Math.abs(x / mean - 1), `day ${rows[i].day}: ${x.toFixed(2)} per unit of shop size, mean ${mean.toFixed(2)}`).toBeLessThan(0.06);
    // and the first four months do not lose live listings while the shop base grows
    expect(rows[4].active / rows[0].active).toBeGreaterThan(0.98);
    expect(rows[4].size).toBeGreaterThan(rows[0].size);
  }, 120_000);
});

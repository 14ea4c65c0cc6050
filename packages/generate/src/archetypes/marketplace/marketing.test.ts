import { describe, expect, it } from 'vitest';
import { ConfigSchema, MarketplaceBehaviourSchema } from '@dnr/core';
import { weekdayOf } from '../../behaviour/calendar.js';
import { eventWindow } from '../../behaviour/window.js';
import { firstOrders } from './marketing.js';
import { simulateMarketplace } from './world.js';

// six months from 2026-01-01 with a tracking change inside them
const config = ConfigSchema.parse({ warehouse: { months: 6 }, behaviour: { marketplace: { marketing: { tracking: { step_date: '2026-04-01' } } } } });
const window = eventWindow(config.warehouse.end_date, 6, config.warehouse.tz);
const world = simulateMarketplace(config, window, { dim_buyer: 4000, dim_seller: 250, dim_listing: 5000 }, 16000);
const { marketing: mk, market, buyers, m } = world;
const t = mk.touches;
const ch = (name: string) => mk.channels.indexOf(name);
const DAY = 86400;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('marketplace marketing channels behave like channels', () => {
  it('the welcome series reaches buyers in their first days after sign-up and stops after welcome_days; the newsletter goes to existing buyers', () => {
    const welcome = mk.campaigns.findIndex((c) => c.name === 'welcome_series');
    const newsletter = mk.campaigns.findIndex((c) => c.name === 'Weekly Newsletter');
    const days = (cp: number) => {
      const out: number[] = [];
      for (let k = 0; k < t.n; k++) if (t.campaign[k] === cp) out.push((t.utc[k] - buyers.signup[t.buyer[k]]) / DAY);
      return out;
    };
    const w = days(welcome);
    const n = days(newsletter);
    expect(w.length).toBeGreaterThan(300);
    // was a median of ~950 days, the same as the newsletter
    expect(median(w)).toBeLessThan(7);
    expect(Math.max(...w)).toBeLessThan(config.behaviour.marketplace.marketing.email.welcome_days);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(0);
    expect(median(n)).toBeGreaterThan(90);
  });

  it('email browsing spikes on the send day at the send hour and decays over about two days', () => {
    const email = ch('email');
    const byDow = new Float64Array(7);
    let sendHour = 0;
    let browsing = 0;
    for (let k = 0; k < t.n; k++) {
      if (t.channel[k] !== email || t.conversion[k] !== 2) continue;
      browsing++;
      const d = m.clock.dayOf(t.utc[k]);
      byDow[weekdayOf(window.startDate, d)]++;
      const h = Math.floor((t.utc[k] - m.clock.midnight(d)) / 3600);
      if (weekdayOf(window.startDate, d) === 1 && h >= 10 && h <= 13) sendHour++;
    }
    const share = (x: number) => x / browsing;
    // Tuesday (the send day) holds over a third of email browsing (was 13%, like every other weekday); Wednesday the decay
    expect(share(byDow[1])).toBeGreaterThan(0.35);
    expect(byDow[2]).toBeGreaterThan(1.5 * byDow[3]);
    expect(byDow[1]).toBeGreaterThan(3 * byDow[4]);
    // the four hours after the 10:00 send hold over a tenth of all email browsing (was ~2.5%: 4 of 168 hours on the order curve)
    expect(share(sendHour)).toBeGreaterThan(0.1);
  });

  it('channels keep their own hours and weekdays: social in the evening and at weekends, search in working hours on weekdays', () => {
    const stats = (c: number) => {
      let n = 0;
      let evening = 0;
      let weekend = 0;
      for (let k = 0; k < t.n; k++) {
        if (t.channel[k] !== c || t.conversion[k] !== 2) continue;
        const d = m.clock.dayOf(t.utc[k]);
        const h = Math.floor((t.utc[k] - m.clock.midnight(d)) / 3600);
        n++;
        if (h >= 18) evening++;
        if (weekdayOf(window.startDate, d) >= 5) weekend++;
      }
      return { evening: evening / n, weekend: weekend / n };
    };
    const social = stats(ch('paid_social'));
    const search = stats(ch('paid_search'));
    expect(social.evening).toBeGreaterThan(1.4 * search.evening);
    expect(social.weekend).toBeGreaterThan(1.15 * search.weekend);
  });

  it('first orders lean to prospecting channels, repeat orders to email and direct', () => {
    const first = firstOrders(buyers, market.orders, m.startUtc);
    const n = new Float64Array(mk.channels.length);
    const f = new Float64Array(mk.channels.length);
    for (let k = 0; k < t.n; k++) {
      if (t.conversion[k] !== 1 || !t.converted[k]) continue;
      n[t.channel[k]]++;
      f[t.channel[k]] += first[t.order[k]];
    }
    const share = (c: string) => f[ch(c)] / n[ch(c)];
    expect(share('paid_social')).toBeGreaterThan(1.6 * share('email'));
    expect(share('paid_search')).toBeGreaterThan(1.3 * share('direct'));
  });

  it('tracking coverage is lower for EU/UK buyers, for first orders and after the tracking change', () => {
    const first = firstOrders(buyers, market.orders, m.startUtc);
    const tracked = new Uint8Array(market.orders.n);
    for (let k = 0; k < t.n; k++) if (t.conversion[k] === 1 && t.converted[k]) tracked[t.order[k]] = 1;
    const rate = (keep: (j: number) => boolean) => {
      let a = 0;
      let b = 0;
      for (let j = 0; j < market.orders.n; j++) if (keep(j)) [a, b] = [a + tracked[j], b + 1];
      return a / b;
    };
    const eu = new Set(['GB', 'DE', 'FR', 'NL'].map((c) => m.countries.indexOf(c)));
    const us = m.countries.indexOf('US');
    const step = Date.parse('2026-04-01T07:00:00Z') / 1000;
    const usRate = rate((j) => buyers.country[market.orders.buyer[j]] === us);
    const euRate = rate((j) => eu.has(buyers.country[market.orders.buyer[j]]));
    expect(euRate).toBeLessThan(0.85 * usRate);
    expect(rate((j) => first[j] === 1)).toBeLessThan(0.92 * rate((j) => first[j] === 0));
    expect(rate((j) => market.orders.utc[j] >= step)).toBeLessThan(0.92 * rate((j) => market.orders.utc[j] < step));
  });

  it('rejects bad marketing timing and tracking values, naming the key', () => {
    const bad = (marketing: unknown) => {
      const r = MarketplaceBehaviourSchema.safeParse({ marketing });
      expect(r.success).toBe(false);
      return r.success ? '' : r.error.issues.map((i) => i.path.join('.')).join(' ');
    };
    expect(bad({ email: { send_weekdays: [7] } })).toContain('marketing.email.send_weekdays');
    expect(bad({ email: { send_hour: 24 } })).toContain('marketing.email.send_hour');
    expect(bad({ tracking: { step_date: '2025-02-30' } })).toContain('marketing.tracking.step_date');
    expect(bad({ tracking: { country_coverage: { XX: 0.5 } } })).toContain('marketing.tracking.country_coverage.XX');
    expect(bad({ tracking: { new_buyer: 1.5 } })).toContain('marketing.tracking.new_buyer');
    expect(bad({ channels: { email: { hour_tilt: [1, 2] } } })).toContain('marketing.channels.email.hour_tilt');
  });
});

import { describe, expect, it } from 'vitest';
import { NeobankBehaviourSchema } from '@dnr/core';
import { eventWindow } from '../../behaviour/window.js';
import { simulateAccounts } from './accounts.js';
import { simulateCustomers } from './customers.js';
import { METROS } from './merchant-names.js';
import { neobankModel } from './model.js';

const WINDOW = eventWindow('2026-06-30', 18, 'America/Los_Angeles');
const BOSTON = METROS.findIndex((x) => x.city === 'BOSTON' && x.state === 'MA');
const RIVERSIDE = METROS.findIndex((x) => x.city === 'RIVERSIDE' && x.state === 'CA');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('neobank onboarding on the home clock', () => {
  const b = NeobankBehaviourSchema.parse({});
  const m = neobankModel(b, WINDOW, 42, 'T1');
  const n = 20_000;
  // half the sign-up draws live in Milton, MA (Eastern), half in Riverside, CA (Pacific)
  const homes = Int32Array.from({ length: n }, (_, i) => (i % 2 ? BOSTON : RIVERSIDE));
  const c = simulateCustomers(m, n, homes);
  const ac = simulateAccounts(m, c);
  /** Fractional local hour of Unix seconds `t` on zone z's clock. */
  const hourOn = (z: number, t: number) => (((m.zones.clocks[z].localOf(t) % 86400) + 86400) % 86400) / 3600;

  it('keeps every draw’s home metro, in sign-up order, with its zone', () => {
    expect(c.home.filter((h) => h === BOSTON).length).toBe(n / 2);
    expect(c.home.filter((h) => h === RIVERSIDE).length).toBe(n / 2);
    expect(m.zones.names[c.zone[c.home.indexOf(BOSTON)]]).toBe('America/New_York');
    expect(m.zones.names[c.zone[c.home.indexOf(RIVERSIDE)]]).toBe('America/Los_Angeles');
    for (let i = 1; i < n; i++) expect(c.signup[i]).toBeGreaterThanOrEqual(c.signup[i - 1]);
  });

  it('sign-ups and card activations at the same local hours in Boston and Riverside, three hours apart on the bank clock', () => {
    const pac = 0;
    const groups = { east: [] as number[], west: [] as number[], eastOnPacific: [] as number[] };
    const acts = { east: [] as number[], west: [] as number[], eastOnPacific: [] as number[] };
    for (let i = 0; i < n; i++) {
      const east = c.home[i] === BOSTON;
      (east ? groups.east : groups.west).push(hourOn(c.zone[i], c.signup[i]));
      if (east) groups.eastOnPacific.push(hourOn(pac, c.signup[i]));
    }
    for (const card of ac.cards) {
      if (Number.isNaN(card.activated)) continue;
      const i = card.customer;
      const east = c.home[i] === BOSTON;
      (east ? acts.east : acts.west).push(hourOn(c.zone[i], card.activated));
      if (east) acts.eastOnPacific.push(hourOn(pac, card.activated));
    }
    for (const g of [groups, acts]) {
      expect(g.east.length).toBeGreaterThan(3000);
      expect(Math.abs(median(g.east) - median(g.west))).toBeLessThan(0.4);
      expect(median(g.west) - median(g.eastOnPacific)).toBeGreaterThan(2.5);
      expect(median(g.west) - median(g.eastOnPacific)).toBeLessThan(3.5);
    }
  });
});

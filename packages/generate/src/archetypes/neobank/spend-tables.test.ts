import { describe, expect, it } from 'vitest';
import { subscriptionProviders } from './spend-tables.js';

describe('subscriptionProviders', () => {
  it('gives each recurring service of an MCC its own slice of providers (a fifth of the merchants, one per service at least) and leaves ordinary merchants', () => {
    // MCC 0: 20 merchants, two services; MCC 1: 3 merchants, one service; MCC 2: no service
    const p = subscriptionProviders([20, 3, 9], [0, 1, 0]);
    expect(p.perMcc).toEqual([4, 1, 0]);
    expect(p.services).toEqual([
      { offset: 0, count: 2 },
      { offset: 0, count: 1 },
      { offset: 2, count: 2 },
    ]);
  });

  it('an odd provider count goes to the first service; too few merchants means no providers (shared with purchases)', () => {
    const p = subscriptionProviders([30, 2, 1], [0, 0, 1, 1, 2]);
    expect(p.perMcc).toEqual([6, 0, 0]);
    expect(subscriptionProviders([13], [0, 0]).services).toEqual([
      { offset: 0, count: 2 },
      { offset: 2, count: 1 },
    ]);
    expect(p.services.slice(2)).toEqual([
      { offset: 0, count: 0 },
      { offset: 0, count: 0 },
      { offset: 0, count: 0 },
    ]);
  });
});

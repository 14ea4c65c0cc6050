import { describe, expect, it } from 'vitest';
import { partialSummary } from './summary.js';

describe('partialSummary (the reason on the Themes status line)', () => {
  it('names every partial source, grouping those with the same reason, without doubled periods', () => {
    expect(partialSummary([['slack', 'sampled to fit the cap.']])).toBe('slack: sampled to fit the cap');
    expect(
      partialSummary([
        ['slack', 'sampled to fit the cap'],
        ['email', 'coverage 10% is below the 20% floor'],
        ['nlq', 'sampled to fit the cap'],
      ]),
    ).toBe('slack, nlq: sampled to fit the cap; email: coverage 10% is below the 20% floor');
  });
});

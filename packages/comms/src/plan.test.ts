import { ConfigSchema, THEMES } from '@dnr/core';
import { describe, expect, it } from 'vitest';
import { planComms, quotas } from './plan.js';
import { commsWindow, isoDay } from './window.js';

describe('corpus plan', () => {
  it('quotas are exact largest-remainder counts', () => {
    expect(quotas([0.45, 0.2, 0.35], 800)).toEqual([360, 160, 280]);
    expect(quotas([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(quotas([0, 1], 5)).toEqual([0, 5]);
  });

  const config = ConfigSchema.parse({ comms: { slack_threads: 600, email_threads: 160, nlq: 200 } });
  const window = commsWindow('2026-06-30', 12, 'America/Los_Angeles');
  const events = [{ day: '2026-02-17', theme: 'join_keys_orphans' as const, kind: 'null_spike' as const, column: 'fact_order.buyer_id' }];

  it('is deterministic and independent of the engine', () => {
    const a = planComms({ archetype: 'marketplace', config, window, events, eventAware: true });
    const b = planComms({ archetype: 'marketplace', config, window, events, eventAware: true });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const other = planComms({ archetype: 'marketplace', config: ConfigSchema.parse({ comms: { slack_threads: 600, email_threads: 160, nlq: 200, seed: 1 } }), window, events, eventAware: true });
    expect(JSON.stringify(other.slack.map((t) => t.label))).not.toBe(JSON.stringify(a.slack.map((t) => t.label)));
  });

  it('labels follow the configured mixes and cluster themed items on the event day', () => {
    const plan = planComms({ archetype: 'marketplace', config, window, events, eventAware: true });
    const positives = plan.slack.filter((t) => t.label.relevance === 'positive');
    expect(positives.length).toBe(270);
    const mix = config.comms.theme_mix.marketplace;
    for (const theme of THEMES) expect(Math.abs(positives.filter((t) => t.label.theme === theme).length - 270 * mix[theme])).toBeLessThanOrEqual(1);
    const clustered = plan.slack.filter((t) => t.event);
    expect(clustered.length).toBe(5);
    for (const t of clustered) {
      expect(t.label.theme).toBe('join_keys_orphans');
      expect(['2026-02-17', '2026-02-18']).toContain(isoDay(t.localDay));
    }
    expect(plan.clustered).toEqual({ slack: 5, email: 2, nlq: 3 });
    const uniform = planComms({ archetype: 'marketplace', config, window, events, eventAware: false });
    expect(uniform.clustered).toEqual({ slack: 0, email: 0, nlq: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

function capture(tty: boolean, enabled = true) {
  let out = '';
  let t = 0;
  const p = new Progress({ enabled, tty, color: false, write: (s) => (out += s), now: () => (t += 250) });
  return { p, out: () => out };
}

describe('Progress', () => {
  it('prints plain step lines with counts and elapsed time when not a TTY', async () => {
    const { p, out } = capture(false);
    const v = await p.step('generate fact_order', (h) => {
      h.total(3);
      h.tick(3);
      return 7;
    });
    expect(v).toBe(7);
    expect(out()).toMatch(/^- generate fact_order \.\.\.\n {2}done: generate fact_order 3\/3 \(\d+\.\ds\)\n$/);
  });

  it('draws a bar on a TTY', async () => {
    const { p, out } = capture(true);
    await p.step('rows', (h) => {
      h.total(4);
      h.tick(2);
    });
    expect(out()).toContain('[############------------] 2/4');
    expect(out()).toContain('✔ rows 2/4');
  });

  it('is silent when disabled (--quiet / --json)', async () => {
    const { p, out } = capture(true, false);
    await p.step('x', (h) => h.tick());
    p.info('hello');
    expect(out()).toBe('');
  });
});

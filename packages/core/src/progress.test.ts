import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatSeconds, mapChunks, Progress } from './progress.js';

/** A reporter writing into a string, its clock driven by vitest's fake timers. */
function capture(tty: boolean, enabled = true) {
  let out = '';
  const p = new Progress({ enabled, tty, color: false, write: (s) => (out += s), now: () => Date.now(), redrawMs: 100, columns: 200 });
  return { p, out: () => out };
}

const ESC = '\u001b';
const COLUMN_1 = new RegExp(`\\r|${ESC}\\[1G|${ESC}\\[0G`);
const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, 'g');

/** The live-line frames drawn so far (each redraw starts at column 1 and clears to the right). */
const frames = (out: string) =>
  out
    .split(COLUMN_1)
    .map((s) => s.replace(ANSI, '').trim())
    .filter((s) => /^(▸|[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]) /.test(s));

afterEach(() => {
  vi.useRealTimers();
});

describe('Progress on a TTY', () => {
  it('keeps redrawing the spinner and elapsed time while a step reports nothing', async () => {
    vi.useFakeTimers();
    const { p, out } = capture(true);
    const run = p.step('comms: rules classification', () => new Promise<number>((resolve) => setTimeout(() => resolve(7), 1_000)));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await run).toBe(7);
    const drawn = frames(out());
    // One redraw per 100 ms for a second, each with its own spinner frame and elapsed time.
    expect(drawn.length).toBeGreaterThanOrEqual(9);
    expect(new Set(drawn.map((f) => f[0])).size).toBeGreaterThan(5);
    expect(drawn).toContain('⠙ comms: rules classification 0.1s');
    expect(drawn).toContain('⠏ comms: rules classification 0.9s');
    expect(out().endsWith('✔ comms: rules classification (1.0s)\n')).toBe(true);
  });

  it('draws a bar with counts, percentage and ETA once the size is known', async () => {
    vi.useFakeTimers();
    const { p, out } = capture(true);
    const run = p.step('neobank: fact_card_transaction', async (h) => {
      h.total(10);
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 250));
        h.tick();
      }
      h.note('4 part files');
    });
    await vi.advanceTimersByTimeAsync(1_000);
    await run;
    const drawn = frames(out());
    expect(drawn.some((f) => /^▸ neobank: fact_card_transaction █{4,5}░+ 2\/10 20% · ETA 2s · 0\.\ds$/.test(f))).toBe(true);
    expect(drawn.some((f) => f.startsWith('▸ neobank: fact_card_transaction') && f.includes('4/10 40% · ETA 2s · 1.0s 4 part files'))).toBe(true);
    expect(out()).toContain('✔ neobank: fact_card_transaction 4/10 4 part files (1.0s)\n');
  });

  it('prints info lines above the live line and marks a failed step', async () => {
    vi.useFakeTimers();
    const { p, out } = capture(true);
    const run = p.step('load', async () => {
      p.info('== neobank (small) ==');
      await new Promise((r) => setTimeout(r, 300));
      throw new Error('boom');
    });
    const settled = run.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(300);
    expect(await settled).toBeInstanceOf(Error);
    expect(out()).toContain('\r\x1b[2K== neobank (small) ==\n');
    expect(out()).toMatch(/✖ load \(failed after 0\.3s\)\n$/);
    expect(out()).not.toContain('\x1b7');
  });

  it('pauses the outer line during a nested step', async () => {
    vi.useFakeTimers();
    const { p, out } = capture(true);
    const run = p.step('outer', async () => {
      await new Promise((r) => setTimeout(r, 200));
      await p.step('inner', () => new Promise((r) => setTimeout(r, 200)));
      await new Promise((r) => setTimeout(r, 200));
    });
    await vi.advanceTimersByTimeAsync(600);
    await run;
    const text = out();
    expect(text.indexOf('✔ inner (0.2s)')).toBeLessThan(text.indexOf('✔ outer (0.6s)'));
    expect(p.stepTimings()).toEqual([
      { label: 'inner', seconds: 0.2, depth: 1, done: 0, total: 0 },
      { label: 'outer', seconds: 0.6, depth: 0, done: 0, total: 0 },
    ]);
  });
});

describe('the lead step ("loading" before a command can run steps)', () => {
  it('spins from lead() until the first step starts, then leaves its ✔ line and timing first', async () => {
    vi.useFakeTimers();
    const { p, out } = capture(true);
    p.lead('loading');
    await vi.advanceTimersByTimeAsync(500);
    expect(frames(out())).toContain('⠸ loading 0.3s');
    await p.step('work', (h) => h.tick(2));
    expect(out()).toContain('✔ loading (0.5s)\n');
    expect(out().indexOf('✔ loading')).toBeLessThan(out().indexOf('✔ work'));
    expect(p.stepTimings()).toEqual([
      { label: 'loading', seconds: 0.5, depth: 0, done: 0, total: 0 },
      { label: 'work', seconds: 0, depth: 0, done: 2, total: 0 },
    ]);
    // Once over, it does not come back.
    p.endLead();
    expect(out().match(/✔ loading/g)).toHaveLength(1);
  });

  it('ends before an info line; discarded, it leaves no trace; ignored while a step runs', async () => {
    vi.useFakeTimers();
    const { p, out } = capture(false);
    p.lead('loading');
    await vi.advanceTimersByTimeAsync(200);
    p.info('== neobank ==');
    expect(out()).toBe('- loading: (0.2s)\n== neobank ==\n');
    // A warning ends it too, and prints even when progress is off (--quiet).
    const warned = capture(false);
    warned.p.lead('loading');
    warned.p.warn('OPENAI_MODEL is the default model');
    expect(warned.out()).toMatch(/^- loading: \(\d\.\ds\)\nWarning: OPENAI_MODEL is the default model\n$/);
    const quiet = capture(true, false);
    quiet.p.warn('still shown');
    expect(quiet.out()).toBe('Warning: still shown\n');
    const failed = capture(true);
    failed.p.lead('loading');
    failed.p.endLead({ discard: true });
    expect(failed.out()).not.toMatch(/[✔✖] loading/);
    expect(failed.p.stepTimings()).toEqual([]);
    await failed.p.step('outer', () => failed.p.lead('late'));
    failed.p.endLead();
    expect(failed.out()).not.toContain('late');
  });
});

describe('Progress elsewhere', () => {
  it('prints one plain line per finished step when not a TTY', async () => {
    const { p, out } = capture(false);
    const v = await p.step('generate fact_order', (h) => {
      h.total(3);
      h.tick(3);
      return 7;
    });
    await p.step('write', () => undefined);
    expect(v).toBe(7);
    expect(out()).toMatch(/^- generate fact_order: 3\/3 \(\d+\.\ds\)\n- write: \(\d+\.\ds\)\n$/);
    expect(out()).not.toContain('\x1b');
  });

  it('is silent when disabled (--quiet / --json) but still records step times', async () => {
    const { p, out } = capture(true, false);
    await p.step('x', (h) => h.tick());
    p.info('hello');
    expect(out()).toBe('');
    expect(p.stepTimings().map((t) => t.label)).toEqual(['x']);
  });

  it('colours only when asked (NO_COLOR)', async () => {
    let out = '';
    const p = new Progress({ enabled: true, tty: true, color: true, write: (s) => (out += s), redrawMs: 100 });
    await p.step('c', () => undefined);
    expect(out).toContain('\x1b[32m✔\x1b[0m c');
  });
});

describe('mapChunks', () => {
  it('maps every item in order, ticks per chunk and lets timers run between chunks', async () => {
    let timerRuns = 0;
    const timer = setInterval(() => timerRuns++, 0);
    const ticks: number[] = [];
    const offsets: number[] = [];
    const out = await mapChunks(
      Array.from({ length: 10 }, (_, i) => i),
      (chunk, offset) => {
        offsets.push(offset);
        // Busy for ~5 ms per item so a chunk outlasts the 0 ms timer.
        const until = performance.now() + 5 * chunk.length;
        while (performance.now() < until);
        return chunk.map((x) => x * 2);
      },
      { chunkSize: 3, handle: { total: (n) => ticks.push(-n), tick: (n = 1) => ticks.push(n), note: () => undefined } },
    );
    clearInterval(timer);
    expect(out).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(offsets).toEqual([0, 3, 6, 9]);
    expect(ticks).toEqual([-10, 3, 3, 3, 1]);
    expect(timerRuns).toBeGreaterThanOrEqual(3);
  });

  it('refuses a chunk function that drops items', async () => {
    await expect(mapChunks([1, 2, 3], (c) => c.slice(1))).rejects.toThrow('mapChunks: 2 results for 3 items');
  });
});

describe('formatSeconds', () => {
  it('keeps tenths under a minute, minutes and seconds above', () => {
    expect(formatSeconds(0.04)).toBe('0.0s');
    expect(formatSeconds(12.34)).toBe('12.3s');
    expect(formatSeconds(65.4)).toBe('1m05s');
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDnr, tempDir } from './helpers/cli.js';
import { COLOUR, finishedSteps, liveFrames, runDnrInPty, typescriptPath } from './helpers/pty.js';

// Progress as a user sees it: a real terminal (pseudo-terminal via util-linux `script`), then a pipe.
let tmp: ReturnType<typeof tempDir>;
let dirs: { wh: string; meta: string; comms: string };
let warehouseTerminal: string;

beforeAll(async () => {
  tmp = tempDir('dnr-progress-');
  dirs = { wh: path.join(tmp.dir, 'data'), meta: path.join(tmp.dir, 'meta'), comms: path.join(tmp.dir, 'comms') };
  const gen = await runDnrInPty(['gen-warehouse', '--archetype', 'neobank', '--scale', 'small', '--out', dirs.wh, '--meta', dirs.meta], {
    cwd: tmp.dir,
    env: { NO_COLOR: undefined },
    typescript: typescriptPath(tmp.dir, 'gen-warehouse'),
  });
  expect(gen.exitCode, gen.raw).toBe(0);
  warehouseTerminal = gen.raw;
});
afterAll(() => tmp.cleanup());

/** Live-line states drawn for one step, before its ✔ line. */
const framesOf = (frames: readonly string[], label: string) => frames.filter((f) => !f.startsWith('✔') && f.includes(` ${label} `));

describe('progress on a terminal', () => {
  it('redraws a running step (spinner and elapsed time) while DuckDB works, then leaves one ✔ line per step', () => {
    const frames = liveFrames(warehouseTerminal);
    const done = finishedSteps(frames);
    expect(done.map((d) => d.line.replace(/ \(.*$/, '').replace(/ \d+ Parquet files?| \d+\/\d+/g, ''))).toEqual([
      '✔ neobank: calendar and behaviour curves',
      '✔ neobank: simulate customers, accounts, cards, subscriptions',
      '✔ neobank: dimensions',
      '✔ neobank: history tables',
      '✔ neobank: fact_card_transaction',
      '✔ neobank: fact_subscription_invoice',
      '✔ neobank: behaviour truth',
      '✔ neobank: content checksums',
      '✔ neobank: warehouse.duckdb views',
    ]);
    // Every step that ran for a second or more was redrawn several times while it ran, not only on its own updates.
    const long = done.filter((d) => d.seconds >= 1);
    expect(long.length).toBeGreaterThan(0);
    for (const d of long) {
      const label = d.line.slice(2).replace(/ \d+ Parquet files?.*| \d+\/\d+.*| \(.*$/, '');
      const states = new Set(framesOf(frames, label.split(': ')[1]));
      expect(states.size, `${label} ran ${d.seconds}s`).toBeGreaterThanOrEqual(3);
    }
    // A step of known size is a bar with counts and percentage.
    expect(frames.some((f) => /^▸ neobank: content checksums [█░]{24} \d+\/11 \d+%/.test(f))).toBe(true);
    expect(frames.some((f) => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] neobank: fact_card_transaction \d+\.\ds/.test(f))).toBe(true);
    // Colour when NO_COLOR is unset.
    expect(warehouseTerminal).toContain('\x1b[32m✔\x1b[0m neobank: dimensions');
  });

  it('keeps the line live through the JS-heavy comms analysis, and run.json accounts for the whole run', async () => {
    const g = await runDnr(['gen-comms', '--archetype', 'neobank', '--warehouse', dirs.wh, '--meta', dirs.meta, '--out', dirs.comms, '--slack', '800', '--email', '200', '--nlq', '250'], { cwd: tmp.dir });
    expect(g.exitCode, g.stderr).toBe(0);
    // Not a terminal: one plain line per finished step, no escape codes.
    const lines = g.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) expect(l).toMatch(/^- gen-comms: [^:]+: .*\(\d+\.\ds\)$/);
    expect(g.stderr).toContain('- gen-comms: scrub PII, cap tokens, build tables: ');
    expect(g.stderr).not.toContain('\x1b');

    const out = path.join(tmp.dir, 'report');
    const r = await runDnrInPty(['run-report', '--warehouse', dirs.wh, '--comms', dirs.comms, '--meta', dirs.meta, '--out', out, '--no-llm', '--engine', 'rules', '--run-id', 'pty'], {
      cwd: tmp.dir,
      env: { NO_COLOR: '1' },
      typescript: typescriptPath(tmp.dir, 'run-report'),
    });
    expect(r.exitCode, r.raw).toBe(0);
    const frames = liveFrames(r.raw);
    // The lexicon pass is JS work on the main thread: it yields per chunk, so its bar moves through several counts.
    const lexicon = framesOf(frames, 'comms: lexicon evidence over').filter((f) => f.startsWith('▸'));
    const counts = new Set(lexicon.map((f) => /(\d[\d,]*)\/[\d,]+ \d+%/.exec(f)?.[1]));
    expect(counts.size).toBeGreaterThanOrEqual(3);
    expect(finishedSteps(frames).map((d) => d.line)).toContainEqual(expect.stringMatching(/^✔ comms: rules classification [\d,]+\/[\d,]+ \(/));
    // NO_COLOR: cursor movement only, no colour codes.
    expect(r.raw).not.toMatch(COLOUR);

    const run = JSON.parse(readFileSync(path.join(tmp.dir, 'runs', 'pty', 'run.json'), 'utf8')) as { duration_s: number; stage_seconds: Record<string, number> };
    const sum = Object.values(run.stage_seconds).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - run.duration_s)).toBeLessThanOrEqual(0.011);
    expect(Object.keys(run.stage_seconds)).toEqual(
      expect.arrayContaining(['load warehouse', 'comms: rules classification', 'comms: prefilter threads', 'data-health metrics', 'write report and figures', 'other']),
    );
    // Named stages cover nearly everything: what runs between them stays small.
    expect(run.stage_seconds.other).toBeLessThan(run.duration_s * 0.1);
  });

  it('--quiet and --json print nothing on the terminal', async () => {
    for (const flag of ['--quiet', '--json']) {
      const r = await runDnrInPty(['validate', '--warehouse', dirs.wh, '--only', 'schema', '--out', path.join(tmp.dir, `qc${flag}`), flag], {
        cwd: tmp.dir,
        typescript: typescriptPath(tmp.dir, `quiet${flag}`),
      });
      expect(r.exitCode).toBe(0);
      expect(r.raw).toBe('');
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runDnr, tempDir } from './helpers/cli.js';
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
      // From the start of the command (module and config loading) to its first own step.
      '✔ loading',
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
      const states = new Set(framesOf(frames, label.split(': ').at(-1)!));
      expect(states.size, `${label} ran ${d.seconds}s`).toBeGreaterThanOrEqual(3);
    }
    // A step of known size (the card transactions' chunks) is a bar with counts and percentage.
    expect(frames.some((f) => /^▸ neobank: fact_card_transaction [█░]{24} \d+\/\d+ \d+%/.test(f))).toBe(true);
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
    const lexicon = framesOf(frames, 'comms: lexicon evidence').filter((f) => f.startsWith('▸'));
    const counts = new Set(lexicon.map((f) => /(\d[\d,]*)\/[\d,]+ \d+%/.exec(f)?.[1]));
    expect(counts.size).toBeGreaterThanOrEqual(3);
    expect(finishedSteps(frames).map((d) => d.line)).toContainEqual(expect.stringMatching(/^✔ comms: rules classification [\d,]+\/[\d,]+ \(/));
    // NO_COLOR: cursor movement only, no colour codes.
    expect(r.raw).not.toMatch(COLOUR);

    const run = JSON.parse(readFileSync(path.join(tmp.dir, 'runs', 'pty', 'run.json'), 'utf8')) as {
      duration_s: number;
      stage_seconds: Record<string, number>;
      stage_counts: Record<string, { done: number; total: number }>;
    };
    const sum = Object.values(run.stage_seconds).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - run.duration_s)).toBeLessThanOrEqual(0.011);
    expect(Object.keys(run.stage_seconds)).toEqual(
      expect.arrayContaining(['load warehouse', 'comms: rules classification', 'comms: prefilter threads', 'data-health metrics', 'write report and figures', 'other']),
    );
    // Keys are step ids, the same whatever the corpus size: counts are fields of their own.
    for (const key of Object.keys(run.stage_seconds)) expect(key).not.toMatch(/\d/);
    expect(Object.keys(run.stage_counts).every((k) => k in run.stage_seconds)).toBe(true);
    const lexiconDone = finishedSteps(frames).find((d) => d.line.startsWith('✔ comms: lexicon evidence '));
    expect(lexiconDone?.line).toMatch(/^✔ comms: lexicon evidence [\d,]+\/[\d,]+ \(/);
    const messages = Number(/([\d,]+)\/([\d,]+)/.exec(lexiconDone!.line)![2].replaceAll(',', ''));
    expect(messages).toBeGreaterThan(800);
    expect(run.stage_counts['comms: lexicon evidence']).toEqual({ done: messages, total: messages });
    expect(run.stage_counts['comms: rules classification'].total).toBeGreaterThan(0);
    // Named stages cover nearly everything: what runs between them stays small.
    expect(run.stage_seconds.other).toBeLessThan(run.duration_s * 0.1);
  });

  // Every command but the quick ones (config, init, help): found from the build, so a new command is covered.
  const heavy = readdirSync(path.join(REPO_ROOT, 'packages', 'cli', 'dist', 'commands'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.replace(/\.js$/, ''))
    .filter((id) => !['config', 'init'].includes(id));
  const required: Record<string, string[]> = { 'gen-warehouse': ['--archetype', 'neobank'], 'gen-comms': ['--archetype', 'neobank'], 'run-report': ['--warehouse', 'data'], 'eval-labels': ['--pred', 'runs/x'] };

  it.each(heavy)('%s: the first thing on the terminal is the "loading" line, cleared for an error that comes before any step', async (id) => {
    // An enum typo in the environment: the command loads, then stops at its config with exit 2.
    const r = await runDnrInPty([id, ...(required[id] ?? [])], { cwd: tmp.dir, env: { NO_COLOR: '1', DNR_WAREHOUSE__QUALITY: 'typcal' }, typescript: typescriptPath(tmp.dir, `loading-${id}`) });
    expect(r.exitCode, r.raw).toBe(2);
    const frames = liveFrames(r.raw);
    expect(frames[0], r.raw).toMatch(/^⠋ loading \d+\.\ds$/);
    expect(r.raw).toContain('Error: Invalid configuration:');
    expect(r.raw).toContain('Did you mean "typical"?');
    // Cleared, not left as a ✔ or ✖ record: the error is what the user reads.
    expect(r.raw).not.toMatch(/[✔✖] loading/);
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

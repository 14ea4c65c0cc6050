import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runDnr, tempDir, type CliResult } from './helpers/cli.js';

const CLI = path.join(REPO_ROOT, 'packages', 'cli');
const MANIFEST = path.join(CLI, 'oclif.manifest.json');
/** Every command the build produced: a new command is covered without touching this test. */
const COMMANDS = readdirSync(path.join(CLI, 'dist', 'commands'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.replace(/\.js$/, ''))
  .sort();
const HEAVY = /(@duckdb\/node-api|\bopenai\b|\btiktoken\b|parquet-wasm|apache-arrow|\bvega\b|vega-lite|\bsharp\b)/;
const TRACKER = pathToFileURL(path.join(REPO_ROOT, 'tests', 'helpers', 'module-tracker.mjs')).href;

let tmp: ReturnType<typeof tempDir>;
let runs = 0;
beforeAll(() => {
  tmp = tempDir('dnr-startup-');
});
afterAll(() => tmp.cleanup());

/** Run dnr and list the heavy modules it loaded (ESM imports and CommonJS requires). */
async function runTracked(args: string[]): Promise<CliResult & { heavy: string[] }> {
  const file = path.join(tmp.dir, `modules-${runs++}.txt`);
  const r = await runDnr(args, { cwd: tmp.dir, env: { DNR_TRACK_MODULES: file, NODE_OPTIONS: `--import=${TRACKER}` } });
  const loaded = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  rmSync(file, { force: true });
  expect(loaded.length, 'the module tracker recorded nothing').toBeGreaterThan(10);
  return { ...r, heavy: [...new Set(loaded.filter((l) => HEAVY.test(l.split(' ')[1] ?? '')).map((l) => l.split(' ')[1]))] };
}

describe('start-up: the oclif manifest', () => {
  it('lists every built command with its flags and examples', () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { commands: Record<string, { examples?: string[]; flags: Record<string, unknown> }> };
    expect(Object.keys(manifest.commands).sort()).toEqual(COMMANDS);
    expect(COMMANDS).toEqual(expect.arrayContaining(['config', 'gen-comms', 'gen-warehouse', 'init', 'quickstart', 'run-report', 'validate']));
    for (const id of COMMANDS) {
      expect(manifest.commands[id].examples?.length, `${id} has no examples`).toBeGreaterThan(0);
      expect(Object.keys(manifest.commands[id].flags)).toEqual(expect.arrayContaining(['json', 'quiet', 'config']));
    }
  });

  it('no package compiles its unit tests into dist/', () => {
    for (const pkg of readdirSync(path.join(REPO_ROOT, 'packages'))) {
      const tsconfig = path.join(REPO_ROOT, 'packages', pkg, 'tsconfig.json');
      if (!existsSync(tsconfig)) continue;
      expect(JSON.parse(readFileSync(tsconfig, 'utf8')).exclude, `${pkg}/tsconfig.json`).toContain('src/**/*.test.ts');
    }
  });
});

describe('start-up: help and version load no heavy module', () => {
  it('--version and --help', async () => {
    const v = await runTracked(['--version']);
    expect(v.exitCode).toBe(0);
    expect(v.stdout).toMatch(/^@dnr\/cli\/\d+\.\d+\.\d+ /);
    expect(v.heavy).toEqual([]);
    const h = await runTracked(['--help']);
    expect(h.exitCode).toBe(0);
    for (const id of COMMANDS) expect(h.stdout).toContain(id);
    expect(h.heavy).toEqual([]);
  });

  it.each(COMMANDS)('%s: --help, -h and `dnr help %s` show the same help', async (id) => {
    const outputs: string[] = [];
    for (const args of [[id, '--help'], [id, '-h'], ['help', id]]) {
      const r = await runTracked(args);
      expect(r.exitCode, `dnr ${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/USAGE[\s\S]*FLAGS[\s\S]*EXAMPLES/);
      expect(r.heavy, `dnr ${args.join(' ')}`).toEqual([]);
      outputs.push(r.stdout);
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });

  // validate reads its gate families (the --only choices) from @dnr/validate when the command loads.
  it.each(COMMANDS.filter((id) => id !== 'validate'))('%s: a flag typo fails before any heavy module loads', async (id) => {
    const r = await runTracked([id, '--no-such-flag']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${id} has no flag --no-such-flag.`);
    expect(r.heavy).toEqual([]);
  });
});

describe('mistakes get named', () => {
  it('an unknown command names the nearest one and exits 2', async () => {
    const r = await runDnr(['gen-warehose', '--archetype', 'neobank']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('Error: "gen-warehose" is not a dnr command. Did you mean "dnr gen-warehouse"?\nHint: Run `dnr help` for the list of commands.\n');
    expect(r.stdout).toBe('');
    const far = await runDnr(['deploy']);
    expect(far.exitCode).toBe(2);
    expect(far.stderr).toMatch(/^Error: "deploy" is not a dnr command\.\n/);
  });

  it('help for an unknown command does the same; --json puts the error on stdout', async () => {
    for (const args of [['help', 'quikstart'], ['quikstart', '--help']]) {
      const r = await runDnr(args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('Did you mean "dnr quickstart"?');
    }
    const j = await runDnr(['run-reprot', '--json']);
    expect(j.exitCode).toBe(2);
    expect(JSON.parse(j.stdout).error).toMatchObject({ exitCode: 2, message: expect.stringContaining('Did you mean "dnr run-report"?') });
  });

  it('a misspelt root flag names the nearest one (long, short or partial) and exits 2', async () => {
    for (const [typed, meant] of [['--verison', '--version'], ['--hlep', '--help'], ['-v', '--version'], ['--vers', '--version']]) {
      const r = await runDnr([typed]);
      expect(r.exitCode, typed).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr, typed).toMatch(new RegExp(`^Error: dnr has no flag ${typed}\\. Did you mean dnr ${meant}\\?`));
    }
    const far = await runDnr(['--colour']);
    expect(far.exitCode).toBe(2);
    expect(far.stderr).toMatch(/^Error: dnr has no flag --colour\. Command flags go after the command/);
  });

  it.each(COMMANDS)('%s: words it does not take are named as unexpected arguments (exit 2), before or after its flags', async (id) => {
    const given = id === 'init' ? ['my-folder', 'extra-arg'] : ['extra-arg'];
    const takes = id === 'init' ? 'takes at most 1 argument' : 'takes no arguments';
    for (const args of [[id, ...given], [id, '--quiet', ...given]]) {
      const r = await runDnr(args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr, args.join(' ')).toBe(`Error: dnr ${id} ${takes}: unexpected argument "extra-arg".\nHint: Run \`dnr ${id} --help\` for its flags and examples.\n`);
    }
  });

  it('a bad flag value the command checks itself points at that command\'s help too', async () => {
    for (const [args, message] of [
      [['run-report', '--warehouse', 'data/neobank', '--window', '3Od'], 'Error: --window 3Od is not a number of days; expected e.g. 30d or 30.'],
      [['gen-warehouse', '--archetype', 'neobank', '--months', '0'], 'Error: --months 0 is out of range: expected 1–120.'],
    ] as const) {
      const r = await runDnr([...args]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toBe(`${message}\nHint: Run \`dnr ${args[0]} --help\` for its flags and examples.\n`);
    }
  });

  it('a flag typed without its dashes is named as the flag', async () => {
    const r = await runDnr(['gen-warehouse', 'archetype', 'neobank']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('dnr gen-warehouse takes no arguments: unexpected arguments "archetype neobank". Did you mean dnr gen-warehouse --archetype neobank?');
    const after = await runDnr(['gen-warehouse', '--archetype', 'neobank', 'seed', '7']);
    expect(after.exitCode).toBe(2);
    expect(after.stderr).toContain('dnr gen-warehouse takes no arguments: unexpected arguments "seed 7". Did you mean --seed?');
  });

  it('a mistyped flag or option value names the nearest valid one and the real help command', async () => {
    const flag = await runDnr(['gen-warehouse', '--archetype', 'neobank', '--sead=3']);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toBe('Error: gen-warehouse has no flag --sead. Did you mean --seed?\nHint: Run `dnr gen-warehouse --help` for its flags and examples.\n');
    const value = await runDnr(['gen-warehouse', '--archetype', 'marketplce']);
    expect(value.exitCode).toBe(2);
    expect(value.stderr).toContain('--archetype marketplce is not one of: neobank, marketplace. Did you mean --archetype marketplace?');
    const missing = await runDnr(['run-report', '--comms', 'x']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('Missing required flag --warehouse');
    expect(missing.stderr).toContain('Hint: Run `dnr run-report --help`');
    const json = await runDnr(['validate', '--strikt', '--json']);
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout).error).toMatchObject({ exitCode: 2, message: 'validate has no flag --strikt. Did you mean --strict?' });
  });
});

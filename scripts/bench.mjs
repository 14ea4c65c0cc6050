#!/usr/bin/env node
/**
 * `pnpm bench [-- --scale evaluation] [--steps gen-warehouse,...|startup] [--archetypes neobank,marketplace] [--work DIR] [--keep] [--no-startup] [--startup-runs N]`
 *
 * A small step runner (README (Performance)): each step spawns the real CLI (`node packages/cli/bin/run.js …`),
 * and records wall time, rows/s and peak RSS per archetype into reports/bench/bench.json.
 * Peak RSS comes from `/usr/bin/time -v` when available, else from a wrapper that runs the CLI
 * in-process and reports process.resourceUsage().maxRSS. It is a benchmark, not a timed test.
 *
 * Start-up is measured on every run (unless --no-startup; `--steps startup` runs only it): `dnr --version`, `dnr --help`,
 * `dnr <command> --help` and `dnr config` (median of several runs, target ≤ 0.6 s on the 2-core machine) next to a bare
 * `node -e ''` for the Node.js floor, through the same harness as the steps (`measure`); once, not per archetype.
 *
 * To add a step, append to STEPS: { name, args(ctx) → CLI args, rows(json, ctx) → rows processed } (or a
 * `script` to run instead of the CLI). After gen-warehouse and sql-baseline, gen-warehouse's entry gets
 * `baseline_ratio` (its wall time over the baseline's).
 * ctx = { archetype, scale, dirs: { data, comms, reports, meta, runs } (per-archetype folders under the work dir) }.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'run.js');

export const STEPS = [
  {
    name: 'gen-warehouse',
    args: ({ archetype, scale, dirs }) => ['gen-warehouse', '--archetype', archetype, '--scale', scale, '--out', dirs.data, '--meta', dirs.meta],
    rows: (json) => json.rowsTotal,
  },
  {
    // Plain DuckDB SQL writing the same row counts (hash-based columns, ZSTD Parquet): gen-warehouse's yardstick (target ≤ 2×).
    name: 'sql-baseline',
    script: path.join(ROOT, 'scripts', 'bench-baseline.mjs'),
    args: ({ dirs }) => [dirs.data, `${dirs.data}-sql-baseline`],
    rows: (json) => json.rows,
  },
  {
    name: 'gen-comms',
    args: ({ archetype, dirs }) => ['gen-comms', '--archetype', archetype, '--warehouse', dirs.data, '--out', dirs.comms, '--meta', dirs.meta],
    rows: (json) => json.counts.slack_messages + json.counts.email_messages + json.counts.nlq,
  },
  {
    // Offline report (README (Performance) target ≤ 20 s per archetype); rows = warehouse rows measured.
    name: 'run-report',
    args: ({ dirs }) => ['run-report', '--warehouse', dirs.data, '--comms', dirs.comms, '--out', dirs.reports, '--meta', dirs.meta, '--no-llm'],
    rows: (_json, { dirs }) => Object.values(JSON.parse(readFileSync(path.join(dirs.data, 'manifest.json'), 'utf8')).tables).reduce((a, t) => a + t.rows, 0),
  },
  {
    // Offline rules-engine classification + the report (themes on, zero spend).
    name: 'run-report-rules',
    args: ({ archetype, dirs }) => ['run-report', '--warehouse', dirs.data, '--comms', dirs.comms, '--out', `${dirs.reports}-rules`, '--meta', dirs.meta, '--engine', 'rules', '--no-llm', '--run-id', `bench-${archetype}-rules`],
    rows: (_json, { dirs }) => Object.values(JSON.parse(readFileSync(path.join(dirs.comms, 'manifest.json'), 'utf8')).files ?? {}).reduce((a, f) => a + (f.rows ?? 0), 0),
  },
  {
    name: 'eval-labels',
    args: ({ archetype, dirs }) => ['eval-labels', '--pred', path.join('runs', `bench-${archetype}-rules`, 'preds'), '--labels', dirs.meta, '--out', path.join(dirs.reports, '..', 'eval', archetype)],
    rows: (json) => Object.values(json.metrics.sources).reduce((a, src) => a + src.labelled, 0),
  },
  {
    name: 'validate',
    args: ({ dirs }) => ['validate', '--warehouse', dirs.data, '--comms', dirs.comms, '--meta', dirs.meta, '--out', path.join(dirs.reports, 'qc')],
    rows: (_json, { dirs }) => Object.values(JSON.parse(readFileSync(path.join(dirs.data, 'manifest.json'), 'utf8')).tables).reduce((a, t) => a + t.rows, 0),
  },
];

/** Start-up commands timed by the `startup` step; the first is Node's own floor. */
export const STARTUP = [
  { name: "node -e ''", argv: ['-e', ''] },
  { name: 'dnr --version', argv: [CLI, '--version'] },
  { name: 'dnr --help', argv: [CLI, '--help'] },
  { name: 'dnr gen-warehouse --help', argv: [CLI, 'gen-warehouse', '--help'] },
  { name: 'dnr config', argv: [CLI, 'config'] },
];
const STARTUP_TARGET_S = 0.6;

/**
 * Start-up through the same harness as the steps (`measure`: the same spawn, /usr/bin/time wrapper and
 * environment): one warm-up run, then `runs` runs of each command; median, min and max wall time, median CPU
 * time (user + sys: it barely moves with the machine's load) and peak RSS. `runs`: timed runs per command (default 7).
 */
async function benchStartup(runs) {
  const round = (x) => Math.round(x * 1000) / 1000;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const entries = [];
  for (const { name, argv } of STARTUP) {
    const timed = [];
    for (let i = 0; i <= runs; i++) {
      const r = await measure(argv);
      if (r.code !== 0) throw new Error(`${name} exited ${r.code}: ${r.stderr}`);
      if (i > 0) timed.push(r);
    }
    const walls = timed.map((r) => r.wall);
    const cpus = timed.map((r) => r.cpuS).filter((c) => c !== null);
    const rss = timed.map((r) => r.rssKb).filter((k) => k !== null);
    const entry = {
      command: name,
      runs,
      median_s: round(median(walls)),
      min_s: round(Math.min(...walls)),
      max_s: round(Math.max(...walls)),
      median_cpu_s: cpus.length ? round(median(cpus)) : null,
      peak_rss_mb: rss.length ? Math.round(Math.max(...rss) / 1024) : null,
      target_s: name.startsWith('dnr') ? STARTUP_TARGET_S : null,
    };
    entry.meets_target = entry.target_s === null ? null : entry.median_s <= entry.target_s;
    process.stderr.write(`▸ startup ${name}: median ${entry.median_s}s wall, ${entry.median_cpu_s ?? '?'}s CPU (min ${entry.min_s}, max ${entry.max_s}) over ${runs} runs\n`);
    entries.push(entry);
  }
  return entries;
}

function parseArgs(argv) {
  const opts = { scale: 'evaluation', steps: null, startup: true, startupRuns: 7, archetypes: ['neobank', 'marketplace'], work: null, keep: false, out: path.join(ROOT, 'reports', 'bench', 'bench.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--scale') opts.scale = val();
    else if (a === '--steps') opts.steps = val().split(',');
    else if (a === '--archetypes') opts.archetypes = val().split(',').filter(Boolean);
    else if (a === '--work') opts.work = path.resolve(val());
    else if (a === '--out') opts.out = path.resolve(val());
    else if (a === '--keep') opts.keep = true;
    else if (a === '--no-startup') opts.startup = false;
    else if (a === '--startup-runs') opts.startupRuns = Number(val());
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a} (expected --scale, --steps, --archetypes, --work, --out, --keep, --no-startup, --startup-runs N)`);
  }
  if (!(Number.isInteger(opts.startupRuns) && opts.startupRuns >= 1)) throw new Error('--startup-runs: expected a whole number ≥ 1');
  if (!['small', 'evaluation', 'large'].includes(opts.scale)) throw new Error(`--scale ${opts.scale}: expected small, evaluation or large`);
  const known = ['startup', ...STEPS.map((s) => s.name)];
  for (const s of opts.steps ?? []) if (!known.includes(s)) throw new Error(`--steps: unknown step ${s} (known: ${known.join(', ')})`);
  return opts;
}

const hasGnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true'], { stdio: 'ignore' }).status === 0;

/**
 * The harness every measurement goes through: spawn `node …argv` from the repo root with NO_COLOR, under
 * `/usr/bin/time -v` when present (peak RSS and user + sys CPU seconds), else under the in-process wrapper (peak
 * RSS only, for the CLI). Resolves { code, wall (s), rssKb, cpuS, stdout, stderr }.
 */
function measure(argv) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dnr-bench-'));
  const rssFile = path.join(tmp, 'rss');
  const cmd = hasGnuTime ? '/usr/bin/time' : process.execPath;
  const full = hasGnuTime ? ['-v', '-o', rssFile, process.execPath, ...argv] : argv[0] === CLI ? [fileURLToPath(import.meta.url), '--child', rssFile, '--', ...argv.slice(1)] : argv;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, full, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      let rssKb = null;
      let cpuS = null;
      try {
        const text = readFileSync(rssFile, 'utf8');
        rssKb = hasGnuTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1]) : Number(text);
        if (hasGnuTime) cpuS = Number(/User time \(seconds\): ([\d.]+)/.exec(text)?.[1]) + Number(/System time \(seconds\): ([\d.]+)/.exec(text)?.[1]);
      } catch {
        rssKb = null;
      }
      rmSync(tmp, { recursive: true, force: true });
      resolve({ code, wall, rssKb, cpuS: Number.isFinite(cpuS) ? cpuS : null, stdout, stderr });
    });
  });
}

/** One bench step: the CLI (or a script) with --json, through `measure`; the JSON result parsed when there is one. */
async function runStep(args, script = CLI) {
  const r = await measure([script, ...args, ...(script === CLI ? ['--json'] : [])]);
  let json = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = null;
  }
  return { ...r, json };
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const work = opts.work ?? mkdtempSync(path.join(os.tmpdir(), 'dnr-bench-work-'));
  const steps = STEPS.filter((s) => !opts.steps || opts.steps.includes(s.name));
  if (opts.steps?.length === 1 && opts.steps[0] === 'startup') opts.archetypes = [];
  const results = [];
  let failed = false;
  // Start-up is always measured (about a minute): a partial run (--steps) records it too.
  const startup = opts.startup ? await benchStartup(opts.startupRuns) : null;
  for (const archetype of opts.archetypes) {
    const dirs = Object.fromEntries(['data', 'comms', 'reports', 'meta', 'runs'].map((k) => [k, path.join(work, k, archetype)]));
    for (const step of steps) {
      const ctx = { archetype, scale: opts.scale, dirs, work };
      const args = step.args(ctx);
      process.stderr.write(`▸ ${step.name} ${archetype} (${opts.scale}) … `);
      const r = await runStep(args, step.script);
      const rows = r.json && step.rows ? step.rows(r.json, ctx) : null;
      const entry = {
        step: step.name,
        archetype,
        scale: opts.scale,
        exit_code: r.code,
        wall_s: Math.round(r.wall * 100) / 100,
        cpu_s: r.cpuS === null ? null : Math.round(r.cpuS * 100) / 100,
        rows: rows ?? null,
        rows_per_s: rows ? Math.round(rows / r.wall) : null,
        peak_rss_mb: r.rssKb ? Math.round(r.rssKb / 1024) : null,
        command: (step.script ? ['node', path.relative(ROOT, step.script), ...args] : ['dnr', ...args]).join(' '),
      };
      results.push(entry);
      process.stderr.write(`${entry.wall_s}s, ${entry.rows_per_s?.toLocaleString('en-US') ?? '?'} rows/s, peak RSS ${entry.peak_rss_mb ?? '?'} MB${r.code ? ` (exit ${r.code})` : ''}\n`);
      const gen = results.find((x) => x.step === 'gen-warehouse' && x.archetype === archetype);
      if (step.name === 'sql-baseline' && gen && r.code === 0) {
        gen.baseline_ratio = Math.round((gen.wall_s / entry.wall_s) * 100) / 100;
        process.stderr.write(`  gen-warehouse ${archetype}: ${gen.baseline_ratio}× the plain-SQL baseline (${entry.wall_s}s)\n`);
      }
      if (r.code !== 0) {
        failed = true;
        process.stderr.write(r.stderr.split('\n').slice(-8).join('\n') + '\n');
      }
    }
  }
  const report = {
    scale: opts.scale,
    generated_at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? null, total_mem_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, load_avg_1m: os.loadavg()[0] },
    rss_source: hasGnuTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS (in-process wrapper)',
    startup,
    steps: results,
  };
  mkdirSync(path.dirname(opts.out), { recursive: true });
  const tmpOut = `${opts.out}.tmp-${process.pid}`;
  writeFileSync(tmpOut, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(tmpOut, opts.out);
  process.stderr.write(`wrote ${path.relative(ROOT, opts.out)}\n`);
  if (!opts.keep && !opts.work) rmSync(work, { recursive: true, force: true });
  if (failed) process.exitCode = 1;
}

// In-process wrapper mode: run the CLI here, then report this process's peak RSS.
if (process.argv[2] === '--child') {
  const rssFile = process.argv[3];
  process.argv = [process.argv[0], CLI, ...process.argv.slice(5)];
  process.on('exit', () => writeFileSync(rssFile, String(process.resourceUsage().maxRSS)));
  await import(pathToFileURL(CLI).href);
} else {
  await main();
}

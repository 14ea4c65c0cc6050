#!/usr/bin/env node
/**
 * `pnpm bench [-- --scale evaluation] [--steps gen-warehouse,...] [--archetypes neobank,marketplace] [--work DIR] [--keep]`
 *
 * A small step runner (README (Performance)): each step spawns the real CLI (`node packages/cli/bin/run.js …`),
 * and records wall time, rows/s and peak RSS per archetype into reports/bench/bench.json.
 * Peak RSS comes from `/usr/bin/time -v` when available, else from a wrapper that runs the CLI
 * in-process and reports process.resourceUsage().maxRSS. It is a benchmark, not a timed test.
 *
 * The `startup` step times `dnr --version`, `dnr --help` and `dnr <command> --help` (median of several runs, target
 * ≤ 0.6 s on the 2-core machine) next to a bare `node -e ''` for the Node.js floor; it runs once, not per archetype.
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
const STARTUP_RUNS = 7;
const STARTUP_TARGET_S = 0.6;

/**
 * Median, min and max wall time of STARTUP_RUNS runs of each start-up command (after one warm-up run), and the
 * median CPU time (user + sys, from /usr/bin/time when present): CPU time barely moves with the machine's load.
 */
function benchStartup() {
  const round = (x) => Math.round(x * 1000) / 1000;
  const cpuFile = path.join(os.tmpdir(), `dnr-bench-cpu-${process.pid}`);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return STARTUP.map(({ name, argv }) => {
    const walls = [];
    const cpus = [];
    for (let i = 0; i <= STARTUP_RUNS; i++) {
      const [cmd, args] = hasGnuTime ? ['/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, process.execPath, ...argv]] : [process.execPath, argv];
      const t0 = performance.now();
      const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      const wall = (performance.now() - t0) / 1000;
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
      if (i === 0) continue;
      walls.push(wall);
      if (hasGnuTime) cpus.push(readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0));
    }
    rmSync(cpuFile, { force: true });
    const entry = {
      command: name,
      runs: STARTUP_RUNS,
      median_s: round(median(walls)),
      min_s: round(Math.min(...walls)),
      max_s: round(Math.max(...walls)),
      median_cpu_s: cpus.length ? round(median(cpus)) : null,
      target_s: name.startsWith('dnr') ? STARTUP_TARGET_S : null,
    };
    process.stderr.write(`▸ startup ${name}: median ${entry.median_s}s wall, ${entry.median_cpu_s ?? '?'}s CPU (min ${entry.min_s}, max ${entry.max_s}) over ${STARTUP_RUNS} runs\n`);
    return entry;
  });
}

function parseArgs(argv) {
  const opts = { scale: 'evaluation', steps: null, archetypes: ['neobank', 'marketplace'], work: null, keep: false, out: path.join(ROOT, 'reports', 'bench', 'bench.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--scale') opts.scale = val();
    else if (a === '--steps') opts.steps = val().split(',');
    else if (a === '--archetypes') opts.archetypes = val().split(',');
    else if (a === '--work') opts.work = path.resolve(val());
    else if (a === '--out') opts.out = path.resolve(val());
    else if (a === '--keep') opts.keep = true;
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a} (expected --scale, --steps, --archetypes, --work, --out, --keep)`);
  }
  if (!['small', 'evaluation', 'large'].includes(opts.scale)) throw new Error(`--scale ${opts.scale}: expected small, evaluation or large`);
  const known = ['startup', ...STEPS.map((s) => s.name)];
  for (const s of opts.steps ?? []) if (!known.includes(s)) throw new Error(`--steps: unknown step ${s} (known: ${known.join(', ')})`);
  return opts;
}

const hasGnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true'], { stdio: 'ignore' }).status === 0;

function runStep(args, script = CLI) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dnr-bench-'));
  const rssFile = path.join(tmp, 'rss');
  const cmd = hasGnuTime ? '/usr/bin/time' : process.execPath;
  const full = hasGnuTime
    ? ['-v', '-o', rssFile, process.execPath, script, ...args, '--json']
    : script === CLI
      ? [fileURLToPath(import.meta.url), '--child', rssFile, '--', ...args, '--json']
      : [script, ...args];
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
      try {
        const text = readFileSync(rssFile, 'utf8');
        rssKb = hasGnuTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1]) : Number(text);
      } catch {
        rssKb = null;
      }
      rmSync(tmp, { recursive: true, force: true });
      let json = null;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = null;
      }
      resolve({ code, wall, rssKb, json, stderr });
    });
  });
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
  const results = [];
  let failed = false;
  const startup = !opts.steps || opts.steps.includes('startup') ? benchStartup() : null;
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

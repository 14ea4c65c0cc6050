import { rmSync } from 'node:fs';
import path from 'node:path';
import {
  commsWarehouseMismatch,
  GateFailedError,
  makeScratchDir,
  openDuckDB,
  closeDuckDB,
  pausePoint,
  queryRows,
  sqlString,
  writeFileAtomic,
  writeJsonAtomic,
  Progress,
  type Config,
  type StepTiming,
} from '@dnr/core';
import { analyzeComms, commsNotMeasured, llmSummaryLine } from './comms-analysis/index.js';
import type { CommsAnalysis } from './comms-analysis/types.js';
import { figureCatalog, writeFigures } from './figures/index.js';
import { asInputError, checkCommsNotEmpty, commsFingerprint, verifyInputs } from './load/inputs.js';
import { attachWarehouse } from './load/warehouse.js';
import { computeDataHealth, computeKpis, eventRecall } from './metrics/index.js';
import { readInjectedEvents } from './metrics/truth.js';
import { addDays, resolveWindow } from './metrics/window.js';
import { DataHealthSchema, type DataHealth } from './schemas/data-health.js';
import { RunRecordSchema } from './schemas/run.js';
import { ThemesSchema, type ThemesReport } from './schemas/themes.js';
import { computeRevenueAtRisk } from './scoring/revenue-at-risk.js';
import { scoreGaps } from './scoring/score.js';
import { renderDataHealthCsv } from './write/csv.js';
import { renderReportHtml } from './write/html/render.js';
import { buildReportDoc } from './write/report-doc.js';
import { renderMarkdown } from './write/doc.js';
import { buildExecSummary } from './write/summary.js';
import { renderThemesMd } from './write/themes-md.js';
import { openRunOutputs } from './outputs.js';

export interface RunReportOptions {
  /** A Parquet warehouse folder, or a DuckDB database file (then --contract is needed). */
  warehouseDir: string;
  /** Contract YAML describing the warehouse (default: the built-in contract its manifest names). */
  contractFile?: string;
  /** Comms folder; without one demand is not measured and the actions rest on data health alone. */
  commsDir?: string;
  /** Report folder; default {paths.reports}/{archetype}. */
  outDir?: string;
  /** Resolved config; report.window_days and classification.api_cap_usd already carry the flags. */
  config: Config;
  env: NodeJS.ProcessEnv;
  engine: 'llm' | 'rules';
  noLlm: boolean;
  strict: boolean;
  /**
   * Ground truth (a defects.json, or the folder holding it; for a dnr warehouse it must be the one its manifest
   * links): adds detected-vs-injected recall and precision to data_health.json. Never read without it.
   */
  truthPath?: string;
  /** How the caller names the report folder in messages (quickstart: its config path; default --out). */
  outFlag?: string;
  /** Replace outputs that hold another kind of dnr output or foreign files (those are kept, never deleted). */
  force?: boolean;
  /** Checksum every input table against its manifest (default: only tables whose files look touched). */
  verify?: boolean;
  runId?: string;
  /** Root of runs/ (default config.paths.runs). */
  runsDir?: string;
  progress?: Progress;
}

export interface RunReportResult {
  run_id: string;
  archetype: string;
  out_dir: string;
  run_dir: string;
  window: { start: string; end: string; days: number; tz: string };
  files: string[];
  /** The HTML page to open. */
  html: string;
  themes_status: 'ok' | 'skipped' | 'partial';
  /** Why themes are partial or skipped (null when ok). */
  themes_reason: string | null;
  /** LLM spend and outcome counts (classification, entity extraction); null when no LLM was used. */
  llm: CommsAnalysis['llm'];
  /** One line for the terminal: LLM spend against the caps and every failure count (null without LLM). */
  llm_summary: string | null;
  gap_source: 'comms_and_health' | 'health_only';
  actions: Array<{ rank: number; title: string; score: number; confidence: number }>;
  hidden_actions: number;
  failing_guardrails: string[];
  null_spike_days: number;
  strict_failures: string[];
  /** Things worth knowing that are not failures (e.g. a comms corpus generated from another warehouse). */
  warnings: string[];
}

const DUCKDB_MEMORY = '1GB';

/**
 * A folder as run.json records it: relative to the run folder when it lies in the same project (the folder
 * holding runs/), so a copied project still points at its own copy; absolute otherwise. Read back with
 * path.resolve(runDir, recorded).
 */
export function runRelativePath(runDir: string, dir: string): string {
  const abs = path.resolve(dir);
  const project = path.dirname(path.dirname(path.resolve(runDir)));
  const rel = path.relative(project, abs);
  const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  return inside ? path.relative(path.resolve(runDir), abs) : abs;
}
/** The self-contained HTML page of one report, inside its folder. */
export const REPORT_HTML = 'report.html';

/**
 * run.json stage_seconds: the top-level steps of this run (a repeated label adds up), and `other` for whatever
 * ran between them, so the stages sum to duration_s (seconds, 2 decimals).
 */
export function stageSeconds(steps: readonly StepTiming[], durationS: number): Record<string, number> {
  const round2 = (x: number) => Math.round(x * 100) / 100;
  const top = Math.min(...steps.map((t) => t.depth));
  const out: Record<string, number> = {};
  for (const t of steps) if (t.depth === top) out[t.label] = (out[t.label] ?? 0) + t.seconds;
  for (const k of Object.keys(out)) out[k] = round2(out[k]);
  out.other = round2(Math.max(0, durationS - Object.values(out).reduce((a, b) => a + b, 0)));
  return out;
}

/**
 * run.json stage_counts: what each top-level step of stage_seconds counted (items, messages, threads), under
 * the same key; steps that counted nothing are left out.
 */
export function stageCounts(steps: readonly StepTiming[]): Record<string, { done: number; total: number }> {
  const top = Math.min(...steps.map((t) => t.depth));
  const out: Record<string, { done: number; total: number }> = {};
  for (const t of steps) {
    if (t.depth !== top || (t.done === 0 && t.total === 0)) continue;
    const c = (out[t.label] ??= { done: 0, total: 0 });
    c.done += t.done;
    c.total += t.total;
  }
  return out;
}

/** The report folder's files (docs/outputs.md), written into the commit's staging folder; returns their relative paths. */
function writeReportFolder(
  report: ReturnType<typeof openRunOutputs>['report'],
  r: { dataHealth: DataHealth; themes: ThemesReport; summary: ReturnType<typeof buildExecSummary>; figures: ReturnType<typeof figureCatalog> },
): Promise<string[]> {
  // validate's qc/ inside a report folder is a separate dnr output: the commit carries it over.
  return report.commit(async (tmp) => {
    writeJsonAtomic(path.join(tmp, 'data_health.json'), r.dataHealth);
    writeFileAtomic(path.join(tmp, 'data_health.csv'), renderDataHealthCsv(r.dataHealth));
    writeJsonAtomic(path.join(tmp, 'themes.json'), r.themes);
    writeFileAtomic(path.join(tmp, 'themes.md'), renderThemesMd(r.themes));
    writeJsonAtomic(path.join(tmp, 'exec_summary.json'), r.summary);
    const figs = await writeFigures(path.join(tmp, 'figures'), r.figures);
    const doc = buildReportDoc(r.summary);
    writeFileAtomic(path.join(tmp, 'exec_summary.md'), renderMarkdown(doc));
    writeFileAtomic(path.join(tmp, REPORT_HTML), renderReportHtml(doc, tmp));
    return ['data_health.json', 'data_health.csv', 'themes.json', 'themes.md', 'exec_summary.json', 'exec_summary.md', REPORT_HTML, ...figs.map((f) => `figures/${f}`)];
  });
}

type RunOutputs = ReturnType<typeof openRunOutputs>;
type Stage = <T>(name: string, fn: () => Promise<T>) => Promise<T>;
type Connection = Awaited<ReturnType<typeof openDuckDB>>['connection'];

/**
 * Verify and attach the warehouse, resolve the report window (and the one before it), and compute data
 * health plus the previous window's KPIs; ground truth is read only when the run asked for it (--truth).
 * Errors of a contract's expressions come back as InputError naming the warehouse (exit 2).
 */
async function measureWarehouse(c: Connection, options: RunReportOptions, outputs: RunOutputs, stage: Stage) {
  const { config } = options;
  await stage('verify inputs', () => verifyInputs(c, { warehouse: outputs.source, commsDir: options.commsDir, full: options.verify ?? false }));
  const { wh, window } = await stage('load warehouse', async () => {
    const attached = await attachWarehouse(c, outputs.source, { defaultTz: config.warehouse.tz, rates: config.warehouse.currency_rates });
    if (options.commsDir) await checkCommsNotEmpty(c, options.commsDir);
    return { wh: attached, window: await resolveWindow(c, attached.facts, config.report.window_days, attached.tz, attached.manifest.end_date) };
  });
  const previousWindow = { ...window, start: addDays(window.start, -window.days), end: addDays(window.start, -1) };
  const health = await stage('data-health metrics', async () => {
    try {
      const measured = await computeDataHealth(c, wh, window, config);
      const previous = await computeKpis(c, wh.contract, previousWindow, wh.usd, wh.contractSource);
      return { ...measured, previousKpis: previous.values };
    } catch (error: unknown) {
      throw asInputError(error, `cannot compute data health over ${options.warehouseDir}`);
    }
  });
  if (outputs.truth) health.dataHealth.events.truth = { file: outputs.truth.file, by_kind: eventRecall(health.dataHealth.events.detected, readInjectedEvents(outputs.truth.file)) };
  const [endUtc] = await queryRows<{ t: Date }>(c, `SELECT utc_of_local_midnight(DATE ${sqlString(addDays(window.end, 1))}) AS t`);
  return { wh, window, previousWindow, ...health, windowEndUtc: new Date(endUtc.t) };
}

/**
 * The comms analysis of the run, or a "not measured" one saying why: no --comms, or a contract that is not a
 * built-in archetype's (the entity dictionary of the analysis is a built-in archetype's).
 */
function analyzeRunComms(
  options: RunReportOptions,
  outputs: RunOutputs,
  m: { dataHealth: DataHealth; window: Awaited<ReturnType<typeof measureWarehouse>>['window']; windowEndUtc: Date },
  runDir: string,
  outDir: string,
  progress: Progress,
): Promise<CommsAnalysis> {
  const archetype = outputs.source.archetype;
  if (!options.commsDir) return Promise.resolve(commsNotMeasured(options.config, 'no comms were given (--comms)'));
  if (!archetype) return Promise.resolve(commsNotMeasured(options.config, `the comms analysis supports the built-in contracts only, not ${outputs.archetype}`));
  return analyzeComms({
    archetype,
    commsDir: options.commsDir,
    events: m.dataHealth.events.detected,
    config: options.config,
    env: options.env,
    runDir,
    ledgerDir: outputs.run.path,
    outDir,
    engine: options.engine,
    noLlm: options.noLlm,
    windowEndUtc: m.windowEndUtc,
    window: m.window,
    progress,
  });
}

/** themes.json of a comms analysis: themes by demand (descending), then name. */
function themesReportOf(archetype: string, comms: CommsAnalysis): ThemesReport {
  return ThemesSchema.parse({
    schema_version: 1,
    archetype,
    status: comms.status,
    skipped_reason: comms.skippedReason,
    status_reason: comms.statusReason,
    engine: comms.engine,
    sources: comms.sources,
    budget: comms.budget,
    parse_errors: comms.parseErrors,
    themes: [...comms.themes].sort((a, b) => b.demand - a.demand || a.theme.localeCompare(b.theme)),
  });
}

/** Why `--strict` fails the run: sources below the coverage floor, a budget that forced an early stop. */
function strictFailuresOf(comms: CommsAnalysis, config: Config): string[] {
  const belowFloor = Object.entries(comms.sources)
    .filter(([, s]) => s.belowFloor)
    .map(([k]) => `source ${k} is below the ${config.budget.coverage_floor_pct}% coverage floor`);
  return [...belowFloor, ...(comms.budget.earlyStop ? ['the budget forced an early stop'] : [])];
}

/**
 * run.json: the run's identity, options, inputs (warehouse checksums, comms files), report folder and
 * outputs, with the only wall-clock values of a run (started/finished, duration_s and stage_seconds in
 * seconds, peak_rss_mb). Parsed with RunRecordSchema.
 */
function runRecordOf(r: {
  options: RunReportOptions;
  outputs: RunOutputs;
  runId: string;
  archetype: string;
  outDir: string;
  started: Date;
  durationS: number;
  steps: readonly StepTiming[];
  files: readonly string[];
  strictFailures: string[];
  manifestTables: Record<string, { checksum?: unknown }> | undefined;
}) {
  const { options, outputs } = r;
  const { config } = options;
  return RunRecordSchema.parse({
    run_id: r.runId,
    archetype: r.archetype,
    started_at: r.started.toISOString(),
    finished_at: new Date().toISOString(),
    duration_s: r.durationS,
    stage_seconds: stageSeconds(r.steps, r.durationS),
    stage_counts: stageCounts(r.steps),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    options: {
      warehouse: options.warehouseDir,
      comms: options.commsDir ?? null,
      contract: outputs.source.contractSource,
      out: r.outDir,
      window_days: config.report.window_days,
      engine: options.engine,
      no_llm: options.noLlm,
      api_cap_usd: config.classification.api_cap_usd,
      strict: options.strict,
      truth: options.truthPath ?? null,
    },
    inputs: {
      warehouse_checksums: Object.fromEntries(Object.entries(r.manifestTables ?? {}).map(([k, v]) => [k, String(v.checksum ?? '')])),
      comms_files: options.commsDir ? Object.keys(commsFingerprint(options.commsDir)) : [],
      comms_dir: options.commsDir ? runRelativePath(outputs.run.path, options.commsDir) : null,
      ...outputs.identity,
    },
    report: { out_dir: r.outDir, commit_id: outputs.report.commitId },
    outputs: r.files.map((f) => path.join(r.outDir, f)),
    strict_failures: r.strictFailures,
  });
}

/** What run-report returns to the command (and prints with --json). */
function resultOf(r: {
  runId: string;
  archetype: string;
  outDir: string;
  runPath: string;
  window: RunReportResult['window'];
  files: string[];
  comms: CommsAnalysis;
  scoring: Awaited<ReturnType<typeof scoreGaps>>;
  summary: ReturnType<typeof buildExecSummary>;
  dataHealth: DataHealth;
  strictFailures: string[];
  options: RunReportOptions;
}): RunReportResult {
  const { comms, options } = r;
  return {
    run_id: r.runId,
    archetype: r.archetype,
    out_dir: r.outDir,
    run_dir: r.runPath,
    window: r.window,
    files: r.files,
    html: path.join(r.outDir, REPORT_HTML),
    themes_status: comms.status,
    themes_reason: comms.skippedReason ?? comms.statusReason,
    llm: comms.llm,
    llm_summary: llmSummaryLine(comms.llm, comms.sources),
    gap_source: r.scoring.mode,
    actions: r.summary.actions.map((a) => ({ rank: a.rank, title: a.title, score: a.score, confidence: a.confidence })),
    hidden_actions: r.summary.hidden_actions.length,
    failing_guardrails: r.summary.data_health.failing_guardrails.map((g) => g.name),
    null_spike_days: r.dataHealth.null_spikes.spikes.length,
    strict_failures: r.strictFailures,
    warnings: [options.commsDir ? commsWarehouseMismatch(options.commsDir, options.warehouseDir) : undefined].filter((w): w is string => w !== undefined),
  };
}

/**
 * The run-report pipeline: load → prefilter → sample-to-fit → classify → entities
 * (comms analysis) → metrics → demand → scoring → write. Everything under outDir is written
 * atomically; runs/{run_id}/run.json carries the only wall-clock values.
 */
export async function runReport(options: RunReportOptions): Promise<RunReportResult> {
  const started = new Date();
  const t0 = performance.now();
  const { config } = options;
  const progress = options.progress ?? Progress.silent();
  // The command's "loading" line (module loading before this run) ends here: run.json accounts from t0 on.
  progress.endLead();
  const firstStep = progress.stepTimings().length;
  const stage = <T>(name: string, fn: () => Promise<T>): Promise<T> => progress.step(name, () => fn());

  const outputs = openRunOutputs({
    warehouseDir: options.warehouseDir,
    contractFile: options.contractFile,
    commsDir: options.commsDir,
    outDir: options.outDir,
    truthPath: options.truthPath,
    runId: options.runId,
    runsDir: options.runsDir,
    force: options.force,
    outFlag: options.outFlag,
    config,
    settings: { engine: options.engine, noLlm: options.noLlm, report: config.report, classification: { ...config.classification } },
  });
  const { runId } = outputs;
  // As the user gave it (or the default under paths.reports), for messages and the result.
  const outDir = options.outDir ?? path.join(config.paths.reports, outputs.archetype);
  const session = await stage('start DuckDB', () => openDuckDB({ timeZone: 'UTC', memoryLimit: DUCKDB_MEMORY }));
  // Spill (large scales) into the OS temp folder, never into the user's working folder.
  const spillDir = makeScratchDir('report-duckdb');
  // runs/{run_id} is built in a staging folder and swapped in after the report folder (see docs/outputs.md).
  const runStage = outputs.run.begin();
  const runDir = runStage.dir;
  try {
    const c = session.connection;
    await c.run(`SET temp_directory = ${sqlString(spillDir)}`);
    const m = await measureWarehouse(c, options, outputs, stage);
    const { wh, dataHealth } = m;
    const comms = await analyzeRunComms(options, outputs, m, runDir, outDir, progress);
    const scoring = await stage('score gaps', async () => scoreGaps({ dh: dataHealth, rar: await computeRevenueAtRisk(c, wh.facts, dataHealth), comms, config }));
    const themes = themesReportOf(wh.archetype, comms);
    const strictFailures = strictFailuresOf(comms, config);
    const figures = figureCatalog({ dh: dataHealth, spikeSeries: m.spikeSeries, themes, gaps: scoring.gaps, actionIds: scoring.actions.map((a) => a.id), weights: config.report.scoring_weights });
    const kpiLabels = Object.fromEntries(wh.contract.kpis.map((k) => [k.name, k.label]));
    const summary = buildExecSummary({ runId, dh: dataHealth, previous: { window: m.previousWindow, kpis: m.previousKpis }, kpiLabels, scoring, comms, themes, config, figures: figures.map((f) => f.figure) });
    DataHealthSchema.parse(dataHealth);

    const files = await stage('write report and figures', () => writeReportFolder(outputs.report, { dataHealth, themes, summary, figures }));
    pausePoint('run-report:report-committed');

    const durationS = Math.round((performance.now() - t0) / 10) / 100;
    const record = runRecordOf({ options, outputs, runId, archetype: wh.archetype, outDir, started, durationS, steps: progress.stepTimings().slice(firstStep), files, strictFailures, manifestTables: wh.manifest.tables });
    writeJsonAtomic(path.join(runDir, 'run.json'), record);

    const result = resultOf({ runId, archetype: wh.archetype, outDir, runPath: outputs.run.path, window: m.window, files, comms, scoring, summary, dataHealth, strictFailures, options });
    await runStage.commit();
    if (options.strict && result.strict_failures.length) {
      throw new GateFailedError(`run-report --strict: ${result.strict_failures.join('; ')} (the report was written to ${outDir}).`, result.strict_failures);
    }
    return result;
  } finally {
    runStage.abort(); // a no-op once committed
    closeDuckDB(session);
    rmSync(spillDir, { recursive: true, force: true });
  }
}

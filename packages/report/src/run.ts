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
    await stage('verify inputs', () => verifyInputs(c, { warehouse: outputs.source, commsDir: options.commsDir, full: options.verify ?? false }));
    const { wh, window } = await stage('load warehouse', async () => {
      const attached = await attachWarehouse(c, outputs.source, { defaultTz: config.warehouse.tz, rates: config.warehouse.currency_rates });
      if (options.commsDir) await checkCommsNotEmpty(c, options.commsDir);
      return { wh: attached, window: await resolveWindow(c, attached.facts, config.report.window_days, attached.tz, attached.manifest.end_date) };
    });
    const previousWindow = { ...window, start: addDays(window.start, -window.days), end: addDays(window.start, -1) };
    const { dataHealth, spikeSeries, previousKpis } = await stage('data-health metrics', async () => {
      try {
        const health = await computeDataHealth(c, wh, window, config);
        const previous = await computeKpis(c, wh.contract, previousWindow, config.warehouse.currency_rates, wh.contractSource);
        return { ...health, previousKpis: previous.values };
      } catch (error: unknown) {
        throw asInputError(error, `cannot compute data health over ${options.warehouseDir}`);
      }
    });
    // Ground truth only on request: detected vs injected events.
    if (outputs.truth) dataHealth.events.truth = { file: outputs.truth.file, by_kind: eventRecall(dataHealth.events.detected, readInjectedEvents(outputs.truth.file)) };
    const [endUtc] = await queryRows<{ t: Date }>(c, `SELECT utc_of_local_midnight(DATE ${sqlString(addDays(window.end, 1))}) AS t`);
    // The entity dictionary of the comms analysis is a built-in archetype's; other contracts get health-only reports.
    const commsSkip = !options.commsDir ? 'no comms were given (--comms)' : !outputs.source.archetype ? `the comms analysis supports the built-in contracts only, not ${outputs.archetype}` : null;
    const comms: CommsAnalysis = commsSkip || !options.commsDir || !outputs.source.archetype ? commsNotMeasured(config, commsSkip ?? undefined) : await analyzeComms({
      archetype: outputs.source.archetype,
      commsDir: options.commsDir,
      events: dataHealth.events.detected,
      config,
      env: options.env,
      runDir,
      ledgerDir: outputs.run.path,
      outDir,
      engine: options.engine,
      noLlm: options.noLlm,
      windowEndUtc: new Date(endUtc.t),
      window,
      progress,
    });

    const scoring = await stage('score gaps', async () => {
      const rar = await computeRevenueAtRisk(c, wh.facts, dataHealth);
      return scoreGaps({ dh: dataHealth, rar, comms, config });
    });

    const themes: ThemesReport = ThemesSchema.parse({
      schema_version: 1,
      archetype: wh.archetype,
      status: comms.status,
      skipped_reason: comms.skippedReason,
      status_reason: comms.statusReason,
      engine: comms.engine,
      sources: comms.sources,
      budget: comms.budget,
      parse_errors: comms.parseErrors,
      themes: [...comms.themes].sort((a, b) => b.demand - a.demand || a.theme.localeCompare(b.theme)),
    });
    const belowFloor = Object.entries(comms.sources)
      .filter(([, s]) => s.belowFloor)
      .map(([k]) => k);
    const strictFailures = [...belowFloor.map((s) => `source ${s} is below the ${config.budget.coverage_floor_pct}% coverage floor`), ...(comms.budget.earlyStop ? ['the budget forced an early stop'] : [])];

    const figures = figureCatalog({ dh: dataHealth, spikeSeries, themes, gaps: scoring.gaps, actionIds: scoring.actions.map((a) => a.id), weights: config.report.scoring_weights });
    const summary = buildExecSummary({ runId, dh: dataHealth, previous: { window: previousWindow, kpis: previousKpis }, kpiLabels: Object.fromEntries(wh.contract.kpis.map((k) => [k.name, k.label])), scoring, comms, themes, config, figures: figures.map((f) => f.figure) });
    const failing = summary.data_health.failing_guardrails;
    DataHealthSchema.parse(dataHealth);

    const files = await stage('write report and figures', () => writeReportFolder(outputs.report, { dataHealth, themes, summary, figures }));
    pausePoint('run-report:report-committed');

    const finished = new Date();
    const durationS = Math.round((performance.now() - t0) / 10) / 100;
    const record = RunRecordSchema.parse({
      run_id: runId,
      archetype: wh.archetype,
      started_at: started.toISOString(),
      finished_at: finished.toISOString(),
      duration_s: durationS,
      stage_seconds: stageSeconds(progress.stepTimings().slice(firstStep), durationS),
      stage_counts: stageCounts(progress.stepTimings().slice(firstStep)),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      options: {
        warehouse: options.warehouseDir,
        comms: options.commsDir ?? null,
        contract: outputs.source.contractSource,
        out: outDir,
        window_days: config.report.window_days,
        engine: options.engine,
        no_llm: options.noLlm,
        api_cap_usd: config.classification.api_cap_usd,
        strict: options.strict,
        truth: options.truthPath ?? null,
      },
      inputs: {
        warehouse_checksums: Object.fromEntries(Object.entries(wh.manifest.tables ?? {}).map(([k, v]) => [k, String(v.checksum ?? '')])),
        comms_files: options.commsDir ? Object.keys(commsFingerprint(options.commsDir)) : [],
        comms_dir: options.commsDir ? runRelativePath(outputs.run.path, options.commsDir) : null,
        ...outputs.identity,
      },
      report: { out_dir: outDir, commit_id: outputs.report.commitId },
      outputs: files.map((f) => path.join(outDir, f)),
      strict_failures: strictFailures,
    });
    writeJsonAtomic(path.join(runDir, 'run.json'), record);

    const result: RunReportResult = {
      run_id: runId,
      archetype: wh.archetype,
      out_dir: outDir,
      run_dir: outputs.run.path,
      window,
      files,
      html: path.join(outDir, REPORT_HTML),
      themes_status: comms.status,
      themes_reason: comms.skippedReason ?? comms.statusReason,
      llm: comms.llm,
      llm_summary: llmSummaryLine(comms.llm, comms.sources),
      gap_source: scoring.mode,
      actions: summary.actions.map((a) => ({ rank: a.rank, title: a.title, score: a.score, confidence: a.confidence })),
      hidden_actions: summary.hidden_actions.length,
      failing_guardrails: failing.map((g) => g.name),
      null_spike_days: dataHealth.null_spikes.spikes.length,
      strict_failures: strictFailures,
      warnings: [options.commsDir ? commsWarehouseMismatch(options.commsDir, options.warehouseDir) : undefined].filter((w): w is string => w !== undefined),
    };
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

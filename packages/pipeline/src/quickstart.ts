import path from 'node:path';
import { generateComms } from '@dnr/comms';
import { checkSharedFile, OutputFolder, Progress, writeSharedFile, type Archetype, type Config } from '@dnr/core';
import { generateWarehouse } from '@dnr/generate';
import { names, runReport } from '@dnr/report';
import { validateOutputs } from '@dnr/validate';
import { renderIndexPage } from './index-html.js';
import { renderIndexMd } from './index-md.js';

export interface QuickstartOptions {
  /** Resolved config: scale, seeds and engines already carry --fast / --seed. */
  config: Config;
  env: NodeJS.ProcessEnv;
  /** Working folder; config paths are relative to it. */
  cwd: string;
  noLlm: boolean;
  progress?: Progress;
}

export interface ArchetypeOutcome {
  archetype: Archetype;
  paths: { warehouse: string; comms: string; meta: string; report: string; qc: string; run: string };
  warehouse_rows: number;
  comms_items: number;
  themes_status: string;
  /** Ids of the failing guardrails (as in exec_summary.json). */
  failing_guardrails: string[];
  /** The same checks by their human names, for the terminal summary. */
  failing_checks: string[];
  actions: Array<{ rank: number; title: string; score: number; confidence: number }>;
  validate: { passed: boolean; pass: number; fail: number; skip: number; failed: string[] };
  seconds: Record<'warehouse' | 'comms' | 'report' | 'validate', number>;
}

export interface QuickstartResult {
  scale: Config['warehouse']['scale'];
  no_llm: boolean;
  index: string;
  /** reports/index.html: the page to open. */
  html: string;
  engine: 'llm' | 'rules';
  archetypes: ArchetypeOutcome[];
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, Math.round((performance.now() - t0) / 100) / 10];
}

/** The pages quickstart keeps in the shared reports/ folder. */
const INDEX_FILES = ['index.md', 'index.html'] as const;

/**
 * Check every output quickstart will write before the first minute of work: each folder must be free or
 * dnr's own output of the same kind, each shared file dnr's (exit 2 naming the first one that is not).
 */
function preflight(config: Config, cwd: string): void {
  const p = (root: string, ...rest: string[]) => path.resolve(cwd, root, ...rest);
  for (const a of config.warehouse.archetypes) {
    OutputFolder.open({ kind: 'warehouse', command: 'gen-warehouse', dir: p(config.paths.data, a), flag: 'paths.data' });
    OutputFolder.open({ kind: 'comms', command: 'gen-comms', dir: p(config.paths.comms, a), flag: 'paths.comms' });
    OutputFolder.open({ kind: 'report', command: 'run-report', dir: p(config.paths.reports, a), flag: 'paths.reports' });
    OutputFolder.open({ kind: 'qc', command: 'validate', dir: p(config.paths.reports, a, 'qc'), flag: 'paths.reports' });
    for (const name of ['defects.json', 'labels_slack.parquet', 'labels_email.parquet', 'labels_nlq.parquet']) {
      checkSharedFile({ dir: p(config.paths.meta, a), name, flag: 'paths.meta', command: 'quickstart' });
    }
  }
  for (const name of INDEX_FILES) checkSharedFile({ dir: p(config.paths.reports), name, flag: 'paths.reports', command: 'quickstart' });
}

/**
 * Quickstart: both archetypes end to end — generate → comms → report → validate — then
 * reports/index.md and index.html linking every output. With noLlm nothing touches the network;
 * classification.engine 'rules' still classifies the comms offline (themes), 'llm' skips them.
 */
export async function runQuickstart(options: QuickstartOptions): Promise<QuickstartResult> {
  const { config, env, cwd, noLlm } = options;
  const progress = options.progress ?? Progress.silent();
  const p = (root: string, ...rest: string[]) => path.resolve(cwd, root, ...rest);
  const outcomes: ArchetypeOutcome[] = [];
  preflight(config, cwd);

  for (const archetype of config.warehouse.archetypes) {
    const paths = {
      warehouse: p(config.paths.data, archetype),
      comms: p(config.paths.comms, archetype),
      meta: p(config.paths.meta, archetype),
      report: p(config.paths.reports, archetype),
      qc: p(config.paths.reports, archetype, 'qc'),
      run: '',
    };
    progress.info(`== ${archetype} (${config.warehouse.scale}, ${config.warehouse.quality}) ==`);
    const [wh, tWarehouse] = await timed(() => generateWarehouse({ archetype, config, out: paths.warehouse, metaDir: paths.meta, flags: { out: 'paths.data', meta: 'paths.meta' }, progress }));
    const [comms, tComms] = await timed(() =>
      generateComms({
        archetype,
        config,
        out: paths.comms,
        metaDir: paths.meta,
        flags: { out: 'paths.comms', meta: 'paths.meta' },
        warehouseDir: paths.warehouse,
        env,
        cwd,
        progress,
        engine: noLlm ? 'template' : config.comms.engine,
      }),
    );
    const [report, tReport] = await timed(() =>
      runReport({
        warehouseDir: paths.warehouse,
        commsDir: paths.comms,
        outDir: paths.report,
        outFlag: 'paths.reports',
        runsDir: p(config.paths.runs),
        config,
        env,
        engine: config.classification.engine,
        noLlm,
        strict: false,
        progress,
      }),
    );
    paths.run = report.run_dir;
    const [qc, tValidate] = await timed(() =>
      validateOutputs({ warehouseDir: paths.warehouse, commsDir: paths.comms, commsExplicit: true, metaDir: paths.meta, outDir: paths.qc, outFlag: 'paths.reports', config, progress }),
    );
    outcomes.push({
      archetype,
      paths,
      warehouse_rows: wh.rowsTotal,
      comms_items: comms.counts.slack_messages + comms.counts.email_messages + comms.counts.nlq,
      themes_status: report.themes_status,
      failing_guardrails: report.failing_guardrails,
      failing_checks: report.failing_guardrails.map(names.guardrailIdName),
      actions: report.actions,
      validate: { passed: qc.passed, ...qc.counts, failed: qc.failed },
      seconds: { warehouse: tWarehouse, comms: tComms, report: tReport, validate: tValidate },
    });
  }

  // reports/ is shared with the user: index.md and index.html are only ever written over files dnr wrote there.
  const reportsDir = p(config.paths.reports);
  const meta = { scale: config.warehouse.scale, noLlm, reportsDir };
  const shared = (name: (typeof INDEX_FILES)[number]) => ({ dir: reportsDir, name, flag: 'paths.reports', command: 'quickstart', cwd });
  const index = writeSharedFile(shared('index.md'), renderIndexMd(outcomes, meta));
  const html = writeSharedFile(shared('index.html'), renderIndexPage(outcomes, meta));
  return { scale: config.warehouse.scale, no_llm: noLlm, index, html, engine: config.classification.engine, archetypes: outcomes };
}

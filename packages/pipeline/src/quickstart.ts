import path from 'node:path';
import { generateComms } from '@dnr/comms';
import { Progress, writeFileAtomic, type Archetype, type Config } from '@dnr/core';
import { generateWarehouse } from '@dnr/generate';
import { runReport } from '@dnr/report';
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
  failing_guardrails: string[];
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
    const [wh, tWarehouse] = await timed(() => generateWarehouse({ archetype, config, out: paths.warehouse, metaDir: paths.meta, progress }));
    const [comms, tComms] = await timed(() =>
      generateComms({
        archetype,
        config,
        out: paths.comms,
        metaDir: paths.meta,
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
        metaDir: paths.meta,
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
      validateOutputs({ warehouseDir: paths.warehouse, commsDir: paths.comms, commsExplicit: true, metaDir: paths.meta, outDir: paths.qc, config, progress }),
    );
    outcomes.push({
      archetype,
      paths,
      warehouse_rows: wh.rowsTotal,
      comms_items: comms.counts.slack_messages + comms.counts.email_messages + comms.counts.nlq,
      themes_status: report.themes_status,
      failing_guardrails: report.failing_guardrails,
      actions: report.actions,
      validate: { passed: qc.passed, ...qc.counts, failed: qc.failed },
      seconds: { warehouse: tWarehouse, comms: tComms, report: tReport, validate: tValidate },
    });
  }

  const index = p(config.paths.reports, 'index.md');
  const meta = { scale: config.warehouse.scale, noLlm, reportsDir: path.dirname(index) };
  writeFileAtomic(index, renderIndexMd(outcomes, meta));
  const html = p(config.paths.reports, 'index.html');
  writeFileAtomic(html, renderIndexPage(outcomes, meta));
  return { scale: config.warehouse.scale, no_llm: noLlm, index, html, engine: config.classification.engine, archetypes: outcomes };
}

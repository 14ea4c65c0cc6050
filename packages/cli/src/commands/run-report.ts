import { Flags } from '@oclif/core';
import { defaultModelWarnings, UsageError } from '@dnr/core';
import type { RunReportResult } from '@dnr/report';
import { BaseCommand } from '../base-command.js';

/** "30d" or "30" → 30. */
function parseWindow(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+)d?$/.exec(raw.trim());
  if (!m || Number(m[1]) < 1) throw new UsageError(`--window ${raw} is not a number of days; expected e.g. 30d or 30.`);
  return Number(m[1]);
}

export default class RunReport extends BaseCommand<typeof RunReport> {
  static override summary = 'Measure data health, classify the comms, score the gaps and write the executive report.';
  static override description =
    'Pipeline: load → prefilter → sample-to-fit → classify → entities → metrics → demand → scoring → write. ' +
    'Writes exec_summary.{json,md}, report.html (self-contained), data_health.{json,csv}, themes.{json,md} and figures/*.png under --out, and runs/{run_id}/ ' +
    '(predictions, entities, budget.json, run.json); each folder is replaced as a whole, and only if dnr wrote it. Exits non-zero only on internal errors (1) or bad input (2), which includes an ' +
    'LLM endpoint that is unreachable, rejects the key, or fails the same way on its first requests (`dnr doctor` checks it); ' +
    'with --strict it exits 3 when a comms source is under the coverage floor or the budget forced an early stop.';
  static override examples = [
    {
      description: 'Data health only (themes skipped). Needs: `<%= config.bin %> gen-warehouse --archetype neobank`, `<%= config.bin %> gen-comms --archetype neobank`.',
      command: '<%= config.bin %> run-report --warehouse data/neobank --comms comms/neobank --out reports/neobank --no-llm',
    },
    {
      description: 'Themes from the offline rules engine. Needs: `<%= config.bin %> gen-warehouse --archetype marketplace --scale small`, `<%= config.bin %> gen-comms --archetype marketplace`.',
      command: '<%= config.bin %> run-report --warehouse data/marketplace --comms comms/marketplace --out reports/marketplace --engine rules',
    },
    {
      description: 'Themes from an LLM under a $0.50 cap; exit 3 if a source ends under the coverage floor. Needs: `<%= config.bin %> gen-warehouse --archetype neobank`, `<%= config.bin %> gen-comms --archetype neobank`.',
      command: 'OPENAI_API_KEY=sk-your-key <%= config.bin %> run-report --warehouse data/neobank --comms comms/neobank --out reports/neobank --api-cap-usd 0.5 --strict --json',
    },
  ];

  static override exitCodes = { 3: 'with --strict, when a comms source is under the coverage floor or the budget forced an early stop (the report is still written)' };

  static override flags = {
    warehouse: Flags.string({ description: 'Warehouse: a folder written by gen-warehouse (data/{arch}), any Parquet folder, or a .duckdb file (the last two with --contract).', required: true }),
    contract: Flags.string({ description: "Warehouse contract YAML describing the tables, keys and metrics (default: the built-in contract named by the warehouse's manifest; see docs/contract.md)." }),
    comms: Flags.string({ description: 'Comms folder written by gen-comms (comms/{arch}); without it demand is not measured and the actions rest on data health alone.' }),
    out: Flags.string({ description: 'Report folder (default {paths.reports}/{arch}); replaced atomically.' }),
    window: Flags.string({ description: 'Report window in days, e.g. 30d (report.window_days).' }),
    'api-cap-usd': Flags.string({ description: 'Classification spend cap in USD (classification.api_cap_usd).' }),
    'no-llm': Flags.boolean({ description: 'Make no network call; themes are skipped unless --engine rules.', default: false }),
    engine: Flags.string({ description: 'Classifier engine (classification.engine).', options: ['llm', 'rules'] }),
    strict: Flags.boolean({ description: 'Exit 3 when a source is under the coverage floor or the budget forced an early stop.', default: false }),
    truth: Flags.string({
      description:
        "Ground truth to score the detected data events against (a defects.json, or the folder holding it; for a dnr warehouse it must be the one its manifest links): adds recall and precision per event kind to data_health.json. Never read without this flag.",
    }),
    meta: Flags.string({ description: 'Deprecated: the same as --truth.', hidden: true }),

    'run-id': Flags.string({ description: 'Run id (default: {arch}-{hash of inputs and settings}); the run folder is runs/{run_id}.' }),
    verify: Flags.boolean({ description: 'Checksum every input table against its manifest before reading (always done for files whose size or time changed).', default: false }),
    force: Flags.boolean({ description: 'Replace --out or the run folder even if it holds another kind of dnr output or files dnr did not write (those are kept: moved into the new output, never deleted).', default: false }),
  };

  public async run(): Promise<RunReportResult> {
    const f = this.flags;
    const cap = f['api-cap-usd'] === undefined ? undefined : Number(f['api-cap-usd']);
    if (cap !== undefined && !(Number.isFinite(cap) && cap >= 0)) throw new UsageError(`--api-cap-usd ${f['api-cap-usd']} is not a non-negative number.`);
    const resolved = this.resolveConfig({
      'report.window_days': ['--window', parseWindow(f.window)],
      'classification.api_cap_usd': ['--api-cap-usd', cap],
      'classification.engine': ['--engine', f.engine],
    });
    const { config } = resolved;
    if (config.classification.engine !== 'rules' && !f['no-llm']) for (const w of defaultModelWarnings(resolved, ['classify', 'entities'])) this.progress.warn(w);
    const { runReport } = await import('@dnr/report');
    const result = await runReport({
      warehouseDir: f.warehouse,
      contractFile: f.contract,
      commsDir: f.comms,
      outDir: f.out,
      config,
      env: resolved.env,
      engine: config.classification.engine === 'rules' ? 'rules' : 'llm',
      noLlm: f['no-llm'],
      strict: f.strict,
      truthPath: f.truth ?? f.meta,
      runId: f['run-id'],
      force: f.force,
      verify: f.verify,
      progress: this.progress,
    });
    this.log(`Report for ${result.archetype} (${result.window.start} → ${result.window.end}) written to ${result.out_dir}; run ${result.run_id}.`);
    const why = result.themes_status !== 'ok' && result.themes_reason ? ` (${result.themes_reason})` : '';
    this.log(`Themes: ${result.themes_status}${why}. Failing guardrails: ${result.failing_guardrails.length}. Null-spike days: ${result.null_spike_days}.`);
    if (result.llm_summary) this.log(result.llm_summary);
    for (const a of result.actions) this.log(`  ${a.rank}. ${a.title}`);
    this.log(`Open the report: ${result.html}`);
    for (const warning of result.warnings) this.warn(warning);
    return result;
  }
}

import { Flags } from '@oclif/core';
import type { EvalLabelsResult } from '@dnr/eval';
import { BaseCommand } from '../base-command.js';

export default class EvalLabels extends BaseCommand<typeof EvalLabels> {
  static override summary = 'Score classifier predictions against the oracle labels.';
  static override description =
    'Joins runs/{run_id}/preds/{slack,email,nlq}.parquet by id to the oracle labels of the corpus the run classified (by default the ' +
    "labels inside the comms folder named in the run's run.json; --labels meta searches meta/*/) and writes metrics.json, report.md " +
    'and confusion/reliability PNGs: accuracy, macro-F1, per-class precision/recall/F1/support, confusion matrices, ECE with reliability ' +
    'bins, coverage and seeded 95% bootstrap CIs per source and task. Labels that are not those of the classified corpus are refused ' +
    '(exit 2). Exits 3 when a gate of eval.gates fails.';
  static override examples = [
    {
      description:
        'Score the offline rules engine on neobank. Needs: `<%= config.bin %> gen-warehouse --archetype neobank`, `<%= config.bin %> gen-comms --archetype neobank`, ' +
        '`<%= config.bin %> run-report --warehouse data/neobank --comms comms/neobank --engine rules --no-llm --run-id neobank-rules`.',
      command: '<%= config.bin %> eval-labels --pred runs/neobank-rules/preds --labels meta/neobank',
    },
    {
      description: 'The same run folder, another bootstrap seed, JSON on stdout.',
      command: '<%= config.bin %> eval-labels --pred runs/neobank-rules --labels meta/neobank --out reports/eval/neobank-rules --seed 7 --json',
    },
  ];

  static override exitCodes = { 3: 'when a gate of eval.gates fails (metrics and report are still written)' };

  static override flags = {
    pred: Flags.string({ description: 'Predictions folder: runs/{run_id}/preds (or the run folder).', required: true }),
    labels: Flags.string({
      description:
        'Oracle labels: a folder with labels_{slack,email,nlq}.parquet (meta/{archetype}, a comms folder) or a folder of such folders (meta). Default: the comms folder named in the run’s run.json.',
    }),
    out: Flags.string({ description: 'Output folder. Default: {paths.reports}/eval/{run_id}.' }),
    seed: Flags.integer({ description: 'Bootstrap seed (eval.bootstrap_seed).' }),
    'bootstrap-samples': Flags.integer({ description: 'Bootstrap resamples (eval.bootstrap_samples).' }),
    force: Flags.boolean({ description: 'Replace --out even if it holds another kind of dnr output or files dnr did not write (those are kept: moved into the new output, never deleted).', default: false }),
  };

  public async run(): Promise<EvalLabelsResult> {
    const { config } = this.resolveConfig({
      'eval.bootstrap_seed': ['--seed', this.flags.seed],
      'eval.bootstrap_samples': ['--bootstrap-samples', this.flags['bootstrap-samples']],
    });
    const { evalGateFailure, evalLabels } = await import('@dnr/eval');
    const result = await evalLabels({
      predDir: this.flags.pred,
      labelsDir: this.flags.labels,
      outDir: this.flags.out,
      force: this.flags.force,
      reportsRoot: config.paths.reports,
      settings: { ...config.eval, gates: { ...config.eval.gates } },
      progress: this.progress,
    });
    for (const g of result.metrics.gates) {
      this.log(`${g.verdict.toUpperCase().padEnd(4)}  ${g.name.padEnd(26)} ${g.value === null ? 'n/a' : g.value.toFixed(4)} ${g.op} ${g.bound}`);
    }
    this.log(`wrote ${result.out_dir} (${result.files.length} files)`);
    if (!result.metrics.passed) throw evalGateFailure(result);
    this.log('eval-labels verdict PASS: every gate met.');
    return result;
  }
}

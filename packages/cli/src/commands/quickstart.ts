import { Flags } from '@oclif/core';
import type { QuickstartResult } from '@dnr/pipeline';
import { DEFAULT_COMMS_VOLUMES, SCALES, type Scale } from '@dnr/core';
import { BaseCommand } from '../base-command.js';

const volumesText = (s: Scale) => {
  const v = DEFAULT_COMMS_VOLUMES[s];
  return `${v.slack_threads} Slack threads, ${v.email_threads} e-mails, ${v.nlq} NLQs`;
};

export default class Quickstart extends BaseCommand<typeof Quickstart> {
  static override summary = 'Both archetypes end to end: generate → comms → report → validate, plus reports/index.md.';
  static override description =
    'Builds every archetype in warehouse.archetypes at warehouse.scale (small with --fast) with the comms volumes of that scale ' +
    `(comms.scales: ${volumesText('small')} per archetype at small; ${volumesText('evaluation')} at evaluation), writes the reports and the QC ` +
    'verdicts, links everything from reports/index.md and prints a one-screen summary. --no-llm makes no network call ' +
    '(themes are "skipped" unless --engine rules, which classifies the comms offline). Open reports/index.html to read the reports.';
  static override examples = [
    '<%= config.bin %> quickstart --no-llm',
    { description: 'Small scale, another seed, themes from the offline rules engine.', command: '<%= config.bin %> quickstart --fast --no-llm --engine rules --seed 7' },
  ];

  static override flags = {
    fast: Flags.boolean({ description: 'Small scale: the same as --scale small.', default: false, exclusive: ['scale'] }),
    scale: Flags.string({ description: 'Warehouse and comms volumes (warehouse.scale; comms.scales.<scale>).', options: [...SCALES] }),
    'no-llm': Flags.boolean({ description: 'Make no network call (template comms, no LLM classification).', default: false }),
    engine: Flags.string({ description: 'Classifier engine (classification.engine): rules classifies offline, llm calls the endpoint (skipped with --no-llm).', options: ['llm', 'rules'] }),
    seed: Flags.integer({ description: 'Warehouse seed (warehouse.seed); the comms seed becomes seed+1.', min: 0 }),
  };

  public async run(): Promise<QuickstartResult> {
    const f = this.flags;
    const resolved = this.resolveConfig({
      'warehouse.scale': f.fast ? ['--fast', 'small'] : ['--scale', f.scale],
      'warehouse.seed': ['--seed', f.seed],
      'comms.seed': ['--seed', f.seed === undefined ? undefined : f.seed + 1],
      'classification.engine': ['--engine', f.engine],
    });
    const { runQuickstart } = await import('@dnr/pipeline');
    const result = await runQuickstart({ config: resolved.config, env: resolved.env, cwd: resolved.cwd, noLlm: f['no-llm'], progress: this.progress });
    this.log('');
    this.log(`dnr quickstart — scale ${result.scale}${result.no_llm ? ', no LLM' : ''}`);
    for (const a of result.archetypes) {
      const s = a.seconds;
      this.log(`\n${a.archetype}: ${a.warehouse_rows.toLocaleString('en-US')} warehouse rows, ${a.comms_items.toLocaleString('en-US')} comms items, themes ${a.themes_status}`);
      this.log(`  time: warehouse ${s.warehouse}s · comms ${s.comms}s · report ${s.report}s · validate ${s.validate}s`);
      const g = a.failing_checks;
      this.log(`  failing data checks: ${g.length === 0 ? 'none' : `${g.length} (${g.slice(0, 3).join(', ')}${g.length > 3 ? `, +${g.length - 3} more` : ''})`}`);
      this.log(`  validate: ${a.validate.passed ? 'PASS' : 'FAIL'} (${a.validate.pass} pass, ${a.validate.fail} fail, ${a.validate.skip} skip)${a.validate.failed.length ? ` — ${a.validate.failed.slice(0, 4).join(', ')}` : ''}`);
      for (const act of a.actions) this.log(`  ${act.rank}. ${act.title}`);
    }
    this.log(`\nOpen the reports: ${result.html}`);
    this.log(`Index of every output: ${result.index}`);
    return result;
  }
}

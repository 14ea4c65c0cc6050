import path from 'node:path';
import { Flags } from '@oclif/core';
import { ARCHETYPES, DEFAULT_COMMS_VOLUMES, SCALES, type CommsVolumes } from '@dnr/core';
import type { CommsResult } from '@dnr/comms';
import { BaseCommand } from '../base-command.js';

/** "750 small, 3000 evaluation, 3000 large". */
const byScale = (key: keyof CommsVolumes) => SCALES.map((s) => `${DEFAULT_COMMS_VOLUMES[s][key]} ${s}`).join(', ');

export default class GenComms extends BaseCommand<typeof GenComms> {
  static override summary = 'Generate synthetic Slack threads, e-mails and NLQs with oracle labels.';
  static override description =
    'Writes slack_messages, email_messages, comms_users and nlq Parquet files, the oracle labels (labels_slack, labels_email, ' +
    'labels_nlq) and manifest.json to --out, replaced as a whole with one rename and only if dnr wrote it. In the default layout ' +
    '(no --out) the labels are also mirrored to {paths.meta}/{archetype}. The window is the last comms.window_months of the ' +
    "warehouse's window (shrunk, with a warning, when the warehouse is shorter). Themed threads cluster within ±24 h of the " +
    "defects the warehouse's manifest links (comms.sample_policy: uniform needs none). --engine llm writes the text through an " +
    'OpenAI-compatible endpoint under comms.api_cap_usd and falls back to the template engine for whatever it cannot write. ' +
    "Volumes follow the scale of the warehouse read (its manifest.json), else warehouse.scale.";
  static override examples = [
    { description: 'Needs: `<%= config.bin %> gen-warehouse --archetype neobank`.', command: '<%= config.bin %> gen-comms --archetype neobank' },
    {
      description: 'Smaller volumes, another seed, and a check that every NLQ SQL statement parses. Needs: `<%= config.bin %> gen-warehouse --archetype marketplace --scale small`.',
      command: '<%= config.bin %> gen-comms --archetype marketplace --slack 500 --email 100 --nlq 200 --seed 7 --nlq-parse-only',
    },
    {
      description: 'Text written by an LLM (OpenAI, or the endpoint in OPENAI_BASE_URL) under comms.api_cap_usd. Needs: `<%= config.bin %> gen-warehouse --archetype neobank`.',
      command: 'OPENAI_API_KEY=sk-your-key <%= config.bin %> gen-comms --archetype neobank --engine llm --slack 200 --email 50 --nlq 50',
    },
  ];

  static override flags = {
    archetype: Flags.string({ description: 'Archetype.', options: [...ARCHETYPES], required: true }),
    slack: Flags.integer({ description: `Slack threads (comms.slack_threads; default comms.scales.<scale>.slack_threads: ${byScale('slack_threads')}).`, min: 0 }),
    email: Flags.integer({ description: `E-mail messages (comms.email_threads; default comms.scales.<scale>.email_threads: ${byScale('email_threads')}).`, min: 0 }),
    nlq: Flags.integer({ description: `NLQ queries (comms.nlq; default comms.scales.<scale>.nlq: ${byScale('nlq')}).`, min: 0 }),
    engine: Flags.string({ description: 'Text engine (comms.engine).', options: ['template', 'llm'] }),
    seed: Flags.integer({ description: 'Seed (comms.seed, default 43).', min: 0 }),
    warehouse: Flags.string({ description: 'Warehouse folder (default {paths.data}/{archetype}).' }),
    out: Flags.string({ description: 'Output folder (default {paths.comms}/{archetype}).' }),
    meta: Flags.string({
      description:
        'Also mirror the labels into this folder (default: {paths.meta}/{archetype} when --out is the default folder, else none); defects.json is read from here only for a warehouse that does not carry its own.',
    }),
    force: Flags.boolean({ description: 'Replace --out even if it holds another kind of dnr output or files dnr did not write (those are kept: moved into the new output, never deleted).', default: false }),
    'nlq-parse-only': Flags.boolean({ description: 'Parse and bind every NLQ SQL statement with DuckDB and report the parse rate.', default: false }),
    'nlq-execute': Flags.boolean({ description: 'Run every NLQ SQL statement on the synthetic warehouse (--warehouse).', default: false }),
  };

  public async run(): Promise<CommsResult> {
    const f = this.flags;
    const resolved = this.resolveConfig({
      'comms.slack_threads': ['--slack', f.slack],
      'comms.email_threads': ['--email', f.email],
      'comms.nlq': ['--nlq', f.nlq],
      'comms.engine': ['--engine', f.engine],
      'comms.seed': ['--seed', f.seed],
    });
    const { config, cwd } = resolved;
    const archetype = f.archetype as (typeof ARCHETYPES)[number];
    const out = f.out ?? path.join(config.paths.comms, archetype);
    const defaultLayout = path.resolve(cwd, out) === path.resolve(cwd, config.paths.comms, archetype);
    const { generateComms } = await import('@dnr/comms');
    const result = await generateComms({
      archetype,
      config,
      out,
      // The shared meta/ mirror belongs to the default layout: a corpus elsewhere never touches it.
      metaDir: f.meta ?? (defaultLayout ? path.join(config.paths.meta, archetype) : undefined),
      truthFallbackDir: f.meta ?? path.join(config.paths.meta, archetype),
      warehouseDir: f.warehouse ?? path.join(config.paths.data, archetype),
      force: f.force,
      env: resolved.env,
      cwd,
      progress: this.progress,
      engine: config.comms.engine,
      nlqParseOnly: f['nlq-parse-only'],
      nlqExecute: f['nlq-execute'],
    });
    const w = result.written;
    this.log(
      `${archetype}: ${result.counts.slack_threads} Slack threads (${result.counts.slack_messages} messages), ${result.counts.email_messages} e-mails, ${result.counts.nlq} NLQs → ${result.out}`,
    );
    this.log(`  labels in ${result.out}${result.metaDir ? ` (mirrored to ${result.metaDir})` : ''}; ${result.events.total} defect events, ${result.events.slack_clustered} Slack threads clustered around them`);
    if (result.engine === 'llm') {
      this.log(`  written by llm: ${w.llm.slack} threads, ${w.llm.email} e-mails, ${w.llm.nlq} NLQs; by template: ${w.template.slack}, ${w.template.email}, ${w.template.nlq}`);
      if (result.llm) this.log(`  LLM spend $${result.llm.actualUsd.toFixed(4)} of $${result.llm.capUsd.toFixed(2)} cap, ${result.llm.requests} requests, ${result.llm.cacheHits} from cache`);
    }
    if (result.nlq_parse) this.log(`  NLQ SQL parse rate ${(result.nlq_parse.rate * 100).toFixed(1)}% (${result.nlq_parse.ok}/${result.nlq_parse.total})`);
    if (result.nlq_execute) this.log(`  NLQ SQL executed ${(result.nlq_execute.rate * 100).toFixed(1)}% (${result.nlq_execute.ok}/${result.nlq_execute.total}), ${result.nlq_execute.rows} rows`);
    for (const warning of result.warnings) this.warn(warning);
    return result;
  }
}

import { Args, Flags } from '@oclif/core';
import { scaffoldProject, type ScaffoldResult } from '@dnr/core';
import { BaseCommand } from '../base-command.js';

export default class Init extends BaseCommand<typeof Init> {
  static override summary = 'Scaffold a dnr working folder.';
  static override description =
    'Creates configs/default.yaml (a header and the keys people usually change, commented out: nothing is set, so ' +
    '`dnr config` keeps telling defaults from your choices; `dnr config --defaults` prints every key), .env.example, the output ' +
    'folders (data, comms, reports, runs, meta) and .gitignore lines. Never overwrites existing files without --force.';
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init my-analysis', '<%= config.bin %> init . --force'];

  static override args = {
    dir: Args.string({ description: 'Folder to scaffold (created if missing).', default: '.' }),
  };

  static override flags = {
    force: Flags.boolean({ description: 'Replace configs/default.yaml and .env.example if they exist; a version that differs from dnr’s is kept as {file}.orig.', default: false }),
  };

  public async run(): Promise<ScaffoldResult> {
    const result = scaffoldProject(this.args.dir, { force: this.flags.force });
    this.log(`Scaffolded ${result.dir}`);
    for (const f of result.written) this.log(`  wrote ${f}`);
    for (const [f, kept] of Object.entries(result.keptAs)) this.log(`  your previous ${f} is kept as ${kept}`);
    if (result.gitignoreLinesAdded.length) this.log(`  .gitignore: added ${result.gitignoreLinesAdded.join(' ')}`);
    this.log('Next: dnr quickstart --no-llm');
    return result;
  }
}

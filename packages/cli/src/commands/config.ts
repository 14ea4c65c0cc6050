import { explainConfig, type ConfigExplanation } from '@dnr/core';
import { BaseCommand } from '../base-command.js';

export default class Config extends BaseCommand<typeof Config> {
  static override summary = 'Print the resolved configuration and which layer set each value.';
  static override description =
    'Layers, later wins: defaults (in code) → YAML (configs/default.yaml or --config) → environment (DNR_ prefix, __ nesting, .env loaded) → command-line flags.';
  static override examples = [
    '<%= config.bin %> config',
    '<%= config.bin %> config --json',
    'DNR_WAREHOUSE__SEED=7 <%= config.bin %> config --config my.yaml',
  ];

  public async run(): Promise<ConfigExplanation> {
    const explained = explainConfig(this.resolveConfig());
    this.log(`config file: ${explained.configFile ?? '(none: defaults, env and flags only)'}`);
    const width = Math.max(...explained.entries.map((e) => e.path.length));
    for (const e of explained.entries) {
      const where = e.layer === 'default' ? 'default' : `${e.layer}: ${e.source}`;
      this.log(`${e.path.padEnd(width)}  ${JSON.stringify(e.value)}  (${where})`);
    }
    return explained;
  }
}

import { Help } from '@oclif/core';

/** oclif's help, except that help for an unknown command names the nearest one (`dnr help gen-warehose`). */
export default class DnrHelp extends Help {
  public override async showHelp(argv: string[]): Promise<void> {
    const subject = argv.filter((a) => !a.startsWith('-')).join(':');
    if (subject && !this.config.findCommand(subject) && !this.config.findTopic(subject)) {
      // Loaded only on this path: it imports @dnr/core, which plain help never needs.
      const { reportUnknownCommand } = await import('./unknown-command.js');
      reportUnknownCommand(this.config, subject, argv);
    }
    return super.showHelp(argv);
  }
}

import type { Hook } from '@oclif/core';
import { reportUnknownCommand } from '../unknown-command.js';

/** Unknown command → nearest command and exit 2 (@oclif/plugin-not-found would exit 127 and stop to ask on a terminal). */
const hook: Hook<'command_not_found'> = async function (opts) {
  reportUnknownCommand(opts.config, opts.id, opts.argv);
};

export default hook;

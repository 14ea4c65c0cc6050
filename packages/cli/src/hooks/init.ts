import type { Hook } from '@oclif/core';
import { startLoadingLine } from '../startup-progress.js';

/** Before the command's code loads: a heavy command shows its "loading" line on a terminal at once. */
const hook: Hook<'init'> = async function (opts) {
  startLoadingLine(opts.id, opts.argv, (id) => opts.config.findCommand(id) !== undefined);
};

export default hook;

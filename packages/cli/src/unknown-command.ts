import { Errors, type Interfaces } from '@oclif/core';
import { ExitCode, closestMatch } from '@dnr/core';

/** The flags dnr itself takes before any command. */
const ROOT_FLAGS = ['--version', '--help', '-h'];

/**
 * What went wrong when oclif found no command for `id` (words joined by ':'): a mistyped root flag
 * (`dnr --verison`), a real command followed by words it does not take (`dnr gen-warehouse extra-arg`, or a flag
 * typed without its dashes: `dnr gen-warehouse archetype neobank`), or a mistyped command (`dnr gen-warehose`).
 */
export function unknownCommandMessage(config: Interfaces.Config, id: string): { message: string; suggestion: string } {
  const { bin } = config;
  const commands = { message: '', suggestion: `Run \`${bin} help\` for the list of commands.` };
  if (id.startsWith('-')) {
    // `-v` → `--version`: a one-letter flag is matched by its letter, a long one by spelling.
    const typed = id.replace(/=.*$/, '');
    const match = /^-\w$/.test(typed) ? ROOT_FLAGS.find((f) => f.startsWith(`--${typed[1]}`)) : closestMatch(typed, ROOT_FLAGS);
    return { ...commands, message: `${bin} has no flag ${typed}.${match ? ` Did you mean ${bin} ${match}?` : ''} Command flags go after the command (${bin} <command> --help lists them).` };
  }
  const words = id.split(':');
  for (let n = words.length - 1; n > 0; n--) {
    const command = config.findCommand(words.slice(0, n).join(':'));
    if (!command) continue;
    const name = words.slice(0, n).join(' ');
    const extra = words.slice(n);
    const flags = Object.keys(command.flags ?? {}).map((f) => `--${f}`);
    const asFlag = closestMatch(`--${extra[0]}`, flags);
    const hint = asFlag ? ` Did you mean ${bin} ${name} ${asFlag}${extra[1] === undefined ? '' : ` ${extra[1]}`}?` : '';
    const takes = Object.keys(command.args ?? {}).length === 0 ? 'takes no arguments' : 'takes fewer arguments';
    return {
      message: `${bin} ${name} ${takes}: unexpected argument${extra.length > 1 ? 's' : ''} "${extra.join(' ')}".${hint}`,
      suggestion: `Run \`${bin} ${name} --help\` for its flags and examples.`,
    };
  }
  const ids = config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]);
  const match = closestMatch(id, ids);
  return { ...commands, message: `"${id.replaceAll(':', ' ')}" is not a ${bin} command.${match ? ` Did you mean "${bin} ${match}"?` : ''}` };
}

/**
 * `dnr gen-warehose`, `dnr --verison`, `dnr gen-warehouse extra-arg`, `dnr help gen-warehose`: say which, with
 * the nearest valid spelling, and exit 2 (a usage error), like every other bad input; with --json the error is
 * the JSON on stdout, as for the commands.
 */
export function reportUnknownCommand(config: Interfaces.Config, id: string, argv: readonly string[] = []): never {
  const { message, suggestion } = unknownCommandMessage(config, id);
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ error: { name: 'UsageError', message, exitCode: ExitCode.USAGE, suggestion } }, null, 2)}\n`);
  } else {
    process.stderr.write(`Error: ${message}\nHint: ${suggestion}\n`);
  }
  return Errors.exit(ExitCode.USAGE);
}

import { Errors, type Interfaces } from '@oclif/core';
import { ExitCode, closestMatch } from '@dnr/core';

/**
 * `dnr gen-warehose`, `dnr help gen-warehose`: name the nearest command and exit 2 (a usage error), like
 * every other bad input; with --json the error is the JSON on stdout, as for the commands.
 */
export function reportUnknownCommand(config: Interfaces.Config, id: string, argv: readonly string[] = []): never {
  const { bin } = config;
  const ids = config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]);
  const match = closestMatch(id, ids);
  const message = `"${id.replaceAll(':', ' ')}" is not a ${bin} command.${match ? ` Did you mean "${bin} ${match}"?` : ''}`;
  const suggestion = `Run \`${bin} help\` for the list of commands.`;
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ error: { name: 'UsageError', message, exitCode: ExitCode.USAGE, suggestion } }, null, 2)}\n`);
  } else {
    process.stderr.write(`Error: ${message}\nHint: ${suggestion}\n`);
  }
  return Errors.exit(ExitCode.USAGE);
}

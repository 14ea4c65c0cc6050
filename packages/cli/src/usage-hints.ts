import { closestMatch } from '@dnr/core';

/** The flags a command accepts, as typed on the command line: `--archetype`, `-q`, … */
export interface FlagSpec {
  name: string;
  char?: string;
}

/** The user's view of an oclif parse error: the message without oclif's own help pointer, plus a did-you-mean. */
export interface UsageHint {
  message: string;
  suggestion: string;
}

const OCLIF_HELP_TAIL = /\n?See more help with --help\s*$/;

/**
 * Turn an oclif parse failure (unknown flag, value outside a flag's options, missing argument…) into a message
 * that names the nearest valid flag or value, and a hint naming the real help command (`dnr gen-warehouse --help`).
 */
export function usageHint(error: Error & { flags?: unknown }, command: { id: string; bin: string; flags: readonly FlagSpec[]; args?: number }): UsageHint {
  const help = `Run \`${command.bin} ${command.id} --help\` for its flags and examples.`;
  const message = error.message.replace(OCLIF_HELP_TAIL, '');
  if (Array.isArray(error.flags)) {
    const typed = error.flags.map(String);
    const known = command.flags.flatMap((f) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])]);
    const lines = typed.map((t) => {
      const flag = t.replace(/=.*$/, '');
      const match = closestMatch(flag, known);
      return `${command.id} has no flag ${flag}.${match ? ` Did you mean ${match}?` : ''}`;
    });
    return { message: lines.join('\n'), suggestion: help };
  }
  // oclif: "Unexpected argument: extra" / "Unexpected arguments: a, b" — name the command and what it takes.
  const unexpected = /^Unexpected arguments?: (.*)$/m.exec(message);
  if (unexpected) {
    const extra = unexpected[1].split(', ');
    const takes = command.args ? `takes at most ${command.args} argument${command.args > 1 ? 's' : ''}` : 'takes no arguments';
    const asFlag = closestMatch(`--${extra[0]}`, command.flags.map((f) => `--${f.name}`));
    const hint = asFlag ? ` Did you mean ${asFlag}?` : '';
    return { message: `${command.bin} ${command.id} ${takes}: unexpected argument${extra.length > 1 ? 's' : ''} "${extra.join(' ')}".${hint}`, suggestion: help };
  }
  const invalidOption = /^Expected --([\w-]+)=(.*) to be one of: (.*)$/m.exec(message);
  if (invalidOption) {
    const [, flag, value, options] = invalidOption;
    const match = closestMatch(value, options.split(', '));
    return { message: `--${flag} ${value} is not one of: ${options}.${match ? ` Did you mean --${flag} ${match}?` : ''}`, suggestion: help };
  }
  const badValue = /^Parsing (--[\w-]+)\s*\n\s*(.*)$/.exec(message);
  if (badValue) return { message: `${badValue[1]}: ${badValue[2]}`, suggestion: help };
  // "The following error occurred:\n  Missing required flag archetype" → "Missing required flag --archetype".
  const listed = /^The following errors? occurred:\n([\s\S]*)$/.exec(message);
  const body = listed ? listed[1].split('\n').map((l) => l.trim()).filter(Boolean).join('\n') : message;
  return { message: body.replace(/Missing required flag (?!-)([\w-]+)/g, 'Missing required flag --$1'), suggestion: help };
}

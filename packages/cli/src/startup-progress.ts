import { Progress } from '@dnr/core/progress';

/**
 * Commands that start at once (no DuckDB, Parquet, LLM client or generator to load): they print their result
 * straight away, so they get no "loading" line. Every other command does heavy work.
 */
const QUICK_COMMANDS = new Set(['config', 'init', 'help']);

/** Flags after which the command prints nothing on stderr (or does not run). */
const SILENT_FLAGS = new Set(['-q', '--quiet', '--json', '-h', '--help']);

/** The step shown from the moment a heavy command starts until its first own step (module and config loading). */
export const LOADING_STEP = 'loading';

let early: Progress | undefined;

/**
 * Called by the init hook, before oclif loads the command's code: on a terminal, a heavy command shows a
 * "loading" spinner at once (drawn by the progress worker while the main thread loads modules). The command
 * takes this reporter over in its init (`takeStartupProgress`).
 */
export function startLoadingLine(id: string | undefined, argv: readonly string[], isCommand: (id: string) => boolean): void {
  if (!id || QUICK_COMMANDS.has(id) || !isCommand(id) || !process.stderr.isTTY) return;
  if (argv.some((a) => SILENT_FLAGS.has(a) || a.startsWith('--json=') || a.startsWith('--quiet='))) return;
  early = new Progress({ enabled: true });
  early.lead(LOADING_STEP);
}

/** The reporter the init hook started, once (undefined when it started none). */
export function takeStartupProgress(): Progress | undefined {
  const p = early;
  early = undefined;
  return p;
}

/**
 * The one exit-code table (0 ok, 1 internal bug, 2 usage/input, 3 gate failed). The CLI base command maps errors to these;
 * nothing else decides how the process ends.
 */
export const ExitCode = {
  OK: 0,
  /** A bug in dnr: the message says so. */
  INTERNAL: 1,
  /** Bad flag, invalid config, missing or unreadable input. */
  USAGE: 2,
  /** A quality gate failed (validate --strict, eval-labels gates, run-report --strict). */
  GATE_FAILED: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface DnrErrorOptions {
  /** What the user can do about it. */
  suggestion?: string;
  cause?: unknown;
  /** Structured detail for `--json` output (e.g. the per-purpose results of `dnr doctor`). */
  details?: unknown;
}

/** Base of every error dnr raises on purpose; carries its exit code. */
export abstract class DnrError extends Error {
  abstract readonly exitCode: ExitCode;
  readonly suggestion?: string;
  readonly details?: unknown;

  constructor(message: string, options: DnrErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.suggestion = options.suggestion;
    this.details = options.details;
  }
}

/** A bad flag, argument or command-line combination. */
export class UsageError extends DnrError {
  readonly exitCode = ExitCode.USAGE;
}

/** Invalid config, missing/unreadable/corrupt input files, unwritable outputs. */
export class InputError extends DnrError {
  readonly exitCode = ExitCode.USAGE;
}

/** One or more quality gates failed; the result is still written. */
export class GateFailedError extends DnrError {
  readonly exitCode = ExitCode.GATE_FAILED;
  /** Names of the failing gates. */
  readonly failed: string[];
  constructor(message: string, failed: string[], options: DnrErrorOptions = {}) {
    super(message, options);
    this.failed = failed;
  }
}

/** An invariant broke: this is a bug in dnr, not in the user's input. */
export class InternalError extends DnrError {
  readonly exitCode = ExitCode.INTERNAL;
}

export function isDnrError(error: unknown): error is DnrError {
  return error instanceof DnrError;
}

/** Exit code for any thrown value: ours carry one, anything else is a bug. */
export function exitCodeOf(error: unknown): ExitCode {
  return isDnrError(error) ? error.exitCode : ExitCode.INTERNAL;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { Command, Flags, Errors, type Interfaces } from '@oclif/core';
import { ExitCode, isDnrError, loadConfig, osFailureOf, Progress, UsageError, type FlagValue, type ResolvedConfig } from '@dnr/core';
import { takeStartupProgress } from './startup-progress.js';
import { usageHint, type FlagSpec } from './usage-hints.js';

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** Map of config path → [flag as typed, value]; undefined values mean "not given". */
export type FlagLayer = Record<string, [flag: string, value: unknown]>;

/**
 * The one base class: parses flags, loads layered config, owns progress on stderr, and maps
 * errors to the exit codes (docs/exit-codes.md). With --json the command's return value is the output.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  /** What an exit code means for this command beyond 0/1/2 (e.g. `{ 3: 'when a gate fails' }`); docs/commands.md lists it. */
  static exitCodes: Record<string, string> | undefined;

  static override baseFlags = {
    config: Flags.string({ description: 'Config file (YAML). Default: configs/default.yaml when present.', helpGroup: 'GLOBAL' }),
    quiet: Flags.boolean({ char: 'q', description: 'No progress output on stderr.', helpGroup: 'GLOBAL', default: false }),
  };

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  protected progress!: Progress;

  public override async init(): Promise<void> {
    await super.init();
    const { args, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as CommandFlags<T>;
    this.args = args as CommandArgs<T>;
    // On a terminal a heavy command's "loading" line has been running since start-up (hooks/init.ts).
    this.progress = takeStartupProgress() ?? new Progress({ enabled: !this.flags.quiet && !this.jsonEnabled() });
  }

  /** stdout output ends the "loading" line first, so the two never share the terminal's last line. */
  public override log(message = '', ...args: unknown[]): void {
    this.progress?.endLead();
    super.log(message, ...args);
  }

  public override warn(input: string | Error): string | Error {
    this.progress?.endLead();
    return super.warn(input);
  }

  /** Resolve config: defaults → YAML (--config) → env → the given flag layer. */
  protected resolveConfig(flagLayer: FlagLayer = {}): ResolvedConfig {
    const flags: Record<string, FlagValue | undefined> = {};
    for (const [path, [flag, value]] of Object.entries(flagLayer)) {
      if (value !== undefined) flags[path] = { flag, value };
    }
    const resolved = loadConfig({ configPath: this.flags.config, flags });
    // On stderr even with --json (stdout carries only the result).
    for (const warning of resolved.warnings ?? []) this.progress.warn(warning);
    return resolved;
  }

  /** Every flag this command accepts (its own, the global ones and --json). */
  private flagSpecs(): FlagSpec[] {
    const all = { ...(this.ctor.baseFlags ?? {}), ...(this.ctor.flags ?? {}) };
    const specs: FlagSpec[] = Object.entries(all).map(([name, f]) => ({ name, char: f.char }));
    return this.ctor.enableJsonFlag ? [...specs, { name: 'json' }] : specs;
  }

  public override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    // The command failed before its first step: the "loading" line goes, the error takes its place.
    this.progress?.endLead({ discard: true });
    if (!this.progress) takeStartupProgress()?.endLead({ discard: true });
    let code: number;
    let message = err.message;
    let suggestion: string | undefined;
    if (isDnrError(err)) {
      code = err.exitCode;
      suggestion = err.suggestion;
      // A bad flag value found by the command itself (--window 3Od, --months 0): point at its help like oclif's own parse errors.
      if (!suggestion && err instanceof UsageError && /(^|\s)--[a-z]/.test(message)) suggestion = `Run \`${this.config.bin} ${this.id ?? this.ctor.id} --help\` for its flags and examples.`;
    } else if (err instanceof Errors.ExitError) {
      code = err.oclif.exit ?? ExitCode.INTERNAL;
    } else if (osFailureOf(err)) {
      // The machine, not dnr: a full disk, a read-only filesystem, permissions, a file where a folder should be.
      const os = osFailureOf(err)!;
      code = ExitCode.USAGE;
      message = `${os.reason} [${os.code}]${os.path ? `: ${os.path}` : ''}`;
      suggestion = 'Free space, fix permissions or choose another path; earlier outputs were left as they were.';
    } else if (err instanceof Errors.CLIError) {
      // oclif's own parse failures: unknown flag, bad option value, missing argument.
      code = ExitCode.USAGE;
      // The parse was attempted: without this oclif warns "did not parse its arguments" under NODE_ENV=development/test.
      this.parsed = true;
      ({ message, suggestion } = usageHint(err, { id: this.id ?? this.ctor.id, bin: this.config.bin, flags: this.flagSpecs(), args: Object.keys(this.ctor.args ?? {}).length }));
    } else {
      code = ExitCode.INTERNAL;
      message = `internal error (this is a bug in dnr, please report it): ${err.stack ?? err.message}`;
    }
    process.exitCode = code;
    if (this.jsonEnabled()) {
      const details = isDnrError(err) ? err.details : undefined;
      this.logJson({
        error: { name: err.name, message: code === ExitCode.INTERNAL ? err.message : message, exitCode: code, ...(suggestion ? { suggestion } : {}), ...(details !== undefined ? { details } : {}) },
      });
      return;
    }
    const prefix = code === ExitCode.GATE_FAILED ? 'Gate failed' : 'Error';
    process.stderr.write(`${prefix}: ${message}\n${suggestion ? `Hint: ${suggestion}\n` : ''}`);
  }

  /** A command that ran no step of its own (or printed nothing) still closes its "loading" line. */
  public override async finally(err: Error | undefined): Promise<void> {
    this.progress?.endLead({ discard: err !== undefined });
    return super.finally(err);
  }
}

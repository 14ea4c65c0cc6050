import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { asOsInputError } from '../os-error.js';
import { pausePoint } from '../test-hook.js';
import { inspectTarget, type ExistingOutput } from './inspect.js';
import { listTree, newCommitId, readMarker, writeMarker, type OutputKind, type OutputMarker } from './marker.js';
import { siblingName } from './names.js';
import { mayWrite } from './legacy.js';
import { checkPlacement, type NamedPath } from './placement.js';
import { moveEntries, recoverLeftovers } from './recover.js';

export interface OutputSpec {
  kind: OutputKind;
  /** The dnr command writing it, e.g. "gen-warehouse". */
  command: string;
  /** The output folder as the user gave it (relative to cwd or absolute). */
  dir: string;
  /** The flag that chose it, for messages ("--out"). */
  flag: string;
  /** Replace a different kind of dnr output, or a folder holding foreign files (those are kept, moved into the new output). */
  force?: boolean;
  /** Folders the command reads: the output may not be, contain or lie inside any of them. */
  inputs?: readonly NamedPath[];
  /** Other outputs of the same command. */
  others?: readonly NamedPath[];
  cwd?: string;
  /** Files (relative) that legitimately change after the commit; their sizes are not recorded. */
  mutable?: readonly string[];
  /** Top-level names of dnr state that outlives a replacement: moved into the new output (e.g. /^llm_ledger_.*\.jsonl$/). */
  persistent?: RegExp;
}

/** A commit in progress (see OutputFolder.begin). */
export interface StagedOutput {
  /** The staging folder to write the output into. */
  dir: string;
  /** Swap the staging folder in (after re-checking the target). */
  commit(options?: CommitOptions): Promise<void>;
  /** Remove the staging folder; the previous output stays as it was. */
  abort(): void;
}

export interface CommitOptions {
  /**
   * Runs once the new folder is in place but before the commit is final (e.g. a DuckDB file whose views
   * need the final absolute paths). If it fails or the process dies, the previous output is restored.
   */
  afterSwap?: (finalDir: string) => Promise<void>;
}

/**
 * One command's output folder, committed with one rename. Opening it checks the location and what is
 * there now (so a command fails before doing any work); `commit` builds everything in a staging folder
 * next to the target, re-checks, moves nested dnr outputs and OS clutter over, and swaps the staging
 * folder in. A failure or a kill at any point leaves the previous output (restored on the next run if the
 * process died mid-swap) and no half-written files under the final name.
 */
export class OutputFolder {
  /** Absolute, symlink-resolved path of the output. */
  readonly path: string;
  /** Unique id of this commit, also recorded in the output's marker. */
  readonly commitId = newCommitId();

  private constructor(
    readonly spec: OutputSpec,
    abs: string,
  ) {
    this.path = abs;
  }

  /** Check the location and the existing content; cleans up dead runs' leftovers first. Throws InputError (exit 2). */
  static open(spec: OutputSpec): OutputFolder {
    const abs = checkPlacement(spec.dir, { flag: spec.flag, inputs: spec.inputs, others: spec.others, cwd: spec.cwd });
    const out = new OutputFolder(spec, abs);
    const existing = out.wrapOs(() => out.inspect());
    // Known before any work: a foreign entry --force would carry over that has a name dnr writes.
    const clash = existing.foreign.filter((rel) => existing.carry.includes(rel) && mayWrite(spec.kind, rel));
    if (clash.length) throw out.clashError(clash);
    return out;
  }

  private clashError(clash: readonly string[]): InputError {
    return new InputError(`${this.spec.flag} ${this.spec.dir}: ${clash.join(', ')} would be overwritten by dnr's new output; nothing was changed.`, {
      suggestion: 'Move or rename those files, then run again.',
    });
  }

  private inspect(): ExistingOutput {
    recoverLeftovers(path.dirname(this.path), path.basename(this.path));
    if (existsSync(this.path)) recoverLeftovers(this.path);
    return inspectTarget(this.path, this.spec);
  }

  private wrapOs<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error: unknown) {
      throw asOsInputError(error, `${this.spec.flag} ${this.spec.dir}`);
    }
  }

  private marker(state: OutputMarker['state'], files: OutputMarker['files'], moved: ExistingOutput): OutputMarker {
    return { dnr_output: 1, kind: this.spec.kind, command: this.spec.command, commit_id: this.commitId, state, pid: process.pid, files, carried: moved.carry.filter((c) => !moved.nested?.includes(c)), kept: [...moved.keep, ...(moved.nested ?? [])] };
  }

  /** What dnr owns in `dir`: everything but carried entries; mutable files and persistent state without a stamp. */
  private recordFiles(dir: string, moved: Pick<ExistingOutput, 'carry' | 'keep'>): OutputMarker['files'] {
    const files = listTree(dir, new Set(moved.carry.filter((c) => !c.includes('/'))));
    for (const rel of moved.carry) delete files[rel];
    for (const rel of [...(this.spec.mutable ?? []), ...moved.keep]) files[rel] = null;
    return files;
  }

  /** Build the output in a staging folder and swap it in; returns what `build` returned. */
  async commit<T>(build: (stagingDir: string) => Promise<T>, options: CommitOptions = {}): Promise<T> {
    const staged = this.begin();
    let value: T;
    try {
      value = await build(staged.dir);
    } catch (error: unknown) {
      staged.abort();
      throw asOsInputError(error, `${this.spec.flag} ${this.spec.dir}`);
    }
    await staged.commit(options);
    return value;
  }

  /**
   * Start a commit whose build spans several steps of the caller: the staging folder to write into, then
   * `commit()` to swap it in, or `abort()` (on any failure) to remove it.
   */
  begin(): StagedOutput {
    const staging = siblingName(this.path, 'dnr-staging');
    // The first parent folder this commit creates (e.g. runs/): an aborted commit removes it again when empty.
    let created: string | undefined;
    this.wrapOs(() => {
      created = mkdirSync(path.dirname(this.path), { recursive: true });
      mkdirSync(staging);
      writeMarker(staging, this.marker('staging', {}, { exists: false, carry: [], keep: [], foreign: [] }));
    });
    pausePoint('output:building');
    const abort = () => {
      rmSync(staging, { recursive: true, force: true });
      if (created) removeEmptyUpTo(path.dirname(this.path), created);
    };
    return { dir: staging, commit: (options = {}) => this.finish(staging, options), abort };
  }

  /** Re-check the target, record what dnr wrote, and swap the staging folder in. */
  private async finish(staging: string, options: CommitOptions): Promise<void> {
    let existing: ExistingOutput;
    try {
      existing = this.wrapOs(() => this.inspect());
      const clash = [...existing.carry, ...existing.keep].filter((rel) => existsSync(path.join(staging, rel)));
      if (clash.length) throw this.clashError(clash);
      const files = this.recordFiles(staging, { carry: [], keep: existing.keep });
      this.wrapOs(() => writeMarker(staging, this.marker(options.afterSwap ? 'staging' : 'complete', files, existing)));
      pausePoint('output:built');
    } catch (error: unknown) {
      rmSync(staging, { recursive: true, force: true });
      throw asOsInputError(error, `${this.spec.flag} ${this.spec.dir}`);
    }
    const moved = [...existing.carry, ...existing.keep];
    const old = existing.exists ? siblingName(this.path, 'dnr-old') : undefined;
    try {
      moveEntries(moved, this.path, staging);
      pausePoint('output:carried');
      if (old) renameSync(this.path, old);
      pausePoint('output:old-moved');
      renameSync(staging, this.path);
    } catch (error: unknown) {
      this.rollBack(staging, old, moved);
      throw asOsInputError(error, `${this.spec.flag} ${this.spec.dir}`);
    }
    pausePoint('output:swapped');
    if (options.afterSwap) {
      try {
        await options.afterSwap(this.path);
        writeMarker(this.path, this.marker('complete', this.recordFiles(this.path, existing), existing));
      } catch (error: unknown) {
        this.rollBack(undefined, old, moved);
        throw asOsInputError(error, `${this.spec.flag} ${this.spec.dir}`);
      }
    }
    pausePoint('output:committed');
    if (old) rmSync(old, { recursive: true, force: true });
  }

  /**
   * Undo a commit in progress. Before the swap (`staging` given): the previous output comes back under its
   * name with what was carried out of it. After the swap (`staging` undefined): the new folder at the final
   * name goes and the previous one returns.
   */
  private rollBack(staging: string | undefined, old: string | undefined, carried: readonly string[]): void {
    if (staging === undefined) {
      if (old) moveEntries(carried, this.path, old);
      rmSync(this.path, { recursive: true, force: true });
      if (old) renameSync(old, this.path);
      return;
    }
    if (old && existsSync(old) && !existsSync(this.path)) renameSync(old, this.path);
    if (existsSync(staging)) {
      if (existsSync(this.path)) moveEntries(carried, staging, this.path);
      rmSync(staging, { recursive: true, force: true });
    }
  }
}

/** Whether a folder is a complete dnr output of `kind` (its marker says so). */
export function isCompleteOutput(dir: string, kind: OutputKind): boolean {
  const m = readMarker(dir);
  return m?.state === 'complete' && m.kind === kind;
}

/** Remove `dir` and its parents up to and including `top` while they are empty (folders a failed commit created). */
function removeEmptyUpTo(dir: string, top: string): void {
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    try {
      if (readdirSync(p).length) return;
      rmdirSync(p);
    } catch {
      return;
    }
    if (p === path.resolve(top) || path.dirname(p) === p) return;
  }
}

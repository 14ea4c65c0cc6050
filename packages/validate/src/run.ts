import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commsWarehouseMismatch, GateFailedError, InputError, makeScratchDir, TableChangedError, OutputFolder, recoverInput, Progress, errorMessage, readMarker, withDuckDB, writeJsonAtomic, type Config } from '@dnr/core';
import { buildContext } from './context.js';
import { GATE_FAMILIES } from './gates/index.js';
import { readManifest } from './manifest.js';
import { mergeWithPrevious, type QcInputs } from './merge.js';
import { skipRow, tally } from './rows.js';
import type { GateRow, ValidateContext } from './types.js';
import { renderValidateMarkdown } from './write.js';

export interface ValidateOptions {
  warehouseDir: string;
  /** Comms folder; undefined = no comms (comms gates are skipped). */
  commsDir?: string;
  /** True when --comms was given: a missing folder is then an input error (otherwise comms gates are skipped). */
  commsExplicit?: boolean;
  metaDir?: string;
  /** Output folder; default {paths.reports}/{archetype}/qc. */
  outDir?: string;
  config: Config;
  progress?: Progress;
  /** Run only these families (tests, quick checks); their rows replace those of an earlier run over the same inputs. */
  families?: string[];
  /** Replace --out even if it holds another kind of dnr output or foreign files (those are kept). */
  force?: boolean;
  /** How the caller names the output folder in messages (quickstart: its config path; default --out). */
  outFlag?: string;
  /** Checksum every table against its manifest before the gates (always done for files whose size or time changed). */
  verify?: boolean;
}

export interface ValidateSummary {
  archetype: string;
  warehouse: string;
  comms: string | null;
  meta: string;
  scale: string;
  quality: string;
  trajectory: string;
  seed: number;
  rows: GateRow[];
  counts: { pass: number; fail: number; skip: number };
  passed: boolean;
  failed: string[];
  /** Families whose rows are in this report. */
  families: string[];
  /** What was validated (commit ids of the folders, sha256 of the ground truth): rows of different inputs never mix. */
  inputs: QcInputs;
  /** Families whose rows were kept from an earlier `validate` over the same inputs (a run with --only). */
  kept_families: string[];
}

export interface ValidateResult extends ValidateSummary {
  out_dir: string;
  files: string[];
  /** Things worth knowing that are not gate failures. */
  warnings: string[];
}

async function runFamilies(ctx: ValidateContext, options: ValidateOptions, progress: Progress): Promise<GateRow[]> {
  const rows: GateRow[] = [];
  const families = GATE_FAMILIES.filter((f) => !options.families || options.families.includes(f.name));
  await progress.step('validate gates', async (h) => {
    h.total(families.length);
    for (const family of families) {
      h.note(family.name);
      if (family.needs.includes('comms') && !ctx.comms) {
        rows.push(skipRow(family.name, 'all', 'no comms folder: pass --comms comms/{archetype} to check the comms gates'));
      } else if (family.needs.includes('defects') && !ctx.defects) {
        rows.push({ ...skipRow(family.name, 'all', `no defects.json in ${ctx.metaDir}: pass --meta meta/{archetype}`), verdict: 'fail' });
      } else {
        try {
          rows.push(...(await family.run(ctx)));
        } catch (error: unknown) {
          if (error instanceof TableChangedError) throw error;
          // A gate that cannot be measured (missing table/column, unreadable file) fails, naming why.
          rows.push({ family: family.name, gate: `${family.name}.measurable`, measured: null, bound: 'measurable', verdict: 'fail', detail: errorMessage(error).split('\n')[0] });
        }
      }
      h.tick();
    }
  });
  return rows;
}

/** Run the gate families over the data in one DuckDB session. */
async function measure(options: ValidateOptions, tmp: string, progress: Progress): Promise<ValidateSummary> {
  // A memory cap keeps peak RSS bounded at evaluation scale; DuckDB spills beyond it.
  return withDuckDB({ timeZone: 'UTC', memoryLimit: '1GB' }, async (conn) => {
    const ctx = await buildContext(conn, {
      warehouseDir: options.warehouseDir,
      commsDir: options.commsDir,
      commsExplicit: options.commsExplicit ?? options.commsDir !== undefined,
      metaDir: options.metaDir,
      config: options.config,
      tmpDir: tmp,
      verify: options.verify,
    });
    const rows = await runFamilies(ctx, options, progress);
    return {
      archetype: ctx.archetype,
      warehouse: options.warehouseDir,
      comms: ctx.comms?.dir ?? null,
      meta: ctx.metaDir,
      scale: ctx.manifest.scale,
      quality: ctx.manifest.quality,
      trajectory: ctx.manifest.trajectory,
      seed: ctx.manifest.seed,
      rows,
      ...tally(rows),
      families: GATE_FAMILIES.map((f) => f.name).filter((f) => !options.families || options.families.includes(f)),
      inputs: {
        warehouse_commit: readMarker(options.warehouseDir)?.commit_id ?? null,
        comms_commit: ctx.comms ? (readMarker(ctx.comms.dir)?.commit_id ?? null) : null,
        truth: [...(ctx.defects ? ['defects'] : []), ...[...ctx.labels].sort()],
      },
      kept_families: [],
    };
  });
}

/** docs/validate.md: run every gate family (or those given) over a warehouse (and comms), write validate.json + validate.md. */
export async function validateOutputs(options: ValidateOptions): Promise<ValidateResult> {
  const progress = options.progress ?? Progress.silent();
  recoverInput(options.warehouseDir, '--warehouse');
  if (!existsSync(options.warehouseDir) || !statSync(options.warehouseDir).isDirectory()) {
    throw new InputError(`--warehouse ${options.warehouseDir} is not a folder.`, { suggestion: 'Run `dnr gen-warehouse` first.' });
  }
  const archetype = readManifest(options.warehouseDir).archetype;
  const outDir = options.outDir ?? path.join(options.config.paths.reports, archetype, 'qc');
  const output = OutputFolder.open({
    kind: 'qc',
    command: 'validate',
    dir: outDir,
    flag: options.outFlag ?? '--out',
    force: options.force,
    inputs: [
      { flag: '--warehouse', dir: options.warehouseDir },
      { flag: '--comms', dir: options.commsDir },
      { flag: '--meta', dir: options.metaDir },
    ],
  });
  const tmp = makeScratchDir('validate');
  try {
    const run = await measure(options, tmp, progress);
    const { report, warnings } = mergeWithPrevious(output.path, run, Boolean(options.families));
    const pair = run.comms ? commsWarehouseMismatch(run.comms, options.warehouseDir) : undefined;
    if (pair) warnings.push(pair);
    await output.commit(async (dir) => {
      writeJsonAtomic(path.join(dir, 'validate.json'), report);
      writeFileSync(path.join(dir, 'validate.md'), renderValidateMarkdown(report));
    });
    return { ...run, out_dir: outDir, files: ['validate.json', 'validate.md'], warnings, kept_families: report.kept_families };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The exit-3 error of `validate --strict`, naming every failing gate. */
export function validateGateFailure(result: ValidateResult): GateFailedError {
  const detail = result.rows
    .filter((r) => r.verdict === 'fail')
    .map((r) => `${r.gate} (measured ${r.measured === null ? 'n/a' : String(r.measured)}, bound ${r.bound})`)
    .join('; ');
  return new GateFailedError(`validate --strict: ${result.failed.length} gate(s) failed: ${detail}.`, result.failed, {
    suggestion: `See ${path.join(result.out_dir, 'validate.md')}.`,
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GateFailedError, Progress, errorMessage, withAtomicDir, withDuckDB, type Config } from '@dnr/core';
import { buildContext } from './context.js';
import { GATE_FAMILIES } from './gates/index.js';
import { skipRow } from './rows.js';
import type { GateRow, ValidateContext } from './types.js';
import { renderValidateMarkdown } from './write.js';
import { writeFileSync } from 'node:fs';
import { writeJsonAtomic } from '@dnr/core';

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
  /** Run only these families (tests, quick checks). */
  families?: string[];
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
}

export interface ValidateResult extends ValidateSummary {
  out_dir: string;
  files: string[];
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
          // A gate that cannot be measured (missing table/column, unreadable file) fails, naming why.
          rows.push({ family: family.name, gate: `${family.name}.measurable`, measured: null, bound: 'measurable', verdict: 'fail', detail: errorMessage(error).split('\n')[0] });
        }
      }
      h.tick();
    }
  });
  return rows;
}

/** SPEC §9: run every gate family over a warehouse (and comms), write validate.json + validate.md. */
export async function validateOutputs(options: ValidateOptions): Promise<ValidateResult> {
  const progress = options.progress ?? Progress.silent();
  const tmp = mkdtempSync(path.join(tmpdir(), 'dnr-validate-'));
  try {
    // A memory cap keeps peak RSS bounded at evaluation scale; DuckDB spills beyond it.
    const summary = await withDuckDB({ timeZone: 'UTC', memoryLimit: '1GB' }, async (conn) => {
      const ctx = await buildContext(conn, {
        warehouseDir: options.warehouseDir,
        commsDir: options.commsDir,
        commsExplicit: options.commsExplicit ?? options.commsDir !== undefined,
        metaDir: options.metaDir,
        config: options.config,
        tmpDir: tmp,
      });
      const rows = await runFamilies(ctx, options, progress);
      const failed = rows.filter((r) => r.verdict === 'fail').map((r) => r.gate);
      const count = (v: GateRow['verdict']) => rows.filter((r) => r.verdict === v).length;
      const s: ValidateSummary = {
        archetype: ctx.archetype,
        warehouse: options.warehouseDir,
        comms: ctx.comms?.dir ?? null,
        meta: ctx.metaDir,
        scale: ctx.manifest.scale,
        quality: ctx.manifest.quality,
        trajectory: ctx.manifest.trajectory,
        seed: ctx.manifest.seed,
        rows,
        counts: { pass: count('pass'), fail: count('fail'), skip: count('skip') },
        passed: failed.length === 0,
        failed,
      };
      return s;
    });
    const outDir = options.outDir ?? path.join(options.config.paths.reports, summary.archetype, 'qc');
    await withAtomicDir(outDir, '--out', async (dir) => {
      writeJsonAtomic(path.join(dir, 'validate.json'), summary);
      writeFileSync(path.join(dir, 'validate.md'), renderValidateMarkdown(summary));
    });
    return { ...summary, out_dir: outDir, files: ['validate.json', 'validate.md'] };
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

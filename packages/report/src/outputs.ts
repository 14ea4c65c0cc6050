import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError, OutputFolder, readMarker, recoverInput, readTruthLinks, resolveTruth, type Config, type NamedPath, type ResolvedTruth } from '@dnr/core';
import { commsFingerprint, deriveRunId, fileFingerprint } from './load/inputs.js';
import { detectArchetype, readWarehouseManifest, tableFiles } from './load/warehouse.js';
import { REQUIRED_COLUMNS } from './tables.js';

/**
 * The LLM spend ledgers of a run and their history files (finished runs' lines): they outlive a rerun of the
 * same run id (spend is per run across processes, and no spend record is ever deleted).
 */
export const RUN_LEDGERS = /^llm_(?:ledger|history)_\w+\.jsonl$/;

export interface RunOutputsRequest {
  warehouseDir: string;
  commsDir: string;
  outDir?: string;
  metaDir?: string;
  runId?: string;
  runsDir?: string;
  force?: boolean;
  /** How the caller names the report folder in messages (quickstart: its config path; default --out). */
  outFlag?: string;
  config: Config;
  /** What, besides the inputs, changes a run's outputs (hashed into the default run id). */
  settings: Record<string, unknown>;
}

export interface RunOutputs {
  archetype: 'neobank' | 'marketplace';
  runId: string;
  /** The report folder and the run folder, checked before any work is done. */
  report: OutputFolder;
  run: OutputFolder;
  /** The warehouse's ground truth (for the event-correlation boost), if it has any. */
  truth?: ResolvedTruth;
  /** Identity of the inputs, recorded in run.json so later readers can tell which data a run saw. */
  identity: { warehouse_commit: string | null; comms_commit: string | null; comms_truth: Record<string, string> };
}

/**
 * Decide and check where a run-report writes, before it reads anything big: the archetype (from the
 * warehouse manifest, or which fact tables exist), the run id, the report folder and runs/{run_id}.
 * Neither may be, contain or lie inside an input, nor each other; exit 2 otherwise.
 */
export function openRunOutputs(r: RunOutputsRequest): RunOutputs {
  recoverInput(r.warehouseDir, '--warehouse');
  recoverInput(r.commsDir, '--comms');
  if (!existsSync(r.warehouseDir) || !statSync(r.warehouseDir).isDirectory()) {
    throw new InputError(`--warehouse ${r.warehouseDir} does not exist or is not a folder.`, { suggestion: 'Run dnr gen-warehouse first or pass the right --warehouse.' });
  }
  const manifest = readWarehouseManifest(r.warehouseDir);
  const archetype = detectArchetype(r.warehouseDir, manifest);
  const runId =
    r.runId ??
    deriveRunId(archetype, {
      warehouse: manifest.tables
        ? Object.fromEntries(Object.entries(manifest.tables).map(([k, v]) => [k, v.checksum ?? v.rows]))
        : Object.keys(REQUIRED_COLUMNS[archetype]).flatMap((t) => tableFiles(r.warehouseDir, t)).map(fileFingerprint),
      comms: commsFingerprint(r.commsDir),
      ...r.settings,
    });
  if (!/^[A-Za-z0-9._-]+$/.test(runId) || runId === '.' || runId === '..') {
    throw new InputError(`--run-id ${runId} may only contain letters, digits, '.', '_' and '-' (and is not "." or "..").`);
  }
  const outDir = r.outDir ?? path.join(r.config.paths.reports, archetype);
  const runDir = path.join(r.runsDir ?? r.config.paths.runs, runId);
  const inputs: NamedPath[] = [
    { flag: '--warehouse', dir: r.warehouseDir },
    { flag: '--comms', dir: r.commsDir },
    { flag: '--meta', dir: r.metaDir },
  ];
  const outFlag = r.outFlag ?? '--out';
  const report = OutputFolder.open({ kind: 'report', command: 'run-report', dir: outDir, flag: outFlag, force: r.force, inputs, others: [{ flag: 'run folder', dir: runDir }] });
  const run = OutputFolder.open({ kind: 'run', command: 'run-report', dir: runDir, flag: 'run folder', force: r.force, inputs, others: [{ flag: outFlag, dir: outDir }], persistent: RUN_LEDGERS });
  const truth = resolveTruth({
    dataDir: r.warehouseDir,
    dataFlag: '--warehouse',
    name: 'defects',
    fileName: 'defects.json',
    override: r.metaDir ? { flag: '--meta', dir: r.metaDir } : undefined,
    legacy: [path.join(r.config.paths.meta, archetype, 'defects.json')],
  });
  const commsTruth = Object.fromEntries(Object.entries(readTruthLinks(r.commsDir) ?? {}).map(([k, v]) => [k, v.sha256]));
  return {
    archetype,
    runId,
    report,
    run,
    truth,
    identity: { warehouse_commit: readMarker(r.warehouseDir)?.commit_id ?? null, comms_commit: readMarker(r.commsDir)?.commit_id ?? null, comms_truth: commsTruth },
  };
}

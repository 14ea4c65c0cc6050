import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError, OutputFolder, readMarker, recoverInput, readTruthLinks, resolveTruth, type Config, type NamedPath, type ResolvedTruth } from '@dnr/core';
import { commsFingerprint, contractDigest, deriveRunId, fileFingerprint } from './load/inputs.js';
import { requiredColumns } from '@dnr/contract';
import { resolveWarehouse, tableFiles, type WarehouseSource } from './load/warehouse.js';

/**
 * The LLM spend ledgers of a run and their history files (finished runs' lines): they outlive a rerun of the
 * same run id (spend is per run across processes, and no spend record is ever deleted).
 */
export const RUN_LEDGERS = /^llm_(?:ledger|history)_\w+\.jsonl$/;

export interface RunOutputsRequest {
  warehouseDir: string;
  /** A contract YAML file (default: the built-in contract named by the warehouse manifest). */
  contractFile?: string;
  commsDir?: string;
  outDir?: string;
  /** --truth: a defects.json file or the folder holding it (only then is ground truth read). */
  truthPath?: string;
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
  /** The warehouse, its kind and its contract. */
  source: WarehouseSource;
  /** The contract's name (the archetype for the built-in contracts): names the default report folder and run id. */
  archetype: string;
  runId: string;
  /** The report folder and the run folder, checked before any work is done. */
  report: OutputFolder;
  run: OutputFolder;
  /** The ground truth given with --truth (detected-vs-injected recall and precision); never read otherwise. */
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
  if (existsSync(r.warehouseDir) && statSync(r.warehouseDir).isDirectory()) recoverInput(r.warehouseDir, '--warehouse');
  if (r.commsDir) recoverInput(r.commsDir, '--comms');
  const source = resolveWarehouse(r.warehouseDir, r.contractFile);
  const { manifest } = source;
  const archetype = source.contract.name;
  const runId =
    r.runId ??
    deriveRunId(archetype, {
      // Two contracts over the same data measure different things: they never share a run folder.
      contract: contractDigest(source.contract),
      warehouse: manifest.tables
        ? Object.fromEntries(Object.entries(manifest.tables).map(([k, v]) => [k, v.checksum ?? v.rows]))
        : source.kind === 'duckdb'
          ? fileFingerprint(r.warehouseDir)
          : Object.keys(requiredColumns(source.contract)).flatMap((t) => tableFiles(r.warehouseDir, t, source.contract.tables[t].file)).map(fileFingerprint),
      comms: r.commsDir ? commsFingerprint(r.commsDir) : null,
      ...r.settings,
    });
  if (!/^[A-Za-z0-9._-]+$/.test(runId) || runId === '.' || runId === '..') {
    throw new InputError(`--run-id ${runId} may only contain letters, digits, '.', '_' and '-' (and is not "." or "..").`);
  }
  const outDir = r.outDir ?? path.join(r.config.paths.reports, archetype);
  const runDir = path.join(r.runsDir ?? r.config.paths.runs, runId);
  const inputs: NamedPath[] = [
    ...warehouseInputs(r.warehouseDir, source),
    { flag: '--contract', dir: r.contractFile },
    { flag: '--comms', dir: r.commsDir },
    { flag: '--truth', dir: r.truthPath },
  ];
  const outFlag = r.outFlag ?? '--out';
  const report = OutputFolder.open({ kind: 'report', command: 'run-report', dir: outDir, flag: outFlag, force: r.force, inputs, others: [{ flag: 'run folder', dir: runDir }] });
  const run = OutputFolder.open({ kind: 'run', command: 'run-report', dir: runDir, flag: 'run folder', force: r.force, inputs, others: [{ flag: outFlag, dir: outDir }], persistent: RUN_LEDGERS });
  const truth = r.truthPath ? truthFile(r.warehouseDir, source, r.truthPath) : undefined;
  const commsTruth = r.commsDir ? Object.fromEntries(Object.entries(readTruthLinks(r.commsDir) ?? {}).map(([k, v]) => [k, v.sha256])) : {};
  return {
    source,
    archetype,
    runId,
    report,
    run,
    truth,
    identity: { warehouse_commit: source.kind === 'duckdb' ? null : (readMarker(r.warehouseDir)?.commit_id ?? null), comms_commit: r.commsDir ? (readMarker(r.commsDir)?.commit_id ?? null) : null, comms_truth: commsTruth },
  };
}

/**
 * What of --warehouse the outputs must keep clear of. A dnr warehouse or a .duckdb file: the whole of it. A
 * Parquet folder dnr did not write: only the files the contract reads (and the folders holding them, other than
 * the warehouse folder itself), so reports/ and runs/ may live in a subfolder of it that holds no input file —
 * dnr never writes over or next to an input (README's worked example runs `--warehouse .` this way).
 */
function warehouseInputs(dir: string, source: WarehouseSource): NamedPath[] {
  if (source.kind !== 'parquet' || source.manifest.tables || readMarker(dir)) return [{ flag: '--warehouse', dir }];
  const top = path.resolve(dir);
  const out: NamedPath[] = [];
  for (const [t, spec] of Object.entries(source.contract.tables)) {
    for (const file of tableFiles(dir, t, spec.file)) {
      out.push({ flag: `table ${t} of --warehouse`, dir: file });
      const folder = path.dirname(file);
      if (folder !== top) out.push({ flag: `table ${t} of --warehouse`, dir: folder });
    }
  }
  return out.length ? out : [{ flag: '--warehouse', dir }];
}

/**
 * The defects.json that --truth names (a file, or the folder holding defects.json). For a dnr warehouse whose
 * manifest links its ground truth, the file must be that one (same sha256); exit 2 otherwise.
 */
function truthFile(warehouse: string, source: WarehouseSource, given: string): ResolvedTruth {
  const isFile = existsSync(given) && statSync(given).isFile();
  const dir = isFile ? path.dirname(given) : given;
  const fileName = isFile ? path.basename(given) : 'defects.json';
  if (source.kind === 'duckdb') {
    if (!existsSync(path.join(dir, fileName))) throw new InputError(`--truth ${given}: ${fileName} not found.`, { suggestion: 'Pass a defects.json file or the folder holding it.' });
    return { file: path.join(dir, fileName), source: 'override' };
  }
  const own = readTruthLinks(warehouse)?.defects;
  const mismatchHint = `Point --truth at the ground truth written with that data${own ? ` (${path.join(warehouse, own.file)})` : ''}, or leave --truth out: it only adds detected-vs-injected recall and precision.`;
  const truth = resolveTruth({ dataDir: warehouse, dataFlag: '--warehouse', name: 'defects', fileName, override: { flag: '--truth', dir, given, mismatchHint } });
  if (!truth) throw new InputError(`--truth ${given}: ${fileName} not found.`);
  return truth;
}

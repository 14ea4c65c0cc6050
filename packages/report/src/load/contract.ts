import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ARCHETYPES, InputError, errorMessage, type Archetype } from '@dnr/core';
import { builtinContract, loadContractFile, type Contract } from '@dnr/contract';

/** What the report reads from a dnr warehouse manifest (absent for warehouses dnr did not write). */
export interface WarehouseManifestInfo {
  archetype?: Archetype;
  tz?: string;
  end_date?: string;
  scale?: string;
  quality?: string;
  seed?: number;
  tables?: Record<string, { rows?: number; checksum?: string }>;
}

/** A warehouse to report on: where it is, what kind of store it is, and the contract that describes it. */
export interface WarehouseSource {
  /** As the user gave it (--warehouse). */
  path: string;
  /** A folder of Parquet files, or one DuckDB database file. */
  kind: 'parquet' | 'duckdb';
  manifest: WarehouseManifestInfo;
  contract: Contract;
  /** Where the contract came from: a file path, or `built-in:{name}`. */
  contractSource: string;
  /** The built-in archetype when the contract is a built-in one (comms dictionaries, defaults). */
  archetype: Archetype | null;
}

export function readWarehouseManifest(dir: string): WarehouseManifestInfo {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WarehouseManifestInfo;
  } catch (error: unknown) {
    throw new InputError(`${file} is not valid JSON (${errorMessage(error)}).`, { suggestion: 'Regenerate the warehouse with dnr gen-warehouse.' });
  }
}

const isDuckDbFile = (p: string) => statSync(p).isFile();
const looksBuiltIn = (dir: string, fact: string) => ['parquet', '.'].some((sub) => existsSync(path.join(dir, sub, `${fact}.parquet`)) || existsSync(path.join(dir, sub, fact)));

/**
 * Resolve the warehouse and its contract: `--contract FILE` when given, else the built-in contract named by
 * the warehouse manifest's archetype, else the built-in whose first fact table the folder holds.
 * Exit 2 when the warehouse does not exist or no contract applies.
 */
export function resolveWarehouse(warehouse: string, contractFile?: string): WarehouseSource {
  if (!existsSync(warehouse)) {
    throw new InputError(`--warehouse ${warehouse} does not exist.`, { suggestion: 'Run dnr gen-warehouse first, or pass a Parquet folder or .duckdb file with --contract.' });
  }
  const kind = isDuckDbFile(warehouse) ? 'duckdb' : 'parquet';
  const manifest = kind === 'parquet' ? readWarehouseManifest(warehouse) : {};
  if (contractFile) {
    const contract = loadContractFile(contractFile);
    const archetype = (ARCHETYPES as readonly string[]).includes(contract.name) ? (contract.name as Archetype) : null;
    return { path: warehouse, kind, manifest, contract, contractSource: contractFile, archetype };
  }
  let archetype: Archetype | undefined = manifest.archetype && ARCHETYPES.includes(manifest.archetype) ? manifest.archetype : undefined;
  if (!archetype && kind === 'parquet') archetype = ARCHETYPES.find((a) => looksBuiltIn(warehouse, firstFact(builtinContract(a))));
  if (!archetype) {
    throw new InputError(`--warehouse ${warehouse} has no dnr manifest naming its archetype, so no built-in contract applies.`, {
      suggestion: 'Describe the warehouse in a contract YAML and pass it with --contract (docs/contract.md), or generate one with dnr gen-warehouse.',
    });
  }
  return { path: warehouse, kind, manifest, contract: builtinContract(archetype), contractSource: `built-in:${archetype}`, archetype };
}

function firstFact(c: Contract): string {
  return Object.entries(c.tables).find(([, t]) => t.role === 'fact')?.[0] ?? '';
}

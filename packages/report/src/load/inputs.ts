import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage, InputError, isDnrError, queryRows, sqlString, verifyCommitted, type CommittedTable } from '@dnr/core';

/** Deterministic run id: archetype + hash of the inputs and the settings that change the outputs. */
export function deriveRunId(archetype: string, parts: unknown): string {
  return `${archetype}-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12)}`;
}

/** sha256 (hex) of the resolved contract (after defaults), so any change to what it declares changes the run id. */
export function contractDigest(contract: unknown): string {
  return createHash('sha256').update(JSON.stringify(contract)).digest('hex');
}

export function fileFingerprint(file: string): string {
  const st = statSync(file);
  return `${path.basename(file)}:${st.size}`;
}

export function commsFingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const manifest = path.join(dir, 'manifest.json');
  if (existsSync(manifest)) out.manifest = createHash('sha256').update(readFileSync(manifest)).digest('hex');
  for (const f of ['slack_messages.parquet', 'email_messages.parquet', 'comms_users.parquet', 'nlq.parquet']) {
    const p = path.join(dir, f);
    if (existsSync(p)) out[f] = fileFingerprint(p);
  }
  return out;
}

/** Fail with exit 2 when the comms folder holds no items at all. */
export async function checkCommsNotEmpty(connection: DuckDBConnection, dir: string): Promise<void> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`--comms ${dir} does not exist or is not a folder.`, { suggestion: 'Generate the corpus with dnr gen-comms or pass the right --comms.' });
  }
  const files = ['slack_messages.parquet', 'email_messages.parquet', 'nlq.parquet'].map((f) => path.join(dir, f)).filter((f) => existsSync(f));
  if (files.length < 3) return; // the comms loader names the missing file
  let total = 0;
  for (const f of files) {
    try {
      const [r] = await queryRows<{ n: bigint }>(connection, `SELECT count(*) AS n FROM read_parquet(${sqlString(f)})`);
      total += Number(r.n);
    } catch (error: unknown) {
      throw new InputError(`comms file is not readable Parquet: ${f} (${errorMessage(error).split('\n')[0]})`, { cause: error });
    }
  }
  if (total === 0) {
    throw new InputError(`comms folder ${dir} is empty: slack_messages, email_messages and nlq hold no rows.`, { suggestion: 'Regenerate it with dnr gen-comms.' });
  }
}

/** Wrap DuckDB failures while reading the warehouse (corrupt pages surface only when scanned). */
export function asInputError(error: unknown, what: string): unknown {
  if (isDnrError(error)) return error;
  const msg = errorMessage(error);
  if (/parquet|no magic bytes|IO Error|Invalid Input Error/i.test(msg)) {
    return new InputError(`${what}: ${msg.split('\n')[0]}`, { suggestion: 'A Parquet file is corrupt or truncated; regenerate it.', cause: error });
  }
  return error;
}

/** The committed tables of a warehouse folder (files relative to it), from its manifest; empty without one. */
function warehouseTables(dir: string): Record<string, CommittedTable> {
  const m = readJson(path.join(dir, 'manifest.json')) as { tables?: Record<string, { rows?: number; checksum?: string; files?: string[] }> } | undefined;
  const out: Record<string, CommittedTable> = {};
  for (const [t, e] of Object.entries(m?.tables ?? {})) {
    if (typeof e.rows === 'number' && typeof e.checksum === 'string' && Array.isArray(e.files)) out[t] = { rows: e.rows, checksum: e.checksum, files: e.files.map((f) => path.join('parquet', f)) };
  }
  return out;
}

/** The committed files of a comms folder, from its manifest; empty without one. */
function commsTables(dir: string): Record<string, CommittedTable> {
  const m = readJson(path.join(dir, 'manifest.json')) as { files?: Record<string, { rows?: number; checksum?: string }> } | undefined;
  const out: Record<string, CommittedTable> = {};
  for (const [name, e] of Object.entries(m?.files ?? {})) {
    if (typeof e.rows === 'number' && typeof e.checksum === 'string' && !name.startsWith('labels_')) out[name] = { rows: e.rows, checksum: e.checksum, files: [`${name}.parquet`] };
  }
  return out;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Verify on read: the warehouse tables and comms files the report reads against what dnr committed
 * (cheap stamps always, content checksums with `full` or when a stamp disagrees); exit 2 naming the table.
 */
export async function verifyInputs(connection: DuckDBConnection, o: { warehouse: { path: string; kind: 'parquet' | 'duckdb' }; commsDir?: string; full: boolean }): Promise<void> {
  // A DuckDB file has no dnr manifest: nothing was committed to verify against.
  if (o.warehouse.kind === 'parquet') await verifyCommitted(connection, { dir: o.warehouse.path, flag: '--warehouse', tables: warehouseTables(o.warehouse.path), full: o.full });
  if (o.commsDir) await verifyCommitted(connection, { dir: o.commsDir, flag: '--comms', tables: commsTables(o.commsDir), full: o.full });
}

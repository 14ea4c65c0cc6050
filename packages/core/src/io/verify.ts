import { statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, errorMessage } from '../errors.js';
import { contentChecksum, sqlString } from './duckdb.js';
import { readMarker } from './output/marker.js';

/** A table as its manifest records it: files relative to the output folder, row count, content checksum. */
export interface CommittedTable {
  files: readonly string[];
  rows: number;
  checksum: string;
}

export interface VerifyRequest {
  /** The output folder (warehouse or comms) and the flag that named it. */
  dir: string;
  flag: string;
  /** What the folder's manifest records, per table. */
  tables: Readonly<Record<string, CommittedTable>>;
  /** Checksum every table (`--verify`), not only those whose files look touched. */
  full: boolean;
}

export interface VerifyResult {
  /** Tables whose content checksum was computed (and matched). */
  checksummed: string[];
  /** Tables that passed on the cheap check alone. */
  stamped: string[];
}

/**
 * Check data against what dnr committed before reading it (so a changed file is an error, never silently
 * different numbers). Cheap check, always: every file's size and modification time against the folder's
 * marker. Full check — row count and order-independent content checksum computed in DuckDB against the
 * manifest — for every table with `full`, and for any table whose cheap check disagrees (or that has no
 * stamps, e.g. a folder from an older dnr, only with `full`). A mismatch is an InputError (exit 2) naming
 * the table and its files.
 */
export async function verifyCommitted(conn: DuckDBConnection, req: VerifyRequest): Promise<VerifyResult> {
  const marker = readMarker(req.dir);
  const result: VerifyResult = { checksummed: [], stamped: [] };
  for (const [table, t] of Object.entries(req.tables)) {
    const abs = t.files.map((f) => path.join(req.dir, f));
    const touched: string[] = [];
    let stamped = marker !== undefined;
    for (const [i, rel] of t.files.entries()) {
      let st;
      try {
        st = statSync(abs[i]);
      } catch {
        throw new InputError(`${req.flag} ${req.dir}: ${rel} of table ${table} is missing (its manifest lists it).`, { suggestion: 'Regenerate that folder with dnr.' });
      }
      const stamp = marker?.files[rel];
      if (!stamp) stamped = false;
      else if (stamp.bytes !== st.size || stamp.mtime_ms !== st.mtimeMs) touched.push(rel);
    }
    if (!req.full && stamped && touched.length === 0) {
      result.stamped.push(table);
      continue;
    }
    if (!req.full && !stamped) continue;
    await checksumTable(conn, req, table, t, abs, touched);
    result.checksummed.push(table);
  }
  return result;
}

async function checksumTable(conn: DuckDBConnection, req: VerifyRequest, table: string, t: CommittedTable, abs: string[], touched: string[]): Promise<void> {
  const files = t.files.join(', ');
  const why = touched.length ? ` (${touched.join(', ')} changed after dnr wrote it)` : '';
  let got: { rows: number; checksum: string };
  try {
    got = await contentChecksum(conn, `read_parquet([${abs.map(sqlString).join(', ')}])`);
  } catch (error: unknown) {
    throw new InputError(`${req.flag} ${req.dir}: table ${table} (${files}) cannot be read${why}: ${errorMessage(error).split('\n')[0]}`, {
      suggestion: 'The file is corrupt; regenerate that folder with dnr.',
      cause: error,
    });
  }
  if (got.rows !== t.rows || got.checksum !== t.checksum) throw new TableChangedError(req, table, t, got, why);
}

/**
 * A table whose content differs from what its manifest records (exit 2): found on read, or later by a
 * command that checksums tables anyway (validate's integrity gate) when the cheap check had passed.
 */
export class TableChangedError extends InputError {
  constructor(where: { flag: string; dir: string }, table: string, recorded: CommittedTable, got: { rows: number; checksum: string }, why = '') {
    super(
      `${where.flag} ${where.dir}: table ${table} (${recorded.files.join(', ')}) does not match its manifest${why}: ${got.rows} rows with content checksum ${got.checksum}, the manifest says ${recorded.rows} rows with ${recorded.checksum}.`,
      { suggestion: 'The data was changed after dnr wrote it; regenerate that folder with dnr.' },
    );
  }
}

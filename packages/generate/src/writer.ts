import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { contentChecksum, sqlString } from '@dnr/core';

export interface TableFiles {
  files: string[];
}

/** Row count and content checksum (core's contentChecksum) of one written file, read back from disk. */
export interface FileChecksum {
  rows: number;
  checksum: string;
}

/**
 * A table's row count and content checksum from its files' own: contentChecksum sums per-row hashes
 * mod 2^64, so the sum of the files' checksums mod 2^64 is the checksum of the whole table.
 */
export function combineChecksums(files: FileChecksum[]): FileChecksum {
  const mod = 1n << 64n;
  const sum = files.reduce((acc, f) => (acc + BigInt(`0x${f.checksum}`)) % mod, 0n);
  return { rows: files.reduce((n, f) => n + f.rows, 0), checksum: sum.toString(16).padStart(16, '0') };
}

/** Writes warehouse tables as ZSTD Parquet: dims as one file, big tables as part files. */
export class ParquetWriter {
  readonly written = new Map<string, TableFiles>();
  /**
   * Each written file (path relative to parquetDir) read back right after it was written: the run's
   * content checksums need no second pass over the tables, and a chunk's read-back overlaps the others.
   */
  readonly checksums = new Map<string, FileChecksum>();
  /** Called after each file is written (progress notes). */
  onWrite?: (table: string, relPath: string) => void;

  constructor(
    private readonly conn: DuckDBConnection,
    readonly parquetDir: string,
    private readonly rowGroupRows: number,
  ) {
    mkdirSync(parquetDir, { recursive: true });
  }

  private copyOptions(): string {
    return `FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE ${this.rowGroupRows}`;
  }

  // ZSTD level 1: ~25% faster than the default level for ~2% larger files.
  private async copy(select: string, rel: string, conn = this.conn): Promise<void> {
    const file = path.join(this.parquetDir, rel);
    await conn.run(`COPY (${select}) TO ${sqlString(file)} (${this.copyOptions()})`);
    this.checksums.set(rel, await contentChecksum(conn, `read_parquet(${sqlString(file)})`));
  }

  /** Checksum of a table from its files' read-backs (undefined when a file was not written by this writer). */
  tableChecksum(table: string): FileChecksum | undefined {
    const files = (this.written.get(table)?.files ?? []).map((f) => this.checksums.get(f));
    return files.length && files.every((f) => f !== undefined) ? combineChecksums(files as FileChecksum[]) : undefined;
  }

  /** `{table}.parquet`. */
  async single(table: string, select: string): Promise<void> {
    const rel = `${table}.parquet`;
    await this.copy(select, rel);
    this.written.set(table, { files: [rel] });
    this.onWrite?.(table, rel);
  }

  /**
   * `{table}/part-NNNN.parquet`, written through `conn` (default the writer's own connection; a
   * chunk computed on another connection passes that one, e.g. to read its TEMP tables). Parts may
   * finish in any order: the table's file list stays sorted by part number. `quiet`: no onWrite call
   * (a table written in the background, while another step owns the progress line).
   */
  async part(table: string, index: number, select: string, conn?: DuckDBConnection, options: { quiet?: boolean } = {}): Promise<void> {
    mkdirSync(path.join(this.parquetDir, table), { recursive: true });
    const rel = `${table}/part-${String(index).padStart(4, '0')}.parquet`;
    await this.copy(select, rel, conn);
    const entry = this.written.get(table) ?? { files: [] };
    entry.files.push(rel);
    entry.files.sort();
    this.written.set(table, entry);
    if (!options.quiet) this.onWrite?.(table, rel);
  }

  /**
   * Parts 0 … selects.length − 1 of `{table}/part-NNNN.parquet` written by one multi-statement call on
   * `conn`, then read back by one query (a UNION ALL of the files' checksums): two round trips in all, so
   * a table written in the background keeps going while the event loop is busy with synchronous work
   * (one call per part would wait for the loop between parts). No onWrite calls.
   */
  async partsAtOnce(table: string, selects: string[], conn: DuckDBConnection = this.conn): Promise<void> {
    if (!selects.length) return;
    mkdirSync(path.join(this.parquetDir, table), { recursive: true });
    const rels = selects.map((_, i) => `${table}/part-${String(i).padStart(4, '0')}.parquet`);
    const file = (rel: string) => sqlString(path.join(this.parquetDir, rel));
    await conn.run(selects.map((select, i) => `COPY (${select}) TO ${file(rels[i])} (${this.copyOptions()})`).join(';\n'));
    const reader = await conn.runAndReadAll(
      rels.map((rel, i) => `SELECT ${i} AS i, count(*) AS n, (sum(hash(t)::HUGEINT) % 18446744073709551616)::UBIGINT AS h FROM read_parquet(${file(rel)}) AS t`).join(' UNION ALL '),
    );
    for (const row of reader.getRowObjectsJS() as Array<{ i: number; n: bigint; h: bigint | null }>) {
      this.checksums.set(rels[Number(row.i)], { rows: Number(row.n), checksum: (row.h ?? 0n).toString(16).padStart(16, '0') });
    }
    this.written.set(table, { files: rels });
  }
}

/** Split ids 1..n into `chunks` contiguous ranges [lo, hi]. */
export function idRanges(n: number, chunks: number): Array<[number, number]> {
  const k = Math.max(1, Math.min(chunks, n));
  const out: Array<[number, number]> = [];
  for (let c = 0; c < k; c++) {
    const lo = Math.floor((c * n) / k) + 1;
    const hi = Math.floor(((c + 1) * n) / k);
    if (hi >= lo) out.push([lo, hi]);
  }
  return out;
}

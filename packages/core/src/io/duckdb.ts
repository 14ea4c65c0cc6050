import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface DuckDBOptions {
  /** Database file, or ':memory:' (default). */
  path?: string;
  /** Pinned session time zone; daily windows are computed in it. */
  timeZone?: string;
  threads?: number;
  memoryLimit?: string;
}

export interface DuckDBSession {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
}

export async function openDuckDB(options: DuckDBOptions = {}): Promise<DuckDBSession> {
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  // Loaded on first use (start-up time).
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(options.path ?? ':memory:', config);
  const connection = await instance.connect();
  if (options.timeZone) await connection.run(`SET TimeZone = '${options.timeZone.replace(/'/g, "''")}'`);
  return { instance, connection };
}

export function closeDuckDB(session: DuckDBSession): void {
  session.connection.closeSync();
  session.instance.closeSync();
}

/** Open, run `fn`, always close. */
export async function withDuckDB<T>(options: DuckDBOptions, fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const session = await openDuckDB(options);
  try {
    return await fn(session.connection);
  } finally {
    closeDuckDB(session);
  }
}

/** Quote a string as a SQL literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Quote an identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Run a query and return plain JS rows (BIGINT → bigint, as DuckDB gives them). */
export async function queryRows<T = Record<string, unknown>>(connection: DuckDBConnection, sql: string): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS() as T[];
}

/**
 * Order-independent content checksum of a relation (table, view or `read_parquet(...)`):
 * row count plus the sum of per-row hashes mod 2^64, computed inside DuckDB.
 */
export async function contentChecksum(connection: DuckDBConnection, relation: string): Promise<{ rows: number; checksum: string }> {
  const rows = await queryRows<{ n: bigint; h: bigint | null }>(
    connection,
    `SELECT count(*) AS n, (sum(hash(t)::HUGEINT) % 18446744073709551616)::UBIGINT AS h FROM ${relation} AS t`,
  );
  const { n, h } = rows[0];
  return { rows: Number(n), checksum: (h ?? 0n).toString(16).padStart(16, '0') };
}

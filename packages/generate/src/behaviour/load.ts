import type { DuckDBConnection } from '@duckdb/node-api';

/** A column to load: DuckDB type and values (numbers; NaN/±Infinity become NULL; or strings). */
export type LoadColumn = [name: string, type: 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'VARCHAR' | 'BOOLEAN', values: ArrayLike<number> | readonly (string | null)[]];

/**
 * Create (or replace) a working table from JS columns of equal length through the appender: the bridge
 * from the entity simulation (typed arrays) to the SQL that generates facts.
 */
export async function loadColumns(conn: DuckDBConnection, table: string, columns: LoadColumn[]): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE ${table} (${columns.map(([n, t]) => `${n} ${t}`).join(', ')})`);
  const n = columns.length ? columns[0][2].length : 0;
  for (const [name, , v] of columns) if (v.length !== n) throw new Error(`loadColumns ${table}.${name}: ${v.length} values, expected ${n}`);
  const app = await conn.createAppender(table);
  for (let i = 0; i < n; i++) {
    for (const [, type, values] of columns) {
      const v = values[i];
      if (v === null || (typeof v === 'number' && !Number.isFinite(v))) app.appendNull();
      else if (type === 'VARCHAR') app.appendVarchar(String(v));
      else if (type === 'DOUBLE') app.appendDouble(v as number);
      else if (type === 'INTEGER') app.appendInteger(v as number);
      else if (type === 'BOOLEAN') app.appendBoolean(v !== 0);
      else app.appendBigInt(BigInt(Math.round(v as number)));
    }
    app.endRow();
  }
  app.closeSync();
}

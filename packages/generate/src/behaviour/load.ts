import bindings from '@duckdb/node-bindings';
import { BIGINT, BOOLEAN, DOUBLE, INTEGER, VARCHAR, DuckDBDataChunk, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';

/** A column to load: DuckDB type and values (numbers; NaN/±Infinity become NULL; or strings). */
export type LoadColumn = [name: string, type: 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'VARCHAR' | 'BOOLEAN', values: ArrayLike<number> | readonly (string | null)[]];

/** DuckDB's vector size: rows per appended data chunk. */
const CHUNK_ROWS = 2048;
const TYPES: Record<LoadColumn[1], DuckDBType> = { BIGINT, INTEGER, DOUBLE, VARCHAR, BOOLEAN };
const TWO_32 = 4294967296;

/** Scratch buffers of one chunk (reused across chunks): values as raw little-endian bytes, validity bits. */
interface Scratch {
  buffer: ArrayBuffer;
  validBuffer: ArrayBuffer;
  f64: Float64Array;
  i32: Int32Array;
  u8: Uint8Array;
  /** 64-bit words as pairs of 32-bit words (DuckDB's validity mask: bit i of the chunk = row i valid). */
  valid: Uint32Array;
}

/** Whether values[off, off + m) are all finite. */
function finite(values: Float64Array, off: number, m: number): boolean {
  for (let i = off; i < off + m; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/**
 * Write rows [off, off + m) of one column into a chunk's vector: numbers through a typed scratch buffer
 * copied in one call (BIGINT as exact 64-bit integers from Math.round, INTEGER truncated like the
 * appender's int32, BOOLEAN 0/1), strings one by one; NULL for null and non-finite numbers.
 */
function fillVector(vector: bindings.Vector, type: LoadColumn[1], values: LoadColumn[2], off: number, m: number, s: Scratch, rows?: Uint32Array): void {
  // an Int32Array into INTEGER (never NULL) is the vector's own layout: one copy from the column itself
  if (type === 'INTEGER' && values instanceof Int32Array && !rows) {
    bindings.copy_data_to_vector(vector, 0, values.buffer as ArrayBuffer, values.byteOffset + 4 * off, 4 * m);
    return;
  }
  // so is a Float64Array into DOUBLE when the slice holds no NaN (NULL)
  if (type === 'DOUBLE' && values instanceof Float64Array && !rows && finite(values, off, m)) {
    bindings.copy_data_to_vector(vector, 0, values.buffer as ArrayBuffer, values.byteOffset + 8 * off, 8 * m);
    return;
  }
  s.valid.fill(0);
  let nulls = 0;
  if (type === 'VARCHAR') {
    const v = values as readonly (string | number | null)[];
    for (let i = 0; i < m; i++) {
      const x = v[rows ? rows[off + i] : off + i];
      if (x === null || (typeof x === 'number' && !Number.isFinite(x))) nulls++;
      else {
        bindings.vector_assign_string_element(vector, i, String(x));
        s.valid[i >>> 5] |= 1 << (i & 31);
      }
    }
  } else {
    const v = values as ArrayLike<number>;
    if (rows && type === 'INTEGER' && (values instanceof Int32Array || values instanceof Uint8Array || values instanceof Uint16Array)) {
      // a gather of small integers (never NULL): no finiteness test per value
      for (let i = 0; i < m; i++) s.i32[i] = v[rows[off + i]];
      bindings.copy_data_to_vector(vector, 0, s.buffer, 0, 4 * m);
      return;
    }
    for (let i = 0; i < m; i++) {
      const x = v[rows ? rows[off + i] : off + i];
      const ok = Number.isFinite(x);
      if (ok) s.valid[i >>> 5] |= 1 << (i & 31);
      else nulls++;
      if (type === 'DOUBLE') s.f64[i] = ok ? x : 0;
      else if (type === 'BIGINT') {
        const r = ok ? Math.round(x) : 0;
        const hi = Math.floor(r / TWO_32);
        s.i32[2 * i] = r - hi * TWO_32;
        s.i32[2 * i + 1] = hi;
      } else if (type === 'INTEGER') s.i32[i] = ok ? x : 0;
      else s.u8[i] = ok && x !== 0 ? 1 : 0;
    }
    const bytes = type === 'BOOLEAN' ? m : type === 'INTEGER' ? 4 * m : 8 * m;
    bindings.copy_data_to_vector(vector, 0, s.buffer, 0, bytes);
  }
  if (nulls) {
    bindings.vector_ensure_validity_writable(vector);
    bindings.copy_data_to_vector_validity(vector, 0, s.validBuffer, 0, 8 * Math.ceil(m / 64));
  }
}

/**
 * Create (or replace) a working table from JS columns of equal length: the bridge from the entity
 * simulation (typed arrays) to the SQL that generates facts. Appended by column in data chunks of
 * 2,048 rows (numbers copied as raw vectors, no per-value calls), not row by row. `options.rows`: load
 * the rows in that order (table row r = value rows[r] of every column; a permutation or selection of
 * the columns' indexes), gathered chunk by chunk instead of reordered copies of whole columns.
 * `options.append`: append to the table an earlier call created (same columns) instead of replacing
 * it; the rows follow the earlier ones (a table loaded in slices, each dropped once appended).
 */
export async function loadColumns(conn: DuckDBConnection, table: string, columns: LoadColumn[], options: { rows?: Uint32Array; append?: boolean } = {}): Promise<void> {
  if (!options.append) await conn.run(`CREATE OR REPLACE TABLE ${table} (${columns.map(([n, t]) => `${n} ${t}`).join(', ')})`);
  const { rows } = options;
  const len = columns.length ? columns[0][2].length : 0;
  for (const [name, , v] of columns) if (v.length !== len) throw new Error(`loadColumns ${table}.${name}: ${v.length} values, expected ${len}`);
  const n = rows ? rows.length : len;
  if (!n) return;
  const buffer = new ArrayBuffer(8 * CHUNK_ROWS);
  const validBuffer = new ArrayBuffer(CHUNK_ROWS / 8);
  const s: Scratch = { buffer, validBuffer, f64: new Float64Array(buffer), i32: new Int32Array(buffer), u8: new Uint8Array(buffer), valid: new Uint32Array(validBuffer) };
  const types = columns.map(([, t]) => TYPES[t]);
  const app = await conn.createAppender(table);
  try {
    for (let off = 0; off < n; off += CHUNK_ROWS) {
      const m = Math.min(CHUNK_ROWS, n - off);
      const chunk = DuckDBDataChunk.create(types, m);
      columns.forEach(([, type, values], c) => fillVector(bindings.data_chunk_get_vector(chunk.chunk, c), type, values, off, m, s, rows));
      app.appendDataChunk(chunk);
    }
  } finally {
    app.closeSync();
  }
}

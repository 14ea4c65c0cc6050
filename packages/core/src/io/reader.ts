import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, errorMessage } from '../errors.js';
import { queryRows, sqlIdent, sqlString } from './duckdb.js';

/**
 * The one reader of Parquet that dnr did not necessarily write. Other tools store the same values with
 * other physical types: pandas/pyarrow write tz-aware columns as TIMESTAMP WITH TIME ZONE, Spark and
 * Arrow nanosecond or INT96 timestamps, Slack exports epoch seconds as text ("1770053873.000000"), some
 * writers text as BLOB, integers as DOUBLE when a column has nulls. `readParquetAs` turns every column
 * dnr reads into the type dnr itself writes — same instants (UTC), same values — or refuses (exit 2)
 * naming the file, the column, the type found and the type expected. Columns dnr does not ask for pass
 * through unchanged.
 */

/** The DuckDB types dnr's own files use (see the generator and comms schemas). */
export type CanonicalType = 'TIMESTAMP' | 'DATE' | 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'VARCHAR' | 'VARCHAR[]';

export interface ParquetSource {
  /** What the files are, for messages: "table fact_payment", "comms file slack_messages". */
  label: string;
  files: readonly string[];
  /** Read this relation (e.g. a table of an attached DuckDB file) instead of the Parquet files; `files` then only names it. */
  relation?: string;
  /** Expected type of each column dnr reads (absent columns are left to the caller's checks). */
  columns: Readonly<Record<string, string>>;
}

export interface NormalisedRelation {
  /** `(SELECT … FROM read_parquet([...]))`, usable in FROM or a CREATE VIEW. */
  sql: string;
  /** Column → type as found in the files. */
  found: Map<string, string>;
  /** Columns that needed a conversion, with their found type. */
  converted: Array<{ column: string; from: string; to: string }>;
}

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'HUGEINT', 'UHUGEINT']);
const isDecimal = (t: string) => /^DECIMAL\(\d+,\d+\)$/.test(t);
const decimalScale = (t: string) => Number(/^DECIMAL\(\d+,(\d+)\)$/.exec(t)?.[1] ?? -1);
const isNumeric = (t: string) => INTEGER_TYPES.has(t) || isDecimal(t) || t === 'DOUBLE' || t === 'FLOAT';

/** A conversion: the SQL expression, and an optional check query that counts the values it would lose. */
interface Conversion {
  expr: string;
  /** SQL counting rows whose value cannot be converted exactly (0 ⇒ fine). */
  lossy?: string;
  /** Why values would be lost, for the refusal message. */
  lossReason?: string;
}

/** Epoch seconds as text or a number → naive UTC TIMESTAMP, exact to the microsecond. */
const epochSeconds = (c: string) => `make_timestamp(CAST(round(CAST(${c} AS DECIMAL(38,6)) * 1000000) AS BIGINT))`;

function timestampConversion(c: string, found: string): Conversion | undefined {
  if (found === 'TIMESTAMP') return { expr: c };
  // An instant: its UTC wall clock is what dnr stores.
  if (found === 'TIMESTAMP WITH TIME ZONE') return { expr: `timezone('UTC', ${c})` };
  if (found === 'TIMESTAMP_NS' || found === 'TIMESTAMP_MS' || found === 'TIMESTAMP_S') {
    return { expr: `CAST(${c} AS TIMESTAMP)`, lossy: found === 'TIMESTAMP_NS' ? `${c} IS NOT NULL AND epoch_ns(${c}) % 1000 <> 0` : undefined, lossReason: 'nanoseconds below a microsecond' };
  }
  if (found === 'VARCHAR') {
    // Slack-style epoch seconds ("1770053873.000000"), or ISO-8601 text with or without an offset.
    const numeric = `regexp_full_match(trim(${c}), '[0-9]{9,11}(\\.[0-9]{1,6})?')`;
    return {
      expr: `CASE WHEN ${numeric} THEN ${epochSeconds(`trim(${c})`)} ELSE timezone('UTC', TRY_CAST(${c} AS TIMESTAMPTZ)) END`,
      lossy: `${c} IS NOT NULL AND NOT ${numeric} AND TRY_CAST(${c} AS TIMESTAMPTZ) IS NULL`,
      lossReason: 'text that is neither epoch seconds nor an ISO-8601 time',
    };
  }
  if (found === 'DOUBLE' || isDecimal(found)) {
    return { expr: epochSeconds(c), lossy: `${c} IS NOT NULL AND NOT (${c} BETWEEN 1e9 AND 1e10)`, lossReason: 'numbers that are not epoch seconds of 2001–2286' };
  }
  if (INTEGER_TYPES.has(found)) {
    // Epoch seconds, milliseconds or microseconds, told apart by magnitude (each range spans 2001–2286).
    return {
      expr: `CASE WHEN ${c} < 1e10 THEN make_timestamp(CAST(${c} AS BIGINT) * 1000000) WHEN ${c} < 1e13 THEN make_timestamp(CAST(${c} AS BIGINT) * 1000) ELSE make_timestamp(CAST(${c} AS BIGINT)) END`,
      lossy: `${c} IS NOT NULL AND NOT (${c} BETWEEN 1e9 AND 1e10 OR ${c} BETWEEN 1e12 AND 1e13 OR ${c} BETWEEN 1e15 AND 1e16)`,
      lossReason: 'integers that are not epoch seconds, milliseconds or microseconds of 2001–2286',
    };
  }
  return undefined;
}

function conversionFor(c: string, found: string, want: string): Conversion | undefined {
  if (found === want) return { expr: c };
  switch (want) {
    case 'TIMESTAMP':
      return timestampConversion(c, found);
    case 'DATE':
      if (found === 'VARCHAR') return { expr: `TRY_CAST(${c} AS DATE)`, lossy: `${c} IS NOT NULL AND TRY_CAST(${c} AS DATE) IS NULL`, lossReason: 'text that is not a YYYY-MM-DD date' };
      return found === 'TIMESTAMP' ? { expr: `CAST(${c} AS DATE)`, lossy: `${c} IS NOT NULL AND CAST(${c} AS DATE) <> ${c}`, lossReason: 'times of day other than midnight' } : undefined;
    case 'BIGINT':
    case 'INTEGER':
      if (INTEGER_TYPES.has(found) || isDecimal(found) || found === 'DOUBLE' || found === 'FLOAT') {
        const exact = INTEGER_TYPES.has(found) ? '' : ` OR ${c} <> trunc(${c})`;
        return {
          expr: `CAST(${c} AS ${want})`,
          lossy: `${c} IS NOT NULL AND (TRY_CAST(${c} AS ${want}) IS NULL${exact})`,
          lossReason: `values that are not whole numbers within ${want}`,
        };
      }
      return undefined;
    case 'DOUBLE':
      return isNumeric(found) ? { expr: `CAST(${c} AS DOUBLE)` } : undefined;
    case 'BOOLEAN':
      return INTEGER_TYPES.has(found) ? { expr: `CAST(${c} AS BOOLEAN)`, lossy: `${c} IS NOT NULL AND ${c} NOT IN (0, 1)`, lossReason: 'numbers other than 0 and 1' } : undefined;
    case 'VARCHAR':
      if (found === 'BLOB') return { expr: `try(decode(${c}))`, lossy: `${c} IS NOT NULL AND try(decode(${c})) IS NULL`, lossReason: 'bytes that are not UTF-8 text' };
      return INTEGER_TYPES.has(found) || (isDecimal(found) && decimalScale(found) === 0) ? { expr: `CAST(${c} AS VARCHAR)` } : undefined;
    case 'VARCHAR[]':
      if (found === 'BLOB[]') return { expr: `list_transform(${c}, x -> try(decode(x)))`, lossy: `list_has_any(list_transform(${c}, x -> try(decode(x)) IS NULL AND x IS NOT NULL), [true])`, lossReason: 'bytes that are not UTF-8 text' };
      return undefined;
    default:
      return undefined;
  }
}

/** Column name → type, as DuckDB reads the files. InputError naming the files when they are not Parquet. */
export async function parquetColumns(conn: DuckDBConnection, src: Pick<ParquetSource, 'label' | 'files' | 'relation'>): Promise<Map<string, string>> {
  try {
    const rows = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE SELECT * FROM ${src.relation ?? `read_parquet([${src.files.map(sqlString).join(', ')}])`}`);
    return new Map(rows.map((r) => [r.column_name, r.column_type]));
  } catch (error: unknown) {
    throw new InputError(`${src.label}: ${src.files.join(', ')} is not readable Parquet (${errorMessage(error).split('\n')[0]}).`, {
      suggestion: 'Regenerate it, or point the flag at an intact folder.',
      cause: error,
    });
  }
}

/**
 * A relation over `src.files` whose expected columns have dnr's own types (see the module comment).
 * Missing expected columns are not an error here (callers name them); a type that cannot be converted
 * exactly is an InputError naming file, column, type found and type expected.
 */
export async function readParquetAs(conn: DuckDBConnection, src: ParquetSource): Promise<NormalisedRelation> {
  const found = await parquetColumns(conn, src);
  const from = src.relation ?? `read_parquet([${src.files.map(sqlString).join(', ')}])`;
  const converted: NormalisedRelation['converted'] = [];
  const exprs: string[] = [];
  const where = src.files.length === 1 ? src.files[0] : `${src.files[0]} (and ${src.files.length - 1} more)`;
  for (const [column, type] of found) {
    const want = src.columns[column];
    const c = sqlIdent(column);
    if (want === undefined || want === type) {
      exprs.push(c);
      continue;
    }
    const conv = conversionFor(c, type, want);
    if (!conv) {
      throw new InputError(`${src.label}: column ${column} in ${where} is ${type}, expected ${want}; dnr cannot read it as ${want} without changing its values.`, {
        suggestion: `Write ${column} as ${want} (or a type that converts exactly) and try again.`,
      });
    }
    if (conv.lossy) {
      const [bad] = await queryRows<{ n: bigint; example: string | null }>(conn, `SELECT count(*) AS n, CAST(any_value(${c}) AS VARCHAR) AS example FROM ${from} WHERE ${conv.lossy}`);
      if (Number(bad.n) > 0) {
        throw new InputError(
          `${src.label}: column ${column} in ${where} is ${type}, expected ${want}; ${Number(bad.n)} value(s) are ${conv.lossReason} (e.g. ${JSON.stringify(bad.example)}).`,
          { suggestion: `Write ${column} as ${want} and try again.` },
        );
      }
    }
    exprs.push(`${conv.expr} AS ${c}`);
    converted.push({ column, from: type, to: want });
  }
  return { sql: `(SELECT ${exprs.join(', ')} FROM ${from})`, found, converted };
}

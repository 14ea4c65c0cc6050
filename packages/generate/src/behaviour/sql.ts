import type { DuckDBConnection } from '@duckdb/node-api';
import { hashString, sqlString } from '@dnr/core';
import { DAYS_PER_MONTH, tzOffsetsByLocalHour, type EventWindow } from './window.js';
import { quantileBuckets } from './curves.js';

/** SQL: a VARCHAR list of names, so a code c (0-based, loaded from JS) is named by `${sqlList(names)}[c + 1]`. */
export const sqlList = (names: readonly string[]): string => `([${names.map(sqlString).join(', ')}]::VARCHAR[])`;

/**
 * Counter-based randomness inside DuckDB (docs/warehouse.md): every value is hash(seed, stream, id, draw),
 * so results never depend on chunking, thread count or scan order.
 */
export class SqlRandom {
  constructor(readonly seed: number) {}

  private sid(stream: string): number {
    return hashString(stream);
  }

  /** Uniform on (0, 1). */
  u(stream: string, id: string, k = 0): string {
    return `u(${this.seed}, ${this.sid(stream)}, ${id}, ${k})`;
  }

  /**
   * 64-bit hash (UBIGINT) of `id` in `stream`: one hash feeding several 16-bit draws through the
   * `u16(h, k)` / `z16(h, k)` macros (k = 0…3), cheaper than one `u` per draw.
   */
  h(stream: string, id: string): string {
    return `hash(xor((${id})::BIGINT, (hash(${this.seed}::BIGINT, ${this.sid(stream)}::BIGINT, 0::BIGINT) >> 2::UBIGINT)::BIGINT))`;
  }

  /** Standard normal (Box–Muller over two hashed uniforms). */
  z(stream: string, id: string, k = 0): string {
    return `nrm(${this.seed}, ${this.sid(stream)}, ${id}, ${k})`;
  }
}

/**
 * SQL: Poisson(lam) from one uniform `uu` — exact inversion up to 16 events, normal approximation
 * (`zz` a standard normal) above lam 6. Pass plain column names: each appears in every branch.
 */
/**
 * Expand entities active on local days [a, b) (columns a, b of `active`) into one row per week w they
 * are active in; with `days`, only the weeks holding those days (a regeneration sample).
 */
export function activeWeeksSql(active: string, days?: number[]): string {
  return days
    ? `SELECT x.*, s.w FROM (${active}) x JOIN (SELECT unnest([${[...new Set(days.map((d) => Math.floor(d / 7)))].join(', ')}])::BIGINT AS w) s ON s.w BETWEEN x.a // 7 AND (x.b - 1) // 7 WHERE x.b > x.a`
    : `SELECT *, unnest(range(a // 7, (b - 1) // 7 + 1)) AS w FROM (${active}) WHERE b > a`;
}

export function poissonSql(lam: string, uu: string, zz: string): string {
  const terms: string[] = [];
  let poly = '1';
  for (let k = 0; k <= 16; k++) {
    if (k > 0) poly += ` + pow(${lam}, ${k}) / ${factorial(k)}`;
    terms.push(`WHEN ${uu} < exp(-${lam}) * (${poly}) THEN ${k}`);
  }
  return `(CASE WHEN ${lam} <= 0 THEN 0 WHEN ${lam} > 6 THEN greatest(0, round(${lam} + sqrt(${lam}) * ${zz}))::INTEGER
    ${terms.join(' ')} ELSE 17 END)`;
}

function factorial(k: number): number {
  let f = 1;
  for (let j = 2; j <= k; j++) f *= j;
  return f;
}

export async function installMacros(conn: DuckDBConnection): Promise<void> {
  // DuckDB's multi-argument hash XORs the arguments' hashes, so hash(seed, stream, id, k) would differ
  // between streams only by a constant: every stream would mirror every other for the same id. The
  // stream's constant is XOR-ed into the id before one avalanching integer hash instead.
  await conn.run(`CREATE OR REPLACE MACRO u(a, b, c, d) AS ((hash(xor(c::BIGINT, (hash(a::BIGINT, b::BIGINT, d::BIGINT) >> 2::UBIGINT)::BIGINT)) >> 11::UBIGINT)::DOUBLE + 0.5) / 9007199254740992.0`);
  await conn.run(`CREATE OR REPLACE MACRO u2(a, b, c, d) AS ((hash(xor(c::BIGINT, (hash(a::BIGINT, b::BIGINT, d::BIGINT, 7::BIGINT) >> 2::UBIGINT)::BIGINT)) >> 11::UBIGINT)::DOUBLE + 0.5) / 9007199254740992.0`);
  await conn.run(`CREATE OR REPLACE MACRO nrm(a, b, c, d) AS sqrt(-2 * ln(u(a, b, c, d))) * cos(2 * pi() * u2(a, b, c, d))`);
  // Four 16-bit uniforms per 64-bit hash (k = 0…3): one hash call feeds several draws of a row. The
  // UBIGINT casts keep the shift and mask in 64-bit arithmetic (an INTEGER operand promotes to HUGEINT, 5× slower).
  await conn.run(`CREATE OR REPLACE MACRO u16(h, k) AS (((h >> (16 * k)::UBIGINT) & 65535::UBIGINT)::DOUBLE + 0.5) / 65536.0`);
  // A standard normal from two 16-bit uniforms of one hash (Box–Muller).
  await conn.run(`CREATE OR REPLACE MACRO z16(h, k) AS sqrt(-2 * ln(u16(h, k))) * cos(2 * pi() * u16(h, k + 1))`);
}

/** Build a table from literal rows (small lookup tables only). */
export async function valuesTable(conn: DuckDBConnection, name: string, columns: string[], rows: Array<Array<number | string | null | boolean>>): Promise<void> {
  const lit = (v: number | string | null | boolean) => (v === null ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v));
  const chunks: string[] = [];
  for (let i = 0; i < rows.length; i += 2000) chunks.push(rows.slice(i, i + 2000).map((r) => `(${r.map(lit).join(', ')})`).join(', '));
  await conn.run(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM (VALUES ${chunks[0]}) t(${columns.join(', ')})`);
  for (const c of chunks.slice(1)) await conn.run(`INSERT INTO ${name} VALUES ${c}`);
}

/** Local hours covered by the offset table: 61 months before the window (pre-window vintages) to its end. */
export function tzRange(window: EventWindow): { from: number; to: number } {
  return { from: -Math.ceil(62 * DAYS_PER_MONTH) * 24, to: (window.days + 2) * 24 };
}

/**
 * Shared lookup tables: `cal` (one row per local day with weights), `tzh` (local hour → UTC offset),
 * `hour_q` (quantised hour-of-day inverse CDF, weekday/weekend).
 */
export async function installCalendar(
  conn: DuckDBConnection,
  window: EventWindow,
  curves: { dow: readonly number[]; month: readonly number[]; hourWeekday: readonly number[]; hourWeekend: readonly number[] },
): Promise<void> {
  const { from, to } = tzRange(window);
  const offsets = tzOffsetsByLocalHour(window, from, to);
  const rows: number[][] = [];
  for (let i = 0; i < offsets.length; i++) rows.push([from + i, offsets[i]]);
  // A dense range join is far faster than literal VALUES for ~50k rows.
  await conn.run(`CREATE OR REPLACE TABLE tzh (lh BIGINT, off_min INTEGER)`);
  const app = await conn.createAppender('tzh');
  for (let i = 0; i < offsets.length; i++) {
    app.appendBigInt(BigInt(from + i));
    app.appendInteger(offsets[i]);
    app.endRow();
  }
  app.closeSync();
  await conn.run(`CREATE OR REPLACE TABLE cal AS
    SELECT d::BIGINT AS d, (DATE '${window.startDate}' + d::INTEGER) AS ds,
      (isodow(DATE '${window.startDate}' + d::INTEGER) - 1)::INTEGER AS dow,
      (isodow(DATE '${window.startDate}' + d::INTEGER) >= 6) AS wk,
      list_extract([${curves.dow.join(', ')}], isodow(DATE '${window.startDate}' + d::INTEGER)::INTEGER) AS dow_w,
      list_extract([${curves.month.join(', ')}], month(DATE '${window.startDate}' + d::INTEGER)::INTEGER) AS season
    FROM range(${window.days}) t(d)`);
  // weekly peak day weight, for thinning week-level Poisson candidates down to days
  await conn.run('CREATE OR REPLACE TABLE calw AS SELECT d // 7 AS w, max(dow_w * season) AS wmax FROM cal GROUP BY 1');
  const wd = quantileBuckets(curves.hourWeekday);
  const we = quantileBuckets(curves.hourWeekend);
  const hq: Array<Array<number | boolean>> = [];
  for (let b = 0; b < wd.length; b++) hq.push([false, b, wd[b]], [true, b, we[b]]);
  await valuesTable(conn, 'hour_q', ['wk', 'b', 'h'], hq);
}

/**
 * SQL: UTC offset (minutes) of a local hour index inside the window, as a CASE over the DST
 * transitions (a handful of branches instead of a join on every event row).
 */
export function offsetCaseSql(window: EventWindow, lh: string): string {
  const off = tzOffsetsByLocalHour(window, 0, (window.days + 2) * 24);
  const whens: string[] = [];
  for (let h = 1; h < off.length; h++) if (off[h] !== off[h - 1]) whens.push(`WHEN ${lh} < ${h} THEN ${off[h - 1]}`);
  return whens.length ? `(CASE ${whens.join(' ')} ELSE ${off[off.length - 1]} END)` : `${off[0]}`;
}

/** SQL: UTC timestamp of local seconds `ls` since the window's first local midnight, given its offset column. */
export function utcFromLocal(window: EventWindow, ls: string, offMin: string): string {
  return `(TIMESTAMP '${window.startDate} 00:00:00' + to_seconds((${ls}) - (${offMin}) * 60))`;
}

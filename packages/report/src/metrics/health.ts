import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlIdent, sqlString } from '@dnr/core';
import type { FactSpec as FactTable } from '@dnr/contract';
import { addDays, isoDay, type ReportWindow } from './window.js';

/**
 * Key-null, FK and orphan counts, one row per FK value, for every fact table in the window.
 * Orphan = a non-null key that does not resolve (missing) or whose fact time precedes the dim
 * row's creation time (temporal rule `fact_ts >= dim.created_at`, only where the dim has one).
 */
const FK_ROWS_SQL = (t: FactTable, w: ReportWindow) =>
  t.foreignKeys
    .map(
      (fk) => `
  SELECT ${sqlString(t.name)} AS tbl, ${sqlString(fk.column)} AS col, f._day AS day,
         f.${sqlIdent(fk.column)} IS NULL AS is_null,
         f.${sqlIdent(fk.column)} IS NOT NULL AND d.k IS NULL AS is_missing,
         coalesce(f.${sqlIdent(fk.column)} IS NOT NULL AND d.k IS NOT NULL AND f._ts < d.ts, false) AS is_temporal
  FROM ${sqlIdent(`ev_${t.name}`)} f
  LEFT JOIN (SELECT ${sqlIdent(fk.key)} AS k, ${fk.valid_from ? `min(${sqlIdent(fk.valid_from)})` : 'NULL::TIMESTAMP'} AS ts
             FROM ${sqlIdent(fk.references)} GROUP BY 1) d ON d.k = f.${sqlIdent(fk.column)}
  WHERE f._day BETWEEN DATE ${sqlString(w.start)} AND DATE ${sqlString(w.end)}`,
    )
    .join('\n  UNION ALL');

export const FK_HEALTH_SQL = (facts: FactTable[], w: ReportWindow) => `
WITH fk AS (${facts.filter((t) => t.foreignKeys.length).map((t) => FK_ROWS_SQL(t, w)).join('\n  UNION ALL')}
)
SELECT tbl, col, day,
       count(*) AS n,
       count(*) FILTER (WHERE is_null) AS nulls,
       count(*) FILTER (WHERE is_missing) AS missing,
       count(*) FILTER (WHERE is_temporal) AS temporal
FROM fk
GROUP BY GROUPING SETS ((tbl, col, day), (tbl, col), (tbl, day), (tbl), (day), ())`;

/** Duplicate business keys: rows sharing a key beyond the first (rows with a NULL key part are not keyed). */
export const DUPLICATE_SQL = (facts: FactTable[], w: ReportWindow) => `
WITH keyed AS (${facts
  .map(
    (t) => `
  SELECT ${sqlString(t.name)} AS tbl, _day AS day, count(*) AS n
  FROM ${sqlIdent(`ev_${t.name}`)}
  WHERE _day BETWEEN DATE ${sqlString(w.start)} AND DATE ${sqlString(w.end)}
    AND ${t.key.map((k) => `${sqlIdent(k)} IS NOT NULL`).join(' AND ')}
  GROUP BY ${t.key.map(sqlIdent).join(', ')}, _day`,
  )
  .join('\n  UNION ALL')}
)
SELECT tbl, day, sum(n) AS n, sum(n - 1) AS dups
FROM keyed
GROUP BY GROUPING SETS ((tbl, day), (tbl), (day), ())`;

/** p95 ingest lag in minutes: loaded_at − event time, over every loaded row. */
export const LAG_SQL = (facts: FactTable[], w: ReportWindow) => `
WITH lag AS (${facts
  .map(
    (t) => `
  SELECT ${sqlString(t.name)} AS tbl, _day AS day, date_diff('second', _ts, ${sqlIdent(t.loadedAt)}) / 60.0 AS lag_min
  FROM ${sqlIdent(`ev_${t.name}`)}
  WHERE _day BETWEEN DATE ${sqlString(w.start)} AND DATE ${sqlString(w.end)}`,
  )
  .join('\n  UNION ALL')}
)
SELECT tbl, day, count(*) AS n, quantile_cont(lag_min, 0.95) AS p95_lag_min
FROM lag
GROUP BY GROUPING SETS ((tbl, day), (tbl), (day), ())`;

export interface HealthValues {
  rows: number;
  key_null_pct: number | null;
  fk_success_pct: number | null;
  orphan_pct: number | null;
  orphan_missing_pct: number | null;
  orphan_temporal_pct: number | null;
  dup_key_pct: number | null;
  p95_ingest_lag_min: number | null;
}

export interface ColumnHealth {
  values: number;
  key_null_pct: number;
  fk_success_pct: number;
  orphan_pct: number | null;
  orphan_missing_pct: number | null;
  orphan_temporal_pct: number | null;
}

export interface HealthScope {
  window: HealthValues;
  daily: Array<{ day: string } & HealthValues>;
}

export interface HealthResult {
  tables: Record<string, HealthScope & { columns: Record<string, ColumnHealth> }>;
  overall: HealthScope;
}

const pct = (num: number, den: number): number | null => (den > 0 ? round((100 * num) / den, 4) : null);
export const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
};

interface FkRow {
  tbl: string | null;
  col: string | null;
  day: unknown;
  n: bigint;
  nulls: bigint;
  missing: bigint;
  temporal: bigint;
}
interface DupRow {
  tbl: string | null;
  day: unknown;
  n: bigint | number;
  dups: bigint | number;
}
interface LagRow {
  tbl: string | null;
  day: unknown;
  n: bigint;
  p95_lag_min: number | null;
}

function fkValues(r: FkRow | undefined) {
  if (!r) return { key_null_pct: null, fk_success_pct: null, orphan_pct: null, orphan_missing_pct: null, orphan_temporal_pct: null };
  const n = Number(r.n);
  const nulls = Number(r.nulls);
  const missing = Number(r.missing);
  const temporal = Number(r.temporal);
  const nonNull = n - nulls;
  return {
    key_null_pct: pct(nulls, n),
    fk_success_pct: pct(n - nulls - missing - temporal, n),
    orphan_pct: pct(missing + temporal, nonNull),
    orphan_missing_pct: pct(missing, nonNull),
    orphan_temporal_pct: pct(temporal, nonNull),
  };
}

/** Data-health metrics for the window: per table, per FK column, overall; totals and daily. */
export async function computeHealth(connection: DuckDBConnection, facts: FactTable[], w: ReportWindow): Promise<HealthResult> {
  const fkRows = facts.some((t) => t.foreignKeys.length) ? await queryRows<FkRow>(connection, FK_HEALTH_SQL(facts, w)) : [];
  const dupRows = await queryRows<DupRow>(connection, DUPLICATE_SQL(facts, w));
  const lagRows = await queryRows<LagRow>(connection, LAG_SQL(facts, w));

  const key = (tbl: string | null, day: unknown) => `${tbl ?? '*'}|${day == null ? '*' : isoDay(day)}`;
  const fkBy = new Map(fkRows.filter((r) => r.col == null).map((r) => [key(r.tbl, r.day), r]));
  const dupBy = new Map(dupRows.map((r) => [key(r.tbl, r.day), r]));
  const lagBy = new Map(lagRows.map((r) => [key(r.tbl, r.day), r]));
  // One entry per local day of the window: a day without rows is 0 rows (its shares null), never left out.
  const days = Array.from({ length: w.days }, (_, i) => addDays(w.start, i));

  const values = (tbl: string | null, day: string | null): HealthValues => {
    const k = key(tbl, day);
    const lag = lagBy.get(k);
    const dup = dupBy.get(k);
    return {
      rows: lag ? Number(lag.n) : 0,
      ...fkValues(fkBy.get(k)),
      dup_key_pct: dup ? pct(Number(dup.dups), Number(dup.n)) : null,
      p95_ingest_lag_min: lag?.p95_lag_min == null ? null : round(lag.p95_lag_min, 2),
    };
  };
  const scope = (tbl: string | null): HealthScope => ({
    window: values(tbl, null),
    daily: days.map((d) => ({ day: d, ...values(tbl, d) })),
  });

  const tables: HealthResult['tables'] = {};
  for (const t of facts) {
    const columns: Record<string, ColumnHealth> = {};
    for (const fk of t.foreignKeys) {
      const r = fkRows.find((x) => x.tbl === t.name && x.col === fk.column && x.day == null);
      if (!r) continue;
      const v = fkValues(r);
      columns[fk.column] = {
        values: Number(r.n),
        key_null_pct: v.key_null_pct ?? 0,
        fk_success_pct: v.fk_success_pct ?? 0,
        orphan_pct: v.orphan_pct,
        orphan_missing_pct: v.orphan_missing_pct,
        orphan_temporal_pct: v.orphan_temporal_pct,
      };
    }
    tables[t.name] = { ...scope(t.name), columns };
  }
  return { tables, overall: scope(null) };
}

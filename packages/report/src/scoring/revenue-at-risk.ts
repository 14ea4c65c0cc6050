import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlIdent, sqlString } from '@dnr/core';
import type { FactSpec as FactTable } from '@dnr/contract';
import type { DataHealth } from '../schemas/data-health.js';
import { round } from '../metrics/health.js';

/** Defect families the health metrics measure; each gap's affected rows come from one family. */
export const FAMILIES = ['keys', 'duplicates', 'lag', 'null_spikes', 'revenue_nulls'] as const;
export type Family = (typeof FAMILIES)[number];

/**
 * Rows of each family in the window and the revenue (USD) they carry, per fact table: rows with a
 * NULL or orphaned key, duplicate copies beyond the first, rows loaded later than the lag SLO and
 * after their local day closed,
 * rows NULL in a spiking column on a detected spike day, rows with a NULL revenue column.
 */
export const REVENUE_AT_RISK_SQL = (t: FactTable, dh: DataHealth, lagSloMin: number) => {
  const w = dh.window;
  const keyCond = t.foreignKeys.length
    ? t.foreignKeys
        .map((fk) => `f.${sqlIdent(fk.column)} IS NULL OR ${sqlIdent(`d_${fk.column}`)}.k IS NULL${fk.valid_from ? ` OR f._ts < ${sqlIdent(`d_${fk.column}`)}.ts` : ''}`)
        .join(' OR ')
    : 'false';
  const joins = t.foreignKeys
    .map(
      (fk) => `LEFT JOIN (SELECT ${sqlIdent(fk.key)} AS k, ${fk.valid_from ? `min(${sqlIdent(fk.valid_from)})` : 'NULL::TIMESTAMP'} AS ts FROM ${sqlIdent(fk.references)} GROUP BY 1) ${sqlIdent(`d_${fk.column}`)}
        ON ${sqlIdent(`d_${fk.column}`)}.k = f.${sqlIdent(fk.column)}`,
    )
    .join('\n      ');
  const spikes = dh.null_spikes.spikes.filter((s) => s.table === t.name && s.in_window);
  const spikeCond = spikes.length ? spikes.map((s) => `(f._day = DATE ${sqlString(s.day)} AND f.${sqlIdent(s.column)} IS NULL)`).join(' OR ') : 'false';
  const revCols = t.revenueColumns;
  const revCond = revCols.length ? revCols.map((c) => `f.${sqlIdent(c)} IS NULL`).join(' OR ') : 'false';
  return `
WITH f AS (
  SELECT f.*, f._copy AS copy_no, coalesce(f._rev, 0) AS rev
  FROM ${sqlIdent(`ev_${t.name}`)} f
  WHERE f._day BETWEEN DATE ${sqlString(w.start)} AND DATE ${sqlString(w.end)}
),
flagged AS (
  SELECT f.rev,
         coalesce(${keyCond}, false) AS is_keys,
         f.copy_no > 1 AND ${t.key.map((k) => `f.${sqlIdent(k)} IS NOT NULL`).join(' AND ')} AS is_duplicates,
         -- Late rows that also missed their local day's close are absent from that day's numbers.
         coalesce(date_diff('second', f._ts, f.${sqlIdent(t.loadedAt)}) / 60.0 > ${lagSloMin} AND local_day(f.${sqlIdent(t.loadedAt)}) > f._day, false) AS is_lag,
         coalesce(${spikeCond}, false) AS is_null_spikes,
         coalesce(${revCond}, false) AS is_revenue_nulls
  FROM f
      ${joins}
)
SELECT ${sqlString(t.name)} AS tbl,
       ${FAMILIES.map((fam) => `count(*) FILTER (WHERE is_${fam}) AS rows_${fam}, coalesce(sum(rev) FILTER (WHERE is_${fam}), 0) AS rev_${fam}`).join(',\n       ')}
FROM flagged`;
};

export type RevenueAtRisk = Record<string, Record<Family, { rows: number; revenue_usd: number }>>;

/** The lag SLO is the report's (dh.slos: config with the contract's overrides). */
export async function computeRevenueAtRisk(connection: DuckDBConnection, facts: FactTable[], dh: DataHealth): Promise<RevenueAtRisk> {
  const out: RevenueAtRisk = {};
  for (const t of facts) {
    const [r] = await queryRows<Record<string, unknown>>(connection, REVENUE_AT_RISK_SQL(t, dh, dh.slos.p95_ingest_lag_min));
    out[t.name] = Object.fromEntries(FAMILIES.map((fam) => [fam, { rows: Number(r[`rows_${fam}`] ?? 0), revenue_usd: round(Number(r[`rev_${fam}`] ?? 0), 2) }])) as Record<
      Family,
      { rows: number; revenue_usd: number }
    >;
  }
  return out;
}

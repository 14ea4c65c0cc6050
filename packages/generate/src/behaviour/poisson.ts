import type { DuckDBConnection } from '@duckdb/node-api';

/** λ resolution and range of the Poisson lookup table; larger means use a normal approximation. */
export const POIS_STEPS = 8;
export const POIS_MAX = 32;
export const POIS_U = 512;
/** log2(POIS_U): the lookup's one-column key is k = lb << POIS_U_BITS | ub. */
export const POIS_U_BITS = 9;

/**
 * Table `pois(lb, ub, n, k)`: the Poisson(lb / 8) quantile at uniform bucket ub of 512 (λ < 32) — the inverse
 * CDF as an equality join, so a row's count costs one lookup instead of a 17-branch CASE. k = lb · 512 + ub
 * packs the pair into one BIGINT (a one-column join key hashes and compares faster than the pair).
 */
export async function installPoissonTable(conn: DuckDBConnection, name = 'pois'): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE ${name} AS
    WITH k AS (SELECT lb, k, exp(-lb / ${POIS_STEPS}.0 + k * ln(greatest(lb, 1e-9) / ${POIS_STEPS}.0) - lgamma(k + 1)) AS p
               FROM range(${POIS_MAX * POIS_STEPS + 1}) a(lb), range(0, 200) b(k)),
    c AS (SELECT lb, k, sum(p) OVER (PARTITION BY lb ORDER BY k) AS cdf FROM k),
    b AS (SELECT lb, k, coalesce(lag(cdf) OVER (PARTITION BY lb ORDER BY k), 0) AS lo, CASE WHEN k = 199 THEN 1.0 ELSE cdf END AS hi FROM c)
    SELECT *, (lb::BIGINT << ${POIS_U_BITS}) | ub AS k FROM (
      SELECT lb::INTEGER AS lb, unnest(range(floor(lo * ${POIS_U} - 0.5)::BIGINT + 1, least(${POIS_U}, floor(hi * ${POIS_U} - 0.5)::BIGINT + 1))) AS ub, k::INTEGER AS n
      FROM b WHERE floor(hi * ${POIS_U} - 0.5) > floor(lo * ${POIS_U} - 0.5))`);
}

/** SQL: Poisson count of `lam` from a 9-bit bucket `ub` (joined table alias `p`) or a normal draw `z` above the table. */
export function poissonCountSql(lam: string, pAlias: string, z: string): string {
  return `(CASE WHEN ${lam} <= 0 THEN 0 WHEN ${lam} >= ${POIS_MAX} THEN greatest(0, round(${lam} + sqrt(${lam}) * ${z}))::INTEGER ELSE ${pAlias}.n END)`;
}

/** SQL join key of the lookup for `lam` (to use with `ub`). */
export function poissonBucketSql(lam: string): string {
  return `least(${POIS_MAX * POIS_STEPS}, round(${lam} * ${POIS_STEPS}))::INTEGER`;
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { RandomStream } from '@dnr/core';
import type { SqlRandom } from '../behaviour/sql.js';
import { lateLagLognormal, spreadRate, type DefectPlan } from './profile.js';

/**
 * A number as a DuckDB DOUBLE literal (exponent notation): a plain `0.05` is a DECIMAL, and DECIMAL
 * operands turn per-row arithmetic and comparisons into slower decimal casts.
 */
export const dbl = (x: number): string => (Number.isFinite(x) ? x.toExponential() : 'NULL');

/** Flag codes of one FK column (kept next to the data until counted, never written). */
export const FLAG = { ok: 0, keyNull: 1, fkMissing: 2, fkTemporal: 3, spikeNull: 4 } as const;

export interface FkInjection {
  table: string;
  column: string;
  /** Column of the base relation holding the true id. */
  trueColumn: string;
  /** Dim size: ids are 1..dimN, so missing ids are drawn above it. */
  dimN: number;
  /** Rank table `rank_{dim}`/`after_{dim}` exist (the dim has a creation time). */
  dim: string;
  temporal: boolean;
  /**
   * Table `(i BIGINT, id BIGINT)` of ids issued by the dimension's sequence that have no dimension row
   * (never loaded, deleted): missing keys point at one of them, so orphans look like real ids.
   * Without it, missing keys are drawn above the largest id.
   */
  gaps?: { table: string; count: number };
  /**
   * SQL over the row: a relative weight of its key-null chance (mean ≈ 1 over the table's rows), e.g.
   * higher on a channel whose integration drops the key. Without it every row has the same chance.
   */
  nullWeight?: string;
  /**
   * Failures are whole entities chosen after the facts are written (defects/entity.ts), not rows: the
   * rows keep their true key and only key nulls are drawn per row. `candidates`: table
   * `(id BIGINT, rec TIMESTAMP)` of the recorded validity start each entity would get if its
   * dimension row is mis-dated (temporal failures).
   */
  entity?: { candidates?: string };
  /**
   * Key-null outages of the column's group (defects/outages.ts): rows listed in `outage_rows` under `key`
   * (on local days `days`) get a NULL key, and the per-row key-null rate drops to `scattered` so the
   * column keeps its overall rate.
   */
  outage?: { key: string; days: number[]; scattered: number };
  /** Per-column override of the missing/temporal split and a multiplier of the failure rate. */
  missingShare?: number;
  failScale?: number;
}

/**
 * Failure rate and missing share actually used for one FK column: the configured rate times the
 * column's scale, drawn within ± rate_spread for the column (`spreadRate`).
 */
export function fkRates(plan: DefectPlan, fk: FkInjection): { fail: number; missingShare: number } {
  return {
    fail: spreadRate(plan, plan.rates.fkFail * (fk.failScale ?? 1), 'fk', fk.table, fk.column),
    missingShare: fk.temporal ? (fk.missingShare ?? plan.rates.fkMissingShare) : 1,
  };
}

/** Duplicate rate of one table: the configured rate drawn within ± rate_spread for the table. */
export function duplicateRate(plan: DefectPlan, table: string): number {
  return spreadRate(plan, plan.rates.duplicate, 'duplicate', table);
}

/** Share of one table's rows delivered in late batches: the configured share drawn within ± rate_spread. */
export function lateShareOf(plan: DefectPlan, table: string): number {
  return spreadRate(plan, plan.rates.lateShare, 'late', table);
}

/**
 * SQL assigning each row's defect for one FK column: spike nulls on spike days, then outage key nulls
 * (`fk.outage`), then scattered key nulls (weighted by the row's source and a weekly drift), then FK failures split missing/temporal by the
 * configured share (temporal only where the dim has a time). `inputs` (`expr AS name` columns) are
 * computed once per row in an inner SELECT; `flag` (a CASE over them) in the SELECT around it, so the
 * hashes are not re-evaluated in every WHEN.
 */
export function fkFlagSql(r: SqlRandom, plan: DefectPlan, fk: FkInjection, rowId: string, dayColumn: string): { inputs: string[]; flag: string } {
  const { keyNull, spikeShare } = plan.rates;
  // entity-mode failures are not drawn per row (defects/entity.ts)
  const { fail: fkFail, missingShare } = fk.entity ? { fail: 0, missingShare: 1 } : fkRates(plan, fk);
  const c = fk.column;
  const inputs = [`${r.u(`${fk.table}.${c}.defect`, rowId)} AS fu_${c}`];
  const spikeDays = plan.spikes.filter((s) => s.table === fk.table && s.column === c).map((s) => s.day);
  let spike = '';
  if (spikeDays.length && spikeShare > 0) {
    inputs.push(`(${dayColumn} IN (${spikeDays.join(', ')}) AND ${rowId} IN (SELECT rid FROM spike_rows WHERE k = '${fk.table}.${c}')) AS fs_${c}`);
    spike = `WHEN fs_${c} THEN ${FLAG.spikeNull}`;
  }
  // Outage rows: every key of the group NULL on the same rows (defects/outages.ts).
  let outage = '';
  if (fk.outage?.days.length) {
    inputs.push(`(${dayColumn} IN (${fk.outage.days.join(', ')}) AND ${rowId} IN (SELECT rid FROM outage_rows WHERE k = '${fk.outage.key}')) AS fo_${c}`);
    outage = `WHEN fo_${c} THEN ${FLAG.keyNull}`;
  }
  const scattered = fk.outage ? fk.outage.scattered : keyNull;
  // Key nulls follow the row's source weight and drift slowly week to week (log-sd 0.12, mean 1);
  // the FK-failure cuts sit after the row's own key-null cut, so their rates stay exact.
  // one factor per week, drawn in JS and looked up per row (a hash, a log and a cosine per row saved)
  const rs = new RandomStream(plan.seed, `defects/null_drift/${fk.table}.${c}`);
  const weeks = Array.from({ length: Math.floor(Math.max(0, plan.days - 1) / 7) + 1 }, (_, w) => dbl(Math.exp(0.12 * rs.standardNormal(w) - 0.0072)));
  const drift = `coalesce([${weeks.join(', ')}][(${dayColumn}) // 7 + 1], 1e0)`;
  inputs.push(`${scattered > 0 ? `(${dbl(scattered)} * ${fk.nullWeight ?? '1'} * ${drift})` : '0.0::DOUBLE'} AS fn_${c}`);
  const flag = `(CASE ${spike} ${outage}
    WHEN fu_${c} < fn_${c} THEN ${FLAG.keyNull}
    WHEN fu_${c} < fn_${c} + ${dbl(fkFail * missingShare)} THEN ${FLAG.fkMissing}
    WHEN fu_${c} < fn_${c} + ${dbl(fkFail)} THEN ${FLAG.fkTemporal}
    ELSE ${FLAG.ok} END)::TINYINT`;
  return { inputs, flag };
}

/**
 * Rank (in creation order) of the dim row a temporal mismatch points at: one created at least three
 * local days after the fact's day (so even the ingest time precedes it); NULL when none exists.
 */
export function temporalRankSql(r: SqlRandom, fk: FkInjection, rowId: string, flagColumn: string, afterAlias: string): string {
  return `CASE WHEN ${flagColumn} = ${FLAG.fkTemporal} AND ${afterAlias}.first_rank < ${fk.dimN}
    THEN ${afterAlias}.first_rank + floor(${r.u(`${fk.table}.${fk.column}.temporal`, rowId)} * (${fk.dimN} - ${afterAlias}.first_rank))::BIGINT END`;
}

/** Final value of the FK column given its flag, the temporal target id and the true id. */
export function fkValueSql(r: SqlRandom, fk: FkInjection, rowId: string, flagColumn: string, temporalId: string, gapId?: string): string {
  const missing = fk.gaps && gapId ? gapId : `(${fk.dimN} + 1 + floor(${r.u(`${fk.table}.${fk.column}.missing`, rowId)} * ${Math.max(fk.dimN, 3)}))::BIGINT`;
  return `CASE ${flagColumn}
    WHEN ${FLAG.ok} THEN ${fk.trueColumn}
    WHEN ${FLAG.keyNull} THEN NULL
    WHEN ${FLAG.spikeNull} THEN NULL
    WHEN ${FLAG.fkTemporal} THEN coalesce(${temporalId}, ${missing})
    ELSE ${missing} END`;
}

/** SQL: index into the gap table of a row's missing key (orphans cluster on a pool of absent ids, as real ones do). */
export function gapIndexSql(r: SqlRandom, fk: FkInjection, rowId: string): string {
  return `floor(${r.u(`${fk.table}.${fk.column}.missing`, rowId)} * ${Math.max(1, fk.gaps?.count ?? 1)})::BIGINT`;
}

/** Effective flag after temporal fallback (no dim row created late enough ⇒ counted as missing). */
export function effectiveFlagSql(flagColumn: string, temporalId: string): string {
  return `CASE WHEN ${flagColumn} = ${FLAG.fkTemporal} AND ${temporalId} IS NULL THEN ${FLAG.fkMissing} ELSE ${flagColumn} END`;
}

/**
 * Ingest lag in seconds, as a micro-batch pipeline produces it, with no floor clamp or cap: a row
 * spends `lagProcessingSeconds` in processing, waits for the next batch boundary (every lagBatch
 * minutes of epoch time) and its batch lands a lognormal time after the boundary (median lagMedian
 * minutes, log-sd lagSigma, one draw per table and batch, so a slow batch delays all its rows
 * together), plus up to 30 s of in-batch order. The table's late share of rows (one 16-bit draw per
 * row; `lateShareOf`) goes out in the batch's late delivery instead, which lands a lognormal time
 * after the event (one draw per table and batch; 5th/95th percentiles at lateMin/lateMax hours), so
 * the lag distribution is continuous from the usual range into the late one. Every row costs one
 * row hash and one batch hash. `late` is true when the first load is at least lateMin hours after the
 * event (what the ingest_lag entry counts); `evEpoch` is the event's Unix-second SQL expression;
 * `delivered` flags the rows of late deliveries.
 */
export function lagSecondsSql(r: SqlRandom, plan: DefectPlan, table: string, rowId: string, evEpoch: string): { inputs: string[]; lag: string; delivered: string; late: (lagColumn: string) => string } {
  const { lagProcessingSeconds: shift, lagBatchMinutes: bm, lagMedianMinutes: med, lagSigma: sd, lateMinHours } = plan.rates;
  const { mu, sigma } = lateLagLognormal(plan.rates);
  const period = Math.max(1, Math.round(bm * 60));
  const batch = `((${evEpoch})::BIGINT // ${period})`;
  // inputs of the row, computed once: row hash, batch hash and the wait for the batch boundary
  const inputs = [`${r.h(`${table}.lag`, rowId)} AS lag_h`, `${r.h(`${table}.batch`, batch)} AS lag_bh`, `((${batch} + 1) * ${period} - (${evEpoch}))::DOUBLE AS lag_wait`];
  const delivered = `(u16(lag_h, 0) < ${dbl(lateShareOf(plan, table))})`;
  const order = `u16(lag_h, 1) * 3e1`;
  const landing = `${dbl(shift)} + lag_wait + ${dbl(med * 60)} * exp(${dbl(sd)} * z16(lag_bh, 0)) + ${order}`;
  // a clean profile has no late ingest: the far tail of the batch landing stays under the late threshold
  const usual = plan.rates.multiplier === 0 ? `least(${landing}, ${Math.round(lateMinHours * 3600) - 1})` : landing;
  const lateLag = `exp(${dbl(mu)} + ${dbl(sigma)} * z16(lag_bh, 2)) + ${order}`;
  const lag = `(CASE WHEN ${delivered} THEN ${lateLag} ELSE ${usual} END)::BIGINT`;
  return { inputs, lag, delivered, late: (lagColumn: string) => `(${lagColumn} >= ${Math.round(lateMinHours * 3600)})` };
}

/**
 * SQL predicate: the row gets a duplicate copy (reloaded later with the same business key). A
 * golden-ratio (low-discrepancy) sequence over row ids instead of a coin per row: any run of N
 * consecutive ids holds N·rate ± 1 duplicates, so small tables (≈2k invoices) stay inside the
 * 0.7% ± 0.2 band for every seed. With `incidentDay`, duplicates only happen on reload-incident days
 * (joined as table `rl`, or the rate column `incidentRate`), at the day's higher rate. The table's
 * rate is `duplicateRate` (drawn within ± rate_spread).
 */
export function duplicateSql(r: SqlRandom, plan: DefectPlan, table: string, rowId: string, incidentDay?: string, incidentRate = 'rl.rate'): string {
  const rate = incidentDay ? incidentRate : dbl(duplicateRate(plan, table));
  return `(((${rowId}) * 6.180339887498949e-1 + ${r.u(`${table}.dup`, incidentDay ?? '0')}) % 1e0 < ${rate})`;
}

/**
 * Extra delay (seconds, at least 1 s by rounding up a continuous draw, so copies never share the first
 * load's loaded_at) of a duplicate copy's loaded_at after the first load, as real incidents produce
 * them: a retried load minutes later (lognormal, median replayMedian minutes, log-sd 0.8), a same-day
 * rerun hours later (lognormal, log-sd 0.6) or a backfill days later (lognormal, 5th/95th
 * percentiles at 1 and backfillMaxDays days); shares from the config. No fixed floor: the delays are
 * skewed and continuous.
 */
export function duplicateDelaySql(r: SqlRandom, plan: DefectPlan, table: string, rowId: string): string {
  const d = plan.rates.dupDelay;
  const h = r.h(`${table}.dupdelay`, rowId);
  // the hash appears twice in the text; duplicates are under 1% of rows
  const k = `u16(${h}, 0)`;
  const z = `z16(${h}, 1)`;
  const replay = `${dbl(d.replayMedianMinutes * 60)} * exp(8e-1 * ${z})`;
  const rerun = `${dbl(d.rerunMedianHours * 3600)} * exp(6e-1 * ${z})`;
  const maxDays = Math.max(1, d.backfillMaxDays);
  const backfill = `${dbl(86400 * Math.sqrt(maxDays))} * exp(${dbl(Math.log(maxDays) / (2 * 1.6448536269514722))} * ${z})`;
  return `ceil(CASE WHEN ${k} < ${dbl(d.replayShare)} THEN ${replay} WHEN ${k} < ${dbl(d.replayShare + d.backfillShare)} THEN ${backfill} ELSE ${rerun} END)::BIGINT`;
}

/**
 * Rank tables for temporal FK failures: `rank_{dim}(rank, id)` in creation order and
 * `after_{dim}(d, first_rank)`: the first rank created on local day ≥ d + 3.
 */
export async function installRankTables(conn: DuckDBConnection, dim: string, source: string, idColumn: string, createdLsColumn: string, days: number): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE rank_${dim} AS
    SELECT (row_number() OVER (ORDER BY ${createdLsColumn}, ${idColumn}) - 1)::BIGINT AS rank, ${idColumn} AS id,
      floor(${createdLsColumn} / 86400)::BIGINT AS cday FROM ${source}`);
  await conn.run(`CREATE OR REPLACE TABLE after_${dim} AS
    WITH h AS (SELECT cday, count(*) AS n FROM rank_${dim} GROUP BY cday)
    SELECT c.d, coalesce((SELECT sum(n) FROM h WHERE h.cday < c.d + 3), 0)::BIGINT AS first_rank FROM range(${days}) c(d)`);
}

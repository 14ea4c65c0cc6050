import type { DuckDBConnection } from '@duckdb/node-api';
import type { SqlRandom } from '../behaviour/sql.js';
import type { DefectPlan } from './profile.js';

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
  /** Per-column override of the missing/temporal split and a multiplier of the failure rate. */
  missingShare?: number;
  failScale?: number;
}

/** Failure rate and missing share actually used for one FK column. */
export function fkRates(plan: DefectPlan, fk: FkInjection): { fail: number; missingShare: number } {
  return { fail: plan.rates.fkFail * (fk.failScale ?? 1), missingShare: fk.temporal ? (fk.missingShare ?? plan.rates.fkMissingShare) : 1 };
}

/**
 * SQL CASE assigning each row's defect for one FK column: spike nulls on spike days, then key nulls
 * (weighted by the row's source and a weekly drift), then FK failures split missing/temporal by the
 * configured share (temporal only where the dim has a time).
 */
export function fkFlagSql(r: SqlRandom, plan: DefectPlan, fk: FkInjection, rowId: string, dayColumn: string): string {
  const { keyNull, spikeShare } = plan.rates;
  // entity-mode failures are not drawn per row (defects/entity.ts)
  const { fail: fkFail, missingShare } = fk.entity ? { fail: 0, missingShare: 1 } : fkRates(plan, fk);
  const u = r.u(`${fk.table}.${fk.column}.defect`, rowId);
  const spikeDays = plan.spikes.filter((s) => s.table === fk.table && s.column === fk.column).map((s) => s.day);
  const spike =
    spikeDays.length && spikeShare > 0
      ? `WHEN ${dayColumn} IN (${spikeDays.join(', ')}) AND ${rowId} IN (SELECT rid FROM spike_rows WHERE k = '${fk.table}.${fk.column}') THEN ${FLAG.spikeNull}`
      : '';
  // Key nulls follow the row's source weight and drift slowly week to week (log-sd 0.12, mean 1);
  // the FK-failure cuts sit after the row's own key-null cut, so their rates stay exact.
  const drift = `exp(0.12 * ${r.z(`${fk.table}.${fk.column}.null_drift`, `(${dayColumn}) // 7`)} - 0.0072)`;
  const kn = keyNull > 0 ? `(${keyNull} * ${fk.nullWeight ?? '1'} * ${drift})` : '0';
  return `(CASE ${spike}
    WHEN ${u} < ${kn} THEN ${FLAG.keyNull}
    WHEN ${u} < ${kn} + ${fkFail * missingShare} THEN ${FLAG.fkMissing}
    WHEN ${u} < ${kn} + ${fkFail} THEN ${FLAG.fkTemporal}
    ELSE ${FLAG.ok} END)::TINYINT`;
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
 * Ingest lag in seconds, as a micro-batch pipeline produces it: a row waits for the next batch
 * boundary (every lagBatch minutes of epoch time), the batch lands a lognormal time after it (median
 * lagMedian minutes, log-sd lagSigma, one draw per table and batch, so a slow batch delays all its
 * rows together) plus up to 30 s of in-batch order; clamped to [lagMin, lagMax] minutes. The late
 * share (the injected ingest_lag incidents, exact per row) loads lateMin–lateMax hours after the event.
 * `evEpoch` is the event's Unix-second SQL expression.
 */
export function lagSecondsSql(r: SqlRandom, plan: DefectPlan, table: string, rowId: string, evEpoch: string): { lag: string; late: string } {
  const { lagMinMinutes: a, lagMaxMinutes: b, lagBatchMinutes: bm, lagMedianMinutes: med, lagSigma: sd, lateShare, lateMinHours: la, lateMaxHours: lb } = plan.rates;
  const late = `(${r.u(`${table}.late`, rowId)} < ${lateShare})`;
  const v = r.u(`${table}.lag`, rowId);
  const period = Math.max(1, Math.round(bm * 60));
  const batch = `((${evEpoch})::BIGINT // ${period})`;
  const wait = `((${batch} + 1) * ${period} - (${evEpoch}))`;
  const landing = `(${med * 60} * exp(${sd} * ${r.z(`${table}.batch`, batch)}))`;
  const usual = `least(${b * 60}, greatest(${a * 60}, ${wait} + ${landing} + ${v} * 30))`;
  const lag = `(CASE WHEN ${late} THEN ${la * 3600} + ${v} * ${(lb - la) * 3600} ELSE ${usual} END)::BIGINT`;
  return { lag, late };
}

/**
 * SQL predicate: the row gets a duplicate copy (reloaded later with the same business key). A
 * golden-ratio (low-discrepancy) sequence over row ids instead of a coin per row: any run of N
 * consecutive ids holds N·rate ± 1 duplicates, so small tables (≈2k invoices) stay inside the
 * 0.7% ± 0.2 band for every seed. With `incidentDay`, duplicates only happen on reload-incident days
 * (joined as table `rl`, or the rate column `incidentRate`), at the day's higher rate.
 */
export function duplicateSql(r: SqlRandom, plan: DefectPlan, table: string, rowId: string, incidentDay?: string, incidentRate = 'rl.rate'): string {
  const rate = incidentDay ? incidentRate : `${plan.rates.duplicate}`;
  return `(((${rowId}) * 0.6180339887498949 + ${r.u(`${table}.dup`, incidentDay ?? '0')}) % 1.0 < ${rate})`;
}

/**
 * Extra delay (seconds) of a duplicate copy's loaded_at after the first load, as real incidents
 * produce them: a retried load minutes later (lognormal, log-sd 0.8), a same-day rerun hours later
 * (lognormal, log-sd 0.6) or a backfill 1–backfillMaxDays days later; shares from the config. At
 * least 60 s, so copies never share the first load's loaded_at.
 */
export function duplicateDelaySql(r: SqlRandom, plan: DefectPlan, table: string, rowId: string): string {
  const d = plan.rates.dupDelay;
  const k = r.u(`${table}.dupkind`, rowId);
  const z = r.z(`${table}.dupdelay`, rowId);
  const replay = `${d.replayMedianMinutes * 60} * exp(0.8 * ${z})`;
  const rerun = `${d.rerunMedianHours * 3600} * exp(0.6 * ${z})`;
  const backfill = `86400 * (1 + ${r.u(`${table}.dupdays`, rowId)} * ${Math.max(0, d.backfillMaxDays - 1)})`;
  return `greatest(60, CASE WHEN ${k} < ${d.replayShare} THEN ${replay} WHEN ${k} < ${d.replayShare + d.backfillShare} THEN ${backfill} ELSE ${rerun} END)::BIGINT`;
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

import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '@dnr/core';
import type { SqlRandom } from '../behaviour/sql.js';
import type { ParquetWriter } from '../writer.js';
import type { DefectPlan } from './profile.js';
import type { DupIncidents } from './dup-incidents.js';
import { addCounts, addFirst, type EntityCounts } from './entity.js';
import { duplicateDelaySql, duplicateSql, effectiveFlagSql, fkFlagSql, fkValueSql, gapIndexSql, lagSecondsSql, temporalRankSql, FLAG, type FkInjection } from './inject.js';

export interface FactChunk {
  table: string;
  part: number;
  /** Clean rows: must expose rid (BIGINT row id for randomness), d (local day), ev (UTC event TIMESTAMP) and true columns. */
  baseSql: string;
  /**
   * Read baseSql inline instead of materialising it first (saves writing and re-reading the chunk). Only
   * for a base whose size the optimiser estimates well (otherwise it may build hash tables on the big side).
   */
  inlineBase?: boolean;
  fks: FkInjection[];
  /** Count only (the table was not asked for, but its FK failures are needed for a dimension): no part file. */
  countOnly?: boolean;
  /**
   * Duplicate incidents of the table (defects/dup-incidents.ts: the copied rows are in dup_rows); without
   * them duplicates are spread evenly, reloaded minutes (replays), hours (reruns) or days (backfills) later.
   */
  dups?: DupIncidents | null;
  /** Column exposed to the schema gap of the plan (if it targets this table): [output name, true column]. */
  gapColumn?: [string, string];
  /**
   * Output columns in schema order. Expressions may use `v_<fk column>` (injected FK),
   * `gv` (gap column after the gap), `loaded_at` and any base column. Expressions reading `loaded_at`
   * are evaluated as the part is written, the others once per row before duplicates are copied.
   */
  columns: Array<[string, string]>;
  /**
   * Tables written beside the fact from the same chunk (e.g. the decline reasons of the declined rows):
   * `stored` base-column expressions kept in the chunk table as `c_<name>` (keep them cheap: they are
   * computed for every row), and the table's `select` list over the chunk table (`o_<name>` output
   * columns, `c_<name>`), evaluated only on the first copy of each row (`copy = 0`: duplicates are not
   * repeated) that passes `where`; written when `write` is set.
   */
  companions?: Companion[];
}

/**
 * A table written beside a fact from the same chunk (see FactChunk.companions): `stored` base-column
 * expressions kept as `c_<name>`, the `select` list and `where` filter over the chunk table (or `from`,
 * a join of `cx` with lookup tables), written when `write` is set.
 */
export interface Companion {
  table: string;
  stored: Array<[string, string]>;
  select: string[];
  where: string;
  write: boolean;
  from?: string;
}

/** Counts accumulated over a table's chunks, turned into defects.json entries at the end. */
export interface FactStats {
  rows: number;
  duplicates: number;
  /** Rows first loaded at least lateMin hours after their event (outside the schema-gap backfill). */
  late: number;
  /** Rows of late deliveries (lognormal late batches), whatever their lag came to. */
  lateDelivered: number;
  fk: Record<string, { keyNull: number; missing: number; temporal: number; spike: number }>;
  spikeDays: Record<string, Record<number, { rows: number; nulls: number; spike: number }>>;
  /** Schema-gap rows, of them backfilled and still NULL; `byDay[k]`: rows and still-NULL rows of the gap's k-th day. */
  gap: { rows: number; backfilled: number; stillNull: number; byDay: { rows: number; stillNull: number }[] };
  /** Per-entity counts of entity-mode FK columns (defects/entity.ts). */
  entities: Record<string, EntityCounts>;
}

/**
 * Null spikes hit an exact share of a day's rows (not a Bernoulli draw, which is too noisy on small
 * days to stay visible), each spike its own size, concentrated in the incident's local hours: the
 * day's rows are generated once up front, ranked (rows inside the incident window first, then by a hash
 * of their id) and the top share recorded in `spike_rows`. Rows must expose (rid, d) and may expose
 * `hod` (local hour of day); every row's fate depends only on its id and the day's population, never
 * on chunking.
 */
export async function prepareSpikeRows(conn: DuckDBConnection, r: SqlRandom, plan: DefectPlan, table: string, rowsOfDays: (days: number[]) => Promise<string>): Promise<void> {
  await conn.run('CREATE TABLE IF NOT EXISTS spike_rows (k VARCHAR, rid BIGINT)');
  const spikes = plan.spikes.filter((s) => s.table === table);
  if (!spikes.length || plan.rates.spikeShare <= 0) return;
  // One generation pass for all spike days of the table.
  const rows = await rowsOfDays([...new Set(spikes.map((s) => s.day))].sort((x, y) => x - y));
  await conn.run(`CREATE OR REPLACE TABLE spike_day AS ${rows}`);
  const hasHour = (await queryRows<{ n: bigint }>(conn, `SELECT count(*) AS n FROM (DESCRIBE spike_day) WHERE column_name = 'hod'`))[0].n > 0n;
  for (const column of new Set(spikes.map((s) => s.column))) {
    const key = `${table}.${column}`;
    const mine = spikes.filter((s) => s.column === column);
    const shape = mine.map((s) => `(${s.day}, ${s.share}, ${s.startHour}, ${s.hours})`).join(', ');
    const inWindow = hasHour ? `(x.hod >= sh.start_hour AND x.hod < sh.start_hour + sh.hours)` : 'true';
    await conn.run(`INSERT INTO spike_rows SELECT '${key}', rid FROM (
      SELECT x.rid, sh.share, row_number() OVER (PARTITION BY x.d ORDER BY (NOT ${inWindow})::INT, ${r.u(`${key}.spike`, 'x.rid')}, x.rid) AS rn, count(*) OVER (PARTITION BY x.d) AS n
      FROM spike_day x JOIN (VALUES ${shape}) sh(d, share, start_hour, hours) ON sh.d = x.d)
      WHERE rn <= round(n * share)`);
  }
  await conn.run('DROP TABLE spike_day');
}

/**
 * The output columns split for the narrow cx table: expressions not reading `loaded_at` are computed
 * into cx as `o_{name}` (`stored`); those reading it (rewritten for duplicate copies) are computed when
 * the part is written. `select` is the part's column list, in schema order.
 */
function outputColumns(spec: FactChunk): { stored: string[]; select: string[] } {
  const late = ([, expr]: [string, string]) => /\bloaded_at\b/.test(expr);
  const companion = (spec.companions ?? []).flatMap((c) => c.stored.map(([name, expr]) => `${expr} AS c_${name}`));
  return {
    stored: [...spec.columns.filter((c) => !late(c)).map(([name, expr]) => `${expr} AS o_${name}`), ...companion],
    select: spec.columns.map((c) => (late(c) ? `${c[1]} AS ${c[0]}` : `o_${c[0]} AS ${c[0]}`)),
  };
}

export function emptyStats(): FactStats {
  return { rows: 0, duplicates: 0, late: 0, lateDelivered: 0, fk: {}, spikeDays: {}, gap: { rows: 0, backfilled: 0, stillNull: 0, byDay: [] }, entities: {} };
}

/**
 * SQL of the chunk's rows with their FK flags (f_<col>), the temporal target ids of ranked temporal FKs
 * (t_<col>) and the gap ids of gap-mode FKs (m_<col>).
 */
function flaggedSql(r: SqlRandom, plan: DefectPlan, spec: FactChunk): string {
  const parts = spec.fks.map((fk) => fkFlagSql(r, plan, fk, 'rid', 'd'));
  const inputs = parts.flatMap((p) => p.inputs);
  const flags = parts.map((p, i) => `${p.flag} AS f_${spec.fks[i].column}`);
  const ranked = (fk: FkInjection) => fk.temporal && !fk.entity;
  const joins = spec.fks
    .filter(ranked)
    .map(
      (fk) => `LEFT JOIN after_${fk.dim} a_${fk.column} ON a_${fk.column}.d = cf.d
        LEFT JOIN rank_${fk.dim} k_${fk.column} ON k_${fk.column}.rank = (${temporalRankSql(r, fk, 'cf.rid', `cf.f_${fk.column}`, `a_${fk.column}`)})`,
    );
  for (const fk of spec.fks) {
    // The flag test sits inside the key (NULL never matches): a left-only condition in a LEFT JOIN's ON
    // would turn the hash join into a blockwise nested loop over every row × gap id (20× slower).
    if (fk.gaps) joins.push(`LEFT JOIN ${fk.gaps.table} g_${fk.column} ON g_${fk.column}.i = CASE WHEN cf.f_${fk.column} IN (${FLAG.fkMissing}, ${FLAG.fkTemporal}) THEN ${gapIndexSql(r, fk, 'cf.rid')} END`);
  }
  const tids = spec.fks.map((fk) => `${ranked(fk) ? `k_${fk.column}.id` : 'NULL::BIGINT'} AS t_${fk.column}${fk.gaps ? `, g_${fk.column}.id AS m_${fk.column}` : ''}`);
  return `SELECT cf.*${tids.map((x) => `, ${x}`).join('')}
    FROM (SELECT ci.*${flags.map((f) => `, ${f}`).join('')} FROM (SELECT cb.*${inputs.map((f) => `, ${f}`).join('')} FROM ${spec.inlineBase ? `(${spec.baseSql}) cb` : 'cb'}) ci) cf ${joins.join('\n')}`;
}

/**
 * The chunk table cx: output columns plus the bookkeeping the counts need (flags, lateness, schema-gap
 * membership and backfill, copy number), loaded_at = event time + ingest lag (+ the backfill delay).
 */
async function createChunkTable(conn: DuckDBConnection, r: SqlRandom, plan: DefectPlan, spec: FactChunk): Promise<void> {
  const t = spec.table;
  const gap = plan.gap && plan.gap.table === t && spec.gapColumn && plan.gap.column === spec.gapColumn[0] ? plan.gap : null;
  const gapEnd = gap ? gap.firstDay + gap.days : 0;
  const inGap = gap ? `(d >= ${gap.firstDay} AND d < ${gapEnd})` : 'false';
  const backfilled = gap ? `(${inGap} AND ${r.u(`${t}.gap.backfill`, 'rid')} < ${gap.backfillShare})` : 'false';
  // Backfilled rows are reloaded 1–4 days after the gap closes.
  const backfillDelay = gap ? `((${gapEnd} - d) * 86400 + 86400 + ${r.u(`${t}.gap.delay`, 'rid')} * 3 * 86400)::BIGINT` : '0';
  const lag = lagSecondsSql(r, plan, t, 'rid', 'epoch(ev)');
  const fkCols = spec.fks.map((fk) => {
    const eff = effectiveFlagSql(`f_${fk.column}`, `t_${fk.column}`);
    return `, ${eff} AS e_${fk.column}, ${fkValueSql(r, fk, 'rid', `f_${fk.column}`, `t_${fk.column}`, `m_${fk.column}`)} AS v_${fk.column}`;
  });
  const gv = spec.gapColumn ? `, CASE WHEN ${inGap} AND NOT ${backfilled} THEN NULL ELSE ${spec.gapColumn[1]} END AS gv` : '';
  const out = outputColumns(spec);
  // Materialised so the optimiser knows the chunk's size (unnest-based estimates are tiny and would
  // make it build hash tables on the big side); cx is what the counts and the Parquet part read. cx
  // keeps only the output columns and the bookkeeping the counts need (writing every intermediate
  // column cost as much as computing them).
  if (!spec.inlineBase) await conn.run(`CREATE OR REPLACE TEMP TABLE cb AS ${spec.baseSql}`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE cx AS
    SELECT ${out.stored.join(', ')}, rid, d,${spec.fks.some((fk) => fk.entity?.candidates) ? ' ev,' : ''} loaded_at, is_late, ld, ig, bf, copy${spec.fks.map((fk) => `, e_${fk.column}, v_${fk.column} IS NULL AS z_${fk.column}`).join('')}
    FROM (SELECT *, ev + to_seconds(lagsec + CASE WHEN bf THEN ${backfillDelay} ELSE 0 END) AS loaded_at, ${lag.late('lagsec')} AS is_late
      FROM (SELECT cg.*${fkCols.join('')}${gv}, ${lag.lag} AS lagsec, ${lag.delivered} AS ld, ${inGap} AS ig, ${backfilled} AS bf, 0 AS copy
        FROM (SELECT *, ${lag.inputs.join(', ')} FROM (${flaggedSql(r, plan, spec)})) cg))`);
}

/** Duplicates: the same row again in cx (copy = 1), loaded later — by a duplicate incident, or a replay/rerun/backfill spread over the rows. */
async function insertDuplicates(conn: DuckDBConnection, r: SqlRandom, plan: DefectPlan, spec: FactChunk): Promise<void> {
  const t = spec.table;
  // an INSERT from the table, not an unnest over every row
  if (spec.dups) {
    // the incident's rows (dup_rows, the small build side): a rerun or backfill re-sends them at its reload
    // time (a copy whose first load came after it follows that load by a replay-like delay), a replay follows each first load
    await conn.run(`INSERT INTO cx SELECT y.* EXCLUDE (rt, ad) REPLACE (1 AS copy,
        CASE WHEN y.rt IS NOT NULL AND make_timestamp(y.rt * 1000000) > y.loaded_at THEN make_timestamp(y.rt * 1000000) ELSE y.loaded_at + to_seconds(y.ad) END AS loaded_at)
      FROM (SELECT cx.*, dr.rt, dr.ad FROM cx JOIN dup_rows dr ON dr.rid = cx.rid AND dr.k = '${spec.dups.key}') y`);
  } else {
    await conn.run(`INSERT INTO cx SELECT * REPLACE (1 AS copy, loaded_at + to_seconds(${duplicateDelaySql(r, plan, t, 'rid')}) AS loaded_at)
      FROM cx WHERE ${duplicateSql(r, plan, t, 'rid')}`);
  }
}

/** Add cx's counts to `stats`: rows, duplicates, late rows, schema-gap rows, FK flags and the spike days' nulls. */
async function countChunk(conn: DuckDBConnection, plan: DefectPlan, spec: FactChunk, stats: FactStats): Promise<void> {
  const fkAgg = spec.fks.map(
    (fk) =>
      `, count(*) FILTER (e_${fk.column} = ${FLAG.keyNull}) AS ${fk.column}_n, count(*) FILTER (e_${fk.column} = ${FLAG.fkMissing}) AS ${fk.column}_m,
       count(*) FILTER (e_${fk.column} = ${FLAG.fkTemporal}) AS ${fk.column}_t, count(*) FILTER (e_${fk.column} = ${FLAG.spikeNull}) AS ${fk.column}_s`,
  );
  const [agg] = await queryRows<Record<string, bigint>>(
    conn,
    `SELECT count(*) AS n, count(*) FILTER (copy = 1) AS dups, count(*) FILTER (is_late AND NOT bf) AS late, count(*) FILTER (ld AND NOT bf) AS ld,
      count(*) FILTER (ig) AS gap_rows, count(*) FILTER (bf) AS gap_bf${fkAgg.join('')} FROM cx`,
  );
  stats.rows += Number(agg.n);
  stats.duplicates += Number(agg.dups);
  stats.late += Number(agg.late);
  stats.lateDelivered += Number(agg.ld);
  stats.gap.rows += Number(agg.gap_rows);
  stats.gap.backfilled += Number(agg.gap_bf);
  stats.gap.stillNull += Number(agg.gap_rows) - Number(agg.gap_bf);
  if (Number(agg.gap_rows) > 0 && plan.gap) {
    // per gap day: at small scale a day's still-NULL rows (1 − backfill share of ~50 orders) can be 0–2,
    // so the ground truth records what each day realised
    const days = await queryRows<{ k: number; n: bigint; z: bigint }>(conn, `SELECT (d - ${plan.gap.firstDay})::INTEGER AS k, count(*) AS n, count(*) FILTER (NOT bf) AS z FROM cx WHERE ig GROUP BY 1`);
    for (const { k, n, z } of days) {
      const day = (stats.gap.byDay[k] ??= { rows: 0, stillNull: 0 });
      day.rows += Number(n);
      day.stillNull += Number(z);
    }
  }
  for (const fk of spec.fks) {
    const s = (stats.fk[fk.column] ??= { keyNull: 0, missing: 0, temporal: 0, spike: 0 });
    s.keyNull += Number(agg[`${fk.column}_n`]);
    s.missing += Number(agg[`${fk.column}_m`]);
    s.temporal += Number(agg[`${fk.column}_t`]);
    s.spike += Number(agg[`${fk.column}_s`]);
    const days = plan.spikes.filter((x) => x.table === spec.table && x.column === fk.column).map((x) => x.day);
    if (!days.length) continue;
    const rows = await queryRows<{ d: number; n: bigint; z: bigint; s: bigint }>(
      conn,
      `SELECT d, count(*) AS n, count(*) FILTER (z_${fk.column}) AS z, count(*) FILTER (e_${fk.column} = ${FLAG.spikeNull}) AS s FROM cx WHERE d IN (${days.join(', ')}) GROUP BY d`,
    );
    const per = (stats.spikeDays[fk.column] ??= {});
    for (const row of rows) {
      const e = (per[Number(row.d)] ??= { rows: 0, nulls: 0, spike: 0 });
      e.rows += Number(row.n);
      e.nulls += Number(row.z);
      e.spike += Number(row.s);
    }
  }
}

/**
 * One chunk of one fact table: clean rows → FK/key-null/spike flags → temporal targets → schema gap,
 * lag and duplicates → counted → written as a part file. Every decision is a hash of the row id.
 * The chunk's tables (cb, cx) are TEMP tables of `conn`, so chunks may run concurrently on separate
 * connections; the part file is written through `conn` too.
 */
export async function writeFactChunk(conn: DuckDBConnection, r: SqlRandom, plan: DefectPlan, writer: ParquetWriter, spec: FactChunk, stats: FactStats): Promise<void> {
  await createChunkTable(conn, r, plan, spec);
  await insertDuplicates(conn, r, plan, spec);
  await countChunk(conn, plan, spec, stats);
  await countEntities(conn, spec, stats);
  if (!spec.countOnly) await writer.part(spec.table, spec.part, `SELECT ${outputColumns(spec).select.join(', ')} FROM cx`, conn);
  for (const c of spec.companions ?? []) {
    if (c.write) await writer.part(c.table, spec.part, `SELECT ${c.select.join(', ')} FROM ${c.from ?? 'cx'} WHERE copy = 0 AND (${c.where})`, conn, { quiet: true });
  }
  await conn.run('DROP TABLE cx');
  if (!spec.inlineBase) await conn.run('DROP TABLE cb');
}

/**
 * Per-entity counts of the chunk's entity-mode FK columns (duplicates included): rows per key, and
 * rows before each temporal candidate's recorded start. The key is read from the output column of the
 * same name (`o_<column>`).
 */
async function countEntities(conn: DuckDBConnection, spec: FactChunk, stats: FactStats): Promise<void> {
  for (const fk of spec.fks) {
    if (!fk.entity) continue;
    const c = (stats.entities[fk.column] ??= { rows: new Map(), before: new Map() });
    const key = `o_${fk.column}`;
    if (fk.entity.candidates) {
      // cx holds ev: the earliest event per entity comes with the row counts (defects/incidents.ts)
      const rows = await queryRows<{ id: bigint; n: bigint; t: bigint | null }>(conn, `SELECT ${key} AS id, count(*) AS n, floor(min(epoch(ev)))::BIGINT AS t FROM cx WHERE ${key} IS NOT NULL GROUP BY 1`);
      addCounts(c.rows, rows);
      addFirst((c.first ??= new Map()), rows);
    } else addCounts(c.rows, await queryRows<{ id: bigint; n: bigint }>(conn, `SELECT ${key} AS id, count(*) AS n FROM cx WHERE ${key} IS NOT NULL GROUP BY 1`));
    if (fk.entity.candidates) {
      addCounts(
        c.before,
        await queryRows<{ id: bigint; n: bigint }>(conn, `SELECT cx.${key} AS id, count(*) AS n FROM cx JOIN ${fk.entity.candidates} tc ON tc.id = cx.${key} WHERE cx.ev < tc.rec GROUP BY 1`),
      );
    }
  }
}

import { sqlIdent, sqlString } from '@dnr/core';
import type { FactSpec } from '@dnr/contract';
import { contractFacts, withEventTime } from '../facts.js';
import type { Defect } from '../manifest.js';
import { binomialAllowance, checkRow, rangeRow, skipRow } from '../rows.js';
import type { GateFamily, GateRow, ValidateContext } from '../types.js';

const FAMILY = 'defects';

const dayList = (list: string[]) => list.map((d) => `DATE ${sqlString(d)}`).join(', ');
/** SQL predicate: the row's local day `d` is one of `list` (false for an empty list). */
const onDays = (list: string[]) => (list.length ? `(d IN (${dayList(list)}))` : 'false');
/** SQL predicate: the row is not dated on one of `list` (rows without a day included). */
const offDays = (list: string[]) => (list.length ? `(d IS NULL OR d NOT IN (${dayList(list)}))` : 'true');

interface Measured {
  rate: number | null;
  n: number;
}

/** Band around a target: relative tolerance plus three binomial standard errors of the measurement. */
function band(target: number, relTol: number, n: number): { min: number; max: number } {
  const tol = target * relTol + binomialAllowance(target, n);
  return { min: Math.max(0, target - tol), max: target + tol };
}

function entry(ctx: ValidateContext, kind: Defect['kind'], table: string, column: string | null): Defect | undefined {
  return ctx.defects!.defects.find((d) => d.kind === kind && d.table === table && (column === null || d.column === column));
}

/**
 * The usual ingest-lag range [min, max] minutes recorded in the ingest_lag entry's params; without an
 * entry (a clean warehouse records no defects) anything from 0 up to the 4-hour late threshold.
 */
function usualLagRange(e: Defect | undefined): [number, number] {
  const r = (e?.params as { usual_lag_minutes?: unknown } | undefined)?.usual_lag_minutes;
  return Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number' && Number.isFinite(x)) ? [r[0] as number, r[1] as number] : [0, 240];
}

const recorded = (e: Defect | undefined) => (e ? `defects.json: target ${e.target_rate}, ${e.rows_affected}/${e.rows_total} rows` : 'not in defects.json (expected 0)');

/**
 * Injected defect rates (docs/warehouse.md) measured with SQL over the Parquet and compared with
 * defects.json: key nulls, FK failures (missing / temporal), duplicates, late ingest, every
 * null spike detected, and the schema write gap with its backfill.
 */
export const defectGates: GateFamily = {
  name: FAMILY,
  needs: ['defects'],
  async run(ctx) {
    const tol = ctx.config.validate.defect_rate_tolerance;
    const rows: GateRow[] = [];
    const spikes = ctx.defects!.defects.filter((d) => d.kind === 'null_spike');
    const gap = ctx.defects!.defects.find((d) => d.kind === 'schema_gap');
    const gapDays = (table: string) => (gap && gap.table === table ? (gap.days ?? []) : []);

    for (const fk of contractFacts(ctx.archetype)) {
      const t = fk.name;
      const rel = withEventTime(fk);
      // One join pass for every FK of the table, one daily pass for every FK column's nulls:
      // the key-null rate off spike days and every spike day come from the daily counts.
      const joins = fk.foreignKeys.map(
        (f, i) => `LEFT JOIN (SELECT ${f.key} AS k${f.valid_from ? `, ${f.valid_from} AS dt` : ', NULL::TIMESTAMP AS dt'} FROM ${f.references}) j${i} ON j${i}.k = r.${f.column}`,
      );
      const counts = fk.foreignKeys.map(
        (f, i) => `, count(*) FILTER (r.${f.column} IS NOT NULL AND j${i}.k IS NULL) AS missing_${i}, count(*) FILTER (j${i}.k IS NOT NULL AND j${i}.dt IS NOT NULL AND r.ev < j${i}.dt) AS temporal_${i}`,
      );
      const [fkm] = fk.foreignKeys.length
        ? await ctx.q<Record<string, bigint>>(`SELECT count(*) AS n${counts.join('')} FROM ${rel} r ${joins.join(' ')}`)
        : [{ n: 0n }];
      const daily = fk.foreignKeys.length
        ? await ctx.q<Record<string, bigint | string | null>>(
            `SELECT d::VARCHAR AS d, count(*) AS n${fk.foreignKeys.map((f, i) => `, count(*) FILTER (${f.column} IS NULL) AS nulls_${i}`).join('')} FROM ${rel} GROUP BY 1`,
          )
        : [];
      for (const [i, f] of fk.foreignKeys.entries()) {
        const spikeDays = spikes.filter((s) => s.table === t && s.column === f.column).flatMap((s) => s.days ?? []);
        const colDaily = daily.map((x) => ({ d: x.d as string | null, n: x.n as bigint, nulls: x[`nulls_${i}`] as bigint }));
        const off = colDaily.filter((x) => x.d === null || !spikeDays.includes(x.d));
        const nNs = off.reduce((acc, x) => acc + Number(x.n), 0);
        const nullsNs = off.reduce((acc, x) => acc + Number(x.nulls), 0);
        const m2 = { n_ns: nNs, nulls_ns: nullsNs };
        const m = { n: fkm.n, missing: fkm[`missing_${i}`], temporal: fkm[`temporal_${i}`] };
        const n = Number(m.n);
        const kn = entry(ctx, 'key_null', t, f.column);
        const knRate: Measured = { rate: m2.n_ns ? m2.nulls_ns / m2.n_ns : null, n: m2.n_ns };
        rows.push(rangeRow(FAMILY, `key_null.${t}.${f.column}`, knRate.rate, band(kn?.target_rate ?? 0, tol.key_null, knRate.n), { detail: `null share outside spike days; ${recorded(kn)}` }));
        const fm = entry(ctx, 'fk_missing', t, f.column);
        rows.push(rangeRow(FAMILY, `fk_missing.${t}.${f.column}`, n ? Number(m.missing) / n : null, band(fm?.target_rate ?? 0, tol.fk_missing, n), { detail: `non-null ids absent from ${f.references}; ${recorded(fm)}` }));
        if (f.valid_from) {
          const ft = entry(ctx, 'fk_temporal', t, f.column);
          rows.push(
            rangeRow(FAMILY, `fk_temporal.${t}.${f.column}`, n ? Number(m.temporal) / n : null, band(ft?.target_rate ?? 0, tol.fk_temporal, n), {
              detail: `fact time before ${f.references}.${f.valid_from}; ${recorded(ft)}`,
            }),
          );
        }
        for (const s of spikes.filter((x) => x.table === t && x.column === f.column)) rows.push(spikeRow(colDaily, f.column, s, spikeDays));
      }

      rows.push(...(await duplicateAndLagRows(ctx, fk, rel, gapDays(t))));

      if (gap && gap.table === t) rows.push(...(await gapRows(ctx, rel, gap)));
    }
    if (ctx.tables.has('dim_listing') && ctx.tables.has('dim_seller')) rows.push(await listingsBeforeShopRow(ctx));
    return rows;
  },
};

/**
 * One pass per business key of fact `fk` (relation `rel` with ev and d): duplicates (copies differ only by a
 * later loaded_at) and the first load's ingest lag, outside the schema-gap backfill days `gapDays`.
 */
async function duplicateAndLagRows(ctx: ValidateContext, fk: FactSpec, rel: string, gapDays: string[]): Promise<GateRow[]> {
  const tol = ctx.config.validate.defect_rate_tolerance;
  const t = fk.name;
  const key = fk.key.map(sqlIdent).join(', ');
  // The usual (non-incident) lag range recorded with the data: [floor, cap] minutes (none recorded: 0–240).
  const le = entry(ctx, 'ingest_lag', t, null);
  const [usualLo, usualHi] = usualLagRange(le);
  const [m2] = await ctx.q<{ n: bigint; copies: bigint; same_load: bigint; firsts: bigint; late: bigint; usual: bigint; early: bigint }>(`
    WITH g AS MATERIALIZED (
      SELECT ${key}, count(*) AS c, min(loaded_at) AS first_load, max(loaded_at) AS last_load, min(ev) AS ev, min(d) AS d FROM ${rel} GROUP BY ALL
    ), l AS (SELECT *, date_diff('second', ev, first_load) / 60.0 AS lag_min FROM g WHERE ev IS NOT NULL AND ${offDays(gapDays)})
    SELECT (SELECT sum(c) FROM g) AS n, (SELECT sum(c - 1) FROM g) AS copies, (SELECT count(*) FROM g WHERE c > 1 AND first_load = last_load) AS same_load,
           count(*) AS firsts, count(*) FILTER (lag_min >= 240) AS late, count(*) FILTER (lag_min >= ${usualLo} AND lag_min <= ${usualHi} + 1) AS usual,
           count(*) FILTER (lag_min < 0) AS early
    FROM l`);
  const dn = Number(m2.n);
  const de = entry(ctx, 'duplicate', t, null);
  const ln = Number(m2.firsts);
  return [
    rangeRow(FAMILY, `duplicate.${t}`, dn ? Number(m2.copies) / dn : null, band(de?.target_rate ?? 0, tol.duplicate, dn), { detail: `extra rows on (${fk.key.join(', ')}); ${recorded(de)}` }),
    checkRow(FAMILY, `duplicate.${t}.later_loaded_at`, Number(m2.same_load) === 0, Number(m2.same_load), '= 0 duplicated keys whose copies all share one loaded_at'),
    rangeRow(FAMILY, `ingest_lag.${t}.late_share`, ln ? Number(m2.late) / ln : null, band(le?.target_rate ?? 0, tol.ingest_lag, ln), { detail: `first load ≥ 4 h after the event; ${recorded(le)}` }),
    rangeRow(FAMILY, `ingest_lag.${t}.usual_share`, ln ? (Number(m2.usual) + Number(m2.late)) / ln : null, { min: 0.99 }, {
      detail: `lag ${usualLo}–${usualHi} min or late (≥ 4 h); ${m2.early} rows loaded before their event`,
    }),
  ];
}

/**
 * dim_listing rows created before their shop's dim_seller.created_at: only the listings of the shops
 * recorded late (fact_order_item.seller_id's fk_temporal entry, `params.dim_listing_rows_before`) may
 * be, exactly that many; none on a clean warehouse.
 */
async function listingsBeforeShopRow(ctx: ValidateContext): Promise<GateRow> {
  const gate = 'fk_temporal.dim_listing.seller_id';
  const e = entry(ctx, 'fk_temporal', 'fact_order_item', 'seller_id');
  const recorded = (e?.params as { dim_listing_rows_before?: unknown } | undefined)?.dim_listing_rows_before;
  if (e && typeof recorded !== 'number') return skipRow(FAMILY, gate, "defects.json's fk_temporal entry of fact_order_item.seller_id predates params.dim_listing_rows_before");
  const expected = typeof recorded === 'number' ? recorded : 0;
  const [r] = await ctx.q<{ n: bigint }>(`SELECT count(*) AS n FROM dim_listing l JOIN dim_seller s USING (seller_id) WHERE l.created_at < s.created_at`);
  const n = Number(r.n);
  return checkRow(FAMILY, gate, n === expected, n, `= ${expected}`, `dim_listing rows created before their shop's created_at; defects.json: ${expected} (listings of the shops recorded late)`);
}

/**
 * A spike is detected when its day's null share rises above the column's median daily share (off
 * spike days) by at least half the extra recorded in defects.json and by two binomial standard
 * errors. A recorded spike smaller than two standard errors cannot be told from noise at this
 * volume (a few rows on a small-scale day): it is reported as a skip, naming why.
 */
function spikeRow(daily: Array<{ d: string | null; n: bigint; nulls: bigint }>, column: string, s: Defect, allSpikeDays: string[]): GateRow {
  const day = (s.days ?? [])[0];
  const gate = `null_spike.${s.table}.${column}.${day}`;
  const rates = daily
    .filter((x) => x.d !== null && !allSpikeDays.includes(x.d) && Number(x.n) > 0)
    .map((x) => Number(x.nulls) / Number(x.n))
    .sort((p, q) => p - q);
  const base = rates.length ? (rates[Math.floor((rates.length - 1) / 2)] + rates[Math.ceil((rates.length - 1) / 2)]) / 2 : 0;
  const hit = daily.find((x) => x.d === day);
  const n = hit ? Number(hit.n) : 0;
  const rate = hit && n > 0 ? Number(hit.nulls) / n : null;
  const se = Math.sqrt(Math.max(base * (1 - base), 1e-6) / Math.max(n, 1));
  const recordedExtra = n > 0 ? s.rows_affected / n : 0;
  const z = rate === null ? null : (rate - base) / se;
  const detail = `null share on ${day}: ${n} rows, z = ${z === null ? 'n/a' : z.toFixed(1)} over the median daily ${(100 * base).toFixed(2)}%; defects.json: +${((s.target_rate ?? 0) * 100).toFixed(1)} pp target, ${s.rows_affected} rows`;
  if (recordedExtra < 2 * se) {
    return { ...skipRow(FAMILY, gate, `too small to detect at this volume — ${detail}`), family: FAMILY, measured: rate === null ? null : Number(rate.toPrecision(8)) };
  }
  const threshold = base + Math.max(recordedExtra / 2, 2 * se);
  return rangeRow(FAMILY, gate, rate, { min: Number(threshold.toFixed(6)) }, { detail });
}

/** Schema write gap: during the gap days the column stays NULL only for the non-backfilled share; backfilled rows load ≥ 1 day late. */
async function gapRows(ctx: ValidateContext, rel: string, gap: Defect): Promise<GateRow[]> {
  const col = gap.column ?? '';
  const share = Number(gap.params?.backfill_share ?? ctx.config.warehouse.defects.schema_gap_backfill_share);
  const [g] = await ctx.q<{ n: bigint; still_null: bigint; late_fill: bigint; outside_null: bigint }>(`
    SELECT count(*) FILTER (${onDays(gap.days ?? [])}) AS n,
           count(*) FILTER (${onDays(gap.days ?? [])} AND ${col} IS NULL) AS still_null,
           count(*) FILTER (${onDays(gap.days ?? [])} AND ${col} IS NOT NULL AND loaded_at >= ev + INTERVAL 1 DAY) AS late_fill,
           count(*) FILTER (NOT ${onDays(gap.days ?? [])} AND ${col} IS NULL) AS outside_null
    FROM ${rel}`);
  const n = Number(g.n);
  const stillShare = n ? Number(g.still_null) / n : null;
  const fillShare = n ? Number(g.late_fill) / n : null;
  const rows = [
    rangeRow(FAMILY, `schema_gap.${gap.table}.${col}.still_null`, stillShare, band(1 - share, 0.5, n), {
      detail: `${gap.days?.[0]} … ${gap.days?.[gap.days.length - 1]}: ${g.still_null} of ${n} rows still NULL; defects.json: ${String(gap.params?.still_null_rows ?? '?')}`,
    }),
    rangeRow(FAMILY, `schema_gap.${gap.table}.${col}.backfilled`, fillShare, band(share, 0.05, n), { detail: `rows of the gap with their value back, loaded ≥ 1 day after the event` }),
  ];
  return rows;
}

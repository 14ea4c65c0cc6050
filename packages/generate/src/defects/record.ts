import type { EventWindow } from '../behaviour/window.js';
import { localDate } from '../behaviour/window.js';
import type { FactStats } from './apply.js';
import { duplicateRate, fkRates, lateShareOf, type FkInjection } from './inject.js';
import type { DefectEntry } from './manifest.js';
import { expectedLateShare, lateLagLognormal, type DefectPlan } from './profile.js';
import type { DupIncidents } from './dup-incidents.js';
import type { EntityFailures } from './entity.js';
import type { OutageResult } from './outages.js';

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const isoSeconds = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** params of an entity-mode FK failure: the mechanism and exactly which keys it broke. */
function entityParams(fk: FkInjection, kind: 'missing' | 'temporal', f: EntityFailures | undefined): Record<string, unknown> {
  if (kind === 'missing') {
    return {
      id_rule: `every row of ${plural(f?.missing.length ?? 0, `real ${fk.dim} id`)} whose dim_${fk.dim} row was never loaded (the facts keep the true key)`,
      missing_ids: f?.missing ?? [],
    };
  }
  const late = [...(f?.late ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]);
  return {
    rule: `dim_${fk.dim} validity start recorded later than the true one (overwritten by a later update) for ${plural(late.length, 'id')}: their facts before it precede the dim row`,
    late_ids: late.map(([id, t]) => ({ id, recorded_valid_from: isoSeconds(t) })),
  };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Key order of docs/warehouse.md. */
function entry(e: DefectEntry): DefectEntry {
  return { kind: e.kind, table: e.table, column: e.column, target_rate: e.target_rate, rows_affected: e.rows_affected, rows_total: e.rows_total, days: e.days, params: e.params };
}

type Base = { table: string; rows_total: number; days: string[] };

/** key_null, fk_missing and (when the FK has a temporal mode) fk_temporal entries of each FK column. */
function fkEntries(fks: FkInjection[], stats: FactStats, plan: DefectPlan, base: Base, window: EventWindow, failures?: Record<string, EntityFailures>, outages?: OutageResult[]): DefectEntry[] {
  const out: DefectEntry[] = [];
  for (const fk of fks) {
    const s = stats.fk[fk.column];
    if (!s) continue;
    const { fail, missingShare } = fkRates(plan, fk);
    const o = outages?.find((x) => x.group.columns.includes(fk.column));
    out.push({
      kind: 'key_null',
      column: fk.column,
      target_rate: round6(plan.rates.keyNull),
      rows_affected: s.keyNull,
      ...base,
      ...(o ? { days: [...new Set(o.outages.filter((x) => x.nulls > 0).flatMap((x) => x.days))].sort((a, b) => a - b).map((d) => localDate(window, d)) } : {}),
      params: { references: `dim_${fk.dim}`, ...(o ? outageParams(o, plan) : {}) },
    });
    out.push({
      kind: 'fk_missing',
      column: fk.column,
      target_rate: round6(fail * missingShare),
      rows_affected: s.missing,
      ...base,
      params: {
        references: `dim_${fk.dim}`,
        fk_fail_rate: round6(fail),
        missing_share: missingShare,
        ...(fk.entity
          ? entityParams(fk, 'missing', failures?.[fk.column])
          : { id_rule: fk.gaps ? `one of ${fk.gaps.count} ids inside the dimension's id range that have no row (never loaded or deleted)` : `id > ${fk.dimN} (ids never issued)` }),
      },
    });
    if (!fk.temporal) continue;
    out.push({
      kind: 'fk_temporal',
      column: fk.column,
      target_rate: round6(fail * (1 - missingShare)),
      rows_affected: s.temporal,
      ...base,
      params: {
        references: `dim_${fk.dim}`,
        fk_fail_rate: round6(fail),
        ...(fk.entity ? entityParams(fk, 'temporal', failures?.[fk.column]) : { rule: 'fact time < dim creation time (dim row created ≥ 3 local days later)' }),
      },
    });
  }
  return out;
}

/**
 * params of a key_null entry whose column is in an outage group: the scattered per-row rate, the share of
 * the key-null budget the outages carried, and every outage (UTC span, the group's columns, rows whose
 * event fell inside it and rows whose keys went NULL; first loads, before duplicate copies).
 */
function outageParams(o: OutageResult, plan: DefectPlan): Record<string, unknown> {
  return {
    mechanism: `${Math.round(o.group.share * 100)}% of the key-null budget in upstream outages (${o.group.columns.join(' and ')} NULL together on the same rows), the rest scattered row by row`,
    scattered_rate: round6(o.scattered),
    outage_share: round6(plan.rates.keyNull > 0 && o.rowsExpected > 0 ? o.nulls / (plan.rates.keyNull * o.rowsExpected) : 0),
    outage_null_rows: o.nulls,
    outages: o.outages.map((x) => ({ start: isoSeconds(x.start), end: isoSeconds(x.end), table: o.group.table, columns: o.group.columns, rows: x.rows, null_rows: x.nulls, null_share: round6(x.nullShare) })),
  };
}

/**
 * The duplicate entry: with incidents, dated on the local days of the re-ingested events, each incident in
 * params.incidents (kind, event span, reload time or replay delay, rows, days); else spread-out replays /
 * reruns / backfills (undated).
 */
function duplicateEntry(stats: FactStats, plan: DefectPlan, base: Base, window: EventWindow, dups?: DupIncidents | null): DefectEntry {
  const r = plan.rates;
  const delays = {
    replay_median_minutes: r.dupDelay.replayMedianMinutes,
    rerun_median_hours: r.dupDelay.rerunMedianHours,
    backfill_days_p5_p95: [1, r.dupDelay.backfillMaxDays],
    configured_rate: round6(r.duplicate),
  };
  const head = { kind: 'duplicate' as const, column: null, target_rate: round6(duplicateRate(plan, base.table)), rows_affected: stats.duplicates, ...base };
  if (dups) {
    const live = dups.incidents.filter((x) => x.rows > 0);
    return {
      ...head,
      days: [...new Set(live.flatMap((x) => x.days))].sort((a, b) => a - b).map((d) => localDate(window, d)),
      params: {
        copy_differs_by:
          'later loaded_at: a few incidents each re-ingest a contiguous range of events (a replay re-sends a batch minutes after its first load, a rerun hours after the range, a backfill days after it)',
        ...delays,
        incidents: live.map((x) => ({
          kind: x.kind,
          events_from: isoSeconds(x.from),
          events_to: isoSeconds(x.to),
          reloaded_at: x.reloadAt === null ? null : isoSeconds(x.reloadAt),
          replay_delay_minutes: x.delayMinutes === null ? null : round6(x.delayMinutes),
          rows: x.rows,
          days: x.days.map((d) => localDate(window, d)),
        })),
      },
    };
  }
  return {
    ...head,
    params: {
      copy_differs_by: 'later loaded_at (replay minutes later, rerun hours later or backfill days later; skewed delays, no fixed floor)',
      replay_share: r.dupDelay.replayShare,
      backfill_share: r.dupDelay.backfillShare,
      ...delays,
    },
  };
}

/**
 * The ingest-lag entry: rows first loaded at least late_min_hours after their event (target: the
 * expected share, `expectedLateShare`), with the micro-batch parameters of the usual lag and the late
 * deliveries (share of rows and the rows they carried).
 */
function lagEntry(stats: FactStats, plan: DefectPlan, base: Base): DefectEntry {
  const r = plan.rates;
  const share = lateShareOf(plan, base.table);
  const { mu, sigma } = lateLagLognormal(r);
  return {
    kind: 'ingest_lag',
    column: 'loaded_at',
    target_rate: round6(expectedLateShare(r, share)),
    rows_affected: stats.late,
    ...base,
    params: {
      late_threshold_hours: r.lateMinHours,
      usual_lag_minutes: [round6(r.lagProcessingSeconds / 60), r.lateMinHours * 60],
      processing_seconds: r.lagProcessingSeconds,
      batch_minutes: r.lagBatchMinutes,
      batch_landing_median_minutes: r.lagMedianMinutes,
      batch_landing_log_sd: r.lagSigma,
      late_delivery_share: round6(share),
      late_delivery_rows: stats.lateDelivered,
      late_delivery_median_hours: round6(Math.exp(mu) / 3600),
      late_delivery_log_sd: round6(sigma),
      late_lag_hours_p5_p95: [r.lateMinHours, r.lateMaxHours],
    },
  };
}

/** One null_spike entry per planned spike of the table, counted on its local day. */
function spikeEntries(table: string, stats: FactStats, plan: DefectPlan, window: EventWindow): DefectEntry[] {
  return plan.spikes
    .filter((s) => s.table === table)
    .map((spike) => {
      const day = stats.spikeDays[spike.column]?.[spike.day] ?? { rows: 0, nulls: 0, spike: 0 };
      return {
        kind: 'null_spike',
        table,
        column: spike.column,
        target_rate: round6(spike.share),
        rows_affected: day.spike,
        rows_total: day.rows,
        days: [localDate(window, spike.day)],
        params: {
          extra_null_pp: round6(spike.share * 100),
          incident_local_hours: [spike.startHour, spike.startHour + spike.hours],
          baseline_null_rate: round6(plan.rates.keyNull),
          day_null_rate: day.rows ? round6(day.nulls / day.rows) : 0,
        },
      };
    });
}

/** The schema_gap entry when the plan's write gap is on this table (none otherwise). */
function gapEntries(table: string, stats: FactStats, plan: DefectPlan, window: EventWindow): DefectEntry[] {
  const gap = plan.gap;
  if (!gap || gap.table !== table) return [];
  return [
    {
      kind: 'schema_gap',
      table,
      column: gap.column,
      target_rate: round6(stats.rows ? stats.gap.rows / stats.rows : 0),
      rows_affected: stats.gap.rows,
      rows_total: stats.rows,
      days: Array.from({ length: gap.days }, (_, k) => localDate(window, gap.firstDay + k)),
      params: {
        backfill_share: gap.backfillShare,
        backfilled_rows: stats.gap.backfilled,
        still_null_rows: stats.gap.stillNull,
        // realised per day (aligned with `days`): a day whose rows were all backfilled leaves no NULL to detect
        rows_by_day: Array.from({ length: gap.days }, (_, k) => stats.gap.byDay[k]?.rows ?? 0),
        still_null_rows_by_day: Array.from({ length: gap.days }, (_, k) => stats.gap.byDay[k]?.stillNull ?? 0),
        backfill_delay_days: [1, 4],
      },
    },
  ];
}

/**
 * defects.json entries of one fact table from the counts taken while writing it, in the order: per FK column
 * key_null (dated on its outage days when the column is in an outage group, `outages`), fk_missing, fk_temporal; duplicate
 * (dated on its incidents' days when `dups` is given); ingest_lag; null spikes; schema gap. None when the profile is clean.
 */
export function defectEntries(
  table: string,
  fks: FkInjection[],
  stats: FactStats,
  plan: DefectPlan,
  window: EventWindow,
  dups?: DupIncidents | null,
  failures?: Record<string, EntityFailures>,
  outages?: OutageResult[],
): DefectEntry[] {
  if (plan.rates.multiplier === 0) return [];
  const base: Base = { table, rows_total: stats.rows, days: [] };
  return [
    ...fkEntries(fks, stats, plan, base, window, failures, outages),
    duplicateEntry(stats, plan, base, window, dups),
    lagEntry(stats, plan, base),
    ...spikeEntries(table, stats, plan, window),
    ...gapEntries(table, stats, plan, window),
  ].map(entry);
}

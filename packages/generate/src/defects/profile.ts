import { RandomStream, type Archetype, type Config, type Quality } from '@dnr/core';
import type { EventWindow } from '../behaviour/window.js';
import { resolveCalendar } from '../behaviour/calendar.js';

/** Rates actually injected, after the quality multiplier (clean 0×, typical 1×, messy 2.5×). */
export interface DefectRates {
  multiplier: number;
  keyNull: number;
  fkFail: number;
  fkMissingShare: number;
  duplicate: number;
  /** Constant processing time every row spends before its batch can take it, seconds (the lag floor; not an atom: waits and landings add to it). */
  lagProcessingSeconds: number;
  /** Micro-batch period (minutes), median per-batch landing time (minutes) and its log-sd. */
  lagBatchMinutes: number;
  lagMedianMinutes: number;
  lagSigma: number;
  /**
   * Duplicate copies: replay share and median (minutes), rerun median (hours), backfill share and max days;
   * incidents per quarter (0: copies spread evenly) and the median event spans a replay, rerun (hours) and backfill (days) re-send.
   */
  dupDelay: {
    replayShare: number;
    replayMedianMinutes: number;
    rerunMedianHours: number;
    backfillShare: number;
    backfillMaxDays: number;
    incidentsPerQuarter: number;
    replayBatchHours: number;
    rerunBatchHours: number;
    backfillBatchDays: number;
  };
  /** Share of rows delivered in late batches; their lag is lognormal per batch with 5th/95th percentiles at [lateMinHours, lateMaxHours]. */
  lateShare: number;
  lateMinHours: number;
  lateMaxHours: number;
  spikeShare: number;
  /** Relative spread of the per-table / per-column rates around the configured ones (0.1 = ±10%): see `spreadRate`. */
  spread: number;
}

export interface NullSpike {
  table: string;
  column: string;
  day: number;
  /** Extra null share of the day's rows (sizes vary from the configured percentage points up to 1.6×). */
  share: number;
  /** The incident's local hours [startHour, startHour + hours): nulls land there first. */
  startHour: number;
  hours: number;
}

export interface SchemaGap {
  table: string;
  column: string;
  firstDay: number;
  days: number;
  backfillShare: number;
}

/** One planned key-null outage window (local time), before the rows inside it are known. */
export interface OutageWindow {
  /** Local seconds since the window's first local midnight where the outage starts. */
  startLs: number;
  hours: number;
  /** Nominal share of the window's rows whose keys go NULL (scaled per group when installed). */
  nominal: number;
}

/** Key-null outages of one FK column group (same table): the group's keys go NULL together on the same rows. */
export interface OutageGroup {
  table: string;
  columns: string[];
  /** `table.col1+col2`: names the group's selected rows in the working table outage_rows. */
  key: string;
  /** Share of each column's key-null budget the outages carry (the rest is scattered row by row). */
  share: number;
  windows: OutageWindow[];
}

export interface DefectPlan {
  quality: Quality;
  rates: DefectRates;
  spikes: NullSpike[];
  /** Key-null outages per FK column group (none when key nulls or the outage share are 0). */
  outages: OutageGroup[];
  gap: SchemaGap | null;
  /** Seed of the run (incident schedules are drawn from it per table). */
  seed: number;
  /** Local days of the window (sizes per-week lookups such as the key-null drift). */
  days: number;
}

export function qualityMultiplier(quality: Quality, messy: number): number {
  return quality === 'clean' ? 0 : quality === 'typical' ? 1 : messy;
}

/** Decide rates, spike days and the schema-gap window from config; deterministic in the seed. */
export function planDefects(config: Config, archetype: Archetype, window: EventWindow): DefectPlan {
  const w = config.warehouse;
  const d = w.defects;
  const m = qualityMultiplier(w.quality, d.messy_multiplier);
  const rates: DefectRates = {
    multiplier: m,
    keyNull: Math.min(0.3, (d.key_null_pct / 100) * m),
    fkFail: Math.min(0.4, (d.fk_fail_pct / 100) * m),
    fkMissingShare: d.fk_missing_share,
    duplicate: Math.min(0.2, (d.duplicate_pct / 100) * m),
    lagProcessingSeconds: d.lag_processing_seconds,
    lagBatchMinutes: d.lag_batch_minutes,
    lagMedianMinutes: d.lag_median_minutes,
    lagSigma: d.lag_sigma,
    dupDelay: {
      replayShare: d.duplicate_delay.replay_share,
      replayMedianMinutes: d.duplicate_delay.replay_median_minutes,
      rerunMedianHours: d.duplicate_delay.rerun_median_hours,
      backfillShare: d.duplicate_delay.backfill_share,
      backfillMaxDays: d.duplicate_delay.backfill_max_days,
      incidentsPerQuarter: d.duplicate_delay.incidents_per_quarter,
      replayBatchHours: d.duplicate_delay.replay_batch_hours,
      rerunBatchHours: d.duplicate_delay.rerun_batch_hours,
      backfillBatchDays: d.duplicate_delay.backfill_batch_days,
    },
    lateShare: Math.min(0.5, d.late_share * m),
    lateMinHours: d.late_min_hours,
    lateMaxHours: Math.max(d.late_min_hours, d.late_max_hours),
    spikeShare: Math.min(0.6, (d.null_spike_pp / 100) * m),
    spread: d.rate_spread,
  };
  if (m === 0) return { quality: w.quality, rates, spikes: [], outages: [], gap: null, seed: w.seed, days: window.days };

  const rs = new RandomStream(w.seed, `defects/${archetype}`);
  let gap: SchemaGap | null = null;
  const gapDays = Math.min(d.schema_gap_days, Math.max(1, window.days - 2));
  if (window.days >= 7) {
    const [table, column] = d.schema_gap_column[archetype].split('.');
    const lo = Math.floor(window.days * 0.3);
    const hi = Math.max(lo, Math.floor(window.days * 0.85) - gapDays);
    gap = { table, column, firstDay: rs.int(0, lo, hi, 1), days: gapDays, backfillShare: d.schema_gap_backfill_share };
  }

  const spikes: NullSpike[] = [];
  const columns = d.null_spike_columns[archetype];
  const n = Math.max(1, Math.round((d.null_spikes_per_quarter * window.months) / 3));
  if (d.null_spikes_per_quarter > 0 && window.days >= 7) {
    const seg = window.days / n;
    for (let s = 0; s < n; s++) {
      const lo = Math.floor(s * seg) + 2;
      const hi = Math.max(lo, Math.floor((s + 1) * seg) - 3);
      let day = rs.int(s, lo, hi, 2);
      // keep spikes off the schema-gap window so each event stays separately visible
      if (gap && day >= gap.firstDay - 2 && day < gap.firstDay + gap.days + 2) day = Math.min(window.days - 1, gap.firstDay + gap.days + 2);
      const [table, column] = columns[s % columns.length].split('.');
      // incident sizes vary upward from the configured extra (1–1.6×, half-normal: most near the configured
      // size, a few large), so every spike stays at least as visible as the configured one, and hit a window
      // of 3–14 local hours
      const share = rates.spikeShare * Math.min(1.6, 1 + Math.abs(0.25 * rs.standardNormal(s, 3)));
      const hours = 3 + Math.floor(rs.uniform(s, 4) * 12);
      spikes.push({ table, column, day, share, startHour: Math.floor(rs.uniform(s, 5) * (24 - hours + 1)), hours });
    }
  }
  const outages = planOutages(config, archetype, window, rates, spikes);
  return { quality: w.quality, rates, spikes, outages, gap, seed: w.seed, days: window.days };
}

/**
 * Key-null outage windows per configured column group: round(per_quarter × months / 3) outages (at least one
 * when per_quarter > 0), each starting uniformly in the window with a lognormal duration (median
 * median_hours, log-sd log_sd, capped at max_hours) and a nominal null share of 70–100% of
 * null_probability. An outage never touches a null-spike day of its table (validate measures key nulls
 * off spike days) nor a named calendar day of the archetype (the calendar effects are measured on rows
 * joined through these keys: a holiday outage would hide them), nor comes within a day of another
 * outage of the group (redrawn up to 50 times, then dropped).
 */
function planOutages(config: Config, archetype: Archetype, window: EventWindow, rates: DefectRates, spikes: NullSpike[]): OutageGroup[] {
  const o = config.warehouse.defects.key_null_outages;
  if (rates.keyNull <= 0 || o.share <= 0 || o.per_quarter <= 0 || window.days < 7) return [];
  const n = Math.max(1, Math.round((o.per_quarter * window.months) / 3));
  const named = resolveCalendar(config.behaviour[archetype].calendar, window.startDate, 0, window.days).map((h) => h.day);
  return o.groups[archetype].map((refs) => {
    const table = refs[0].split('.')[0];
    const columns = refs.map((c) => c.split('.')[1]);
    const key = `${table}.${columns.join('+')}`;
    const rs = new RandomStream(config.warehouse.seed, `defects/outage/${key}`);
    const blocked = new Set([...spikes.filter((s) => s.table === table).map((s) => s.day), ...named]);
    const windows: OutageWindow[] = [];
    const taken: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) {
      for (let attempt = 0; attempt < 50; attempt++) {
        const hours = Math.min(o.max_hours, o.median_hours * Math.exp(o.log_sd * rs.standardNormal(i * 64 + attempt, 0)));
        const span = window.days * 86400 - hours * 3600;
        if (span <= 0) break;
        const startLs = Math.floor(rs.uniform(i * 64 + attempt, 1) * span);
        const first = Math.floor(startLs / 86400);
        const last = Math.floor((startLs + hours * 3600 - 1) / 86400);
        let ok = true;
        for (let d = first; d <= last && ok; d++) ok = !blocked.has(d);
        if (ok) ok = taken.every(([a, b]) => last < a - 1 || first > b + 1);
        if (!ok) continue;
        taken.push([first, last]);
        windows.push({ startLs, hours, nominal: o.null_probability * (0.7 + 0.3 * rs.uniform(i * 64 + attempt, 2)) });
        break;
      }
    }
    return { table, columns, key, share: o.share, windows: windows.sort((a, b) => a.startLs - b.startLs) };
  });
}

/**
 * The rate a table (or one of its columns) actually gets: the configured `base` times a factor drawn
 * once per (kind, table, column) uniformly within ±`rates.spread` (seeded), so tables and columns do
 * not all sit at one exact rate, as independent pipelines would not. `kind` names the defect
 * ('fk', 'duplicate', 'late'); the result is recorded as the entry's `target_rate`.
 */
export function spreadRate(plan: DefectPlan, base: number, kind: string, table: string, column?: string): number {
  if (plan.rates.spread <= 0 || base <= 0) return base;
  const u = new RandomStream(plan.seed, `defects/spread/${kind}/${table}${column ? `.${column}` : ''}`).uniform(0);
  return base * (1 + plan.rates.spread * (2 * u - 1));
}

/** Standard normal upper tail P(Z > x) (Abramowitz–Stegun 7.1.26 erfc, absolute error < 1.5e-7). */
export function normalSf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return x >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** z of the 95th percentile: late lags have their 5th/95th percentiles at the configured late bounds. */
export const Z95 = 1.6448536269514722;

/**
 * Lognormal of a late batch's lag: log-median (of seconds) and log-sd such that the configured
 * [lateMinHours, lateMaxHours] are its 5th and 95th percentiles (equal bounds: no spread).
 */
export function lateLagLognormal(rates: DefectRates): { mu: number; sigma: number } {
  const lo = Math.max(1 / 60, rates.lateMinHours) * 3600;
  const hi = Math.max(lo, rates.lateMaxHours * 3600);
  return { mu: (Math.log(lo) + Math.log(hi)) / 2, sigma: (Math.log(hi) - Math.log(lo)) / (2 * Z95) };
}

/**
 * Expected share of a table's rows first loaded at least `lateMinHours` after their event (what the
 * ingest_lag `target_rate` records and validate measures): 95% of the late batches' rows plus the
 * far tail of the on-time batches (landing lognormal; the batch wait, at most one period, is ignored).
 */
export function expectedLateShare(rates: DefectRates, lateShare: number): number {
  const { mu, sigma } = lateLagLognormal(rates);
  const thr = rates.lateMinHours * 3600;
  const late = sigma > 0 ? normalSf((Math.log(thr) - mu) / sigma) : Math.exp(mu) >= thr ? 1 : 0;
  const med = rates.lagMedianMinutes * 60;
  const room = thr - rates.lagProcessingSeconds;
  const usual = med <= 0 || room <= 0 ? (room <= 0 ? 1 : 0) : rates.lagSigma > 0 ? normalSf(Math.log(room / med) / rates.lagSigma) : med >= room ? 1 : 0;
  return lateShare * late + (1 - lateShare) * usual;
}

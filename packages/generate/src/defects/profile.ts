import { RandomStream, type Archetype, type Config, type Quality } from '@dnr/core';
import type { EventWindow } from '../behaviour/window.js';

/** Rates actually injected, after the quality multiplier (clean 0×, typical 1×, messy 2.5×). */
export interface DefectRates {
  multiplier: number;
  keyNull: number;
  fkFail: number;
  fkMissingShare: number;
  duplicate: number;
  lagMinMinutes: number;
  lagMaxMinutes: number;
  /** Micro-batch period (minutes), median per-batch landing time (minutes) and its log-sd. */
  lagBatchMinutes: number;
  lagMedianMinutes: number;
  lagSigma: number;
  /** Duplicate copies: replay share and median (minutes), rerun median (hours), backfill share and max days. */
  dupDelay: { replayShare: number; replayMedianMinutes: number; rerunMedianHours: number; backfillShare: number; backfillMaxDays: number };
  lateShare: number;
  lateMinHours: number;
  lateMaxHours: number;
  spikeShare: number;
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

export interface DefectPlan {
  quality: Quality;
  rates: DefectRates;
  spikes: NullSpike[];
  gap: SchemaGap | null;
  /** Seed of the run (incident schedules are drawn from it per table). */
  seed: number;
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
    lagMinMinutes: d.lag_min_minutes,
    lagMaxMinutes: Math.max(d.lag_min_minutes, d.lag_max_minutes),
    lagBatchMinutes: d.lag_batch_minutes,
    lagMedianMinutes: d.lag_median_minutes,
    lagSigma: d.lag_sigma,
    dupDelay: {
      replayShare: d.duplicate_delay.replay_share,
      replayMedianMinutes: d.duplicate_delay.replay_median_minutes,
      rerunMedianHours: d.duplicate_delay.rerun_median_hours,
      backfillShare: d.duplicate_delay.backfill_share,
      backfillMaxDays: d.duplicate_delay.backfill_max_days,
    },
    lateShare: Math.min(0.5, d.late_share * m),
    lateMinHours: d.late_min_hours,
    lateMaxHours: Math.max(d.late_min_hours, d.late_max_hours),
    spikeShare: Math.min(0.6, (d.null_spike_pp / 100) * m),
  };
  if (m === 0) return { quality: w.quality, rates, spikes: [], gap: null, seed: w.seed };

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
  return { quality: w.quality, rates, spikes, gap, seed: w.seed };
}

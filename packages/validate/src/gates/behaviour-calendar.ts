import type { CalendarRow } from '@dnr/profile';
import { rangeRow, skipRow } from '../rows.js';
import type { GateRow } from '../types.js';
import { Z } from './behaviour-stats.js';

const FAMILY = 'behaviour';

/** Ordinary days with a same-weekday baseline needed before named days are gated. */
export const MIN_ORDINARY_DAYS = 30;

/**
 * Named days against their declared whole-day multiplier: observed ratio to the same weekday within
 * ×e^(±Z·σ) of the declared one, σ the sd of log(same-weekday ratio) over ordinary days (`noise`).
 * Only days whose declared effect lies outside that noise band are gated (so a gated day's band
 * excludes 1: the effect must show in the declared direction); the rest are one skip row.
 * `declaredHow` says how the whole-day multiplier was formed.
 */
export function namedDayRows(calendar: CalendarRow[], noise: { sd: number | null; days: number }, declaredHow: string): GateRow[] {
  if (noise.sd === null || noise.days < MIN_ORDINARY_DAYS) return [skipRow(FAMILY, 'calendar', `${noise.days} ordinary days with a same-weekday baseline, ${MIN_ORDINARY_DAYS} needed`)];
  const tol = Z * noise.sd;
  const out: GateRow[] = [];
  let small = 0;
  for (const c of calendar) {
    if (c.ratio === null || c.declared === null || c.ratio <= 0) continue;
    if (Math.abs(Math.log(c.declared)) <= tol) {
      small++;
      continue;
    }
    out.push(
      rangeRow(FAMILY, `calendar.${c.name}.${c.date}`, c.ratio, { min: c.declared * Math.exp(-tol), max: c.declared * Math.exp(tol) }, {
        detail: `declared ×${c.declared} (${declaredHow}); measured ${c.events} events vs a same-weekday baseline of ${c.baseline}; tolerance ×e^±${tol.toFixed(3)} = ${Z} × the sd of log ratio on ${noise.days} ordinary days`,
      }),
    );
  }
  if (small) out.push(skipRow(FAMILY, 'calendar.small_effects', `${small} named days declare effects within ×e^±${tol.toFixed(3)}, the day-to-day noise at this volume`));
  return out;
}

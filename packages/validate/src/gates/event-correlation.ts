import { commsWarehouseMismatch, sqlString } from '@dnr/core';
import { defectEvents, type DefectsManifest as CommsDefects } from '@dnr/comms';
import { checkRow, rangeRow, skipRow } from '../rows.js';
import type { GateFamily, GateRow, ValidateContext } from '../types.js';

const FAMILY = 'event_correlation';
const DAY_MS = 86_400_000;

/** Hours of [lo, hi] covered by the union of [day − h, day + 1 day + h] windows. */
export function coveredShare(days: string[], hours: number, lo: number, hi: number): number {
  const iv = days
    .map((d) => Date.parse(`${d}T00:00:00Z`))
    .map((t) => [Math.max(lo, t - hours * 3_600_000), Math.min(hi, t + DAY_MS + hours * 3_600_000)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let end = -Infinity;
  for (const [a, b] of iv) {
    if (b <= end) continue;
    covered += b - Math.max(a, end);
    end = b;
  }
  return hi > lo ? covered / (hi - lo) : 0;
}

/**
 * docs/comms.md: positive threads about a defect's theme cluster within ±event_window_hours of its dated
 * events (defects.json days, local). Lift = threads inside the windows ÷ threads expected there by
 * chance (each theme's threads × the share of the comms window its event windows cover).
 */
export async function eventLift(ctx: ValidateContext, source: 'slack' | 'email'): Promise<{ lift: number | null; inside: number; expected: number; threads: number; themes: string[] }> {
  const hours = ctx.config.comms.event_window_hours;
  // The same notion of a dated event as gen-comms: defects dated on a few local days, one per (day, theme).
  const defects = { ...ctx.defects!, defects: ctx.defects!.defects.map((d) => ({ ...d, column: d.column ?? null, days: d.days ?? [] })) };
  const byTheme = new Map<string, string[]>();
  for (const e of defectEvents(defects as unknown as CommsDefects)) byTheme.set(e.theme, [...(byTheme.get(e.theme) ?? []), e.day]);
  if (byTheme.size === 0) return { lift: null, inside: 0, expected: 0, threads: 0, themes: [] };
  const values = [...byTheme].flatMap(([theme, days]) => days.map((d) => `(${sqlString(theme)}, DATE ${sqlString(d)})`)).join(', ');
  const table = source === 'slack' ? 'slack_messages' : 'email_messages';
  const threads = await ctx.q<{ theme: string; t: number; near: boolean }>(`
    WITH ev(theme, d) AS (VALUES ${values}),
    th AS (
      SELECT l.thread_id, l.theme, min(local_ts(m.ts)) AS t FROM labels_${source} l JOIN ${table} m USING (thread_id)
      WHERE l.relevance = 'positive' GROUP BY 1, 2
    )
    SELECT th.theme, epoch_ms(th.t) AS t,
      EXISTS (SELECT 1 FROM ev WHERE ev.theme = th.theme AND th.t >= ev.d::TIMESTAMP - INTERVAL ${hours} HOUR AND th.t < ev.d::TIMESTAMP + INTERVAL 1 DAY + INTERVAL ${hours} HOUR) AS near
    FROM th`);
  if (threads.length === 0) return { lift: null, inside: 0, expected: 0, threads: 0, themes: [...byTheme.keys()] };
  const lo = Math.min(...threads.map((t) => Number(t.t)));
  const hi = Math.max(...threads.map((t) => Number(t.t)));
  let inside = 0;
  let expected = 0;
  let n = 0;
  for (const [theme, days] of byTheme) {
    const mine = threads.filter((t) => t.theme === theme);
    n += mine.length;
    inside += mine.filter((t) => t.near).length;
    expected += mine.length * coveredShare(days, hours, lo, hi);
  }
  return { lift: expected > 0 ? inside / expected : null, inside, expected, threads: n, themes: [...byTheme.keys()] };
}

export const eventCorrelationGates: GateFamily = {
  name: FAMILY,
  needs: ['comms', 'defects'],
  async run(ctx) {
    const events = (ctx.comms!.manifest as { events?: { policy?: string } } | undefined)?.events;
    const policy = events?.policy ?? ctx.config.comms.sample_policy;
    if (policy === 'uniform') return [skipRow(FAMILY, 'lift', 'comms generated with sample_policy uniform: no clustering expected')];
    // A corpus generated from another warehouse clusters around that warehouse's events: say so, once.
    const other = commsWarehouseMismatch(ctx.comms!.dir, ctx.warehouseDir);
    if (other) return [checkRow(FAMILY, 'same_warehouse', false, 'comms of another warehouse', 'comms generated from --warehouse', other)];
    const rows: GateRow[] = [];
    for (const source of ['slack', 'email'] as const) {
      if (!ctx.labels.has(`labels_${source}`)) continue;
      const r = await eventLift(ctx, source);
      if (r.themes.length === 0) {
        rows.push(skipRow(FAMILY, `${source}.lift`, 'defects.json has no dated defect with a mapped theme (clean profile?)'));
        continue;
      }
      rows.push(
        rangeRow(FAMILY, `${source}.lift`, r.lift, { min: ctx.config.validate.event_correlation_min_lift }, {
          detail: `${r.inside} of ${r.threads} positive threads on ${r.themes.join(', ')} within ±${ctx.config.comms.event_window_hours} h of their events; ${r.expected.toFixed(1)} expected by chance`,
        }),
      );
    }
    return rows;
  },
};

import type { DataHealth } from '../schemas/data-health.js';
import { SLO_METRICS, SLO_OF_METRIC } from '../metrics/index.js';

const cell = (v: string | number | boolean | null) => {
  if (v == null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * data_health.csv in long form: table, metric, day, value, slo, passed. `day` is a local day, or
 * `window` for window totals and `all` for full-history aggregates. For min-bounded guardrails `slo` is the minimum.
 */
export function renderDataHealthCsv(dh: DataHealth): string {
  const rows: Array<Array<string | number | boolean | null>> = [['table', 'metric', 'day', 'value', 'slo', 'passed']];
  const scopes: Array<[string, DataHealth['overall']]> = [...Object.entries(dh.tables), ['overall', dh.overall]];
  for (const [table, scope] of scopes) {
    for (const m of SLO_METRICS) {
      const slo = dh.slos[SLO_OF_METRIC[m]];
      const v = scope.window[m];
      rows.push([table, m, 'window', v, slo, v == null || v <= slo]);
      for (const d of scope.daily) rows.push([table, m, d.day, d[m], slo, d[m] == null || (d[m] as number) <= slo]);
    }
    for (const m of ['fk_success_pct', 'orphan_missing_pct', 'orphan_temporal_pct', 'rows'] as const) {
      rows.push([table, m, 'window', scope.window[m], null, null]);
    }
  }
  for (const s of dh.null_spikes.spikes) rows.push([s.table, `null_pct.${s.column}`, s.day, s.null_pct, s.threshold_pct, false]);
  if (dh.invoice_aggregates) {
    for (const c of dh.invoice_aggregates.checks) rows.push(['fact_subscription_invoice', c.metric, 'all', c.value, c.max ?? c.min, c.passed]);
  }
  if (dh.marketplace_evening_window) {
    const ev = dh.marketplace_evening_window;
    for (const d of ev.daily_share_pct) rows.push(['fact_payment', 'evening_share_pct', d.day, d.share_pct, ev.checks[0]?.min ?? null, d.passed]);
    for (const c of ev.checks) rows.push(['fact_payment', `evening_${c.metric}`, 'window', c.value, c.min, c.passed]);
  }
  return `${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

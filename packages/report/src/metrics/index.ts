import type { DuckDBConnection } from '@duckdb/node-api';
import type { Config } from '@dnr/core';
import type { LoadedWarehouse } from '../load/warehouse.js';
import type { DataHealth, Guardrail } from '../schemas/data-health.js';
import { computeEveningWindow, computeInvoiceAggregates, type GuardrailCheck, type InvoiceSpec } from './guardrails.js';
import { computeHealth, type HealthValues } from './health.js';
import { computeKpis } from './kpis.js';
import { detectNullSpikes, type NullSpikeResult } from './null-spikes.js';
import { EVENTS_METHOD, detectEvents } from './events.js';
import type { ReportWindow } from './window.js';

export { resolveWindow, addDays, daysBetween, type ReportWindow } from './window.js';
export { computeHealth, round, FK_HEALTH_SQL, DUPLICATE_SQL, LAG_SQL, type HealthResult, type HealthValues } from './health.js';
export { detectEvents, EVENTS_METHOD } from './events.js';
export { eventRecall } from './event-recall.js';
export { detectNullSpikes, NULL_SPIKE_SQL, RATE_SPIKE_SQL, SPIKE_PARAMS, type NullSpikeResult, type SpikeDay } from './null-spikes.js';
export { computeKpis, kpiSql, revenueNorm, type KpiResult, type MonthlyRevenue } from './kpis.js';
export { computeInvoiceAggregates, computeEveningWindow, INVOICE_AGGREGATES_SQL, EVENING_WINDOW_SQL, type InvoiceAggregates, type EveningWindow } from './guardrails.js';

/** The SLO each health metric is held to (report.slos). */
export const SLO_OF_METRIC = {
  key_null_pct: 'key_null_pct',
  orphan_pct: 'fk_orphan_pct',
  dup_key_pct: 'dup_keys_pct',
  p95_ingest_lag_min: 'p95_ingest_lag_min',
} as const satisfies Record<string, keyof Config['report']['slos']>;
export type SloMetric = keyof typeof SLO_OF_METRIC;
export const SLO_METRICS = Object.keys(SLO_OF_METRIC) as SloMetric[];

export function sloChecks(v: HealthValues, slos: Config['report']['slos']) {
  return SLO_METRICS.map((metric) => {
    const value = v[metric];
    const slo = slos[SLO_OF_METRIC[metric]];
    return { metric, value, slo, passed: value == null || value <= slo };
  });
}

const boundText = (c: GuardrailCheck) => [c.min != null ? `≥ ${c.min}` : null, c.max != null ? `≤ ${c.max}` : null].filter(Boolean).join(' and ');

/** Every data-health number for one warehouse, as its contract describes it (all DuckDB SQL; JS only assembles). */
export interface DataHealthResult {
  dataHealth: DataHealth;
  /** Full-history daily null % of the columns that spiked (figure input, not written to JSON). */
  spikeSeries: NullSpikeResult['series'];
}

export async function computeDataHealth(connection: DuckDBConnection, wh: LoadedWarehouse, w: ReportWindow, config: Config): Promise<DataHealthResult> {
  const { contract, facts } = wh;
  // The contract's SLO overrides win over the config's.
  const slos = { ...config.report.slos, ...contract.slos };
  const health = await computeHealth(connection, facts, w);
  const spikes = await detectNullSpikes(connection, facts, wh.columns, w);
  const events = await detectEvents(connection, facts, spikes.spikes, slos.p95_ingest_lag_min);
  const kpis = await computeKpis(connection, contract, w, wh.usd, wh.contractSource);
  const inv = contract.guardrails.invoice_aggregates;
  const invoice = inv ? await computeInvoiceAggregates(connection, inv, facts.some((f) => f.name === inv.table), w.end, config) : null;
  const ev = contract.guardrails.evening_window;
  const evening = ev ? await computeEveningWindow(connection, ev, w, config) : null;

  const guardrails: Guardrail[] = [];
  const tables: DataHealth['tables'] = {};
  const aggregates: DataHealth['aggregates_by_table'] = {};
  for (const [name, t] of Object.entries(health.tables)) {
    const slo = sloChecks(t.window, slos);
    tables[name] = { window: t.window, slo, daily: t.daily, columns: t.columns };
    aggregates[name] = { ...t.window };
    for (const c of slo) guardrails.push({ name: `slo.${name}.${c.metric}`, scope: name, metric: c.metric, value: c.value, bound: `≤ ${c.slo}`, passed: c.passed });
  }
  const overallSlo = sloChecks(health.overall.window, slos);
  for (const c of overallSlo) guardrails.push({ name: `slo.overall.${c.metric}`, scope: 'overall', metric: c.metric, value: c.value, bound: `≤ ${c.slo}`, passed: c.passed });
  const inWindow = spikes.spikes.filter((s) => s.in_window).length;
  guardrails.push({ name: 'null_spikes.in_window', scope: 'overall', metric: 'null_spike_days', value: inWindow, bound: '≤ 0', passed: inWindow === 0 });
  if (invoice) {
    const t = (inv as InvoiceSpec).table;
    aggregates[t] = { ...(aggregates[t] ?? {}), ...invoice.metrics };
    for (const c of invoice.checks) guardrails.push({ name: `invoice.${c.metric}`, scope: t, metric: c.metric, value: c.value, bound: boundText(c), passed: c.passed });
  }
  if (evening) {
    for (const c of evening.checks) guardrails.push({ name: `evening_window.${c.metric}`, scope: 'evening_window', metric: c.metric, value: c.value, bound: boundText(c), passed: c.passed });
  }
  const dataHealth: DataHealth = {
    schema_version: 1,
    archetype: wh.archetype,
    window: w,
    slos: { ...slos },
    tables,
    overall: { window: health.overall.window, slo: overallSlo, daily: health.overall.daily },
    null_spikes: { method: spikes.method, params: { ...spikes.params }, columns: spikes.columns, spikes: spikes.spikes },
    kpis: kpis.values,
    monthly_revenue: kpis.monthly,
    revenue_norm: kpis.revenue_norm,
    aggregates_by_table: aggregates,
    invoice_aggregates: invoice,
    marketplace_evening_window: evening,
    guardrails,
    events: { method: EVENTS_METHOD, detected: events, truth: null },
  };
  return { dataHealth, spikeSeries: spikes.series };
}

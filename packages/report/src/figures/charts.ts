import type { ThemesReport } from '../schemas/themes.js';
import type { DataHealth } from '../schemas/data-health.js';
import type { Gap } from '../schemas/exec-summary.js';
import type { NullSpikeResult } from '../metrics/null-spikes.js';
import type { VegaLiteSpec } from './render.js';

const WIDTH = 720;
/** Series colours that never look like the red used for SLO lines and detected spikes. */
const NON_RED = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#9d755d', '#72b7b2', '#eeca3b'];
const subtitle = (dh: DataHealth) => `${dh.archetype} · window ${dh.window.start} → ${dh.window.end} (${dh.window.tz})`;
const dayAxis = { field: 'day', type: 'temporal', scale: { type: 'utc' }, axis: { format: '%b %d', labelAngle: -30 } } as const;

/** Daily key-null %, orphan % and duplicate-key % per fact table, each panel with its SLO line. */
export function healthDailySpec(dh: DataHealth): VegaLiteSpec {
  const panels = [
    { metric: 'key_null_pct', label: 'Key nulls (%)', slo: dh.slos.key_null_pct },
    { metric: 'orphan_pct', label: 'FK orphans (%)', slo: dh.slos.fk_orphan_pct },
    { metric: 'dup_key_pct', label: 'Duplicate keys (%)', slo: dh.slos.dup_keys_pct },
  ] as const;
  const values = Object.entries(dh.tables).flatMap(([table, t]) => t.daily.map((d) => ({ table, day: d.day, key_null_pct: d.key_null_pct, orphan_pct: d.orphan_pct, dup_key_pct: d.dup_key_pct })));
  return {
    title: { text: 'Daily data health vs SLO', subtitle: [subtitle(dh), 'dashed red line = SLO'] },
    data: { values },
    vconcat: panels.map((p) => ({
      width: WIDTH,
      height: 150,
      layer: [
        {
          mark: { type: 'line', point: { size: 18 } },
          encoding: {
            x: { ...dayAxis, title: `Local day (${dh.window.tz})` },
            y: { field: p.metric, type: 'quantitative', title: p.label },
            color: { field: 'table', type: 'nominal', title: 'Table', scale: { range: NON_RED } },
          },
        },
        {
          data: { values: [{ slo: p.slo, label: `SLO ${p.slo}%` }] },
          layer: [
            { mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4], strokeWidth: 2 }, encoding: { y: { field: 'slo', type: 'quantitative' } } },
            { mark: { type: 'text', color: '#d62728', align: 'right', dy: -6, x: WIDTH }, encoding: { y: { field: 'slo', type: 'quantitative' }, text: { field: 'label' } } },
          ],
        },
      ],
    })),
  } as VegaLiteSpec;
}

/** Daily p95 ingest lag per table with the SLO line. */
export function ingestLagSpec(dh: DataHealth): VegaLiteSpec {
  const slo = dh.slos.p95_ingest_lag_min;
  const values = Object.entries(dh.tables).flatMap(([table, t]) => t.daily.map((d) => ({ table, day: d.day, lag: d.p95_ingest_lag_min })));
  return {
    title: { text: 'p95 ingest lag (loaded_at − event time)', subtitle: [subtitle(dh), `dashed red line = SLO ${slo} min`] },
    width: WIDTH,
    height: 300,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: { size: 18 } },
        encoding: {
          x: { ...dayAxis, title: `Local day (${dh.window.tz})` },
          y: { field: 'lag', type: 'quantitative', title: 'p95 ingest lag (minutes)', scale: { zero: true } },
          color: { field: 'table', type: 'nominal', title: 'Table', scale: { range: NON_RED } },
        },
      },
      {
        data: { values: [{ slo, label: `SLO ${slo} min` }] },
        layer: [
          { mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4], strokeWidth: 2 }, encoding: { y: { field: 'slo', type: 'quantitative' } } },
          { mark: { type: 'text', color: '#d62728', align: 'right', dy: -6, x: WIDTH }, encoding: { y: { field: 'slo', type: 'quantitative' }, text: { field: 'label' } } },
        ],
      },
    ],
  } as VegaLiteSpec;
}

/** Full-history daily null % of every column that spiked, detected spike days marked. */
export function nullSpikesSpec(dh: DataHealth, series: NullSpikeResult['series']): VegaLiteSpec {
  const values = series.map((s) => ({ column: `${s.table}.${s.column}`, day: s.day, null_pct: s.null_pct, threshold_pct: s.threshold_pct }));
  const spikes = dh.null_spikes.spikes.map((s) => ({ column: `${s.table}.${s.column}`, day: s.day, null_pct: s.null_pct }));
  if (!values.length) return messageSpec('Null spikes', `${subtitle(dh)}`, 'No null spikes detected in any scanned column.');
  return {
    title: {
      text: `Null spikes: ${spikes.length} day${spikes.length === 1 ? '' : 's'} detected over the full history`,
      subtitle: [`${dh.archetype} · red points = detected spikes · shaded = report window`, 'dashed grey = detection threshold (baseline + 5 binomial sd of the day, at least +1.5 pp)'],
    },
    width: WIDTH,
    height: 300,
    layer: [
      {
        data: { values: [{ start: dh.window.start, end: dh.window.end }] },
        mark: { type: 'rect', color: '#fdd0a2', opacity: 0.4 },
        encoding: { x: { field: 'start', type: 'temporal', scale: { type: 'utc' } }, x2: { field: 'end' } },
      },
      {
        data: { values },
        layer: [
          {
            mark: { type: 'line', strokeWidth: 1 },
            encoding: {
              x: { field: 'day', type: 'temporal', scale: { type: 'utc' }, title: `Local day (${dh.window.tz})`, axis: { format: '%b %Y', labelAngle: -30 } },
              y: { field: 'null_pct', type: 'quantitative', title: 'NULL rate (% of rows)' },
              color: { field: 'column', type: 'nominal', title: 'Column', scale: { range: NON_RED } },
            },
          },
          {
            mark: { type: 'line', strokeWidth: 0.8, strokeDash: [3, 3], color: '#aaa', opacity: 0.7 },
            encoding: { x: { field: 'day', type: 'temporal', scale: { type: 'utc' } }, y: { field: 'threshold_pct', type: 'quantitative' }, detail: { field: 'column' } },
          },
        ],
      },
      {
        data: { values: spikes },
        mark: { type: 'point', filled: true, color: '#d62728', size: 60 },
        encoding: { x: { field: 'day', type: 'temporal', scale: { type: 'utc' } }, y: { field: 'null_pct', type: 'quantitative' }, tooltip: [{ field: 'column' }, { field: 'day' }] },
      },
    ],
  } as VegaLiteSpec;
}

/** Weighted demand share per theme, split by source. */
export function themeDemandSpec(themes: ThemesReport): VegaLiteSpec {
  if (themes.status === 'skipped' || !themes.themes.length) {
    return messageSpec('Theme demand', `${themes.archetype}`, `Themes skipped: ${themes.skipped_reason ?? 'no comms analysis'}`);
  }
  const values = themes.themes.map((t) => ({ theme: t.theme, demand_pct: Math.round(t.demand * 1000) / 10 }));
  return {
    title: { text: 'Demand by theme (weighted share of comms)', subtitle: `${themes.archetype} · ${themes.engine} engine · status ${themes.status}` },
    width: WIDTH - 160,
    height: 260,
    data: { values },
    encoding: {
      y: { field: 'theme', type: 'nominal', sort: '-x', title: 'Theme' },
      x: { field: 'demand_pct', type: 'quantitative', title: 'Demand (% of weighted items)' },
    },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { text: { field: 'demand_pct', format: '.1f' } } },
    ],
  } as VegaLiteSpec;
}

/** Monthly revenue (neobank interchange + subscription; marketplace GMV and net revenue). */
export function revenueTrendSpec(dh: DataHealth): VegaLiteSpec {
  const nb = dh.archetype === 'neobank';
  // Edge months of the history hold a few days only; plotting them would fake a ramp or a cliff.
  const full = dh.monthly_revenue.filter((m) => m.days_with_data >= 20);
  const dropped = dh.monthly_revenue.length - full.length;
  const values = full.flatMap((m) =>
    nb
      ? [
          { month: m.month, series: 'Interchange', usd: m.interchange_usd ?? 0 },
          { month: m.month, series: 'Subscription', usd: m.subscription_usd ?? 0 },
        ]
      : [
          { month: m.month, series: 'GMV', usd: m.gmv_usd ?? 0 },
          { month: m.month, series: 'Net revenue (fees)', usd: m.revenue_usd },
        ],
  );
  return {
    title: {
      text: nb ? 'Monthly revenue: interchange + subscription' : 'Monthly GMV and net revenue',
      subtitle: [`${dh.archetype} · deduplicated, captured/approved only`, `local months (${dh.window.tz})${dropped ? ` · ${dropped} partial edge month${dropped > 1 ? 's' : ''} omitted` : ''}`],
    },
    width: WIDTH,
    height: 300,
    data: { values },
    mark: nb ? { type: 'bar' } : { type: 'line', point: true },
    encoding: {
      x: { field: 'month', type: 'ordinal', title: 'Month', axis: { labelAngle: -45 } },
      y: { field: 'usd', type: 'quantitative', title: 'USD', axis: { format: '$,.0f' }, ...(nb ? { stack: 'zero' } : {}) },
      color: { field: 'series', type: 'nominal', title: 'Series' },
    },
  } as VegaLiteSpec;
}

/** Score of the top gaps split into weighted revenue, demand and severity (after decay). */
export function scoreBreakdownSpec(gaps: Gap[], actionIds: string[], archetype: string, weights: { revenue: number; demand: number; severity: number }): VegaLiteSpec {
  const parts = [`${weights.revenue.toFixed(2)} · RevenueImpact`, `${weights.demand.toFixed(2)} · Demand`, `${weights.severity.toFixed(2)} · HealthSeverity`];
  const top = gaps.slice(0, 8);
  if (!top.length) return messageSpec('Gap scores', archetype, 'No gap has a positive score.');
  const values = top.flatMap((g) => {
    const label = `${actionIds.includes(g.id) ? '★ ' : ''}${g.theme} · ${g.table.replace(/^fact_/, '')}`;
    return [
      { gap: label, part: parts[0], k: 0, value: g.components.weighted.revenue },
      { gap: label, part: parts[1], k: 1, value: g.components.weighted.demand },
      { gap: label, part: parts[2], k: 2, value: g.components.weighted.severity },
    ];
  });
  return {
    title: { text: 'Score breakdown of the top gaps', subtitle: [`${archetype} · one bar per gap (theme · fact table) · ★ = chosen action`, 'components are weighted and include the recency decay'] },
    width: WIDTH - 220,
    height: 26 * top.length,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'gap', type: 'nominal', sort: null, title: null },
      x: { field: 'value', type: 'quantitative', title: 'Score', stack: 'zero' },
      color: { field: 'part', type: 'nominal', title: 'Component', scale: { domain: parts, range: ['#4c78a8', '#f58518', '#e45756'] } },
      order: { field: 'k', type: 'quantitative' },
    },
  } as VegaLiteSpec;
}

/** A figure that explains why there is nothing to plot. */
export function messageSpec(title: string, sub: string, message: string): VegaLiteSpec {
  return {
    title: { text: title, subtitle: sub },
    width: WIDTH,
    height: 120,
    data: { values: [{ message }] },
    mark: { type: 'text', fontSize: 16, color: '#555' },
    encoding: { text: { field: 'message' } },
    config: { view: { stroke: null } },
  } as VegaLiteSpec;
}

import type { ThemesReport } from '../schemas/themes.js';
import type { DataHealth } from '../schemas/data-health.js';
import type { Gap } from '../schemas/exec-summary.js';
import type { NullSpikeResult } from '../metrics/null-spikes.js';
import type { VegaLiteSpec } from './render.js';
import { cap, columnName, tableName, themeName } from '../write/names.js';

const WIDTH = 720;
/** Series colours that never look like the red used for SLO lines and detected spikes. */
const NON_RED = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#9d755d', '#72b7b2', '#eeca3b'];
const subtitle = (dh: DataHealth) => `${dh.archetype} · window ${dh.window.start} → ${dh.window.end} (${dh.window.tz})`;
const dayAxis = { field: 'day', type: 'temporal', scale: { type: 'utc' }, axis: { format: '%b %d', labelAngle: -30 } } as const;

/**
 * A table's daily series with a segment number that grows after each day without rows: drawn as one line per
 * segment, a load gap shows as a break in the line instead of a straight line across it.
 */
function withGaps<T extends { rows: number }>(daily: readonly T[]): Array<T & { segment: number }> {
  let segment = 0;
  return daily.map((d) => (d.rows === 0 ? { ...d, segment: ++segment } : { ...d, segment }));
}

/** Daily key-null %, orphan % and duplicate-key % per fact table, each panel with its SLO line. */
export function healthDailySpec(dh: DataHealth): VegaLiteSpec {
  const panels = [
    { metric: 'key_null_pct', label: 'Missing keys (%)', slo: dh.slos.key_null_pct },
    { metric: 'orphan_pct', label: 'Unmatched keys (%)', slo: dh.slos.fk_orphan_pct },
    { metric: 'dup_key_pct', label: 'Duplicates (%)', slo: dh.slos.dup_keys_pct },
  ] as const;
  const values = Object.entries(dh.tables).flatMap(([table, t]) => withGaps(t.daily).map((d) => ({ table: cap(tableName(table)), segment: `${table}#${d.segment}`, day: d.day, key_null_pct: d.key_null_pct, orphan_pct: d.orphan_pct, dup_key_pct: d.dup_key_pct })));
  return {
    title: { text: 'Daily data health against the limits', subtitle: [subtitle(dh), 'one line per table · dashed red line = limit'] },
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
            detail: { field: 'segment', type: 'nominal' },
          },
        },
        {
          data: { values: [{ slo: p.slo, label: `limit ${p.slo}%` }] },
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
  const values = Object.entries(dh.tables).flatMap(([table, t]) => withGaps(t.daily).map((d) => ({ table: cap(tableName(table)), segment: `${table}#${d.segment}`, day: d.day, lag: d.p95_ingest_lag_min })));
  return {
    title: { text: 'Loading delay (95th percentile, per day)', subtitle: [subtitle(dh), `time from the event to its load · dashed red line = limit of ${slo} min`] },
    width: WIDTH,
    height: 300,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: { size: 18 } },
        encoding: {
          x: { ...dayAxis, title: `Local day (${dh.window.tz})` },
          y: { field: 'lag', type: 'quantitative', title: 'Delay (minutes)', scale: { zero: true } },
          color: { field: 'table', type: 'nominal', title: 'Table', scale: { range: NON_RED } },
          detail: { field: 'segment', type: 'nominal' },
        },
      },
      {
        data: { values: [{ slo, label: `limit ${slo} min` }] },
        layer: [
          { mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4], strokeWidth: 2 }, encoding: { y: { field: 'slo', type: 'quantitative' } } },
          { mark: { type: 'text', color: '#d62728', align: 'right', dy: -6, x: WIDTH }, encoding: { y: { field: 'slo', type: 'quantitative' }, text: { field: 'label' } } },
        ],
      },
    ],
  } as VegaLiteSpec;
}

/**
 * Full-history daily empty-value share of every column that spiked, one panel per column: the grey
 * band is the normal range (up to that day's detection threshold, which widens on days with few
 * rows), red points are detected spikes, the shaded span is the report window.
 */
export function nullSpikesSpec(dh: DataHealth, series: NullSpikeResult['series']): VegaLiteSpec {
  const columns = [...new Set(series.map((s) => `${s.table}.${s.column}`))].sort();
  if (!columns.length) return messageSpec('Spikes of empty values', subtitle(dh), 'No spike of empty values in any scanned column.');
  const label = (table: string, column: string) => `${cap(columnName(column))} of ${tableName(table)}`;
  const x = { field: 'day', type: 'temporal', scale: { type: 'utc' }, title: null, axis: { format: '%b %Y', labelAngle: 0 } } as const;
  const panels = columns.map((key) => {
    const [table, column] = key.split('.');
    const values = series.filter((s) => s.table === table && s.column === column).map((s) => ({ day: s.day, null_pct: s.null_pct, threshold_pct: s.threshold_pct }));
    const spikes = dh.null_spikes.spikes.filter((s) => s.table === table && s.column === column).map((s) => ({ day: s.day, null_pct: s.null_pct }));
    return {
      width: WIDTH,
      height: 120,
      title: { text: label(table, column), fontSize: 13, anchor: 'start' },
      layer: [
        { data: { values: [{ start: dh.window.start, end: dh.window.end }] }, mark: { type: 'rect', color: '#fdd0a2', opacity: 0.5 }, encoding: { x: { field: 'start', type: 'temporal', scale: { type: 'utc' } }, x2: { field: 'end' } } },
        {
          data: { values },
          layer: [
            { mark: { type: 'area', color: '#d9d9d9', opacity: 0.8, interpolate: 'step-after' }, encoding: { x, y: { field: 'threshold_pct', type: 'quantitative', title: 'Empty (% of rows)' } } },
            { mark: { type: 'line', strokeWidth: 1, color: '#4c78a8' }, encoding: { x, y: { field: 'null_pct', type: 'quantitative' } } },
          ],
        },
        { data: { values: spikes }, mark: { type: 'point', filled: true, color: '#d62728', size: 60, opacity: 1 }, encoding: { x, y: { field: 'null_pct', type: 'quantitative' } } },
      ],
    };
  });
  return {
    title: {
      text: `Spikes of empty values: ${dh.null_spikes.spikes.length} day${dh.null_spikes.spikes.length === 1 ? '' : 's'} over the full history`,
      subtitle: [`${dh.archetype} · one panel per column · blue line = share of empty values per day (${dh.window.tz} days)`, 'grey band = normal range (below the detection threshold) · red points = detected spikes · orange = report window'],
    },
    vconcat: panels,
  } as VegaLiteSpec;
}

/** Weighted demand share per theme, split by source. */
export function themeDemandSpec(themes: ThemesReport): VegaLiteSpec {
  if (themes.status === 'skipped' || !themes.themes.length) {
    return messageSpec('Theme demand', `${themes.archetype}`, `Themes skipped: ${themes.skipped_reason ?? 'no comms analysis'}`);
  }
  const values = themes.themes.map((t) => ({ theme: cap(themeName(t.theme)), demand_pct: Math.round(t.demand * 1000) / 10 }));
  return {
    title: { text: 'What people ask about (share of data requests)', subtitle: `${themes.archetype} · ${themes.engine} classifier · Slack, e-mail and BI questions weighted by source` },
    width: WIDTH - 160,
    height: 260,
    data: { values },
    encoding: {
      y: { field: 'theme', type: 'nominal', sort: '-x', title: null, axis: { labelLimit: 0 } },
      x: { field: 'demand_pct', type: 'quantitative', title: 'Share of requests (%)' },
    },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { text: { field: 'demand_pct', format: '.1f' } } },
    ],
  } as VegaLiteSpec;
}

/** Which series the monthly revenue carries: an interchange/subscription split, GMV beside revenue, or revenue alone. */
export function revenueShape(dh: DataHealth): 'split' | 'gmv' | 'revenue' {
  if (dh.monthly_revenue.some((m) => m.interchange_usd != null || m.subscription_usd != null)) return 'split';
  return dh.monthly_revenue.some((m) => m.gmv_usd != null) ? 'gmv' : 'revenue';
}

/** Monthly revenue (neobank interchange + subscription; marketplace GMV and net revenue; other warehouses revenue). */
export function revenueTrendSpec(dh: DataHealth): VegaLiteSpec {
  const shape = revenueShape(dh);
  const nb = shape === 'split';
  // Edge months of the history hold a few days only; plotting them would fake a ramp or a cliff.
  const full = dh.monthly_revenue.filter((m) => m.days_with_data >= 20);
  const dropped = dh.monthly_revenue.length - full.length;
  const values = full.flatMap((m) =>
    nb
      ? [
          { month: m.month, series: 'Interchange', usd: m.interchange_usd ?? 0 },
          { month: m.month, series: 'Subscription', usd: m.subscription_usd ?? 0 },
        ]
      : shape === 'gmv'
        ? [
            { month: m.month, series: 'GMV', usd: m.gmv_usd ?? 0 },
            { month: m.month, series: 'Net revenue (fees)', usd: m.revenue_usd },
          ]
        : [{ month: m.month, series: 'Revenue', usd: m.revenue_usd }],
  );
  return {
    title: {
      text: nb ? 'Monthly revenue: interchange + subscription' : shape === 'gmv' ? 'Monthly GMV and net revenue' : 'Monthly revenue',
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

/**
 * Score of the top gaps split into weighted money at risk, demand and severity (after decay), in points
 * of 100. Without demand (`demandMeasured` false) the legend has no demand entry: it was not measured.
 */
export function scoreBreakdownSpec(gaps: Gap[], actionIds: string[], archetype: string, weights: { revenue: number; demand: number; severity: number }, demandMeasured = true): VegaLiteSpec {
  const pts = (w: number) => Math.round(w * 100);
  const parts = [`Money at risk (up to ${pts(weights.revenue)})`, `Demand (up to ${pts(weights.demand)})`, `Severity (up to ${pts(weights.severity)})`];
  const colours = ['#4c78a8', '#f58518', '#e45756'];
  const kept = demandMeasured ? [0, 1, 2] : [0, 2];
  const top = gaps.slice(0, 8);
  if (!top.length) return messageSpec('Gap scores', archetype, 'No gap has a positive score.');
  const values = top.flatMap((g) => {
    const label = `${actionIds.includes(g.id) ? '★ ' : ''}${cap(themeName(g.theme))} · ${tableName(g.table)}`;
    const w = g.components.weighted;
    return kept.map((k) => ({ gap: label, part: parts[k], k, value: Math.round([w.revenue, w.demand, w.severity][k] * 1000) / 10 }));
  });
  return {
    title: { text: 'Where each candidate’s score comes from', subtitle: [`${archetype} · one bar per candidate (problem · table) · ★ = chosen action`, 'points of 100, after fading with the days since the last peak'] },
    width: WIDTH - 200,
    height: 30 * top.length,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'gap', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0, labelFontSize: 12 } },
      x: { field: 'value', type: 'quantitative', title: 'Score (points of 100)', stack: 'zero' },
      color: { field: 'part', type: 'nominal', title: 'Component', scale: { domain: kept.map((k) => parts[k]), range: kept.map((k) => colours[k]) } },
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

import path from 'node:path';
import { writeFileAtomic } from '@dnr/core';
import type { NullSpikeResult } from '../metrics/null-spikes.js';
import type { DataHealth } from '../schemas/data-health.js';
import type { Figure, Gap } from '../schemas/exec-summary.js';
import type { ThemesReport } from '../schemas/themes.js';
import { count, share } from '../write/format.js';
import { cap, tableName, themeName } from '../write/names.js';
import { healthDailySpec, ingestLagSpec, nullSpikesSpec, revenueShape, revenueTrendSpec, scoreBreakdownSpec, themeDemandSpec } from './charts.js';
import { renderVegaLitePng, type VegaLiteSpec } from './render.js';

export { renderVegaLitePng } from './render.js';

export const FIGURE_FILES = ['health_daily.png', 'ingest_lag.png', 'null_spikes.png', 'theme_demand.png', 'revenue_trend.png', 'score_breakdown.png'] as const;

export interface FigureInput {
  dh: DataHealth;
  spikeSeries: NullSpikeResult['series'];
  themes: ThemesReport;
  gaps: Gap[];
  actionIds: string[];
  weights: { revenue: number; demand: number; severity: number };
}

interface CatalogEntry {
  figure: Figure;
  spec: VegaLiteSpec;
}

/** Tables whose window value of a daily metric is over its limit, in words. */
function over(dh: DataHealth, metric: 'key_null_pct' | 'orphan_pct' | 'dup_key_pct' | 'p95_ingest_lag_min', limit: number): string[] {
  return Object.entries(dh.tables)
    .filter(([, t]) => (t.window[metric] ?? 0) > limit)
    .map(([name]) => tableName(name));
}

const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');

/** Every report figure: its vega-lite spec, title, alt text and a caption saying what to look for. */
export function figureCatalog(input: FigureInput): CatalogEntry[] {
  const { dh, themes } = input;
  const s = dh.slos;
  const spikesIn = dh.null_spikes.spikes.filter((x) => x.in_window).length;
  const topTheme = [...themes.themes].sort((a, b) => b.demand - a.demand)[0];
  const full = dh.monthly_revenue.filter((m) => m.days_with_data >= 20);
  const chosen = input.gaps.filter((g) => input.actionIds.includes(g.id));
  const demandMeasured = themes.status !== 'skipped' && themes.themes.some((t) => t.demand > 0);
  const tables = Object.keys(dh.tables).map(tableName).join(', ');
  return [
    {
      spec: healthDailySpec(dh),
      figure: {
        file: 'health_daily.png',
        title: 'Daily data health against the limits',
        alt: `Three line charts over the ${dh.window.days} days of the window, one line per table (${tables}): the daily share of missing keys, of keys that match no record and of duplicate records, each with a dashed red line at its limit.`,
        caption: `Look for lines above the dashed red limit. Over the window, missing keys exceed ${s.key_null_pct}% in: ${list(over(dh, 'key_null_pct', s.key_null_pct))}; unmatched keys exceed ${s.fk_orphan_pct}% in: ${list(over(dh, 'orphan_pct', s.fk_orphan_pct))}; duplicates exceed ${s.dup_keys_pct}% in: ${list(over(dh, 'dup_key_pct', s.dup_keys_pct))}.`,
      },
    },
    {
      spec: ingestLagSpec(dh),
      figure: {
        file: 'ingest_lag.png',
        title: 'Loading delay per day',
        alt: `Line chart of the daily 95th-percentile loading delay in minutes for each table (${tables}) over the window, with a dashed red line at the ${s.p95_ingest_lag_min}-minute limit.`,
        caption: `Look for days above the red line: data that loads later than ${s.p95_ingest_lag_min} minutes misses the daily close. Tables over the limit for the window: ${list(over(dh, 'p95_ingest_lag_min', s.p95_ingest_lag_min))}.`,
      },
    },
    {
      spec: nullSpikesSpec(dh, input.spikeSeries),
      figure: {
        file: 'null_spikes.png',
        title: 'Spikes of empty values',
        alt: `One panel per scanned column that spiked: its daily share of empty values over the full history, a grey band for the normal range, red points on the ${dh.null_spikes.spikes.length} detected spike days and an orange band for the report window.`,
        caption: `Look for red points: days on which a column was empty far more often than normal (an upstream load or schema change). ${spikesIn} of the ${dh.null_spikes.spikes.length} spike days fall inside the report window (orange).`,
      },
    },
    {
      spec: themeDemandSpec(themes),
      figure: {
        file: 'theme_demand.png',
        title: 'What people ask about',
        alt:
          themes.status === 'skipped' || !topTheme
            ? 'A note that demand was not measured because themes were skipped.'
            : `Bar chart of the share of data requests per theme, largest first; the largest is ${themeName(topTheme.theme)} at ${share(topTheme.demand)}.`,
        caption:
          themes.status === 'skipped' || !topTheme
            ? 'Demand was not measured in this run (themes skipped); run with the offline classifier (--engine rules) to see it.'
            : `Look for the longest bars: the themes most people ask about. ${cap(themeName(topTheme.theme))} leads with ${share(topTheme.demand)} of requests.`,
      },
    },
    {
      spec: revenueTrendSpec(dh),
      figure: {
        file: 'revenue_trend.png',
        title: revenueShape(dh) === 'gmv' ? 'Monthly GMV and net revenue' : 'Monthly revenue',
        alt: `${{ split: 'Stacked bars of monthly interchange and subscription revenue', gmv: 'Lines of monthly GMV and net revenue (platform fees)', revenue: 'A line of monthly revenue' }[revenueShape(dh)]} in US dollars for the ${count(full.length)} complete months of the history.`,
        caption: 'Look for the direction of the trend and any month that breaks it; money at risk in the actions is compared with the median of the last three complete months.',
      },
    },
    {
      spec: scoreBreakdownSpec(input.gaps, input.actionIds, dh.archetype, input.weights, demandMeasured),
      figure: {
        file: 'score_breakdown.png',
        title: 'Where each candidate’s score comes from',
        alt: `Stacked horizontal bars for the ${Math.min(8, input.gaps.length)} best candidates (a problem on one table), split into points for money at risk${demandMeasured ? ', demand' : ''} and severity; the chosen actions are starred.`,
        caption: `Look at which colour dominates each bar: it says why the candidate ranks where it does. Starred: ${list(chosen.map((g) => `${themeName(g.theme)} in ${tableName(g.table)}`))}.`,
      },
    },
  ];
}

/** Render every report figure into `dir`; returns the file names written. */
export async function writeFigures(dir: string, catalog: CatalogEntry[]): Promise<string[]> {
  for (const { figure, spec } of catalog) writeFileAtomic(path.join(dir, figure.file), await renderVegaLitePng(spec));
  return catalog.map((c) => c.figure.file);
}

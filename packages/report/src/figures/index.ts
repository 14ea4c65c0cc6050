import path from 'node:path';
import { writeFileAtomic } from '@dnr/core';
import type { NullSpikeResult } from '../metrics/null-spikes.js';
import type { DataHealth } from '../schemas/data-health.js';
import type { Gap } from '../schemas/exec-summary.js';
import type { ThemesReport } from '../schemas/themes.js';
import { healthDailySpec, ingestLagSpec, nullSpikesSpec, revenueTrendSpec, scoreBreakdownSpec, themeDemandSpec } from './charts.js';
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

/** Render every report figure into `dir`; returns the file names written. */
export async function writeFigures(dir: string, input: FigureInput): Promise<string[]> {
  const specs: Array<[string, VegaLiteSpec]> = [
    ['health_daily.png', healthDailySpec(input.dh)],
    ['ingest_lag.png', ingestLagSpec(input.dh)],
    ['null_spikes.png', nullSpikesSpec(input.dh, input.spikeSeries)],
    ['theme_demand.png', themeDemandSpec(input.themes)],
    ['revenue_trend.png', revenueTrendSpec(input.dh)],
    ['score_breakdown.png', scoreBreakdownSpec(input.gaps, input.actionIds, input.dh.archetype, input.weights)],
  ];
  for (const [file, spec] of specs) writeFileAtomic(path.join(dir, file), await renderVegaLitePng(spec));
  return specs.map(([f]) => f);
}

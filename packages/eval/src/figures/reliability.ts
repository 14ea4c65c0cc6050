import type { Calibration } from '../types.js';
import type { VegaLiteSpec } from './render.js';

/** Reliability diagram: accuracy per confidence bin against the diagonal. */
/** `subtitle` says which archetype and run the chart belongs to. */
export function reliabilitySpec(title: string, c: Calibration, subtitle = ''): VegaLiteSpec {
  const values = c.bins
    .filter((b) => b.count > 0)
    .map((b) => ({ confidence: b.mean_confidence, accuracy: b.accuracy, count: b.count }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle, anchor: 'start', fontSize: 14, subtitleFontSize: 12, subtitleColor: '#555' },
    width: 260,
    height: 260,
    background: 'white',
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999' },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { domain: [0, 1] }, title: 'Mean confidence' },
          y: { field: 'y', type: 'quantitative', scale: { domain: [0, 1] }, title: 'Accuracy' },
        },
      },
      {
        data: { values },
        mark: { type: 'line', color: '#1f77b4' },
        encoding: {
          x: { field: 'confidence', type: 'quantitative' },
          y: { field: 'accuracy', type: 'quantitative' },
        },
      },
      {
        data: { values },
        mark: { type: 'circle', color: '#1f77b4', opacity: 0.8 },
        encoding: {
          x: { field: 'confidence', type: 'quantitative' },
          y: { field: 'accuracy', type: 'quantitative' },
          size: { field: 'count', type: 'quantitative', title: 'Items' },
        },
      },
    ],
  };
}

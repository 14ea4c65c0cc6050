import type { ConfusionMatrix } from '../types.js';
import type { VegaLiteSpec } from './render.js';

/** A heatmap of the confusion matrix with counts written in the cells. */
/** `subtitle` says which archetype and run the chart belongs to. */
export function confusionMatrixSpec(title: string, m: ConfusionMatrix, subtitle = ''): VegaLiteSpec {
  const values = m.labels.flatMap((label, r) => m.predicted.map((predicted, c) => ({ label, predicted, count: m.counts[r][c] })));
  const max = Math.max(1, ...values.map((v) => v.count));
  const side = Math.max(180, 34 * m.predicted.length);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle, anchor: 'start', fontSize: 14, subtitleFontSize: 12, subtitleColor: '#555' },
    width: side,
    height: Math.max(150, 34 * m.labels.length),
    background: 'white',
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: m.predicted, title: 'Predicted class', axis: { labelAngle: -40, labelLimit: 240 } },
      y: { field: 'label', type: 'nominal', sort: m.labels, title: 'Oracle label', axis: { labelLimit: 240 } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white' },
        encoding: {
          color: { field: 'count', type: 'quantitative', title: 'Items', scale: { scheme: 'blues', domain: [0, max] } },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
    config: { view: { stroke: null } },
  };
}

import sharp from 'sharp';
import { logger, None, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type VegaLiteSpec = TopLevelSpec;

/** Shared look: readable fonts, white background, titles left-aligned. */
export const BASE_CONFIG = {
  background: 'white',
  font: 'DejaVu Sans',
  padding: 12,
  title: { fontSize: 16, anchor: 'start', subtitleFontSize: 12, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6', labelLimit: 400 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom', direction: 'vertical', labelLimit: 500 },
  view: { stroke: '#ddd' },
} as const;

/**
 * vega-lite → vega → SVG (headless renderer 'none') → PNG with sharp. Deterministic for a given
 * spec: no wall clock, no randomness, fonts resolved by sharp's librsvg.
 */
export async function renderVegaLitePng(spec: VegaLiteSpec): Promise<Buffer> {
  // Compiler warnings would land on stderr mid-progress; the specs are ours and tested.
  const vg = compile({ ...spec, config: { ...BASE_CONFIG, ...(spec.config ?? {}) } } as VegaLiteSpec, { logger: logger(None) }).spec;
  const view = new View(parse(vg), { renderer: 'none', logLevel: None });
  try {
    const svg = await view.toSVG();
    return await sharp(Buffer.from(svg), { density: 144 }).png({ compressionLevel: 9 }).toBuffer();
  } finally {
    view.finalize();
  }
}

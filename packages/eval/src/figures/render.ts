import sharp from 'sharp';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type VegaLiteSpec = TopLevelSpec;

/**
 * vega-lite → vega → SVG (headless, renderer 'none') → PNG with sharp. Deterministic for a
 * given spec: no wall clock, no random, fonts resolved by sharp's librsvg.
 */
export async function renderVegaLiteSvg(spec: VegaLiteSpec): Promise<string> {
  const vgSpec = compile(spec).spec;
  const view = new View(parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderVegaLitePng(spec: VegaLiteSpec, options: { density?: number } = {}): Promise<Buffer> {
  const svg = await renderVegaLiteSvg(spec);
  return sharp(Buffer.from(svg), { density: options.density ?? 144 }).png().toBuffer();
}

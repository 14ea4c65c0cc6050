export { renderVegaLitePng, renderVegaLiteSvg, type VegaLiteSpec } from './render.js';
export { confusionMatrixSpec } from './confusion.js';
export { reliabilitySpec } from './reliability.js';
export { chartSubtitle } from './subtitle.js';

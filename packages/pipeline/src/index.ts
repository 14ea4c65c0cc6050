export { runQuickstart, type QuickstartOptions, type QuickstartResult, type ArchetypeOutcome } from './quickstart.js';
export { renderIndexMd } from './index-md.js';

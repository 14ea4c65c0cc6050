export * from './data-health.js';
export * from './themes.js';
export * from './exec-summary.js';
export * from './run.js';
export { renderReportSchemasMd, DOCUMENTED_SCHEMAS } from './doc.js';

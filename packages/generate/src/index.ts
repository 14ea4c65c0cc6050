export { generateWarehouse, type GenerateWarehouseOptions, type WarehouseResult } from './warehouse.js';
export { WAREHOUSE_SCHEMAS, ADDED_SCHEMAS, ALL_SCHEMAS, TABLES, type ColumnSpec } from './schemas.js';
export { BEHAVIOUR_TRUTH_FILES, behaviourTruthPaths } from './behaviour/truth.js';
export { readWarehouseManifest, warehouseTableGlob, WarehouseManifestSchema, GENERATOR_VERSION, type WarehouseManifest } from './manifest.js';
export {
  readDefectsManifest,
  DefectsManifestSchema,
  DefectEntrySchema,
  DEFECT_KINDS,
  type DefectsManifest,
  type DefectEntry,
  type DefectKind,
} from './defects/manifest.js';
export { MCCS, SECTORS, type MccInfo } from '@dnr/core';
export { METROS, PLACES } from './archetypes/neobank/merchant-names.js';
export { CATEGORIES, LEAF_CATEGORIES, TOP_CATEGORIES, type CategoryInfo } from './behaviour/taxonomy.js';
export { PLANS } from './archetypes/neobank/index.js';
export { eventWindow, type EventWindow } from './behaviour/window.js';
export { resolveCalendar, type CalendarHit } from './behaviour/calendar.js';
export { inflowDayWeights } from './behaviour/inflow.js';
export { applyGrowthEvents } from './archetypes/neobank/growth.js';
export { vintageCurve, type VintageAt } from './behaviour/vintage.js';
export { campaignEffectOn, type AcquisitionCampaign, type CampaignEffect } from './archetypes/neobank/campaigns.js';
export { kycOdds, shiftOdds, type KycOdds } from './archetypes/neobank/customers.js';

export * from './schema/index.js';
export { ENV_PREFIX } from './env-layer.js';
export { loadConfig, type LoadConfigOptions, type ResolvedConfig, type Origin, type LayerName, type FlagValue } from './load.js';
export { renderDefaultConfigYaml, renderStarterConfigYaml, STARTER_KEYS } from './render.js';
export { leaves as configLeaves } from './tree.js';
export { explainConfig, type ConfigEntry, type ConfigExplanation } from './explain.js';
export { renderConfigReferenceMd, configKeyRows } from './reference.js';

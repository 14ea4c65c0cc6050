export * from './schema/index.js';
export { loadConfig, ENV_PREFIX, type LoadConfigOptions, type ResolvedConfig, type Origin, type LayerName, type FlagValue } from './load.js';
export { renderDefaultConfigYaml, renderStarterConfigYaml, STARTER_KEYS } from './render.js';
export { leaves as configLeaves } from './tree.js';
export { explainConfig, type ConfigEntry, type ConfigExplanation } from './explain.js';
export { renderConfigReferenceMd, configKeyRows } from './reference.js';

import type { Origin, ResolvedConfig } from './load.js';
import type { Config } from './schema/index.js';
import { leaves, type Plain } from './tree.js';

export interface ConfigEntry {
  path: string;
  value: unknown;
  layer: Origin['layer'];
  source: string;
}

export interface ConfigExplanation {
  configFile: string | null;
  precedence: string[];
  config: Config;
  entries: ConfigEntry[];
}

/** What `dnr config` shows: every resolved value with the layer that set it. */
export function explainConfig(resolved: ResolvedConfig): ConfigExplanation {
  return {
    configFile: resolved.configFile ?? null,
    precedence: ['default', 'yaml', 'env', 'flag'],
    config: resolved.config,
    entries: leaves(resolved.config as unknown as Plain).map(([path, value]) => ({ path, value, ...resolved.origins[path] })),
  };
}

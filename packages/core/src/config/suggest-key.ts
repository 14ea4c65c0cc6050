import { z } from 'zod';
import { closestMatch } from '../suggest.js';
import { schemaAt, unwrap } from './describe.js';
import { ConfigSchema } from './schema/index.js';

/** The keys the schema allows under a dotted path (empty for records and leaves). */
export function allowedKeys(parent: readonly string[]): string[] {
  const node = schemaAt(ConfigSchema, parent);
  const u = node ? unwrap(node) : undefined;
  return u instanceof z.ZodObject ? Object.keys(u.shape as Record<string, z.ZodTypeAny>) : [];
}

/**
 * The config path the user probably meant by an unknown key: `warehouse.sead` → `warehouse.seed`, a section
 * `warehose` → `warehouse`, `report.slos.key_nul_pct` → `report.slos.key_null_pct`.
 */
export function suggestConfigPath(path: readonly string[]): string | undefined {
  const parent = path.slice(0, -1);
  const key = path[path.length - 1];
  const match = closestMatch(key, allowedKeys(parent));
  return match === undefined ? undefined : [...parent, match].join('.');
}

/** The environment variable that sets a dotted config path: `warehouse.seed` → `DNR_WAREHOUSE__SEED`. */
export function envVarFor(dotted: string, prefix = 'DNR_'): string {
  return `${prefix}${dotted.split('.').join('__').toUpperCase()}`;
}

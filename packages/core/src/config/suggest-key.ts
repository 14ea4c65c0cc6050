import { z } from 'zod';
import { closestMatch, didYouMean } from '../suggest.js';
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

/**
 * Keys that were renamed or replaced in a breaking change (old dotted path → the new key and what changed), so a
 * config still using the old name is told what to write instead of only "unknown key".
 */
export const RENAMED_KEYS: Readonly<Record<string, { now: string; note: string }>> = {
  'behaviour.marketplace.buyers.heterogeneity.activity_sigma': {
    now: 'behaviour.marketplace.buyers.heterogeneity.activity_shape',
    note: 'buyer intensity is gamma-distributed now: give its shape (default 1.5; smaller = more spread), not a lognormal log-sd',
  },
};

/** The message for a renamed key (`old: renamed to new (what changed).`), or undefined when `dotted` was never renamed. */
export function renamedKeyMessage(dotted: string): string | undefined {
  const r = RENAMED_KEYS[dotted];
  return r === undefined ? undefined : `renamed to ${r.now} (${r.note})`;
}

/** The environment variable that sets a dotted config path: `warehouse.seed` → `DNR_WAREHOUSE__SEED`. */
export function envVarFor(dotted: string, prefix = 'DNR_'): string {
  return `${prefix}${dotted.split('.').join('__').toUpperCase()}`;
}

/**
 * The user's view of a value outside a fixed set (a zod enum or literal anywhere in the schema, including enum
 * record keys): `"typcal" is not one of clean, typical, messy. Did you mean "typical"?`. Undefined for any other issue.
 */
export function enumValueMessage(issue: z.ZodIssue): string | undefined {
  let options: readonly unknown[];
  if (issue.code === 'invalid_enum_value') options = issue.options;
  else if (issue.code === 'invalid_literal') options = [issue.expected];
  else return undefined;
  const received = 'received' in issue ? issue.received : undefined;
  const shown = typeof received === 'string' ? `"${received}"` : JSON.stringify(received) ?? 'nothing';
  const names = options.map(String);
  const one = names.length === 1 ? `is not ${names[0]} (the only value allowed)` : `is not one of ${names.join(', ')}`;
  return `${shown} ${one}.${typeof received === 'string' ? didYouMean(received, names) : ''}`;
}

/**
 * A union of shapes (e.g. a calendar rule: a fixed day, an nth weekday or an offset) that matched none: the issues of
 * the option that came closest (fewest issues), so a typo inside it is reported like any other.
 */
export function closestUnionIssues(issue: z.ZodIssue): z.ZodIssue[] | undefined {
  if (issue.code !== 'invalid_union' || issue.unionErrors.length === 0) return undefined;
  const best = [...issue.unionErrors].sort((a, b) => a.issues.length - b.issues.length)[0];
  return best.issues.length > 0 ? best.issues : undefined;
}

import { Document, isMap, isScalar, isSeq, stringify, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { descriptionOf, schemaAt } from './describe.js';
import { ConfigSchema } from './schema/index.js';

function annotate(map: YAMLMap, path: string[], root: z.ZodTypeAny): void {
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const keyPath = [...path, String(pair.key.value)];
    const node = schemaAt(root, keyPath);
    const desc = node ? descriptionOf(node) : undefined;
    if (desc) pair.key.commentBefore = ` ${desc}`;
    if (isMap(pair.value)) annotate(pair.value, keyPath, root);
    // short lists of numbers (hour and month curves) read best on one line
    if (isSeq(pair.value) && pair.value.items.length > 0 && pair.value.items.every((x) => isScalar(x) && typeof x.value === 'number')) pair.value.flow = true;
  }
}

/** configs/default.yaml: every default, each key preceded by its description from the schema. */
export function renderDefaultConfigYaml(): string {
  const defaults = ConfigSchema.parse({});
  const doc = new Document(defaults);
  doc.commentBefore =
    ' dnr configuration. Precedence: defaults (in code) → this file (or --config) → environment\n' +
    ' (DNR_ prefix, __ for nesting, e.g. DNR_WAREHOUSE__SEED=7) → command-line flags. Later wins.\n' +
    ' Unknown keys are errors. `dnr config` shows every resolved value and which layer set it.';
  if (isMap(doc.contents)) annotate(doc.contents, [], ConfigSchema);
  return doc.toString({ lineWidth: 0 });
}

/** The keys a user usually changes, listed (commented out) in the starter config `dnr init` writes. */
export const STARTER_KEYS = [
  'warehouse.archetypes',
  'warehouse.scale',
  'warehouse.quality',
  'warehouse.trajectory',
  'warehouse.seed',
  'comms.engine',
  'comms.seed',
  'classification.engine',
  'classification.model',
  'classification.api_cap_usd',
  'report.window_days',
] as const;

/**
 * configs/default.yaml as `dnr init` writes it: a header and the usual keys, all commented out, with their
 * defaults and descriptions. Nothing is set, so `dnr config` keeps showing which values are defaults and which
 * the user chose; `dnr config --defaults` prints every key.
 */
export function renderStarterConfigYaml(): string {
  const defaults = ConfigSchema.parse({}) as unknown as Record<string, Record<string, unknown>>;
  const lines = [
    '# dnr configuration: only the values set in this file override the defaults.',
    '# Precedence, later wins: defaults (in code) → this file (or --config) → environment (DNR_ prefix,',
    '# __ between levels, e.g. DNR_WAREHOUSE__SEED=7; .env is loaded) → command-line flags. Unknown keys are errors.',
    '#',
    '# `dnr config` shows every value in force and which layer set it; `dnr config --defaults` prints every',
    '# key with its default and description (a complete file), and docs/config.md explains them.',
    '#',
    '# The keys people usually change; uncomment a line (and its section) to set it:',
  ];
  let section = '';
  for (const dotted of STARTER_KEYS) {
    const [sec, key] = dotted.split('.');
    if (sec !== section) {
      lines.push(`# ${sec}:`);
      section = sec;
    }
    const value = stringify(defaults[sec][key], { flow: true, lineWidth: 0 }).trim();
    const node = schemaAt(ConfigSchema, [sec, key]);
    const desc = node ? descriptionOf(node) : undefined;
    lines.push(`#   ${key}: ${value}${desc ? `  # ${desc}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

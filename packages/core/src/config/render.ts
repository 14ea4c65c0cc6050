import { Document, isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
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

import { existsSync } from 'node:fs';
import { InputError } from '@dnr/core';
import { readDefectsManifest } from '@dnr/generate';
import type { DefectEvent } from './prefilter.js';

/** The dated defect events of defects.json (docs/warehouse.md), read with the generator's schema; a missing or malformed file is an input error. */
export function readDefectEvents(file: string): DefectEvent[] {
  if (!existsSync(file)) throw new InputError(`defects file missing: ${file}`, { suggestion: 'run `dnr gen-warehouse` first or omit the defects path' });
  return readDefectsManifest(file)
    .defects.map((d) => ({ kind: d.kind as string, table: d.table, days: d.days }))
    .filter((d) => d.days.length > 0);
}

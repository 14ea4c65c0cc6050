import { existsSync } from 'node:fs';
import { InputError } from '@dnr/core';
import { readDefectsManifest } from '@dnr/generate';
import type { InjectedEvent } from './event-recall.js';

/**
 * The injected events of a ground-truth defects.json (read with the generator's schema, its one owner), for
 * run-report --truth only; a missing or malformed file is an input error naming it.
 */
export function readInjectedEvents(file: string): InjectedEvent[] {
  if (!existsSync(file)) throw new InputError(`--truth: ${file} not found.`, { suggestion: 'Pass the defects.json a dnr warehouse carries, or the folder holding it.' });
  return readDefectsManifest(file).defects.map((d) => ({ kind: d.kind as string, table: d.table, column: d.column ?? null, days: d.days }));
}

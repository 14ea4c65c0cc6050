import { existsSync } from 'node:fs';
import { InputError } from '@dnr/core';
import { readDefectsManifest } from '@dnr/generate';
import type { InjectedEvent } from './event-recall.js';

/** The incidents of a duplicate entry (params.incidents, each with its local days), or null when it records none. */
function incidentDays(params: Record<string, unknown>): string[][] | null {
  const list = params.incidents;
  if (!Array.isArray(list)) return null;
  return list.map((x) => (x && typeof x === 'object' && Array.isArray((x as { days?: unknown }).days) ? ((x as { days: unknown[] }).days.filter((d) => typeof d === 'string') as string[]) : []));
}

/**
 * The injected events of a ground-truth defects.json (read with the generator's schema, its one owner), for
 * run-report --truth only; a missing or malformed file is an input error naming it. A duplicate entry that
 * lists its incidents (params.incidents) gives one event per incident, dated on that incident's days, so
 * each incident the detector finds is a hit of its own.
 */
export function readInjectedEvents(file: string): InjectedEvent[] {
  if (!existsSync(file)) throw new InputError(`--truth: ${file} not found.`, { suggestion: 'Pass the defects.json a dnr warehouse carries, or the folder holding it.' });
  return readDefectsManifest(file).defects.flatMap((d) => {
    const incidents = d.kind === 'duplicate' ? incidentDays(d.params) : null;
    if (incidents) return incidents.filter((days) => days.length).map((days) => ({ kind: d.kind as string, table: d.table, column: d.column ?? null, days }));
    return [{ kind: d.kind as string, table: d.table, column: d.column ?? null, days: d.days }];
  });
}

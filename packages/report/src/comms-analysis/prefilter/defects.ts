import { existsSync, readFileSync } from 'node:fs';
import { errorMessage, InputError } from '@dnr/core';
import type { DefectEvent } from './prefilter.js';

/** Read the dated defect events of defects.json (SPEC §4.5); a missing or unreadable file is an input error. */
export function readDefectEvents(file: string): DefectEvent[] {
  if (!existsSync(file)) throw new InputError(`defects file missing: ${file}`, { suggestion: 'run `dnr gen-warehouse` first or omit the defects path' });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error: unknown) {
    throw new InputError(`defects file is not valid JSON: ${file} (${errorMessage(error)})`, { cause: error });
  }
  const defects = (json as { defects?: unknown }).defects;
  if (!Array.isArray(defects)) throw new InputError(`defects file ${file} has no "defects" list (SPEC §4.5)`);
  return defects
    .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
    .map((d) => ({ kind: String(d.kind), table: String(d.table), days: Array.isArray(d.days) ? d.days.map(String) : [] }))
    .filter((d) => d.days.length > 0);
}

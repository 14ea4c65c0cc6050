import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, errorMessage } from '@dnr/core';
import type { CommsResult } from './generate.js';

export type CommsManifest = Omit<CommsResult, 'seconds'> & { generator_version: string; generated_at: string; timings: { seconds: number } };

/** Read {comms}/manifest.json; InputError naming the file when it is missing or not a comms manifest. */
export function readCommsManifest(dir: string): CommsManifest {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) {
    throw new InputError(`Comms manifest ${file} not found.`, { suggestion: 'Run `dnr gen-comms --archetype …` first or pass the right --comms folder.' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error: unknown) {
    throw new InputError(`Comms manifest ${file} is not valid JSON (${errorMessage(error)}).`, { cause: error });
  }
  const m = raw as Partial<CommsManifest>;
  if (typeof m !== 'object' || m === null || typeof m.archetype !== 'string' || typeof m.counts !== 'object' || typeof m.files !== 'object') {
    throw new InputError(`Comms manifest ${file} is not a gen-comms manifest (archetype, counts and files expected).`);
  }
  return m as CommsManifest;
}

import { fileURLToPath } from 'node:url';
import type { Archetype } from '@dnr/core';
import { loadContractFile } from './load.js';
import type { Contract } from './schema.js';

/** The built-in contracts are the data files contracts/{archetype}.yaml of this package. */
export function builtinContractPath(archetype: Archetype): string {
  return fileURLToPath(new URL(`../contracts/${archetype}.yaml`, import.meta.url));
}

const cache = new Map<Archetype, Contract>();

/** The built-in contract of an archetype (parsed once per process). */
export function builtinContract(archetype: Archetype): Contract {
  let c = cache.get(archetype);
  if (!c) {
    c = loadContractFile(builtinContractPath(archetype));
    cache.set(archetype, c);
  }
  return c;
}

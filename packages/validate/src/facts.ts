import { sqlIdent } from '@dnr/core';
import type { Archetype } from '@dnr/core';
import { builtinContract, factTables, tableColumns, type ColumnSpec, type FactSpec } from '@dnr/contract';

/**
 * The validator reads keys, foreign keys, event times and column types from the built-in warehouse
 * contracts (packages/contract/contracts/{archetype}.yaml), like the generator and the report.
 */
export function contractFacts(archetype: Archetype): FactSpec[] {
  return factTables(builtinContract(archetype));
}

/** Every table of the archetype's contract with its columns (required tables first, as listed). */
export function contractSchemas(archetype: Archetype): Record<string, ColumnSpec[]> {
  return Object.fromEntries(Object.entries(builtinContract(archetype).tables).map(([name, t]) => [name, tableColumns(t)]));
}

/** The contract's required tables (the ones a report needs) with their columns. */
export function requiredSchemas(archetype: Archetype): Record<string, ColumnSpec[]> {
  return Object.fromEntries(
    Object.entries(builtinContract(archetype).tables)
      .filter(([, t]) => t.required)
      .map(([name, t]) => [name, tableColumns(t)]),
  );
}

/** The fact rows with their event time `ev` and local day `d` (the event time may live in another table). */
export function withEventTime(fact: FactSpec): string {
  const e = fact.eventTime;
  const t = sqlIdent(fact.name);
  if (typeof e === 'object' && 'from' in e) {
    const { table, key, column } = e.from;
    return `(SELECT f.*, s.__t AS ev, local_ts(s.__t)::DATE AS d FROM ${t} f
      LEFT JOIN (SELECT ${sqlIdent(key)} AS __k, min(${sqlIdent(column)}) AS __t FROM ${sqlIdent(table)} GROUP BY 1) s ON s.__k = f.${sqlIdent(key)})`;
  }
  const ev = typeof e === 'string' ? sqlIdent(e) : `(${e.sql})`;
  return `(SELECT *, ${ev} AS ev, local_ts(${ev})::DATE AS d FROM ${t})`;
}

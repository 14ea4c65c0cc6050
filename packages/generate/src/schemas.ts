import { ARCHETYPES, type Archetype } from '@dnr/core';
import { builtinContract, tableColumns, type ColumnSpec } from '@dnr/contract';

export type { ColumnSpec } from '@dnr/contract';

/**
 * Column names and DuckDB types of every warehouse table come from the built-in warehouse contracts
 * (packages/contract/contracts/{archetype}.yaml), the one owner of schemas, keys and event times.
 * Adding a table is a change to that file.
 */
const schemas = (pick: (required: boolean) => boolean): Record<Archetype, Record<string, ColumnSpec[]>> =>
  Object.fromEntries(
    ARCHETYPES.map((arch) => [
      arch,
      Object.fromEntries(
        Object.entries(builtinContract(arch).tables)
          .filter(([, t]) => pick(t.required))
          .map(([name, t]) => [name, tableColumns(t)]),
      ),
    ]),
  ) as Record<Archetype, Record<string, ColumnSpec[]>>;

/** The tables the report needs (the contract's required tables). */
export const WAREHOUSE_SCHEMAS = schemas((required) => required);

/** Tables added so the behaviour can be analysed (docs/behaviour.md); the report runs without them. */
export const ADDED_SCHEMAS = schemas((required) => !required);

/** Every table a warehouse holds: the required tables, then the additions. */
export const ALL_SCHEMAS: Record<Archetype, Record<string, ColumnSpec[]>> = {
  neobank: { ...WAREHOUSE_SCHEMAS.neobank, ...ADDED_SCHEMAS.neobank },
  marketplace: { ...WAREHOUSE_SCHEMAS.marketplace, ...ADDED_SCHEMAS.marketplace },
};

export const TABLES: Record<Archetype, string[]> = {
  neobank: Object.keys(ALL_SCHEMAS.neobank),
  marketplace: Object.keys(ALL_SCHEMAS.marketplace),
};

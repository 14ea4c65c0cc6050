export { ContractSchema, TableSchema, ForeignKeySchema, EventTimeSchema, KpiSchema, type Contract, type TableSpec, type ForeignKeySpec, type EventTimeSpec, type KpiSpec } from './schema.js';
export { loadContractFile, parseContract } from './load.js';
export { builtinContract, builtinContractPath } from './builtin.js';
export { tableColumns, factTables, factTable, eventTimeColumns, referencedColumns, requiredColumns, expandSql, type ColumnSpec, type FactSpec, type FxRates, type SqlPlaceholders, type UsdRates } from './derive.js';

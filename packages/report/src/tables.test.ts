import { describe, expect, it } from 'vitest';
import { ARCHETYPES } from '@dnr/core';
import { FACT_KEYS } from '@dnr/generate';
import { FACT_TABLES } from './tables.js';

describe('report table knowledge agrees with the generator', () => {
  it.each(ARCHETYPES)('%s: the same fact tables, business keys and foreign keys as FACT_KEYS', (arch) => {
    const ours = FACT_TABLES[arch].map((t) => ({ table: t.name, key: t.key, fks: t.foreignKeys.map((f) => [f.column, f.dim, f.dimKey, f.dimTs ?? null]) }));
    const theirs = FACT_KEYS[arch].map((t) => ({ table: t.table, key: t.businessKey, fks: t.fks.map((f) => [f.column, f.dimTable, f.dimKey, f.dimTimeColumn ?? (f.dimTable === 'dim_merchant' || f.dimTable === 'dim_plan' ? null : 'created_at')]) }));
    expect(ours).toEqual(theirs);
  });
});

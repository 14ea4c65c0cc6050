import { contentChecksum, errorMessage, InputError, sqlIdent, TableChangedError } from '@dnr/core';
import { requiredSchemas } from '../facts.js';
import { checkRow } from '../rows.js';
import type { GateFamily, GateRow, ValidateContext } from '../types.js';

const FAMILY = 'schema';

/** docs/warehouse.md allows UTC TIMESTAMP or TIMESTAMP WITH TIME ZONE. */
const sameType = (got: string, want: string) => got === want || (want === 'TIMESTAMP' && got === 'TIMESTAMP WITH TIME ZONE');

/** Allowed values of the enumerated columns (docs/warehouse.md). */
export const DOMAINS: Record<string, Record<string, string[]>> = {
  dim_customer: { kyc_status: ['verified', 'pending', 'rejected'] },
  dim_account: { type: ['checking', 'savings'], status: ['open', 'frozen', 'closed'] },
  dim_card: { status: ['active', 'inactive', 'lost', 'expired'] },
  dim_plan: { cadence: ['monthly', 'annual'] },
  fact_card_transaction: { channel: ['card_present', 'contactless', 'ecommerce'], auth_result: ['approved', 'declined', 'reversed'] },
  dim_seller: { shop_status: ['active', 'vacation', 'suspended', 'closed'] },
  fact_shop_status: { shop_status: ['vacation', 'suspended', 'closed'] },
  dim_listing: { status: ['active', 'sold_out', 'inactive', 'removed'] },
  snapshot_listing_daily: { status: ['active', 'sold_out', 'inactive', 'removed'] },
};

type Measured = { rows: number; checksum: string };

/**
 * For a table dnr's marker vouched for on read: its row count and content checksum, which must still be
 * those committed. A difference (or a file that no longer reads) means it was changed with its size and
 * modification time restored — an input error (exit 2 naming the table), as on read, not a gate verdict.
 */
async function checkVouched(ctx: ValidateContext, table: string): Promise<Measured | undefined> {
  const vouched = ctx.committed[table];
  if (!vouched) return undefined;
  const where = { flag: '--warehouse', dir: ctx.warehouseDir };
  let measured: Measured;
  try {
    measured = await contentChecksum(ctx.conn, sqlIdent(table));
  } catch (error: unknown) {
    throw new InputError(`${where.flag} ${where.dir}: table ${table} (${vouched.files.join(', ')}) cannot be read although its size and modification time are those dnr wrote: ${errorMessage(error).split('\n')[0]}`, {
      suggestion: 'The file is corrupt; regenerate that folder with dnr.',
      cause: error,
    });
  }
  if (vouched.rows !== measured.rows || vouched.checksum !== measured.checksum) {
    throw new TableChangedError(where, table, vouched, measured, ' (its size and modification time are unchanged)');
  }
  return measured;
}

/** `{table}.integrity`: row count and content checksum against manifest.json. */
function integrityRow(table: string, recorded: Measured | undefined, measured: Measured): GateRow {
  return checkRow(
    FAMILY,
    `${table}.integrity`,
    recorded !== undefined && recorded.rows === measured.rows && recorded.checksum === measured.checksum,
    `${measured.rows} rows, checksum ${measured.checksum}`,
    recorded ? `= manifest: ${recorded.rows} rows, checksum ${recorded.checksum}` : '= manifest (table not in manifest.json)',
  );
}

/**
 * Schema presence and types (exact column names and DuckDB types), enumerated values, and
 * integrity against manifest.json: row count and content checksum of every table.
 */
export const schemaGates: GateFamily = {
  name: FAMILY,
  needs: [],
  async run(ctx) {
    const rows: GateRow[] = [];
    for (const [table, spec] of Object.entries(requiredSchemas(ctx.archetype))) {
      const want = spec.map((c) => `${c.name} ${c.type}`).join(', ');
      if (!ctx.tables.has(table)) {
        rows.push(checkRow(FAMILY, table, false, 'missing', `present: ${want}`, `no parquet/${table}.parquet or parquet/${table}/*.parquet`));
        continue;
      }
      const measured = await checkVouched(ctx, table);
      const cols = await ctx.q<{ column_name: string; column_type: string }>(`DESCRIBE ${sqlIdent(table)}`);
      const got = new Map(cols.map((c) => [c.column_name, c.column_type]));
      const problems: string[] = [];
      for (const c of spec) {
        const t = got.get(c.name);
        if (t === undefined) problems.push(`missing column ${c.name}`);
        else if (!sameType(t, c.type)) problems.push(`${c.name} is ${t}, expected ${c.type}`);
      }
      const extra = [...got.keys()].filter((c) => !spec.some((s) => s.name === c));
      if (extra.length) problems.push(`unexpected column(s) ${extra.join(', ')}`);
      rows.push(checkRow(FAMILY, table, problems.length === 0, problems.length === 0 ? 'ok' : problems.join('; '), `columns and types: ${want}`));
      if (problems.length > 0) continue;

      const domains = DOMAINS[table] ?? {};
      for (const [column, allowed] of Object.entries(domains)) {
        const bad = await ctx.q<{ v: string | null; n: bigint }>(
          `SELECT ${sqlIdent(column)} AS v, count(*) AS n FROM ${sqlIdent(table)} WHERE ${sqlIdent(column)} IS NOT NULL AND ${sqlIdent(column)} NOT IN (${allowed.map((a) => `'${a}'`).join(', ')}) GROUP BY 1 ORDER BY 2 DESC LIMIT 3`,
        );
        rows.push(
          checkRow(FAMILY, `${table}.${column}.values`, bad.length === 0, bad.length === 0 ? 'ok' : bad.map((b) => `${b.v} ×${b.n}`).join(', '), `in {${allowed.join(', ')}}`),
        );
      }

      rows.push(integrityRow(table, ctx.manifest.tables[table], measured ?? (await contentChecksum(ctx.conn, sqlIdent(table)))));
    }
    return rows;
  },
};

import { describe, expect, it } from 'vitest';
import { ARCHETYPES, InputError, queryRows, withDuckDB } from '@dnr/core';
import { builtinContract, builtinContractPath } from './builtin.js';
import { expandSql, factTables, referencedColumns } from './derive.js';
import { parseContract } from './load.js';

const minimal = (extra = '') => `contract_version: 1
name: shop
tables:
  customers:
    role: dimension
  orders:
    role: fact
    key: [order_id]
    event_time: ordered_at
    loaded_at: synced_at
    foreign_keys:
      - { column: customer_id, references: customers, key: id, valid_from: signed_up_at }
${extra}`;

const fail = (text: string): InputError => {
  try {
    parseContract(text, 'shop.yaml');
  } catch (error: unknown) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('parsed without error');
};

describe('built-in contracts', () => {
  it.each(ARCHETYPES)('%s parses and lists its fact tables with keys, event times and loaded_at', (arch) => {
    const c = builtinContract(arch);
    expect(c.name).toBe(arch);
    expect(builtinContractPath(arch)).toMatch(new RegExp(`contracts/${arch}\\.yaml$`));
    const facts = factTables(c);
    expect(facts.map((f) => f.name)).toEqual(arch === 'neobank' ? ['fact_card_transaction', 'fact_subscription_invoice'] : ['fact_order', 'fact_order_item', 'fact_payment']);
    for (const f of facts) {
      expect(f.key.length).toBeGreaterThan(0);
      // Every column the contract's keys name is one of the table's listed columns.
      const listed = Object.keys(c.tables[f.name].columns ?? {});
      for (const col of [...f.key, f.loadedAt, ...f.foreignKeys.map((k) => k.column), ...f.revenueColumns]) expect(listed, `${f.name}.${col}`).toContain(col);
      for (const fk of f.foreignKeys) expect(Object.keys(c.tables[fk.references].columns ?? {})).toContain(fk.key);
    }
  });
});

describe('parseContract', () => {
  it('fills defaults and derives what a fact needs', () => {
    const c = parseContract(minimal(), 'shop.yaml');
    const [orders] = factTables(c);
    expect(orders).toMatchObject({ name: 'orders', key: ['order_id'], eventTime: 'ordered_at', loadedAt: 'synced_at', captured: 'true', revenueUsd: '0', nullableByDesign: [] });
    expect(referencedColumns(c, 'customers').sort()).toEqual(['id', 'signed_up_at']);
    expect(referencedColumns(c, 'orders').sort()).toEqual(['customer_id', 'order_id', 'ordered_at', 'synced_at']);
  });

  it('names file:line:col for a YAML syntax error', () => {
    const e = fail('contract_version: 1\nname: shop\ntables:\n  orders: {role: fact\n');
    expect(e.message).toMatch(/^shop\.yaml:\d+:\d+: invalid YAML/);
  });

  it('names file:line and the key path of a schema violation', () => {
    const e = fail(minimal().replace('role: fact', 'role: facts'));
    expect(e.message).toContain('shop.yaml:7:');
    expect(e.message).toContain('tables.orders.role');
  });

  it('refuses unknown keys (a typo is not silently ignored)', () => {
    const e = fail(minimal().replace('    key: [order_id]', '    keys: [order_id]'));
    expect(e.message).toMatch(/shop\.yaml:\d+:\d+: tables\.orders/);
    expect(e.message).toMatch(/keys|key/);
  });

  it('requires key, event_time and loaded_at of a fact table', () => {
    const e = fail(minimal().replace('    loaded_at: synced_at\n', ''));
    expect(e.message).toContain('tables.orders.loaded_at: a fact table needs loaded_at');
  });

  it('refuses a foreign key to a table it does not list, at its line', () => {
    const e = fail(minimal().replace('references: customers', 'references: clients'));
    expect(e.message).toMatch(/shop\.yaml:12:\d+: tables\.orders\.foreign_keys\.0\.references: table clients is not listed/);
  });

  it('refuses a KPI with both or neither of sql and formula', () => {
    expect(fail(minimal('kpis:\n  - { name: x }\n')).message).toContain('exactly one of sql or formula');
    expect(fail(minimal('kpis:\n  - { name: x, sql: SELECT 1, formula: "1" }\n')).message).toContain('exactly one of sql or formula');
  });

  it('refuses a KPI name given twice, at the second one', () => {
    const e = fail(minimal('kpis:\n  - { name: gmv_usd, sql: SELECT 1 }\n  - { name: orders, sql: SELECT 2 }\n  - { name: gmv_usd, sql: SELECT 3 }\n'));
    expect(e.message).toMatch(/shop\.yaml:16:\d+: kpis\.2\.name: KPI gmv_usd is already defined at kpis\[0\]/);
  });
});

describe('expandSql', () => {
  it('turns window placeholders into DATE literals and {usd(expr)} into a rate CASE', () => {
    const sql = expandSql('SELECT sum(a * {usd(o.cur)}) FROM t WHERE d BETWEEN {start} AND {end}', { start: '2026-01-01', end: '2026-01-30', rates: { EUR: 1.1 } });
    expect(sql).toBe("SELECT sum(a * CASE WHEN o.cur = 'EUR' THEN 1.1 ELSE 1.0 END) FROM t WHERE d BETWEEN DATE '2026-01-01' AND DATE '2026-01-30'");
    expect(expandSql('{usd(c)}', { rates: {} })).toBe('1.0');
    expect(() => expandSql('{start}', { rates: {} })).toThrow(/\{start\} is not available/);
  });

  it('{usd(cur, day)} reads the dated rate table when there is one, else the configured rate', async () => {
    // without a rate table the date is ignored
    expect(expandSql('{usd(c, d)}', { rates: { EUR: 1.1 } })).toBe("CASE WHEN c = 'EUR' THEN 1.1 ELSE 1.0 END");
    const query = 'SELECT currency, {usd(currency, day)} AS r FROM t ORDER BY day, currency';
    // in memory: EUR rates for Jan 1–3 with Jan 3 missing; as a relation: the same rates in a table
    const inMemory = expandSql(query, { rates: { EUR: 1.1, GBP: 1.3 }, fx: { start: '2026-01-01', byCurrency: { EUR: [1.05, 1.07, null] } } });
    const relation = expandSql(query, { rates: { EUR: 1.1, GBP: 1.3 }, fx: 'fx' });
    const rows = await withDuckDB({ timeZone: 'UTC' }, async (c) => {
      await c.run("CREATE TABLE fx AS SELECT * FROM (VALUES (DATE '2026-01-01', 'EUR', 1.05), (DATE '2026-01-02', 'EUR', 1.07)) v(rate_date, currency, usd_rate)");
      // the fact's own currency column has the rate table's name: it must still mean the fact's
      await c.run(`CREATE TABLE t AS SELECT * FROM (VALUES ('EUR', DATE '2025-12-31'), ('EUR', DATE '2026-01-01'), ('EUR', TIMESTAMP '2026-01-02 10:00'), ('GBP', DATE '2026-01-01'),
        ('EUR', DATE '2026-01-03'), ('EUR', DATE '2026-01-09'), ('USD', DATE '2026-01-01')) v(currency, day)`);
      return [await queryRows<{ currency: string; r: number }>(c, inMemory), await queryRows<{ currency: string; r: number }>(c, relation)];
    });
    // before the first day, a missing day and after the last day: the configured rate
    const expected = [['EUR', 1.1], ['EUR', 1.05], ['GBP', 1.3], ['USD', 1], ['EUR', 1.07], ['EUR', 1.1], ['EUR', 1.1]];
    for (const r of rows) expect(r.map((x) => [x.currency, Number(x.r)])).toEqual(expected);
  });
});

describe('time_zone', () => {
  const withTz = (tz: string) => minimal().replace('name: shop\n', `name: shop\ntime_zone: ${tz}\n`);
  it.each([
    ['America/New_Yrok', 'Did you mean "America/New_York"?'],
    ['"new york"', 'Did you mean "America/New_York"?'],
    ['europe/berlin', 'Did you mean "Europe/Berlin"?'],
    ['GMT+2', '"Etc/GMT-2" for a fixed UTC+2'],
    ['UTC-5', '"Etc/GMT+5" for a fixed UTC-5'],
  ])('%s is exit 2 at FILE:LINE time_zone with a did-you-mean', (tz, hint) => {
    const e = fail(withTz(tz));
    expect(e.message).toMatch(/^invalid warehouse contract: shop\.yaml:3:\d+: time_zone: unknown time zone/);
    expect(e.message).toContain(hint);
  });
  it.each(['America/New_York', 'UTC', 'Etc/GMT-2', 'Asia/Tokyo'])('%s is accepted', (tz) => {
    expect(parseContract(withTz(tz), 'shop.yaml').time_zone).toBe(tz);
  });
});

describe('an unknown key', () => {
  it('gets a did-you-mean at its line', () => {
    const e = fail(minimal().replace('    foreign_keys:', '    foriegn_keys:'));
    expect(e.message).toMatch(/shop\.yaml:\d+:\d+: tables\.orders: Unrecognized key\(s\) in object: 'foriegn_keys' Did you mean "foreign_keys"\?/);
    expect(fail(minimal('kpi:\n  - { name: x, sql: SELECT 1 }\n')).message).toContain('Did you mean "kpis"?');
  });
});

import { describe, expect, it } from 'vitest';
import { extractEntitiesRules } from './extract.js';

describe('extractEntitiesRules', () => {
  it('finds identifiers, SQL tables, aliases and columns with graded confidence', () => {
    const ents = extractEntitiesRules('neobank', [
      { id: 'a', source: 'slack', theme: 'join_keys_orphans', text: 'card_id values in fact_card_transaction are missing from dim_card' },
      { id: 'b', source: 'nlq', theme: 'freshness_ingest_lag', text: 'how late is the data', sql: 'SELECT max(loaded_at) FROM fact_subscription_invoice' },
      { id: 'c', source: 'email', theme: 'revenue_coverage_mapping', text: 'interchange from some merchants is not mapped' },
      { id: 'd', source: 'slack', theme: null, text: 'lunch at noon' },
    ]);
    const of = (id: string) => ents.filter((e) => e.id === id);
    const a = of('a');
    expect(a.find((e) => e.table === 'fact_card_transaction' && e.column === null)!.confidence).toBe(0.95);
    expect(a.find((e) => e.table === 'dim_card' && e.column === null)!.method).toBe('identifier');
    expect(a.some((e) => e.table === 'dim_card' && e.column === 'card_id')).toBe(true);
    expect(of('b').find((e) => e.table === 'fact_subscription_invoice' && e.column === null)!.method).toBe('sql');
    expect(of('b').some((e) => e.column === 'loaded_at')).toBe(true);
    const c = of('c');
    expect(c.map((e) => e.table).sort()).toEqual(['dim_merchant', 'fact_card_transaction']);
    expect(c.every((e) => e.confidence < 0.9)).toBe(true);
    expect(of('d')).toEqual([]);
  });

  it('uses the marketplace dictionary and prefers the specific alias', () => {
    const ents = extractEntitiesRules('marketplace', [{ id: 'x', source: 'slack', theme: null, text: 'order items point at listings that were removed' }]);
    const tables = ents.filter((e) => e.column === null).map((e) => e.table).sort();
    expect(tables).toContain('fact_order_item');
    expect(tables).toContain('dim_listing');
    expect(tables).not.toContain('fact_order');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readInjectedEvents } from './truth.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const file = (content: string) => {
  const d = mkdtempSync(path.join(tmpdir(), 'dnr-c2-defects-'));
  dirs.push(d);
  const f = path.join(d, 'defects.json');
  writeFileSync(f, content);
  return f;
};

describe('readInjectedEvents', () => {
  it('keeps every defect with its column and days (undated ones count as injected but cannot be matched)', () => {
    const entry = (kind: string, days: string[]) => ({ kind, table: 'fact_order', column: 'buyer_id', target_rate: 0.02, rows_affected: 2, rows_total: 100, days, params: {} });
    const f = file(JSON.stringify({ archetype: 'marketplace', quality: 'typical', seed: 42, defects: [entry('null_spike', ['2026-05-01']), entry('key_null', [])] }));
    expect(readInjectedEvents(f)).toEqual([
      { kind: 'null_spike', table: 'fact_order', column: 'buyer_id', days: ['2026-05-01'] },
      { kind: 'key_null', table: 'fact_order', column: 'buyer_id', days: [] },
    ]);
  });

  it('splits a duplicate entry into one event per recorded incident, dated on its own days', () => {
    const dup = {
      kind: 'duplicate',
      table: 'fact_order',
      column: null,
      target_rate: 0.007,
      rows_affected: 70,
      rows_total: 10000,
      days: ['2026-01-03', '2026-02-10', '2026-02-11'],
      params: { incidents: [{ kind: 'replay', rows: 20, days: ['2026-01-03'] }, { kind: 'backfill', rows: 50, days: ['2026-02-10', '2026-02-11'] }] },
    };
    const f = file(JSON.stringify({ archetype: 'marketplace', quality: 'typical', seed: 42, defects: [dup, { ...dup, table: 'fact_payment', days: [], params: {} }] }));
    expect(readInjectedEvents(f)).toEqual([
      { kind: 'duplicate', table: 'fact_order', column: null, days: ['2026-01-03'] },
      { kind: 'duplicate', table: 'fact_order', column: null, days: ['2026-02-10', '2026-02-11'] },
      { kind: 'duplicate', table: 'fact_payment', column: null, days: [] },
    ]);
  });

  it('names the file when it is missing, not JSON, or not a defects manifest', () => {
    expect(() => readInjectedEvents('/nonexistent/defects.json')).toThrow(/--truth: \/nonexistent\/defects.json not found/);
    const bad = file('{not json');
    expect(() => readInjectedEvents(bad)).toThrow(`Cannot read defects manifest ${bad}`);
    expect(() => readInjectedEvents(file('{"archetype":"neobank","quality":"typical","seed":1}'))).toThrow(/defects\.json is invalid: defects: Required/);
  });
});

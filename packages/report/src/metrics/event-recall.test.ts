import { describe, expect, it } from 'vitest';
import type { DetectedEvent } from '../schemas/data-health.js';
import { eventRecall } from './event-recall.js';

const det = (kind: DetectedEvent['kind'], table: string, column: string | null, days: string[]): DetectedEvent => ({ kind, table, column, days, evidence: [] });

describe('eventRecall', () => {
  it('matches by table, compatible kind, column and a shared day; undated truth leaves recall and precision null', () => {
    const detected = [
      det('null_spike', 'orders', 'channel', ['2026-04-20']), // matches the injected spike
      det('null_spike', 'orders', 'channel', ['2026-04-25']), // no injected event that day
      det('null_spike', 'orders', 'total', ['2026-05-01']), // matches the schema gap's column? no: other column
      det('schema_gap', 'orders', 'currency', ['2026-05-02', '2026-05-03']),
      det('duplicate', 'orders', null, ['2026-05-05']),
      det('fk_failure', 'orders', null, ['2026-05-07']),
    ];
    const injected = [
      { kind: 'null_spike', table: 'orders', column: 'channel', days: ['2026-04-20'] },
      { kind: 'null_spike', table: 'orders', column: 'channel', days: ['2026-04-21'] }, // missed
      { kind: 'schema_gap', table: 'orders', column: 'currency', days: ['2026-05-01', '2026-05-02'] },
      { kind: 'duplicate', table: 'orders', column: null, days: [] }, // undated
      { kind: 'fk_missing', table: 'orders', column: 'customer_ref', days: ['2026-05-07'] },
    ];
    const r = eventRecall(detected, injected);
    expect(r.null_spike).toEqual({ injected: 2, detected: 3, recall: 0.5, precision: 0.3333 });
    expect(r.schema_gap).toEqual({ injected: 1, detected: 1, recall: 1, precision: 1 });
    expect(r.duplicate).toEqual({ injected: 0, detected: 1, recall: null, precision: null });
    // The detected FK burst has no column; the injected one has: a column on one side only does not block the match.
    expect(r.fk_failure).toEqual({ injected: 1, detected: 1, recall: 1, precision: 1 });
    expect(r.ingest_lag).toEqual({ injected: 0, detected: 0, recall: null, precision: null });
  });
});

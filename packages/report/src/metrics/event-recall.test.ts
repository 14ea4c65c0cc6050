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

  it('a null spike or schema gap found on a key-null outage day is right, and outages count in no recall', () => {
    const detected = [
      det('null_spike', 'tx', 'card_id', ['2026-03-05']), // the outage
      det('schema_gap', 'tx', 'merchant_id', ['2026-04-23', '2026-04-24']), // a two-day outage
      det('null_spike', 'tx', 'card_id', ['2026-03-09']), // nothing injected that day
      det('null_spike', 'tx', 'amount', ['2026-03-05']), // another column
    ];
    const injected = [
      { kind: 'key_null', table: 'tx', column: 'card_id', days: ['2026-03-05', '2026-04-23', '2026-04-24'] },
      { kind: 'key_null', table: 'tx', column: 'merchant_id', days: ['2026-03-05', '2026-04-23', '2026-04-24'] },
      { kind: 'null_spike', table: 'tx', column: 'card_id', days: ['2026-02-01'] },
    ];
    const r = eventRecall(detected, injected);
    expect(r.null_spike).toEqual({ injected: 1, detected: 3, recall: 0, precision: 0.3333 });
    expect(r.schema_gap).toEqual({ injected: 0, detected: 1, recall: null, precision: 1 });
  });
});

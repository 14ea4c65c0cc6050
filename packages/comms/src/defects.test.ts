import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFECT_THEME_MAP, defectEvents, readDefectsManifest, themeForDefect } from './defects.js';

describe('defect → theme mapping', () => {
  it('maps every defect kind to the theme people would use', () => {
    expect(DEFECT_THEME_MAP).toEqual({
      key_null: 'join_keys_orphans',
      fk_missing: 'join_keys_orphans',
      fk_temporal: 'join_keys_orphans',
      duplicate: 'duplicates_dedup',
      ingest_lag: 'freshness_ingest_lag',
      null_spike: 'join_keys_orphans',
      schema_gap: 'new_field_schema_request',
      update_job: 'metric_definition_mismatch',
    });
    expect(themeForDefect({ kind: 'null_spike', column: 'merchant_id' })).toBe('join_keys_orphans');
    expect(themeForDefect({ kind: 'null_spike', column: 'amount_cents' })).toBe('freshness_ingest_lag');
  });

  it('only dated defects become events, one per (day, theme)', () => {
    const d = (kind: 'null_spike' | 'key_null' | 'schema_gap' | 'ingest_lag' | 'update_job', days: string[], column: string | null = 'card_id') => ({ kind, table: 't', column, days });
    const everyDay = Array.from({ length: 40 }, (_, i) => `2026-01-${String((i % 28) + 1).padStart(2, '0')}`);
    const events = defectEvents({
      defects: [d('key_null', []), d('ingest_lag', everyDay), d('null_spike', ['2026-02-01']), d('null_spike', ['2026-02-01'], 'merchant_id'), d('schema_gap', ['2026-03-02', '2026-03-01']), d('update_job', ['2026-02-05'], 'activated_at')],
    });
    expect(events.map((e) => `${e.day} ${e.theme}`)).toEqual(['2026-02-01 join_keys_orphans', '2026-03-01 new_field_schema_request', '2026-03-02 new_field_schema_request']);
  });

  it('a missing or malformed manifest is an input error naming the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dnr-defects-'));
    try {
      expect(() => readDefectsManifest(path.join(dir, 'defects.json'))).toThrow(/defects\.json not found/);
      writeFileSync(
        path.join(dir, 'defects.json'),
        '{"archetype": "neobank", "quality": "typical", "seed": 1, "defects": [{"kind": "key_null", "table": "t", "column": "c", "target_rate": 0.02, "rows_affected": 2, "rows_total": 100, "days": ["May 1"], "params": {}}]}',
      );
      expect(() => readDefectsManifest(path.join(dir, 'defects.json'))).toThrow(/defects\.0\.days/);
      writeFileSync(path.join(dir, 'defects.json'), '{"archetype": ');
      expect(() => readDefectsManifest(path.join(dir, 'defects.json'))).toThrow(/Cannot read defects manifest .*defects\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

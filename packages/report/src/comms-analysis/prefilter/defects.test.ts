import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDefectEvents } from './defects.js';

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

describe('readDefectEvents', () => {
  it('keeps dated defects only', () => {
    const entry = (kind: string, days: string[]) => ({ kind, table: 'fact_order', column: 'buyer_id', target_rate: 0.02, rows_affected: 2, rows_total: 100, days, params: {} });
    const f = file(JSON.stringify({ archetype: 'marketplace', quality: 'typical', seed: 42, defects: [entry('null_spike', ['2026-05-01']), entry('key_null', [])] }));
    expect(readDefectEvents(f)).toEqual([{ kind: 'null_spike', table: 'fact_order', days: ['2026-05-01'] }]);
  });

  it('names the file when it is missing, not JSON, or not a defects manifest', () => {
    expect(() => readDefectEvents('/nonexistent/defects.json')).toThrow(/defects file missing: \/nonexistent\/defects.json/);
    const bad = file('{not json');
    expect(() => readDefectEvents(bad)).toThrow(`Cannot read defects manifest ${bad}`);
    expect(() => readDefectEvents(file('{"archetype":"neobank","quality":"typical","seed":1}'))).toThrow(/defects\.json is invalid: defects: Required/);
  });
});

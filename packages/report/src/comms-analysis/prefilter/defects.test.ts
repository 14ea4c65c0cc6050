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
    const f = file(JSON.stringify({ archetype: 'neobank', defects: [{ kind: 'null_spike', table: 'fact_order', days: ['2026-05-01'] }, { kind: 'key_null', table: 'fact_order', days: [] }] }));
    expect(readDefectEvents(f)).toEqual([{ kind: 'null_spike', table: 'fact_order', days: ['2026-05-01'] }]);
  });

  it('names the file when it is missing, not JSON, or has no defects list', () => {
    expect(() => readDefectEvents('/nonexistent/defects.json')).toThrow(/defects file missing: \/nonexistent\/defects.json/);
    const bad = file('{not json');
    expect(() => readDefectEvents(bad)).toThrow(new RegExp(`not valid JSON: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    expect(() => readDefectEvents(file('{"archetype":"neobank"}'))).toThrow(/has no "defects" list/);
  });
});

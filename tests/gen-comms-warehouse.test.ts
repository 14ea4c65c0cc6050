import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFECT_THEME_MAP, WAREHOUSE_TABLES, defectEvents, localToUtcMs, readDefectsManifest } from '../packages/comms/dist/index.js';
import { queryRows, withDuckDB } from '../packages/core/dist/index.js';
import { WAREHOUSE_SCHEMAS } from '../packages/generate/dist/index.js';
import { runDnr, tempDir } from './helpers/cli.js';

/*
 * gen-comms on the real output of gen-warehouse (small scale): the window comes from the warehouse manifest,
 * the events from its defects.json, and the NLQ SQL runs on its Parquet.
 */
describe.each(['neobank', 'marketplace'] as const)('gen-comms on a generated %s warehouse', (archetype) => {
  let tmp: ReturnType<typeof tempDir>;
  let result: {
    window: { start: string; end: string; tz: string; source: string };
    events: { total: number; slack_clustered: number };
    nlq_parse: { rate: number };
    nlq_execute: { rate: number; total: number; rows: number; failures: unknown[] };
  };

  beforeAll(async () => {
    tmp = tempDir('dnr-comms-wh-');
    const w = await runDnr(['gen-warehouse', '--archetype', archetype, '--scale', 'small', '-q'], { cwd: tmp.dir });
    expect(w.exitCode, w.stderr).toBe(0);
    const r = await runDnr(['gen-comms', '--archetype', archetype, '--slack', '1500', '--email', '300', '--nlq', '400', '--nlq-parse-only', '--nlq-execute', '--json'], { cwd: tmp.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    result = JSON.parse(r.stdout);
  });
  afterAll(() => tmp.cleanup());

  it('uses the table dictionary of the generator (docs/warehouse.md)', () => {
    const theirs = Object.fromEntries(Object.entries(WAREHOUSE_SCHEMAS[archetype]).map(([t, cols]) => [t, Object.fromEntries(cols.map((c) => [c.name, c.type]))]));
    expect(WAREHOUSE_TABLES[archetype]).toEqual(theirs);
  });

  it('takes the window from the warehouse manifest and runs every NLQ statement on the warehouse', () => {
    const manifest = JSON.parse(readFileSync(path.join(tmp.dir, 'data', archetype, 'manifest.json'), 'utf8'));
    expect(result.window).toMatchObject({ end: manifest.end_date, tz: manifest.tz, source: 'warehouse manifest' });
    expect(result.nlq_parse.rate).toBe(1);
    expect(result.nlq_execute.total).toBe(400);
    expect(result.nlq_execute.failures).toEqual([]);
    expect(result.nlq_execute.rate).toBe(1);
    expect(result.nlq_execute.rows).toBeGreaterThan(0);
  });

  it('clusters matching threads around every dated defect of the real defects.json', async () => {
    const defects = readDefectsManifest(path.join(tmp.dir, 'meta', archetype, 'defects.json'));
    const events = defectEvents(defects).filter((e) => e.day >= result.window.start && e.day <= result.window.end);
    expect(events.length).toBeGreaterThan(3);
    expect(result.events.total).toBe(events.length);
    const commsDir = path.join(tmp.dir, 'comms', archetype);
    const metaDir = path.join(tmp.dir, 'meta', archetype);
    const threads = await withDuckDB({ timeZone: 'UTC' }, (c) =>
      queryRows<{ ts: Date; theme: string | null }>(
        c,
        `SELECT s.ts, l.theme FROM '${commsDir}/slack_messages.parquet' s JOIN '${metaDir}/labels_slack.parquet' l USING (thread_id) WHERE s.reply_to IS NULL`,
      ),
    );
    const days = (Date.parse(`${result.window.end}T00:00:00Z`) - Date.parse(`${result.window.start}T00:00:00Z`)) / 86_400_000 + 1;
    for (const e of events) {
      expect(Object.values(DEFECT_THEME_MAP)).toContain(e.theme);
      const all = threads.filter((t) => t.theme === e.theme);
      const start = localToUtcMs(Date.parse(`${e.day}T00:00:00Z`), result.window.tz) - 86_400_000;
      const near = all.filter((t) => t.ts.getTime() >= start && t.ts.getTime() < start + 3 * 86_400_000).length;
      const baseline = (all.length * 3) / days;
      expect(near, `${e.kind} ${e.day} ${e.theme}: ${near} vs baseline ${baseline.toFixed(2)}`).toBeGreaterThanOrEqual(2 * baseline);
      expect(near, `${e.kind} ${e.day} ${e.theme} (${events.length} events)`).toBeGreaterThanOrEqual(3);
    }
  });
});

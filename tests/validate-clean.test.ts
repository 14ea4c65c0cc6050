import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDnr, tempDir } from './helpers/cli.js';

/**
 * A clean warehouse (`--quality clean`) records no defects, so validate expects none: no key nulls, no
 * duplicates, no late ingest. Its on-time loads still land minutes after the event (micro-batches), and
 * an unpaid invoice's event is the local midnight its period starts (as the contract reads it).
 * Before: clean marketplace failed ingest_lag usual_share (0.07 inside an assumed 30–180 min range) and
 * late_share (batch-landing tail past 4 h); clean neobank failed late_share on unpaid invoices.
 */
let tmp: ReturnType<typeof tempDir>;

beforeAll(() => {
  tmp = tempDir('dnr-clean-');
});
afterAll(() => tmp.cleanup());

describe('validate on clean warehouses', () => {
  for (const archetype of ['neobank', 'marketplace']) {
    it(`${archetype}: every defects gate passes, with no late loads`, async () => {
      const data = path.join(tmp.dir, 'data', archetype);
      const meta = path.join(tmp.dir, 'meta', archetype);
      const g = await runDnr(['gen-warehouse', '--archetype', archetype, '--scale', 'small', '--quality', 'clean', '--seed', '7', '--out', data, '--meta', meta, '-q'], { cwd: tmp.dir });
      expect(g.exitCode, g.stderr).toBe(0);
      const r = await runDnr(['validate', '--warehouse', data, '--meta', meta, '--out', path.join(tmp.dir, 'qc', archetype), '--only', 'defects', '--strict', '--json'], { cwd: tmp.dir });
      const res = JSON.parse(r.stdout) as { rows: Array<{ gate: string; family: string; measured: unknown; verdict: string }> };
      const rows = res.rows.filter((x) => x.family === 'defects');
      expect(rows.filter((x) => x.verdict === 'fail')).toEqual([]);
      const late = rows.filter((x) => x.gate.endsWith('.late_share'));
      expect(late.length).toBeGreaterThanOrEqual(2);
      for (const x of late) expect(Number(x.measured), x.gate).toBe(0);
      const usual = rows.filter((x) => x.gate.endsWith('.usual_share'));
      for (const x of usual) expect(Number(x.measured), x.gate).toBe(1);
      expect(r.exitCode).toBe(0);
    }, 300_000);
  }
});

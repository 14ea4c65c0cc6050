import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDuckDB, ConfigSchema, openDuckDB, queryRows, type DuckDBSession } from '@dnr/core';
import { installMacros, SqlRandom } from '../behaviour/sql.js';
import { eventWindow } from '../behaviour/window.js';
import { LocalClock } from '../behaviour/clock.js';
import { resolveCalendar } from '../behaviour/calendar.js';
import { fkFlagSql, FLAG, type FkInjection } from './inject.js';
import { installOutages, OUTAGE_MAX_NULL_SHARE } from './outages.js';
import { planDefects } from './profile.js';

let db: DuckDBSession;
const r = new SqlRandom(42);
const window = eventWindow('2026-06-30', 18, 'America/Los_Angeles');
const config = ConfigSchema.parse({ warehouse: { quality: 'typical', seed: 42 } });
const T = 'fact_card_transaction';

beforeAll(async () => {
  db = await openDuckDB({ timeZone: 'UTC', threads: 1 });
  await installMacros(db.connection);
});
afterAll(() => closeDuckDB(db));

describe('key-null outage plan', () => {
  it('3 per quarter per group, lognormal hours capped at 48, off spike and named calendar days, a day apart, deterministic', () => {
    const p = planDefects(config, 'neobank', window);
    expect(p.outages.map((g) => [g.table, g.columns, g.key, g.share])).toEqual([[T, ['card_id', 'merchant_id'], `${T}.card_id+merchant_id`, 0.4]]);
    const ws = p.outages[0].windows;
    expect(ws).toHaveLength(18);
    const spikeDays = new Set(p.spikes.filter((s) => s.table === T).map((s) => s.day));
    const named = new Set(resolveCalendar(config.behaviour.neobank.calendar, window.startDate, 0, window.days).map((h) => h.day));
    const spans = ws.map((w) => [Math.floor(w.startLs / 86400), Math.floor((w.startLs + w.hours * 3600 - 1) / 86400)]);
    for (const [a, b] of spans) for (let d = a; d <= b; d++) expect(spikeDays.has(d) || named.has(d), `day ${d}`).toBe(false);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThan(spans[i - 1][1] + 1);
    const hours = ws.map((w) => w.hours).sort((a, b) => a - b);
    expect(Math.max(...hours)).toBeLessThanOrEqual(48);
    expect(hours[Math.floor(hours.length / 2)]).toBeGreaterThan(2);
    expect(hours[Math.floor(hours.length / 2)]).toBeLessThan(12);
    for (const w of ws) expect(w.nominal).toBeGreaterThanOrEqual(0.8 * 0.7 - 1e-12);
    expect(planDefects(config, 'neobank', window).outages).toEqual(p.outages);
    const mp = planDefects(config, 'marketplace', window).outages;
    expect(mp.map((g) => g.key)).toEqual(['fact_order_item.listing_id+seller_id', 'fact_order.buyer_id']);
    expect(planDefects(ConfigSchema.parse({ warehouse: { quality: 'clean' } }), 'neobank', window).outages).toEqual([]);
    expect(planDefects(ConfigSchema.parse({ warehouse: { defects: { key_null_outages: { share: 0 } } } }), 'neobank', window).outages).toEqual([]);
  });

  it('rejects a group spanning two tables (exit-2 config error naming the key)', () => {
    const bad = ConfigSchema.safeParse({ warehouse: { defects: { key_null_outages: { groups: { neobank: [['fact_card_transaction.card_id', 'fact_subscription_invoice.plan_id']] } } } } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path.join('.')).toBe('warehouse.defects.key_null_outages.groups.neobank');
  });
});

describe('installOutages', () => {
  it('nulls the group keys together on the outage rows, carries the configured share of the budget, and the column keeps its rate', async () => {
    const conn = db.connection;
    const plan = planDefects(config, 'neobank', window);
    const clock = new LocalClock(window, 0);
    // one event every 60 s over the whole window (rid = minute index)
    const n = window.days * 1440;
    const t0 = clock.midnight(0);
    const rows = (days?: number[]) =>
      `SELECT rid, d, ts FROM (SELECT i AS rid, ${t0} + i * 60 AS ts, i // 1440 AS d FROM range(${n}) t(i))${days ? ` WHERE d IN (${days.join(', ')})` : ''}`;
    const fk = (column: string): FkInjection => ({ table: T, column, trueColumn: 'x', dimN: 1000, dim: column, temporal: false, entity: {} });
    const fks = [fk('card_id'), fk('merchant_id')];
    await conn.run('CREATE TABLE IF NOT EXISTS spike_rows (k VARCHAR, rid BIGINT)');
    const [res] = await installOutages(conn, r, plan, T, fks, clock, n, (days) => rows(days));
    expect(res.outages).toHaveLength(18);
    for (const o of res.outages) {
      expect(o.nullShare).toBeLessThanOrEqual(OUTAGE_MAX_NULL_SHARE);
      expect(o.nulls).toBe(Math.round(o.rows * o.nullShare));
    }
    // the outages carry 40% of the 2% budget (no window is capped at this density)
    expect(res.nulls / (0.02 * n)).toBeCloseTo(0.4, 2);
    expect(res.scattered).toBeCloseTo((0.02 * n - res.nulls) / (n - res.nulls), 10);
    expect(fks.every((f) => f.outage?.scattered === res.scattered && f.outage.key === `${T}.card_id+merchant_id`)).toBe(true);
    // the per-row flags: both columns NULL on every outage row, the scattered rest independent
    const parts = fks.map((f) => fkFlagSql(r, plan, f, 'rid', 'd'));
    const m = (
      await queryRows<Record<string, bigint>>(
        conn,
        `SELECT count(*) AS n, count(*) FILTER (f0 = ${FLAG.keyNull}) AS a, count(*) FILTER (f1 = ${FLAG.keyNull}) AS b,
           count(*) FILTER (f0 = ${FLAG.keyNull} AND f1 = ${FLAG.keyNull}) AS ab, count(*) FILTER (f0 = ${FLAG.spikeNull}) AS spike0
         FROM (SELECT ${parts[0].flag} AS f0, ${parts[1].flag} AS f1 FROM (SELECT *, ${[...parts[0].inputs, ...parts[1].inputs].join(', ')} FROM (${rows()})))`,
      )
    ).map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Number(v)])))[0];
    const off = n - m.spike0;
    for (const k of ['a', 'b'] as const) expect(m[k] / off, k).toBeGreaterThan(0.018);
    for (const k of ['a', 'b'] as const) expect(m[k] / off, k).toBeLessThan(0.022);
    // joint nulls ≈ the outage rows: ~20× what independent columns would give
    expect(m.ab).toBeGreaterThanOrEqual(res.nulls);
    expect(m.ab / ((m.a / n) * (m.b / n) * n)).toBeGreaterThan(10);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigSchema, type Quality } from '@dnr/core';
import { eventWindow } from '../behaviour/window.js';
import { planUpdateJobs, updateJobEntry, UPDATE_JOB_DAY_SHARE } from './incidents.js';
import { planDefects } from './profile.js';

const window = eventWindow('2026-06-30', 18, 'America/Los_Angeles');
const plan = (quality: Quality = 'typical', seed = 42) => planDefects(ConfigSchema.parse({ warehouse: { quality, seed } }), 'neobank', window);
const T0 = Date.UTC(2025, 0, 1, 8) / 1000;
const midnight = (d: number) => T0 + d * 86400;

// 20 000 entities created evenly over the window (one every ~40 min); entity 3k+1 has a fact 10 min after
// its creation, 3k+2 one 30 days later, 3k none; ids 0–99 already fail an FK
const truth = new Map<number, number>();
const first = new Map<number, number>();
for (let i = 0; i < 20000; i++) {
  const t = T0 + Math.floor((i * window.days * 86400) / 20000);
  truth.set(i, t);
  if (i % 3 === 1) first.set(i, t + 600);
  if (i % 3 === 2) first.set(i, t + 30 * 86400);
}
const exclude = new Set(Array.from({ length: 100 }, (_, i) => i));

describe('bulk update-job incidents', () => {
  const jobs = planUpdateJobs(plan(), window, midnight, 'dim_card.activated_at', truth, first, exclude);

  it('run on about one day in eight, in back-office hours, each re-stamping a batch of recent rows', () => {
    expect(jobs.runs.length).toBeGreaterThan(window.days * UPDATE_JOB_DAY_SHARE * 0.6);
    expect(jobs.runs.length).toBeLessThan(window.days * UPDATE_JOB_DAY_SHARE * 1.4);
    for (const r of jobs.runs) {
      const hour = (r.startedAt - midnight(r.day)) / 3600;
      expect(hour).toBeGreaterThanOrEqual(1);
      expect(hour).toBeLessThan(5);
      expect(r.lookbackHours).toBeGreaterThanOrEqual(12);
      expect(r.lookbackHours).toBeLessThanOrEqual(72);
    }
    expect(jobs.runs.reduce((s, r) => s + r.rows, 0)).toBe(jobs.restamped.size);
    expect(jobs.restamped.size).toBeGreaterThan(100);
  });

  it('write a later value, inside the run look-back, never after the first fact, never on excluded ids', () => {
    const runs = new Map(jobs.runs.map((r) => [r.day, r]));
    for (const [id, at] of jobs.restamped) {
      expect(exclude.has(id)).toBe(false);
      expect(at).toBeGreaterThan(truth.get(id)!);
      const f = first.get(id);
      if (f !== undefined) expect(at).toBeLessThanOrEqual(f);
      const run = [...runs.values()].find((r) => at >= r.startedAt && at < r.startedAt + 3600)!;
      expect(run).toBeDefined();
      expect(run.startedAt - truth.get(id)!).toBeLessThanOrEqual(run.lookbackHours * 3600);
    }
    // the entities with a fact 10 min after creation are re-stamped only when created in the job's last 10 minutes
    for (const id of [...jobs.restamped.keys()].filter((x) => x % 3 === 1)) expect(jobs.restamped.get(id)! - truth.get(id)!).toBeLessThanOrEqual(600);
    expect([...jobs.restamped.keys()].filter((id) => id % 3 === 2).length).toBeGreaterThan(0);
  });

  it('are recorded exactly, deterministic in the seed, absent when clean', () => {
    const [e] = updateJobEntry(window, 'dim_card', 'activated_at', 19900, jobs, truth);
    expect(e).toMatchObject({ kind: 'update_job', table: 'dim_card', column: 'activated_at', rows_affected: jobs.restamped.size, rows_total: 19900 });
    expect(e.days).toHaveLength(jobs.runs.length);
    expect((e.params.restamped as unknown[]).length).toBe(jobs.restamped.size);
    expect(planUpdateJobs(plan(), window, midnight, 'dim_card.activated_at', truth, first, exclude)).toEqual(jobs);
    expect(planUpdateJobs(plan('typical', 7), window, midnight, 'dim_card.activated_at', truth, first, exclude).runs).not.toEqual(jobs.runs);
    expect(planUpdateJobs(plan('clean'), window, midnight, 'dim_card.activated_at', truth, first, exclude).restamped.size).toBe(0);
    expect(updateJobEntry(window, 'dim_card', 'activated_at', 1, { restamped: new Map(), runs: [] }, truth)).toEqual([]);
  });
});

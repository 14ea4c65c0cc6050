import { RandomStream } from '@dnr/core';
import type { FactStats } from './apply.js';
import { fkRates, type FkInjection } from './inject.js';
import type { DefectPlan } from './profile.js';

/**
 * FK failures as real warehouses get them: whole entities, not random rows.
 *
 * - fk_missing: a real entity's dimension row was never loaded (the dim load failed for it, a migrated
 *   portfolio was left out): its fact rows keep their true key and the entity's own profile (size,
 *   channel mix, lifetime), and the dimension is written without the row.
 * - fk_temporal: a dimension row's validity start was overwritten later than it should be (e.g. a
 *   card's activated_at re-stamped by a later reissue or re-activation update): the entity's fact rows
 *   before the recorded start precede their dimension row.
 *
 * The fact rows are written first, counting per entity how many non-null keys point at it (and, for
 * the temporal candidates, how many precede the candidate's recorded start); the entities are then
 * chosen in a seeded order until the counts reach the target rate, and the dimension is written
 * from the choice. Counts are exact, so defects.json records exactly the rows the choice breaks.
 */

/** Per-entity counts of one FK column, accumulated over a table's chunks. */
export interface EntityCounts {
  /** entity id → rows (duplicates included) whose key is that id. */
  rows: Map<number, number>;
  /** temporal candidate id → rows before its candidate recorded validity start. */
  before: Map<number, number>;
  /** entity id → earliest event (UTC epoch seconds) of its rows; filled when the chunk exposes `ev` (entities with candidates). */
  first?: Map<number, number>;
}

/** The entities chosen for one FK column. */
export interface EntityFailures {
  /** Ids whose dimension row is left out (never loaded). */
  missing: number[];
  /** Id → recorded validity start (UTC epoch seconds) written instead of the true one. */
  late: Map<number, number>;
  /**
   * Id → timestamp written by a bulk update-job incident (defects/incidents.ts): later than the truth
   * but never later than the entity's first fact row, so no FK breaks.
   */
  restamped?: Map<number, number>;
}

export const noEntityFailures = (): EntityFailures => ({ missing: [], late: new Map() });

/** Add one chunk's per-id earliest event times (rows from SQL as `{ id, t }`, epoch seconds) to a map. */
export function addFirst(into: Map<number, number>, rows: ReadonlyArray<{ id: bigint | number; t: bigint | number | null }>): void {
  for (const r of rows) {
    if (r.t === null) continue;
    const id = Number(r.id);
    const t = Number(r.t);
    const was = into.get(id);
    if (was === undefined || t < was) into.set(id, t);
  }
}

/** Add one chunk's per-id counts (rows from SQL as `{ id, n }`) to a count map. */
export function addCounts(into: Map<number, number>, rows: ReadonlyArray<{ id: bigint | number; n: bigint | number }>): void {
  for (const r of rows) into.set(Number(r.id), (into.get(Number(r.id)) ?? 0) + Number(r.n));
}

/**
 * Walk `ids` in a seeded order and take an entity when its rows fit in what is left of `target`
 * (a little overshoot allowed), until the target is met within 0.5%. Heavy and light entities are
 * taken alike, so the chosen ones have the population's size mix. Returns the ids and their rows.
 */
export function pickToTarget(ids: number[], rows: (id: number) => number, target: number, rs: RandomStream): { ids: number[]; rows: number } {
  const order = ids.map((id) => [rs.uniform(id), id] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const slack = Math.max(1, 0.01 * target);
  const picked: number[] = [];
  let sum = 0;
  for (const [, id] of order) {
    if (sum >= 0.995 * target) break;
    const n = rows(id);
    if (n <= 0 || sum + n > target + slack) continue;
    picked.push(id);
    sum += n;
  }
  return { ids: picked.sort((a, b) => a - b), rows: sum };
}

/**
 * Choose the failing entities of one entity-mode FK column from its counts and record their rows in
 * `stats.fk[column]` (missing / temporal). Temporal entities are chosen first among the candidates
 * (`recorded` id → recorded start); missing ones among the other entities with rows.
 */
export function chooseEntityFailures(plan: DefectPlan, fk: FkInjection, stats: FactStats, recorded: Map<number, number> | null): EntityFailures {
  const counts = stats.entities[fk.column];
  const s = (stats.fk[fk.column] ??= { keyNull: 0, missing: 0, temporal: 0, spike: 0 });
  if (!counts || plan.rates.multiplier === 0) return noEntityFailures();
  const { fail, missingShare } = fkRates(plan, fk);
  const rs = new RandomStream(plan.seed, `defects/entity/${fk.table}.${fk.column}`);
  const late = new Map<number, number>();
  if (fk.temporal && recorded) {
    const cands = [...counts.before.keys()];
    const got = pickToTarget(cands, (id) => counts.before.get(id) ?? 0, fail * (1 - missingShare) * stats.rows, new RandomStream(plan.seed, `defects/entity/${fk.table}.${fk.column}/late`));
    for (const id of got.ids) late.set(id, recorded.get(id)!);
    s.temporal = got.rows;
  }
  const rest = [...counts.rows.keys()].filter((id) => !late.has(id));
  const got = pickToTarget(rest, (id) => counts.rows.get(id) ?? 0, fail * missingShare * stats.rows, rs);
  s.missing = got.rows;
  return { missing: got.ids, late };
}

import { LocalClock } from './clock.js';

/**
 * SQL for local → UTC inside the window, DST-correct: `lh` is the local hour index (hours since the
 * window's first local midnight), `ls` local seconds, `foldU` a uniform picking the copy of a repeated
 * hour. The result is Unix seconds, NULL in a skipped hour (the caller drops those rows).
 */
export function utcSecondsSql(clock: LocalClock, ls: string, lh: string, foldU: string): string {
  const { gaps, folds } = clock.transitions();
  const hours = clock.window.days * 24 + 24;
  const whens: string[] = [];
  let prev = clock.offsetOfLocalHour(0);
  for (let h = 1; h < hours; h++) {
    const off = clock.offsetOfLocalHour(h);
    if (off === LocalClock.GAP || off === prev) continue;
    whens.push(`WHEN ${lh} < ${h} THEN ${prev}`);
    prev = off;
  }
  const first = whens.length ? `(CASE ${whens.join(' ')} ELSE ${prev} END)` : `${prev}`;
  const inWindow = (xs: number[]) => xs.filter((h) => h >= 0 && h < hours);
  const g = inWindow(gaps);
  const f = inWindow(folds);
  const foldCase = f.length ? `CASE ${f.map((h) => `WHEN ${lh} = ${h} AND ${foldU} >= 0.5 THEN ${clock.offsetOfLocalHour(h, true)}`).join(' ')} ELSE ${first} END` : first;
  const gapTest = g.length ? `${lh} IN (${g.join(', ')})` : 'false';
  return `(CASE WHEN ${gapTest} THEN NULL ELSE ${clock.epoch} + (${ls}) - 60 * (${foldCase}) END)`;
}

/**
 * SQL: local seconds (since the window's first local midnight) of a Unix-seconds expression. `within`
 * ([from, to) Unix seconds): the caller's instants all lie there, so only the offset changes inside it
 * are tested (a shorter CASE; instants outside would get the nearest in-range offset).
 */
export function localSecondsSql(clock: LocalClock, utc: string, within?: [number, number]): string {
  const all = clock.offsetChanges();
  let initial = all.initial;
  let changes = all.changes;
  if (within) {
    for (const ch of changes) if (ch.at <= within[0]) initial = ch.offset;
    changes = changes.filter((ch) => ch.at > within[0] && ch.at < within[1]);
  }
  let prev = initial;
  const whens: string[] = [];
  for (const ch of changes) {
    whens.push(`WHEN ${utc} < ${ch.at} THEN ${prev}`);
    prev = ch.offset;
  }
  const off = whens.length ? `(CASE ${whens.join(' ')} ELSE ${prev} END)` : `${prev}`;
  return `((${utc}) - ${clock.epoch} + 60 * ${off})`;
}

/**
 * Zones of `clocks` grouped by their daylight-saving pattern: clocks whose offsets differ by one
 * constant at every local hour (the same skipped and repeated local hours; every US zone that observes
 * DST switches at 02:00 local) share a group, `rep` its first clock and `delta[z]` (minutes) zone z's
 * offset minus the representative's (0 for zones of other groups).
 */
export function dstGroups(clocks: readonly LocalClock[]): Array<{ rep: LocalClock; zones: number[]; delta: number[] }> {
  const groups: Array<{ rep: LocalClock; zones: number[]; delta: number[] }> = [];
  const shifted = (a: LocalClock, b: LocalClock): number | null => {
    if (a.first.length !== b.first.length || a.firstLocalHour !== b.firstLocalHour) return null;
    const d = b.first[0] - a.first[0];
    for (let i = 0; i < a.first.length; i++) {
      const gapA = a.first[i] === LocalClock.GAP;
      if (gapA !== (b.first[i] === LocalClock.GAP)) return null;
      if (!gapA && (b.first[i] - a.first[i] !== d || b.second[i] - a.second[i] !== d)) return null;
    }
    return d;
  };
  clocks.forEach((c, z) => {
    for (const g of groups) {
      const d = shifted(g.rep, c);
      if (d !== null) {
        g.zones.push(z);
        g.delta[z] = d;
        return;
      }
    }
    const delta = new Array<number>(clocks.length).fill(0);
    groups.push({ rep: c, zones: [z], delta });
  });
  return groups;
}

/** SQL: CASE over the DST groups of `clocks` by zone index `zone`, each group's expression from `of`. */
function byGroup(clocks: readonly LocalClock[], zone: string, of: (g: ReturnType<typeof dstGroups>[number]) => string): string {
  const groups = dstGroups(clocks);
  if (groups.length === 1) return of(groups[0]);
  return `(CASE ${groups
    .slice(0, -1)
    .map((g) => `WHEN ${zone} IN (${g.zones.join(', ')}) THEN ${of(g)}`)
    .join(' ')} ELSE ${of(groups[groups.length - 1])} END)`;
}

/** SQL: the per-zone constant `delta` (minutes) of zone index `zone`, 0 when every zone has 0. */
const deltaSql = (delta: number[], zone: string): string => (delta.every((x) => x === 0) ? '0' : `[${delta.join(', ')}][${zone} + 1]`);

/**
 * utcSecondsSql on the clock of zone index `zone` (an INTEGER SQL expression indexing `clocks`): local
 * seconds `ls` / local hour `lh` are that zone's wall clock. Zones of one DST group share the CASE of
 * their representative, shifted by their constant offset difference.
 */
export function zonedUtcSecondsSql(clocks: readonly LocalClock[], zone: string, ls: string, lh: string, foldU: string): string {
  return byGroup(clocks, zone, (g) => {
    const d = deltaSql(g.delta, zone);
    return d === '0' ? utcSecondsSql(g.rep, ls, lh, foldU) : `(${utcSecondsSql(g.rep, ls, lh, foldU)} - 60 * ${d})`;
  });
}

/** localSecondsSql on the clock of zone index `zone` (a CASE over the zones: their offsets change at different UTC instants). */
export function zonedLocalSecondsSql(clocks: readonly LocalClock[], zone: string, utc: string): string {
  if (clocks.length === 1) return localSecondsSql(clocks[0], utc);
  return `(CASE ${zone} ${clocks.map((c, z) => `WHEN ${z} THEN ${localSecondsSql(c, utc)}`).join(' ')} END)`;
}

/** SQL: whether local hour `lh` (inside the window's days) repeats (falls back) on the clock of zone `zone`. */
export function zonedFoldSql(clocks: readonly LocalClock[], zone: string, lh: string): string {
  const hours = clocks[0].window.days * 24;
  const parts = dstGroups(clocks).flatMap((g) => {
    const folds = g.rep.transitions().folds.filter((h) => h >= 0 && h < hours);
    if (!folds.length) return [];
    return [dstGroups(clocks).length === 1 ? `${lh} IN (${folds.join(', ')})` : `(${zone} IN (${g.zones.join(', ')}) AND ${lh} IN (${folds.join(', ')}))`];
  });
  return parts.length ? `(${parts.join(' OR ')})` : 'false';
}

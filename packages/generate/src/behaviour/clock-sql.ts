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

/** SQL: local seconds (since the window's first local midnight) of a Unix-seconds expression. */
export function localSecondsSql(clock: LocalClock, utc: string): string {
  const { initial, changes } = clock.offsetChanges();
  let prev = initial;
  const whens: string[] = [];
  for (const ch of changes) {
    whens.push(`WHEN ${utc} < ${ch.at} THEN ${prev}`);
    prev = ch.offset;
  }
  const off = whens.length ? `(CASE ${whens.join(' ')} ELSE ${prev} END)` : `${prev}`;
  return `((${utc}) - ${clock.epoch} + 60 * ${off})`;
}

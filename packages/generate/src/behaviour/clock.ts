import { quantileBuckets } from './curves.js';
import type { EventWindow } from './window.js';

const DAY_S = 86_400;

/** `fmt.format` of the en-US formatter below: month/day/year, hour:minute:second (24 h). */
const WALL = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;

/**
 * Offset (local − UTC, minutes) in force at a UTC instant (ms): the zone's wall clock then, from
 * `fmt.format` (parsed; ~2.5× faster than formatToParts, the same fields), or formatToParts when the
 * string has another shape.
 */
function offsetAt(fmt: Intl.DateTimeFormat, utcMs: number): number {
  const m = WALL.exec(fmt.format(utcMs));
  let wall: number;
  if (m) wall = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]) % 24, Number(m[5]), Number(m[6]));
  else {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    wall = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  }
  return Math.round((wall - utcMs) / 60_000);
}

/**
 * Local wall time ↔ UTC for one time zone over a span of local days (negative days = history before
 * the window), DST-correct at hour granularity:
 * - a local hour that does not exist (spring forward) has no UTC instant: events drawn there are dropped;
 * - a local hour that happens twice (fall back) has two: `fold` picks the first (daylight) or second copy.
 * Times are seconds: `ls` = local seconds since the window's first local midnight, `utc` = Unix seconds.
 */
export class LocalClock {
  /** Unix seconds of the window's first day at 00:00 UTC (local seconds are counted from the same wall clock). */
  readonly epoch: number;
  /** Per UTC hour since `firstUtcHour`: the zone's offset in minutes. */
  private readonly utcOffsets: Int16Array;
  private readonly firstUtcHour: number;
  /** Per local hour since `firstLocalHour`: offset of its first occurrence, of its second (fold) or GAP. */
  readonly first: Int16Array;
  readonly second: Int16Array;
  readonly firstLocalHour: number;
  static readonly GAP = -32768;

  constructor(
    readonly window: EventWindow,
    readonly fromDay: number,
    readonly toDay: number = window.days + 2,
  ) {
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: window.tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    this.epoch = Date.parse(`${window.startDate}T00:00:00Z`) / 1000;
    // UTC hours covering every local hour of [fromDay, toDay) for offsets within ±15 h.
    this.firstUtcHour = fromDay * 24 - 16;
    const nUtc = (toDay - fromDay) * 24 + 32;
    this.utcOffsets = new Int16Array(nUtc);
    for (let h0 = 0; h0 < nUtc; h0 += 24) {
      const at = (h: number) => offsetAt(fmt, (this.epoch + (this.firstUtcHour + h) * 3600) * 1000);
      const end = Math.min(h0 + 24, nUtc);
      const a = at(h0);
      const b = at(end - 1);
      for (let h = h0; h < end; h++) this.utcOffsets[h] = a === b ? a : at(h);
    }
    this.firstLocalHour = fromDay * 24;
    const nLocal = (toDay - fromDay) * 24;
    this.first = new Int16Array(nLocal).fill(LocalClock.GAP);
    this.second = new Int16Array(nLocal).fill(LocalClock.GAP);
    for (let h = 0; h < nUtc; h++) {
      const off = this.utcOffsets[h];
      if (off % 60 !== 0) {
        // Zones with a fractional-hour offset: the local hour containing this UTC hour's start.
        const lh = Math.floor((this.firstUtcHour + h) + off / 60) - this.firstLocalHour;
        if (lh >= 0 && lh < nLocal && this.first[lh] === LocalClock.GAP) this.first[lh] = off;
        continue;
      }
      const lh = this.firstUtcHour + h + off / 60 - this.firstLocalHour;
      if (lh < 0 || lh >= nLocal) continue;
      if (this.first[lh] === LocalClock.GAP) this.first[lh] = off;
      else if (this.second[lh] === LocalClock.GAP) this.second[lh] = off;
    }
    for (let lh = 0; lh < nLocal; lh++) if (this.second[lh] === LocalClock.GAP) this.second[lh] = this.first[lh];
  }

  /** Offset (minutes) of the local hour index, GAP when it does not exist; `fold` picks the repeated hour's second copy. */
  offsetOfLocalHour(lh: number, fold = false): number {
    const i = lh - this.firstLocalHour;
    if (i < 0 || i >= this.first.length) throw new RangeError(`local hour ${lh} outside the clock (${this.fromDay}…${this.toDay} days)`);
    return fold ? this.second[i] : this.first[i];
  }

  /** Unix seconds of local seconds `ls`, or null in a skipped hour. */
  utcOf(ls: number, fold = false): number | null {
    const off = this.offsetOfLocalHour(Math.floor(ls / 3600), fold);
    return off === LocalClock.GAP ? null : this.epoch + ls - off * 60;
  }

  /** Local seconds of a Unix instant. */
  localOf(utc: number): number {
    const h = Math.floor((utc - this.epoch) / 3600) - this.firstUtcHour;
    const off = this.utcOffsets[Math.max(0, Math.min(this.utcOffsets.length - 1, h))];
    return utc - this.epoch + off * 60;
  }

  /** Local day index of a Unix instant. */
  dayOf(utc: number): number {
    return Math.floor(this.localOf(utc) / DAY_S);
  }

  /** Unix seconds of a local day's midnight (the first instant of that local day). */
  midnight(day: number): number {
    for (let h = 0; h < 24; h++) {
      const u = this.utcOf(day * DAY_S + h * 3600);
      if (u !== null) return u;
    }
    throw new RangeError(`local day ${day} has no hour`);
  }

  /** UTC instants where the offset changes, with the offset from then on; `initial` applies before the first. */
  offsetChanges(): { initial: number; changes: Array<{ at: number; offset: number }> } {
    const changes: Array<{ at: number; offset: number }> = [];
    for (let h = 1; h < this.utcOffsets.length; h++) {
      if (this.utcOffsets[h] !== this.utcOffsets[h - 1]) changes.push({ at: this.epoch + (this.firstUtcHour + h) * 3600, offset: this.utcOffsets[h] });
    }
    return { initial: this.utcOffsets[0], changes };
  }

  /** Local hours that do not exist (spring forward) and that repeat (fall back), as local hour indexes. */
  transitions(): { gaps: number[]; folds: number[] } {
    const gaps: number[] = [];
    const folds: number[] = [];
    for (let i = 0; i < this.first.length; i++) {
      if (this.first[i] === LocalClock.GAP) gaps.push(i + this.firstLocalHour);
      else if (this.second[i] !== this.first[i]) folds.push(i + this.firstLocalHour);
    }
    return { gaps, folds };
  }
}

/**
 * Draws a local time on a given local day from an hour-of-day curve (24 weights), counting the day's
 * real hours: a repeated (fall-back) hour is two hours, each carrying the curve's weight (so each UTC
 * hour of it gets an ordinary hour's volume), a skipped (spring-forward) hour none. `dayMass(day)` is
 * the day's total weight over its real hours relative to an ordinary day (1 + w(fold hour) / Σw on a
 * 25-hour day, 1 − w(gap hour) / Σw on a 23-hour day), for scaling a day's event count.
 */
export class LocalHourSampler {
  private readonly total: number;
  private readonly ordinary: { q: Int32Array; slots: Array<[number, boolean]> };
  private readonly special = new Map<number, { q: Int32Array; slots: Array<[number, boolean]>; mass: number }>();

  constructor(
    private readonly clock: LocalClock,
    private readonly weights: readonly number[],
    private readonly buckets = 1024,
  ) {
    this.total = weights.reduce((s, w) => s + w, 0);
    const slots = weights.map((_, h): [number, boolean] => [h, false]);
    this.ordinary = { q: quantileBuckets(weights, buckets), slots };
    const { gaps, folds } = clock.transitions();
    for (const day of new Set([...gaps, ...folds].map((lh) => Math.floor(lh / 24)))) this.special.set(day, this.dayTable(day));
  }

  private dayTable(day: number): { q: Int32Array; slots: Array<[number, boolean]>; mass: number } {
    const slots: Array<[number, boolean]> = [];
    const w: number[] = [];
    for (let h = 0; h < 24; h++) {
      const lh = day * 24 + h;
      if (this.clock.offsetOfLocalHour(lh) === LocalClock.GAP) continue;
      slots.push([h, false]);
      w.push(this.weights[h]);
      if (this.clock.offsetOfLocalHour(lh, true) !== this.clock.offsetOfLocalHour(lh)) {
        slots.push([h, true]);
        w.push(this.weights[h]);
      }
    }
    return { q: quantileBuckets(w, this.buckets), slots, mass: w.reduce((s, x) => s + x, 0) / this.total };
  }

  /** Weight of local day `day` over its real hours relative to an ordinary day. */
  dayMass(day: number): number {
    return this.special.get(day)?.mass ?? 1;
  }

  /** Unix seconds of a draw on local day `day`: a real hour from the curve (uniform `u`), second `us` of it. */
  utcAt(day: number, u: number, us: number): number {
    const t = this.special.get(day) ?? this.ordinary;
    const [hour, fold] = t.slots[t.q[Math.min(t.q.length - 1, Math.floor(u * t.q.length))]];
    return this.clock.utcOf(day * DAY_S + hour * 3600 + Math.floor(us * 3600), fold) as number;
  }
}

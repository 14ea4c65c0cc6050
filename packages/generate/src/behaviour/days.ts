/**
 * Calendar facts of every day of a timeline as typed arrays (day 0 = `startDate`), so hot loops never
 * build Date objects: year, month (0–11), day of month, ISO weekday (0 = Monday), and month arithmetic.
 */
export class DayTable {
  readonly year: Int16Array;
  readonly month: Int8Array;
  readonly dom: Int8Array;
  readonly weekday: Int8Array;
  private readonly monthFirst = new Map<number, number>();

  constructor(
    readonly startDate: string,
    readonly fromDay: number,
    readonly toDay: number,
  ) {
    const n = toDay - fromDay;
    this.year = new Int16Array(n);
    this.month = new Int8Array(n);
    this.dom = new Int8Array(n);
    this.weekday = new Int8Array(n);
    const start = Date.parse(`${startDate}T00:00:00Z`);
    for (let i = 0; i < n; i++) {
      const d = new Date(start + (fromDay + i) * 86_400_000);
      this.year[i] = d.getUTCFullYear();
      this.month[i] = d.getUTCMonth();
      this.dom[i] = d.getUTCDate();
      this.weekday[i] = (d.getUTCDay() + 6) % 7;
      if (this.dom[i] === 1) this.monthFirst.set(this.year[i] * 12 + this.month[i], fromDay + i);
    }
  }

  private at(day: number): number {
    const i = day - this.fromDay;
    if (i < 0 || i >= this.year.length) throw new RangeError(`day ${day} outside the timeline (${this.fromDay}…${this.toDay})`);
    return i;
  }

  /** The day `k` calendar months after `day`'s month, on day-of-month `dom` clamped to the month's length. */
  addMonths(day: number, k: number, dom: number): number {
    const i = this.at(day);
    const target = this.year[i] * 12 + this.month[i] + k;
    const first = this.monthFirst.get(target);
    const next = this.monthFirst.get(target + 1);
    if (first === undefined || next === undefined) throw new RangeError(`month ${target} outside the timeline`);
    return first + Math.min(dom, next - first) - 1;
  }

  domOf(day: number): number {
    return this.dom[this.at(day)];
  }
}

/**
 * Fail-closed spend guard: a request is only sent once its worst case (input + max output tokens)
 * is reserved under the cap; the reservation is settled with the actual cost when `usage` comes back.
 * Because settled + reserved never exceeds the cap at reservation time and the reservation is the worst
 * case (with a tokenizer margin, see client), total spend cannot overrun the cap however slow or failing
 * the server is.
 */
export class CostGuard {
  private settledUsd = 0;
  private reservedUsd = 0;
  private estimatedUsd = 0;
  private nextId = 1;
  private readonly open = new Map<number, number>();

  constructor(readonly capUsd: number) {}

  /** Reserve `worstUsd`; returns a reservation id, or null when it could overrun the cap. */
  reserve(worstUsd: number): number | null {
    if (!(worstUsd >= 0) || this.settledUsd + this.reservedUsd + worstUsd > this.capUsd + 1e-12) return null;
    const id = this.nextId++;
    this.open.set(id, worstUsd);
    this.reservedUsd += worstUsd;
    this.estimatedUsd += worstUsd;
    return id;
  }

  /**
   * Replace a reservation by what was actually spent (as reported by `usage`; booked truthfully even in
   * the unexpected case that it exceeds the reservation, so later reservations see the real total).
   */
  settle(id: number, actualUsd: number): void {
    const reserved = this.open.get(id);
    if (reserved === undefined) return;
    this.open.delete(id);
    this.reservedUsd -= reserved;
    this.settledUsd += Math.max(0, actualUsd);
  }

  /** Release a reservation for a request that was not billed (HTTP error before generation). */
  release(id: number): void {
    this.settle(id, 0);
  }

  snapshot(): { capUsd: number; reservedUsd: number; estimatedUsd: number; actualUsd: number } {
    return { capUsd: this.capUsd, reservedUsd: this.reservedUsd, estimatedUsd: this.estimatedUsd, actualUsd: this.settledUsd };
  }
}

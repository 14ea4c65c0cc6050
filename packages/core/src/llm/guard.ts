/**
 * Fail-closed spend guard: a request is only sent once its worst case (input + max output tokens)
 * is reserved under the cap. A reservation stays booked at that worst case until a complete numeric
 * `usage` replaces it (`settle`); only a request that provably produced nothing (an HTTP error status,
 * a connection refused) is released. Because settled + reserved never exceeds the cap at reservation
 * time and the reservation is the worst case (with a tokenizer margin, see client), total spend cannot
 * overrun the cap however slow, failing or untruthful the server is — as long as it honours the token
 * limit; a server that does not is stopped by the client.
 *
 * `startUsd` is what earlier processes of the same run already booked (read back from the ledger), so a
 * resumed run continues under the same cap instead of starting again at $0.
 */
export class CostGuard {
  private settledUsd: number;
  private reservedUsd = 0;
  private estimatedUsd = 0;
  private nextId = 1;
  private readonly open = new Map<number, number>();

  constructor(
    readonly capUsd: number,
    readonly startUsd = 0,
  ) {
    this.settledUsd = Math.max(0, Number.isFinite(startUsd) ? startUsd : 0);
  }

  /** Reserve `worstUsd`; returns a reservation id, or null when it could overrun the cap. */
  reserve(worstUsd: number): number | null {
    if (!(worstUsd >= 0) || !Number.isFinite(worstUsd) || this.settledUsd + this.reservedUsd + worstUsd > this.capUsd + 1e-12) return null;
    const id = this.nextId++;
    this.open.set(id, worstUsd);
    this.reservedUsd += worstUsd;
    this.estimatedUsd += worstUsd;
    return id;
  }

  /** The worst case reserved under `id` (0 when unknown). */
  reserved(id: number): number {
    return this.open.get(id) ?? 0;
  }

  /**
   * Replace a reservation by its booked cost. The caller passes the worst case itself whenever the
   * actual cost is not known; a non-finite or negative amount books the worst case (never less).
   * An amount above the reservation is booked truthfully, so later reservations see the real total.
   */
  settle(id: number, actualUsd: number): void {
    const reserved = this.open.get(id);
    if (reserved === undefined) return;
    this.open.delete(id);
    this.reservedUsd -= reserved;
    this.settledUsd += Number.isFinite(actualUsd) && actualUsd >= 0 ? actualUsd : reserved;
  }

  /** Release a reservation for a request that provably produced nothing (HTTP error status, nothing sent). */
  release(id: number): void {
    const reserved = this.open.get(id);
    if (reserved === undefined) return;
    this.open.delete(id);
    this.reservedUsd -= reserved;
  }

  snapshot(): { capUsd: number; reservedUsd: number; estimatedUsd: number; actualUsd: number; resumedUsd: number } {
    return { capUsd: this.capUsd, reservedUsd: this.reservedUsd, estimatedUsd: this.estimatedUsd, actualUsd: this.settledUsd, resumedUsd: this.startUsd };
  }
}

// A hosted room's seats as its process sees them with --redis-url: the seat's signature proves the
// cluster issued it (checked without any round trip), and this ledger makes each one admit once.
// Used nonces are kept until the seat could no longer be valid, then forgotten. Per HELLO with a
// seat, and per room report (which hands Redis the nonces used since the last one).
import type { SeatClaimResult } from '../rooms/pendingSeats.js';
import type { SeatTable } from '../rooms/roomBook.js';

export class SeatLedger implements SeatTable {
  /** nonce → when it may be forgotten (ms, the claim clock). */
  private readonly used = new Map<string, number>();
  private usedSinceReport: string[] = [];
  /** Seats Redis holds for the room and not used, as of the last report, less those used since. */
  private pendingAtReport = 0;

  /** @param rememberMs how long a used nonce is remembered: a seat's lifetime and the margin. */
  constructor(private readonly rememberMs: number) {}

  claim(nonce: string, nowMs: number): SeatClaimResult {
    this.forget(nowMs);
    if (this.used.has(nonce)) return 'used';
    this.used.set(nonce, nowMs + this.rememberMs);
    this.usedSinceReport.push(nonce);
    this.pendingAtReport = Math.max(0, this.pendingAtReport - 1);
    return 'ok';
  }

  /** Seats issued and not used, as far as this process knows. */
  get pending(): number {
    return this.pendingAtReport;
  }

  /** The nonces to hand the next report; they are taken (a failed report puts them back). */
  takeUsed(): string[] {
    const taken = this.usedSinceReport;
    this.usedSinceReport = [];
    return taken;
  }

  putBack(nonces: readonly string[]): void {
    this.usedSinceReport.unshift(...nonces);
  }

  reported(pending: number): void {
    this.pendingAtReport = pending;
  }

  /** Map order is claim order, and every entry is remembered for the same time: expired ones are at the front. */
  private forget(nowMs: number): void {
    for (const [nonce, until] of this.used) {
      if (until > nowMs) break;
      this.used.delete(nonce);
    }
  }
}

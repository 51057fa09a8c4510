// One room's seats issued and not yet used. `issue` runs once per matchmaking call for the room,
// `claim` once per HELLO with a seat, `pending`/`sweep` per occupancy check; time is passed in.
//
//   issue ──► pending ──claim──► claimed (kept until its expiry, so a replay reads 'used')
//                │
//                └──expiry──► gone (claim reads 'expired' until swept, 'unknown' after)
//
// A pending seat holds a place against maxPlayers from issue until it is claimed or expires
// (roomCapacity.ts). Sizes: at most maxPlayers pending (the capacity rule) plus the claimed seats of
// the last seat lifetime, so a sweep is O(maxPlayers), and O(1) until the earliest expiry.

export type SeatClaimResult = 'ok' | 'unknown' | 'used' | 'expired';

export class PendingSeats {
  /** nonce → expiry (ms), not yet claimed. */
  private readonly issued = new Map<string, number>();
  /** nonce → expiry (ms), claimed; remembered until the expiry so a replay is told from a stranger. */
  private readonly claimed = new Map<string, number>();
  /** The earliest expiry held (issued or claimed): a sweep before it has nothing to do, so it is O(1). */
  private nextExpiryMs = Number.POSITIVE_INFINITY;

  /** Record a seat; false (nothing changes) if the nonce is already known here. */
  issue(nonce: string, expiresAtMs: number): boolean {
    if (this.issued.has(nonce) || this.claimed.has(nonce)) return false;
    this.issued.set(nonce, expiresAtMs);
    this.nextExpiryMs = Math.min(this.nextExpiryMs, expiresAtMs);
    return true;
  }

  /** Use a seat: 'ok' exactly once per issued nonce, before its expiry. */
  claim(nonce: string, nowMs: number): SeatClaimResult {
    const expiresAtMs = this.issued.get(nonce);
    if (expiresAtMs === undefined) return this.claimed.has(nonce) ? 'used' : 'unknown';
    this.issued.delete(nonce);
    if (nowMs >= expiresAtMs) return 'expired';
    this.claimed.set(nonce, expiresAtMs);
    return 'ok';
  }

  /** Give back a seat that was issued but will never be handed out (its reply could not be sent). */
  cancel(nonce: string): void {
    this.issued.delete(nonce);
  }

  /** Live unclaimed seats at `nowMs`: the places they hold against maxPlayers. Sweeps first. */
  pending(nowMs: number): number {
    this.sweep(nowMs);
    return this.issued.size;
  }

  /** Forget expired seats, issued or claimed. */
  sweep(nowMs: number): void {
    if (nowMs < this.nextExpiryMs) return;
    let next = Number.POSITIVE_INFINITY;
    for (const table of [this.issued, this.claimed]) {
      for (const [nonce, expiresAtMs] of table) {
        if (nowMs >= expiresAtMs) table.delete(nonce);
        else next = Math.min(next, expiresAtMs);
      }
    }
    this.nextExpiryMs = next;
  }

  /** Entries held (pending + remembered claims), for tests and leak checks. */
  get size(): number {
    return this.issued.size + this.claimed.size;
  }
}

// Seats outstanding per address: a seat holds a place in its room for its whole life (15 s) whether
// it is ever used or not, so without a cap one address could keep rooms "full" and alive with HTTP
// calls alone. Asked and fed once per matchmaking call; time is passed in (epoch ms).
//
// Memory: an address is kept only while one of its seats is unexpired; a full sweep runs whenever the
// table passes SWEEP_AT entries, and after it holds at most the live seats (≤ the process's player
// cap), so the table stays bounded however many addresses call.

/** Seats one address may hold at once (issued and not yet expired, used or not). @default 8 */
export const SEATS_PER_ADDRESS = 8;
/** Table size at which expired entries are swept. @default 10 000 */
const SWEEP_AT = 10_000;

export class SeatQuota {
  /** Address key → expiries (epoch ms) of its seats, oldest first. */
  private readonly held = new Map<string, number[]>();

  constructor(private readonly perAddress = SEATS_PER_ADDRESS) {}

  /** Whether `key` may have one more seat at `nowMs`. An undefined key (loopback, exempt) always may. */
  allows(key: string | undefined, nowMs: number): boolean {
    if (key === undefined || this.perAddress === 0) return true;
    return this.live(key, nowMs) < this.perAddress;
  }

  /** `key` was given a seat that expires at `expiresAtMs`. */
  add(key: string | undefined, expiresAtMs: number, nowMs: number): void {
    if (key === undefined || this.perAddress === 0) return;
    if (this.held.size >= SWEEP_AT) this.sweep(nowMs);
    const expiries = this.held.get(key) ?? [];
    expiries.push(expiresAtMs);
    this.held.set(key, expiries);
  }

  get tracked(): number {
    return this.held.size;
  }

  private live(key: string, nowMs: number): number {
    const expiries = this.held.get(key);
    if (expiries === undefined) return 0;
    while (expiries.length > 0 && expiries[0]! <= nowMs) expiries.shift();
    if (expiries.length === 0) this.held.delete(key);
    return expiries.length;
  }

  private sweep(nowMs: number): void {
    for (const key of [...this.held.keys()]) this.live(key, nowMs);
  }
}

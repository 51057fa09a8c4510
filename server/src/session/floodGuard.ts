// Token bucket per connection, charged once per received frame: a burst after a network stall
// passes, a rate sustained well above the tick rate for about a second empties it. Time is passed in.
// A bucket is four doubles in an array of doubles, so a session keeps it beside its other per-frame
// numbers (session.ts): V8 keeps a double field of an object in a box of its own, one more cache
// miss per frame for each; here they are all in one small block.

/** Where buckets live: a plain array of doubles (always this kind, so the accesses stay monomorphic). */
export type BucketStore = number[];

/** Doubles per bucket: capacity, refill per second, tokens, time of the last charge (ms). */
export const FLOOD_BUCKET_SIZE = 4;
const CAPACITY = 0;
const REFILL_PER_SECOND = 1;
const TOKENS = 2;
const LAST_MS = 3;

/**
 * Fill the bucket at `state[at …]`, full.
 * @param capacity burst allowance in frames (default config: 2 × tick rate)
 * @param refillPerSecond sustained frames per second allowed (default config: 2 × tick rate)
 */
export function fillBucket(
  state: BucketStore,
  at: number,
  capacity: number,
  refillPerSecond: number,
  nowMs: number,
): void {
  state[at + CAPACITY] = capacity;
  state[at + REFILL_PER_SECOND] = refillPerSecond;
  state[at + TOKENS] = capacity;
  state[at + LAST_MS] = nowMs;
}

/** Charge one frame at `nowMs` to the bucket at `state[at …]`; false means the client is flooding. */
export function takeToken(state: BucketStore, at: number, nowMs: number): boolean {
  const elapsed = Math.max(0, nowMs - state[at + LAST_MS]!);
  state[at + LAST_MS] = nowMs;
  const tokens = Math.min(
    state[at + CAPACITY]!,
    state[at + TOKENS]! + (elapsed * state[at + REFILL_PER_SECOND]!) / 1000,
  );
  if (tokens < 1) {
    state[at + TOKENS] = tokens;
    return false;
  }
  state[at + TOKENS] = tokens - 1;
  return true;
}

/** A bucket of its own (a player's chat limit, room/chatRelay.ts). */
export class FloodGuard {
  private readonly state: BucketStore = [0.5, 0.5, 0.5, 0.5];

  /** See fillBucket. */
  constructor(capacity: number, refillPerSecond: number, nowMs: number) {
    fillBucket(this.state, 0, capacity, refillPerSecond, nowMs);
  }

  /** Charge one frame at `nowMs`; false means the client is flooding. */
  take(nowMs: number): boolean {
    return takeToken(this.state, 0, nowMs);
  }
}

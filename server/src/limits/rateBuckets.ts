// Events per key per minute as token buckets: HELLOs per address (transport/addressLimits.ts), POST
// /matchmake calls per address (http/matchmakeRoute.ts), wrong room codes per address
// (rooms/guessLimiter.ts). Runs once per event; time is passed in. Memory is bounded: buckets live in
// two generations of at most half the cap each, the older dropped whole, however many keys come. (A
// Map used as an LRU queue, deleting its oldest key, is not O(1): V8 skips the deleted slots from the
// front on each scan.)

/** Most addresses remembered; past it the least recently seen may be forgotten. @default 10 000 */
export const MAX_TRACKED_CALLERS = 10_000;
/** The rate's window. @default 60 000 ms */
const MINUTE_MS = 60_000;

interface Bucket {
  tokens: number;
  atMs: number;
}

export class RateBuckets {
  private current = new Map<string, Bucket>();
  private previous = new Map<string, Bucket>();
  private currentSinceMs = Number.NEGATIVE_INFINITY;
  private lastCallAtMs = Number.NEGATIVE_INFINITY;

  /** `perMinute`: a burst of this many calls, refilled evenly over a minute; 0 for no limit. */
  constructor(
    private readonly perMinute: number,
    private readonly maxTracked = MAX_TRACKED_CALLERS,
  ) {}

  /** Addresses whose rate is remembered. */
  get tracked(): number {
    return this.current.size + this.previous.size;
  }

  /** Tokens `key` has at `nowMs` (the whole burst for a key not seen), spending none. */
  available(key: string, nowMs: number): number {
    if (this.perMinute === 0) return Number.POSITIVE_INFINITY;
    const bucket = this.current.get(key) ?? this.previous.get(key);
    if (bucket === undefined) return this.perMinute;
    return Math.min(this.perMinute, bucket.tokens + ((nowMs - bucket.atMs) * this.perMinute) / MINUTE_MS);
  }

  /**
   * Spend a token of `key` at `nowMs`: 0 when the call may go ahead, else the ms until a token is
   * back (nothing is spent then, so a client that waits that long gets through).
   */
  take(key: string, nowMs: number): number {
    if (this.perMinute === 0) return 0;
    this.rotate(nowMs);
    const tokens = this.available(key, nowMs);
    const admitted = tokens >= 1;
    this.current.set(key, { tokens: admitted ? tokens - 1 : tokens, atMs: nowMs });
    return admitted ? 0 : Math.ceil(((1 - tokens) * MINUTE_MS) / this.perMinute);
  }

  /**
   * A new generation when `current` holds half the cap or is a minute old. A bucket not seen for a
   * minute has refilled, and a full bucket is the same as none: after a quiet minute both go.
   */
  private rotate(nowMs: number): void {
    if (nowMs - this.lastCallAtMs >= MINUTE_MS) {
      this.current = new Map();
      this.previous = new Map();
      this.currentSinceMs = nowMs;
    } else if (this.current.size >= this.maxTracked / 2 || nowMs - this.currentSinceMs >= MINUTE_MS) {
      this.previous = this.current;
      this.current = new Map();
      this.currentSinceMs = nowMs;
    }
    this.lastCallAtMs = nowMs;
  }
}

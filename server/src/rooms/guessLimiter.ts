// Wrong room-code guesses per address: a token bucket per address key, spent only by a wrong guess
// and asked before every join by code. Time is passed in. Memory is bounded as in addressLimits.ts:
// two generations of at most half the cap each, dropped whole, however many addresses guess.

/** Wrong guesses an address may make at once, refilled at this many per minute. @default 10 */
export const WRONG_CODE_GUESSES_PER_MINUTE = 10;
/** Most addresses remembered. @default 10 000 */
const MAX_TRACKED = 10_000;
const MINUTE_MS = 60_000;

interface Bucket {
  tokens: number;
  atMs: number;
}

export class GuessLimiter {
  private current = new Map<string, Bucket>();
  private previous = new Map<string, Bucket>();
  private currentSinceMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly perMinute = WRONG_CODE_GUESSES_PER_MINUTE,
    private readonly maxTracked = MAX_TRACKED,
  ) {}

  /**
   * Whether `key` may try a code now. Asked before the lookup, so an address out of tokens is refused
   * even when its guess would be right (else a right guess would still be found by brute force).
   * An undefined key (loopback, exempt like the other per-address limits) always may.
   */
  allows(key: string | undefined, nowMs: number): boolean {
    if (key === undefined || this.perMinute === 0) return true;
    return this.tokens(key, nowMs) >= 1;
  }

  /** `key` guessed a code that names no room: spend one token. */
  wrongGuess(key: string | undefined, nowMs: number): void {
    if (key === undefined || this.perMinute === 0) return;
    const tokens = this.tokens(key, nowMs);
    this.rotate(nowMs);
    this.current.set(key, { tokens: Math.max(0, tokens - 1), atMs: nowMs });
  }

  get tracked(): number {
    return this.current.size + this.previous.size;
  }

  private tokens(key: string, nowMs: number): number {
    const bucket = this.current.get(key) ?? this.previous.get(key);
    if (bucket === undefined) return this.perMinute;
    return Math.min(this.perMinute, bucket.tokens + ((nowMs - bucket.atMs) * this.perMinute) / MINUTE_MS);
  }

  private rotate(nowMs: number): void {
    if (this.current.size < this.maxTracked / 2 && nowMs - this.currentSinceMs < MINUTE_MS) return;
    this.previous = this.current;
    this.current = new Map();
    this.currentSinceMs = nowMs;
  }
}

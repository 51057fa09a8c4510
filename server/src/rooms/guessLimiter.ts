// Wrong room-code guesses per address: a token bucket per address key (limits/rateBuckets.ts, memory
// bounded however many addresses guess), spent only by a wrong guess and asked before every join by
// code. Time is passed in.

import { RateBuckets } from '../limits/rateBuckets.js';

/** Wrong guesses an address may make at once, refilled at this many per minute. @default 10 */
export const WRONG_CODE_GUESSES_PER_MINUTE = 10;
/** Most addresses remembered. @default 10 000 */
const MAX_TRACKED = 10_000;

export class GuessLimiter {
  private readonly buckets: RateBuckets;

  constructor(perMinute = WRONG_CODE_GUESSES_PER_MINUTE, maxTracked = MAX_TRACKED) {
    this.buckets = new RateBuckets(perMinute, maxTracked);
  }

  /**
   * Whether `key` may try a code now. Asked before the lookup, so an address out of tokens is refused
   * even when its guess would be right (else a right guess would still be found by brute force).
   * An undefined key (loopback, exempt like the other per-address limits) always may.
   */
  allows(key: string | undefined, nowMs: number): boolean {
    return key === undefined || this.buckets.available(key, nowMs) >= 1;
  }

  /** `key` guessed a code that names no room: spend one token. */
  wrongGuess(key: string | undefined, nowMs: number): void {
    if (key !== undefined) this.buckets.take(key, nowMs);
  }

  get tracked(): number {
    return this.buckets.tracked;
  }
}

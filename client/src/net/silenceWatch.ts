// Notices a link that went silent (blackholed: nothing arrives and nothing closes). heard() runs per
// received frame, check() per timer it arms; time is passed in. One per connection.
import { SILENCE_TIMEOUT_MS } from './reconnectPolicy.js';

export class SilenceWatch {
  private lastHeardMs: number;

  constructor(
    startMs: number,
    readonly timeoutMs = SILENCE_TIMEOUT_MS,
  ) {
    this.lastHeardMs = startMs;
  }

  /** A frame arrived at `nowMs`. */
  heard(nowMs: number): void {
    if (nowMs > this.lastHeardMs) this.lastHeardMs = nowMs;
  }

  /** True once nothing has arrived for timeoutMs or longer. */
  silent(nowMs: number): boolean {
    return nowMs - this.lastHeardMs >= this.timeoutMs;
  }

  /** How long from `nowMs` until silent() would turn true if nothing arrives (0: already). */
  remainingMs(nowMs: number): number {
    return Math.max(0, this.lastHeardMs + this.timeoutMs - nowMs);
  }
}

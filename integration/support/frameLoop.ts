// A client's frame loop for integration tests: a short setInterval that hands performance.now() to
// every registered frame callback, as a game's requestAnimationFrame or a bot's timer would. Tests
// wait for a frame at which a condition holds, never for a fixed time. Runs once per wake-up.
import { withTimeout } from './events.js';

/** Between two wake-ups: the timer's resolution, well under a tick (33 ms) and a 60 fps frame. @default 2 ms */
export const FRAME_INTERVAL_MS = 2;

type FrameCallback = (nowMs: number) => void;

interface FrameWaiter {
  predicate: (nowMs: number) => boolean;
  resolve: (nowMs: number) => void;
}

export class FrameLoop {
  /** performance.now() of the latest frame, NaN before the first. */
  nowMs = Number.NaN;
  /** Frames run so far. */
  frames = 0;
  /** The longest time between two frames, ms: how busy the test process was (reported, not asserted). */
  longestGapMs = 0;
  private readonly callbacks = new Set<FrameCallback>();
  private readonly waiters = new Set<FrameWaiter>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = FRAME_INTERVAL_MS) {}

  /** Run `callback` on every frame from now on; returns a function that removes it. */
  add(callback: FrameCallback): () => void {
    this.callbacks.add(callback);
    this.timer ??= setInterval(() => this.frame(), this.intervalMs);
    return () => this.callbacks.delete(callback);
  }

  /** The first frame (after this call) at which `predicate(nowMs)` holds; resolves with its time. */
  until(predicate: (nowMs: number) => boolean, what: string, timeoutMs: number): Promise<number> {
    let waiter: FrameWaiter | undefined;
    const reached = new Promise<number>((resolve) => {
      waiter = { predicate, resolve };
      this.waiters.add(waiter);
    });
    this.timer ??= setInterval(() => this.frame(), this.intervalMs);
    return withTimeout(reached, timeoutMs, what).finally(() => this.waiters.delete(waiter!));
  }

  /** The first frame at or after client time `atMs`. */
  reach(atMs: number, what: string, timeoutMs = atMs - performance.now() + 5000): Promise<number> {
    return this.until((nowMs) => nowMs >= atMs, what, timeoutMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.callbacks.clear();
  }

  private frame(): void {
    const nowMs = performance.now();
    if (this.frames > 0) this.longestGapMs = Math.max(this.longestGapMs, nowMs - this.nowMs);
    this.nowMs = nowMs;
    this.frames++;
    for (const callback of this.callbacks) callback(nowMs);
    for (const waiter of this.waiters) {
      if (!waiter.predicate(nowMs)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(nowMs);
    }
  }
}

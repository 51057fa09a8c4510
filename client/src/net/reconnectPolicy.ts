// When the shared net client reconnects after a dropped connection, and how long it waits before each
// try (PROTOCOL.md, "Reconnecting"). Pure: time and randomness are passed in. Read once per close and
// once per reconnect attempt.
import { RECONNECT_ALLOWED } from '@tickwire/protocol';

/** The first try waits at most this long after the drop. @default 250 ms */
export const RECONNECT_BASE_MS = 250;
/** No wait between tries is longer than this. @default 5000 ms */
export const RECONNECT_CAP_MS = 5000;
/**
 * No frame from the server for this long and the client closes the socket itself and reconnects: a
 * blackholed link never closes in a browser. Snapshots arrive at least once a second while playing,
 * so 4 s of nothing is a dead link, not a quiet room. @default 4000 ms
 */
export const SILENCE_TIMEOUT_MS = 4000;
/** The code a silence timeout is reported as: like a link that ended without a close frame. */
export const SILENCE_CLOSE_CODE = 1006;

/**
 * Whether a connection that ended with `code` is one to reconnect and resume (RECONNECT_ALLOWED:
 * 1006, 1001, 4009 SLOW_CLIENT, 4019 MOVED). Every other code is final: a refusal, a kick, a leave,
 * 4018 REPLACED (another connection holds the player now) and 4017 (join afresh instead).
 */
export function reconnectAllowed(code: number): boolean {
  return RECONNECT_ALLOWED.has(code);
}

/**
 * The wait before try `attempt` (0 for the first), full jitter: uniform in
 * [0, min(RECONNECT_CAP_MS, RECONNECT_BASE_MS · 2^attempt)). `random` returns [0, 1) like Math.random.
 *
 *   attempt   0      1      2       3       4       5 …
 *   up to   250    500   1000    2000    4000    5000 ms
 */
export function reconnectDelayMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 30)));
  const r = random();
  // A random source outside [0, 1) (a broken fake, NaN) must not make a negative or endless wait.
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(unit * ceiling);
}

/**
 * The tries of one drop: from the drop until the server's grace (WELCOME reconnectGraceMs) has passed.
 * next() gives when to try next, or undefined once a try could no longer find the player kept.
 */
export class ReconnectSchedule {
  /** Tries handed out so far. */
  attempts = 0;
  /** When the grace ends: a try must start before it. */
  readonly deadlineMs: number;

  constructor(
    readonly dropMs: number,
    graceMs: number,
    private readonly random: () => number,
  ) {
    this.deadlineMs = dropMs + Math.max(0, graceMs);
  }

  /** ms since the drop, for "Reconnecting… (Ns)". */
  elapsedMs(nowMs: number): number {
    return Math.max(0, nowMs - this.dropMs);
  }

  /** When to make the next try (an absolute time on the same clock), or undefined: the grace is over. */
  next(nowMs: number): number | undefined {
    if (nowMs >= this.deadlineMs || this.lastTryGiven) return undefined;
    const at = nowMs + reconnectDelayMs(this.attempts, this.random);
    this.attempts++;
    if (at < this.deadlineMs) return at;
    // A wait that would end after the grace still tries once, just before it ends, and only once.
    this.lastTryGiven = true;
    return Math.max(nowMs, this.deadlineMs - 1);
  }

  private lastTryGiven = false;
}

// Sends on fixed due times (start + k × interval) for integration tests that must send at a rate
// (an input flood, a client's normal input stream). Runs once per timer wake-up.

export interface PaceOptions {
  /** Time between two due sends, ms (may be below the timer's 1 ms resolution: late sends catch up). */
  intervalMs: number;
  /** Stop after this long, ms. */
  durationMs: number;
  /** Called once per due send. */
  send: () => void;
  /** Checked before every send: true stops early (e.g. the socket closed). */
  stopWhen?: () => boolean;
}

/**
 * Call `send` once per due time, catching up when the timer wakes late (as a busy client would),
 * never drifting: due times are computed from the start, not accumulated. Resolves with the count sent.
 */
export function sendOnSchedule({ intervalMs, durationMs, send, stopWhen = () => false }: PaceOptions): Promise<number> {
  const startMs = performance.now();
  let sent = 0;
  return new Promise((resolve) => {
    const wake = () => {
      const elapsed = performance.now() - startMs;
      const due = Math.floor(Math.min(elapsed, durationMs) / intervalMs) + 1;
      while (sent < due) {
        if (stopWhen()) break;
        send();
        sent++;
      }
      if (elapsed >= durationMs || stopWhen()) {
        clearInterval(timer);
        resolve(sent);
      }
    };
    const timer = setInterval(wake, Math.max(1, Math.floor(intervalMs)));
    wake();
  });
}

// CPU a process used between two readings, as a fraction of one core (1.5: one and a half cores).
// Read once a second (the dashboard's row for a process outside a cluster); time is passed in.

/**
 * A meter: each call answers the share since the previous reading (0 at the first). A call less than
 * `minIntervalMs` after the last reading answers that reading's share again, so an extra call (a
 * heartbeat sent early) does not measure a few ms of noise.
 */
export function cpuShareMeter(usage: () => NodeJS.CpuUsage, nowMs: () => number, minIntervalMs = 0): () => number {
  let mark: { usedUs: number; atMs: number } | undefined;
  let last = 0;
  return () => {
    const atMs = nowMs();
    if (mark !== undefined && atMs - mark.atMs < minIntervalMs) return last;
    const { user, system } = usage();
    const next = { usedUs: user + system, atMs };
    const share =
      mark === undefined || next.atMs <= mark.atMs ? 0 : (next.usedUs - mark.usedUs) / 1000 / (next.atMs - mark.atMs);
    mark = next;
    last = Math.max(0, share);
    return last;
  };
}

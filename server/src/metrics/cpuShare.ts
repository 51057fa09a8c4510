// CPU a process used between two readings, as a fraction of one core (1.5: one and a half cores).
// Read once a second (the dashboard's row for a process outside a cluster); time is passed in.

/** A meter: each call answers the share since the previous call (0 at the first). */
export function cpuShareMeter(usage: () => NodeJS.CpuUsage, nowMs: () => number): () => number {
  let mark: { usedUs: number; atMs: number } | undefined;
  return () => {
    const { user, system } = usage();
    const next = { usedUs: user + system, atMs: nowMs() };
    const share =
      mark === undefined || next.atMs <= mark.atMs ? 0 : (next.usedUs - mark.usedUs) / 1000 / (next.atMs - mark.atMs);
    mark = next;
    return Math.max(0, share);
  };
}

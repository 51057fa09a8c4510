// When each snapshot still in the history ring was sent: written once per snapshot, read once per
// INPUT (its ackTick gives a round-trip sample). Flat arrays indexed by tick, not a Map: a lookup per
// INPUT is a few array reads, with no hashing and nothing to delete.
export class SendTimes {
  private readonly ticks: Int32Array;
  private readonly times: Float64Array;
  /** The last `snapshots` ticks recorded, oldest at `count % snapshots` once full. */
  private readonly recent: Int32Array;
  private count = 0;

  /**
   * @param snapshots how many snapshots the history ring keeps: a send time is kept as long as its
   *   snapshot is, and an ack of an older one (no baseline any more) gives no sample
   * @param ticksPerSnapshot the most ticks between two snapshots (ceil(tickRate / snapshotRate))
   */
  constructor(
    private readonly snapshots: number,
    ticksPerSnapshot: number,
  ) {
    // The kept snapshots span at most snapshots × ticksPerSnapshot ticks, so their slots never collide.
    const size = snapshots * ticksPerSnapshot;
    this.ticks = new Int32Array(size).fill(-1);
    this.times = new Float64Array(size);
    this.recent = new Int32Array(snapshots);
  }

  /** Snapshot `tick` (each above the last) was sent at `nowMs`. */
  record(tick: number, nowMs: number): void {
    const slot = tick % this.ticks.length;
    this.ticks[slot] = tick;
    this.times[slot] = nowMs;
    this.recent[this.count % this.snapshots] = tick;
    this.count++;
  }

  /** When snapshot `tick` was sent, if it is one of the last `snapshots` recorded; else undefined. */
  sentAt(tick: number): number | undefined {
    if (this.count === 0) return undefined;
    const oldest = this.count < this.snapshots ? this.recent[0]! : this.recent[this.count % this.snapshots]!;
    if (tick < oldest) return undefined;
    const slot = tick % this.ticks.length;
    return this.ticks[slot] === tick ? this.times[slot] : undefined;
  }
}

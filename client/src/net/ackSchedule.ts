// When a connection acknowledges snapshots with ACK (PROTOCOL.md, ACK): asked once per snapshot
// received, from the socket's message handler, and told of every INPUT sent. Acking from the message
// handler, not the frame loop, keeps a hidden browser tab (whose frame loop stops) acknowledging.

/** The longest a client goes without acknowledging while snapshots arrive, ms. @default 250 ms */
export const ACK_INTERVAL_MS = 250;

/**
 * Server ticks in ACK_INTERVAL_MS at `tickRate`, rounded up: a snapshot this much newer than the last
 * ack is acknowledged at once, however little time has passed (7.5 → 8 ticks at 30 Hz).
 */
export function ackIntervalTicks(tickRate: number): number {
  return Math.ceil((tickRate * ACK_INTERVAL_MS) / 1000);
}

export class AckSchedule {
  /** The newest ackTick sent (INPUT or ACK), and when; nothing sent yet: tick 0, never. */
  private sentTick = 0;
  private sentAtMs = Number.NEGATIVE_INFINITY;
  private readonly intervalTicks: number;

  constructor(tickRate: number) {
    this.intervalTicks = ackIntervalTicks(tickRate);
  }

  /** An INPUT or ACK carrying `ackTick` went out at `nowMs`. */
  sent(ackTick: number, nowMs: number): void {
    if (ackTick <= this.sentTick) return;
    this.sentTick = ackTick;
    this.sentAtMs = nowMs;
  }

  /**
   * Whether snapshot `tick`, just applied at `nowMs`, should be acknowledged with an ACK now: it is
   * newer than anything acknowledged, and either nothing newer has gone out for ACK_INTERVAL_MS or
   * it is ACK_INTERVAL_MS of server ticks ahead of the last ack. The second rule matters when
   * snapshots arrive in a burst (a reader catching up after a stall): acking only the first of the
   * burst would leave the last unacknowledged, and the server skips a client whose acks lag, so no
   * later snapshot would come to trigger the ACK. An INPUT carries the newest ack, so a client that
   * sends inputs rarely needs an ACK.
   */
  due(tick: number, nowMs: number): boolean {
    if (tick <= this.sentTick) return false;
    return nowMs - this.sentAtMs >= ACK_INTERVAL_MS || tick - this.sentTick >= this.intervalTicks;
  }
}

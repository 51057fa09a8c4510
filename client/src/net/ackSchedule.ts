// When a connection acknowledges snapshots with ACK (PROTOCOL.md, ACK): asked once per snapshot
// received, from the socket's message handler, and told of every INPUT sent. Acking from the message
// handler, not the frame loop, keeps a hidden browser tab (whose frame loop stops) acknowledging.

/** The longest a client goes without acknowledging while snapshots arrive, ms. @default 250 ms */
export const ACK_INTERVAL_MS = 250;

export class AckSchedule {
  /** The newest ackTick sent (INPUT or ACK), and when; nothing sent yet: tick 0, never. */
  private sentTick = 0;
  private sentAtMs = Number.NEGATIVE_INFINITY;

  /** An INPUT or ACK carrying `ackTick` went out at `nowMs`. */
  sent(ackTick: number, nowMs: number): void {
    if (ackTick <= this.sentTick) return;
    this.sentTick = ackTick;
    this.sentAtMs = nowMs;
  }

  /**
   * Whether snapshot `tick`, just applied at `nowMs`, should be acknowledged with an ACK now: it is
   * newer than anything acknowledged, and nothing newer has gone out for ACK_INTERVAL_MS. An INPUT a
   * tick carries the newest ack, so a client that sends inputs never needs an ACK.
   */
  due(tick: number, nowMs: number): boolean {
    return tick > this.sentTick && nowMs - this.sentAtMs >= ACK_INTERVAL_MS;
  }
}

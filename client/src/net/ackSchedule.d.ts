/** The longest a client goes without acknowledging while snapshots arrive, ms. @default 250 ms */
export declare const ACK_INTERVAL_MS = 250;
/**
 * Server ticks in ACK_INTERVAL_MS at `tickRate`, rounded up: a snapshot this much newer than the last
 * ack is acknowledged at once, however little time has passed (7.5 → 8 ticks at 30 Hz).
 */
export declare function ackIntervalTicks(tickRate: number): number;
export declare class AckSchedule {
  /** The newest ackTick sent (INPUT or ACK), and when; nothing sent yet: tick 0, never. */
  private sentTick;
  private sentAtMs;
  private readonly intervalTicks;
  constructor(tickRate: number);
  /** An INPUT or ACK carrying `ackTick` went out at `nowMs`. */
  sent(ackTick: number, nowMs: number): void;
  /**
   * Whether snapshot `tick`, just applied at `nowMs`, should be acknowledged with an ACK now: it is
   * newer than anything acknowledged, and either nothing newer has gone out for ACK_INTERVAL_MS or
   * it is ACK_INTERVAL_MS of server ticks ahead of the last ack. The second rule matters when
   * snapshots arrive in a burst (a reader catching up after a stall): acking only the first of the
   * burst would leave the last unacknowledged, and the server skips a client whose acks lag, so no
   * later snapshot would come to trigger the ACK. An INPUT carries the newest ack, so a client that
   * sends inputs rarely needs an ACK.
   */
  due(tick: number, nowMs: number): boolean;
}

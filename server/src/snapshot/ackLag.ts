// How far a client's acknowledgements may lag the snapshots sent to it before the server treats it
// as not applying them (skips its snapshots; SLOW_CLIENT after --backpressure-timeout-ms). Read once
// per room when it is created; the check itself is one subtraction per client per snapshot tick.

/**
 * Slack for a healthy client's acks still on their way: its ACK cadence (at most 250 ms apart while
 * snapshots arrive), a round trip, and a stall of its main thread. @default 1000 ms
 */
export const ACK_ROUND_TRIP_ALLOWANCE_MS = 1000;

/**
 * The most ticks a client's newest ack may lag the newest snapshot sent to it. The history ring holds
 * snapshotRate + 1 states, which span tickRate ticks (one second) whatever the snapshot rate: a
 * client that has acknowledged nothing still in it has applied nothing the server remembers. On top
 * of that, the allowance above. 60 ticks (2 s) at the default 30 Hz.
 */
export function ackLagLimitTicks(tickRate: number): number {
  return tickRate + Math.ceil((ACK_ROUND_TRIP_ALLOWANCE_MS * tickRate) / 1000);
}

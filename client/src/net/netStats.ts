// Per-second traffic rates for the net graph: fed the connection's cumulative counters once per
// frame, it reports the bytes and messages of the last full second. Time is passed in.
import type { ConnectionStats } from './connection.js';

export interface TrafficRates {
  bytesInPerSecond: number;
  bytesOutPerSecond: number;
  messagesInPerSecond: number;
  snapshotsPerSecond: number;
  /** SNAPSHOT bytes only: what the server's byte budget (WELCOME budgetBytesPerSecond) limits. */
  snapshotBytesPerSecond: number;
}

export class NetStats {
  rates: TrafficRates = {
    bytesInPerSecond: 0,
    bytesOutPerSecond: 0,
    messagesInPerSecond: 0,
    snapshotsPerSecond: 0,
    snapshotBytesPerSecond: 0,
  };
  private windowStartMs: number | undefined;
  private start: ConnectionStats | undefined;

  /** Once per frame; the rates change once a second. */
  update(nowMs: number, stats: ConnectionStats): void {
    if (this.windowStartMs === undefined || this.start === undefined) {
      this.windowStartMs = nowMs;
      this.start = { ...stats };
      return;
    }
    const elapsed = nowMs - this.windowStartMs;
    if (elapsed < 1000) return;
    const perSecond = (now: number, then: number) => ((now - then) * 1000) / elapsed;
    this.rates = {
      bytesInPerSecond: perSecond(stats.bytesReceived, this.start.bytesReceived),
      bytesOutPerSecond: perSecond(stats.bytesSent, this.start.bytesSent),
      messagesInPerSecond: perSecond(stats.messagesReceived, this.start.messagesReceived),
      snapshotsPerSecond: perSecond(stats.snapshotsApplied, this.start.snapshotsApplied),
      snapshotBytesPerSecond: perSecond(stats.snapshotBytesReceived, this.start.snapshotBytesReceived),
    };
    this.windowStartMs = nowMs;
    this.start = { ...stats };
  }
}

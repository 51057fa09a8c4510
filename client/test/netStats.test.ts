// NetStats: rates over each full second of counters (snapshot bytes apart, for the budget), driven by a fake clock.
import { describe, expect, it } from 'vitest';
import { NetStats } from '../src/net/netStats.js';

const counters = (bytes: number, messages: number) => ({
  bytesReceived: bytes,
  messagesReceived: messages,
  bytesSent: bytes / 10,
  messagesSent: messages,
  snapshotBytesReceived: bytes - 10 * messages,
  snapshotsApplied: messages,
  fullSnapshots: 1,
});

describe('NetStats', () => {
  it('reports the bytes and messages of the last full second, and nothing before it', () => {
    const stats = new NetStats();
    stats.update(0, counters(0, 0));
    stats.update(500, counters(900, 15));
    expect(stats.rates.bytesInPerSecond).toBe(0);
    stats.update(1000, counters(1800, 30));
    expect(stats.rates).toEqual({
      bytesInPerSecond: 1800,
      bytesOutPerSecond: 180,
      messagesInPerSecond: 30,
      snapshotsPerSecond: 30,
      snapshotBytesPerSecond: 1500,
    });
    stats.update(2500, counters(4800, 75));
    expect(stats.rates.bytesInPerSecond).toBe(2000);
  });
});

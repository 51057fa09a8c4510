// The snapshot counters' entityBytesSent: of every SNAPSHOT frame sent, exactly the bytes of its
// created, changed and removed arrays (headers included), with and without a view radius. Per test.
import {
  encodeSnapshotMessage,
  newSnapshotHeaderState,
  ServerMessageId,
  type SnapshotMessage,
} from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { Position } from '../src/sim/components.js';
import { makeRoom } from './support/fakeRoom.js';

/**
 * The entities' bytes of one frame, measured apart from the server: the frame re-encoded by the
 * protocol's reference encoder, less the same frame with the three arrays empty (one byte each).
 */
function entityBytesOf(message: SnapshotMessage): number {
  const whole = encodeSnapshotMessage(message, newSnapshotHeaderState()).byteLength;
  const empty = { ...message, created: [], changed: [], removed: [] };
  return whole - encodeSnapshotMessage(empty, newSnapshotHeaderState()).byteLength + 3;
}

describe('entityBytesSent', () => {
  for (const viewRadius of [undefined, 300]) {
    it(`counts the created, changed and removed arrays of every frame sent (view radius ${viewRadius ?? 'none'})`, () => {
      const t = makeRoom({ viewRadius, tickRate: 30, snapshotRate: 30 });
      const clients = ['ann', 'bob', 'cy', 'dee'].map((name) => t.connect(name));
      t.ticks(1);
      clients.forEach(({ session }, i) => {
        const position = t.room.game.players.get(session.playerId)!.getMutableComponent(Position)!;
        position.x = (100 + 250 * i) * 16;
        position.y = 100 * 16;
      });
      // Everyone walks: east, then back west, so players enter and leave each other's views.
      for (let i = 1; i <= 90; i++) {
        for (const { session } of clients) t.input(session, i, i <= 45 ? 1 : -1, 0, t.room.tick);
        t.ticks(1);
      }
      let expected = 0;
      let sent = 0;
      for (const { socket } of clients) {
        for (const message of socket.received) {
          if (message.id !== ServerMessageId.SNAPSHOT) continue;
          expected += entityBytesOf(message);
          sent += encodeSnapshotMessage(message, newSnapshotHeaderState()).byteLength;
        }
      }
      const counters = t.room.snapshots.counters;
      expect(counters.entityBytesSent).toBe(expected);
      // Never the whole frame: the header, baseAge and the event lists are not entities.
      expect(counters.entityBytesSent).toBeGreaterThan(0);
      expect(counters.entityBytesSent).toBeLessThan(sent);
    });
  }
});

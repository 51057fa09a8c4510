// The room's tick clock as pongs carry it (PROTOCOL.md "The tick clock"): never before the tick being
// run, even when the room scheduler runs a tick up to 1 ms before it is due (DEFAULT_EARLY_MS).
import { ClientMessageId, encodeClientMessage, PROTOCOL_VERSION, ServerMessageId } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { Room } from '../src/room/room.js';
import { FakeSocket } from './support/fakeRoom.js';

describe('the tick clock of pongs', () => {
  it("reads at least the snapshot's tick when that tick ran before it was due", () => {
    const config = { ...defaultConfig(), scenario: 'arena' as const };
    const periodMs = 1000 / config.tickRate;
    let now = 0;
    const room = new Room(config, silentLogger, () => now);
    const socket = new FakeSocket();
    const session = room.open(socket, now);
    const hello = { id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name: 'p', seat: '' } as const;
    room.receive(session, encodeClientMessage(hello), true, now);
    for (let tick = 1; tick <= 3; tick++) {
      now = tick * periodMs;
      room.runTick(tick, now, now);
    }
    room.receive(session, encodeClientMessage({ id: ClientMessageId.PING, pingId: 1, clientTimeMs: 5 }), true, now);
    // Tick 4 runs half a millisecond before it is due, as the scheduler may.
    const dueMs = 4 * periodMs;
    now = dueMs - 0.5;
    room.runTick(4, now, dueMs);
    const snapshot = socket.received.filter((m) => m.id === ServerMessageId.SNAPSHOT).at(-1)!;
    expect(snapshot.tick).toBe(4);
    expect(snapshot.pong).toHaveLength(1);
    const [pong] = snapshot.pong;
    expect(pong!.serverSendTick).toBeGreaterThanOrEqual(snapshot.tick);
    expect(pong!.serverSendTick).toBeGreaterThanOrEqual(pong!.serverReceiveTick);
  });
});

// The room's tick clock as pongs carry it (PROTOCOL.md "The tick clock"), in a room whose scheduler may
// run a tick up to 1 ms before it is due (DEFAULT_EARLY_MS): it never reads before the tick being run,
// and it stays one straight line across an early tick, so a round trip measured across it is never negative.
import { ClientMessageId, encodeClientMessage, PROTOCOL_VERSION, ServerMessageId } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { Room } from '../src/room/room.js';
import { FakeSocket } from './support/fakeRoom.js';

const EARLY_MS = 1;

function room() {
  const config = { ...defaultConfig(), scenario: 'arena' as const, tickClockLeadMs: EARLY_MS };
  const periodMs = 1000 / config.tickRate;
  const clock = { now: 0 };
  const instance = new Room(config, silentLogger, () => clock.now);
  const socket = new FakeSocket();
  const session = instance.open(socket, 0);
  const hello = { id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name: 'p', seat: '' } as const;
  instance.receive(session, encodeClientMessage(hello), true, 0);
  for (let tick = 1; tick <= 3; tick++) {
    clock.now = tick * periodMs;
    instance.runTick(tick, clock.now, clock.now);
  }
  return { room: instance, socket, session, clock, periodMs };
}

describe('the tick clock of pongs', () => {
  it("reads at least the snapshot's tick when that tick ran before it was due", () => {
    const { room: r, socket, session, clock, periodMs } = room();
    r.receive(session, encodeClientMessage({ id: ClientMessageId.PING, pingId: 1, clientTimeMs: 5 }), true, clock.now);
    const dueMs = 4 * periodMs;
    clock.now = dueMs - EARLY_MS;
    r.runTick(4, clock.now, dueMs);
    const snapshot = socket.received.filter((m) => m.id === ServerMessageId.SNAPSHOT).at(-1)!;
    expect(snapshot.tick).toBe(4);
    const [pong] = snapshot.pong;
    expect(pong!.serverSendTick).toBeGreaterThanOrEqual(snapshot.tick);
  });

  it('reads the same just before and just after a tick that ran early, and advances at one tick per period', () => {
    const { room: r, clock, periodMs } = room();
    const dueMs = 4 * periodMs;
    const earlyAt = dueMs - 0.4;
    const before = r.tickTimeAt(earlyAt);
    r.runTick(4, earlyAt, dueMs);
    expect(r.tickTimeAt(earlyAt)).toBeCloseTo(before, 9);
    clock.now = earlyAt;
    expect(r.tickTimeAt(earlyAt + periodMs) - r.tickTimeAt(earlyAt)).toBeCloseTo(1, 9);
  });
});

// A room whose join or tick throws keeps its tables in step: sessions, players, ids and the
// combat context's players agree afterwards, and only that room's players are closed.
import { ClientMessageId, CloseCode, encodeClientMessage, NORMAL_CLOSURE, PROTOCOL_VERSION } from '@tickwire/protocol';
import { System } from 'ecsy';
import { describe, expect, it } from 'vitest';
import { makeRoom } from './support/fakeRoom.js';

describe('a join that throws', () => {
  it('leaves no trace of the player, so the next join takes the same id', () => {
    const t = makeRoom();
    const first = t.connect('first');
    t.ticks(1);
    const spawn = t.room.scenario.nextSpawn;
    t.room.scenario.nextSpawn = () => {
      throw new Error('injected fault');
    };
    const failing = t.openOnly();
    expect(() => t.send(failing.session, helloFrame('failing'))).toThrow('injected fault');
    // What the transport's guard does next (wsTransport.ts failConnection): close, then leave.
    failing.session.close(CloseCode.INTERNAL_ERROR, 'internal server error');
    t.room.disconnected(failing.session, NORMAL_CLOSURE);
    t.room.scenario.nextSpawn = spawn;
    expect(t.room.playerCount).toBe(1);
    expect(t.room.game.players.size).toBe(1);
    expect(t.room.sessionCount).toBe(1);
    const next = t.connect('next');
    expect(next.session.playerId).toBe(2);
    t.ticks(1);
    expect(next.socket.lastSnapshot().players.map((p) => p.id)).toEqual([first.session.playerId, 2]);
  });
});

describe('a tick that throws', () => {
  it('fails the room: every player closed with 1011 and out of every table, HELLO refused after', () => {
    const t = makeRoom();
    const a = t.connect('a');
    const b = t.connect('b');
    t.ticks(2);
    class ThrowingSystem extends System {
      execute(): void {
        throw new Error('injected fault');
      }
    }
    t.room.world.registerSystem(ThrowingSystem);
    expect(() => t.ticks(1)).toThrow('injected fault');
    t.room.fail();
    expect(a.socket.closed?.code).toBe(CloseCode.INTERNAL_ERROR);
    expect(b.socket.closed?.code).toBe(CloseCode.INTERNAL_ERROR);
    expect(t.room.failed).toBe(true);
    expect(t.room.playerCount).toBe(0);
    expect(t.room.sessionCount).toBe(0);
    expect(t.room.game.players.size).toBe(0);
    expect(t.room.counters.closes[CloseCode.INTERNAL_ERROR]).toBe(2);
    const late = t.connect('late');
    expect(late.socket.closed?.code).toBe(CloseCode.INTERNAL_ERROR);
  });

  it('changes nothing in another room', () => {
    const broken = makeRoom();
    const healthy = makeRoom();
    broken.connect('x');
    const player = healthy.connect('y');
    class ThrowingSystem extends System {
      execute(): void {
        throw new Error('injected fault');
      }
    }
    broken.room.world.registerSystem(ThrowingSystem);
    expect(() => broken.ticks(1)).toThrow();
    broken.room.fail();
    healthy.ticks(3);
    expect(player.socket.closed).toBeUndefined();
    expect(player.socket.snapshots().length).toBe(3);
  });
});

function helloFrame(name: string): Uint8Array {
  return encodeClientMessage({ id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name, seat: '' });
}

describe('a session sweep that throws for one connection', () => {
  it('closes that connection with 1011, reports it, and expires the others', () => {
    const t = makeRoom({ handshakeTimeoutMs: 1000 });
    const broken = t.openOnly();
    const silent = t.openOnly();
    Object.defineProperty(broken.session, 'openedAtMs', {
      get() {
        throw new Error('injected fault');
      },
    });
    const faults: number[] = [];
    t.room.expireSessions(5000, (_error, session) => faults.push(session.connectionId));
    expect(faults).toEqual([broken.session.connectionId]);
    expect(broken.socket.closed?.code).toBe(CloseCode.INTERNAL_ERROR);
    expect(silent.socket.closed?.code).toBe(CloseCode.HANDSHAKE_TIMEOUT);
    expect(t.room.sessionCount).toBe(0);
  });
});

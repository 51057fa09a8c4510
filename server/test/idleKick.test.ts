// The idle kick: a player who sends no non-idle INPUT (movement or a button) for --idle-kick-ms
// is closed with 4011 IDLE_KICK; movement or a button resets the clock; 0 turns it off.
import { ClientMessageId, CloseCode, encodeClientMessage } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { makeRoom } from './support/fakeRoom.js';

const IDLE_KICK_MS = 10_000;

describe('idle kick', () => {
  it('removes a player who only sends idle inputs once the idle time has passed', () => {
    const t = makeRoom({ idleKickMs: IDLE_KICK_MS });
    const idle = t.connect('idle');
    const joinedAt = t.now;
    for (let seq = 1; seq <= 5; seq++) t.input(idle.session, seq, 0, 0);
    t.room.expireSessions(joinedAt + IDLE_KICK_MS);
    expect(idle.socket.closed).toBeUndefined();
    t.room.expireSessions(joinedAt + IDLE_KICK_MS + 1);
    expect(idle.socket.closed?.code).toBe(CloseCode.IDLE_KICK);
    expect(t.room.playerCount).toBe(0);
  });

  it('counts movement and buttons as activity, and restarts the idle time from them', () => {
    const t = makeRoom({ idleKickMs: IDLE_KICK_MS });
    const mover = t.connect('mover');
    const shooter = t.connect('shooter');
    t.now = 8_000;
    t.input(mover.session, 1, 1, 0);
    t.input(shooter.session, 1, 0, 0, 0, { buttons: 1 });
    t.room.expireSessions(8_000 + IDLE_KICK_MS);
    expect(mover.socket.closed).toBeUndefined();
    expect(shooter.socket.closed).toBeUndefined();
    t.room.expireSessions(8_000 + IDLE_KICK_MS + 1);
    expect(mover.socket.closed?.code).toBe(CloseCode.IDLE_KICK);
    expect(shooter.socket.closed?.code).toBe(CloseCode.IDLE_KICK);
  });

  it('does not count chat or pings as activity', () => {
    const t = makeRoom({ idleKickMs: IDLE_KICK_MS });
    const talker = t.connect('talker');
    t.now = 9_000;
    t.send(talker.session, chatFrame('still here'));
    t.room.expireSessions(IDLE_KICK_MS + 1);
    expect(talker.socket.closed?.code).toBe(CloseCode.IDLE_KICK);
  });

  it('never kicks with --idle-kick-ms 0', () => {
    const t = makeRoom({ idleKickMs: 0 });
    const idle = t.connect('idle');
    t.room.expireSessions(1e9);
    expect(idle.socket.closed).toBeUndefined();
  });
});

function chatFrame(text: string): Uint8Array {
  return encodeClientMessage({ id: ClientMessageId.CHAT, text });
}

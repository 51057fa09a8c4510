// Resume after a dropped connection, on a room driven by a fake clock (its ticks, its sweep, the
// tokens' epoch clock): the grace (away → resumed, away → removed), the token rules (once, expired,
// wrong room, wrong player, forged), the takeover of a live old socket, and what away means for the
// game (standing still, not hit, no fire, no idle kick). Named after the states of session.ts.
import {
  ABNORMAL_CLOSURE,
  Button,
  ClientMessageId,
  CloseCode,
  encodeClientMessage,
  NORMAL_CLOSURE,
  PROTOCOL_VERSION,
  ServerMessageId,
  type WelcomeMessage,
} from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { consentedLeave } from '../src/room/membership.js';
import { RESUME_TOKEN_LIFETIME_MS, resumeTokens } from '../src/room/resumeTokens.js';
import { Room } from '../src/room/room.js';
import { newSeatNonce, signSeat } from '../src/rooms/seat.js';
import type { Session } from '../src/session/session.js';
import { Health, Position, Score } from '../src/sim/components.js';
import { FakeSocket } from './support/fakeRoom.js';

const SECRET = new Uint8Array(32).fill(7);
const GRACE_MS = 5000;
const EPOCH_START = 1_700_000_000_000;

/** A room with resume tokens, its tick clock and the tokens' wall clock both driven by the test. */
function resumableRoom(options: { graceMs?: number; idleKickMs?: number; roomId?: string } = {}) {
  const config = {
    ...defaultConfig(),
    scenario: 'arena' as const,
    reconnectGraceMs: options.graceMs ?? GRACE_MS,
    idleKickMs: options.idleKickMs ?? 0,
  };
  let now = 1000;
  let epoch = EPOCH_START;
  let tick = 0;
  const tokens = resumeTokens({ secret: SECRET, roomId: options.roomId ?? 'room1', epochNow: () => epoch });
  const room = new Room(config, silentLogger, () => now, { resumeTokens: tokens });
  const hello = (socket: FakeSocket, fields: { name?: string; resumeToken?: string }) => {
    const session = room.open(socket, now);
    room.receive(
      session,
      encodeClientMessage({
        id: ClientMessageId.HELLO,
        protocolVersion: PROTOCOL_VERSION,
        name: fields.name ?? 'p',
        seat: '',
        resumeToken: fields.resumeToken ?? '',
      }),
      true,
      now,
    );
    return session;
  };
  const t = {
    room,
    tokens,
    ticks(n: number) {
      for (let i = 0; i < n; i++) {
        tick++;
        now += 1000 / config.tickRate;
        room.runTick(tick, now);
      }
    },
    /** Move the clock on without a tick (the sweep is what notices). */
    wait(ms: number) {
      now += ms;
      epoch += ms;
    },
    sweep() {
      room.expireSessions(now);
    },
    connect(name = 'p') {
      const socket = new FakeSocket();
      return { socket, session: hello(socket, { name }) };
    },
    resume(token: string) {
      const socket = new FakeSocket();
      return { socket, session: hello(socket, { name: 'ignored', resumeToken: token }) };
    },
    /** The connection ends without a close frame (a reset, the network gone). */
    drop(session: Session) {
      room.disconnected(session, ABNORMAL_CLOSURE);
    },
    input(session: Session, seq: number, moveX: number, buttons = 0) {
      room.receive(
        session,
        encodeClientMessage({
          id: ClientMessageId.INPUT,
          seq,
          ackTick: 0,
          tick: 0,
          moveX,
          moveY: 0,
          buttons,
          aimAngle: 0,
          viewTick: 0,
        }),
        true,
        now,
      );
    },
    entity(playerId: number) {
      return room.game.players.get(playerId)!;
    },
    get now() {
      return now;
    },
    set epoch(value: number) {
      epoch = value;
    },
  };
  return t;
}

function welcomeOf(socket: FakeSocket): WelcomeMessage {
  const welcomes = socket.received.filter((m): m is WelcomeMessage => m.id === ServerMessageId.WELCOME);
  expect(welcomes).toHaveLength(1);
  return welcomes[0]!;
}

/** Player `id` as `socket` last saw it in a snapshot. */
function seen(socket: FakeSocket, id: number) {
  return socket.lastSnapshot().players.find((p) => p.id === id);
}

describe('consented leave or drop', () => {
  it.each([
    [undefined, NORMAL_CLOSURE, true],
    [undefined, ABNORMAL_CLOSURE, false],
    [undefined, 1001, false], // a browser's page reload: it must resume
    [undefined, 1005, false],
    [CloseCode.SLOW_CLIENT, ABNORMAL_CLOSURE, false],
    [CloseCode.IDLE_KICK, ABNORMAL_CLOSURE, true],
    [CloseCode.INPUT_FLOOD, NORMAL_CLOSURE, true],
    [CloseCode.INTERNAL_ERROR, ABNORMAL_CLOSURE, true],
  ])('server code %s, peer code %s → consented %s', (serverCode, peerCode, consented) => {
    expect(consentedLeave(serverCode, peerCode)).toBe(consented);
  });
});

describe('WELCOME', () => {
  it('carries a resume token and the grace; a room without tokens keeps nobody and says 0', () => {
    const t = resumableRoom();
    const welcome = welcomeOf(t.connect('ann').socket);
    expect(welcome.reconnectGraceMs).toBe(GRACE_MS);
    expect(t.tokens.check(welcome.resumeToken)).toMatchObject({ ok: true, playerId: welcome.playerId });
    const plain = new Room({ ...defaultConfig(), scenario: 'arena', reconnectGraceMs: GRACE_MS }, silentLogger);
    const socket = new FakeSocket();
    const session = plain.open(socket, 0);
    plain.receive(
      session,
      encodeClientMessage({ id: ClientMessageId.HELLO, protocolVersion: PROTOCOL_VERSION, name: 'a', seat: '' }),
      true,
      0,
    );
    expect(welcomeOf(socket)).toMatchObject({ resumeToken: '', reconnectGraceMs: 0 });
  });
});

describe('playing → away (a drop within a room with a grace)', () => {
  it('keeps the player in the world, standing still, listed as reconnecting, counted as a player', () => {
    const t = resumableRoom();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    t.input(ann.session, 1, 1);
    t.ticks(2);
    expect(seen(bob.socket, 1)!.vx).not.toBe(0);
    t.drop(ann.session);
    t.ticks(1);
    const stopped = seen(bob.socket, 1)!;
    expect(stopped.vx).toBe(0);
    t.ticks(10);
    expect(seen(bob.socket, 1)).toMatchObject({ x: stopped.x, y: stopped.y, vx: 0, vy: 0 });
    expect(bob.socket.roster.list().find((p) => p.id === 1)).toMatchObject({ name: 'ann', reconnecting: 1 });
    expect(t.room.playerCount).toBe(2);
    expect(t.room.awayCount).toBe(1);
    expect(ann.socket.closed).toBeUndefined();
  });

  it('neither fires (its held button is not repeated) nor is hit', () => {
    const t = resumableRoom();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    t.ticks(1);
    // ann at (100, 100) aiming east at bob at (300, 100).
    const place = (id: number, x: number) => {
      const position = t.entity(id).getMutableComponent(Position)!;
      position.x = x * 16;
      position.y = 100 * 16;
    };
    place(1, 100);
    place(2, 300);
    t.input(ann.session, 1, 0, Button.PRIMARY);
    t.ticks(1);
    expect(t.entity(2).getComponent(Health)!.hp).toBeLessThan(100);
    // bob drops: ann's shots pass through where it stands.
    const hpBefore = t.entity(2).getComponent(Health)!.hp;
    t.drop(bob.session);
    for (let seq = 2; seq <= 40; seq++) {
      t.input(ann.session, seq, 0, Button.PRIMARY);
      t.ticks(1);
    }
    expect(t.entity(2).getComponent(Health)!.hp).toBe(hpBefore);
    // ann drops holding the button: no shot of hers follows.
    t.drop(ann.session);
    const watcher = t.connect('carl');
    t.ticks(40);
    expect(watcher.socket.snapshots().flatMap((s) => s.shots.filter((shot) => shot.shooterId === 1))).toEqual([]);
  });

  it('is not kicked for being idle while away', () => {
    const t = resumableRoom({ idleKickMs: 1000, graceMs: 60_000 });
    const ann = t.connect('ann');
    t.drop(ann.session);
    t.wait(5000);
    t.sweep();
    expect(t.room.playerCount).toBe(1);
  });

  it('a consented close (1000) removes the player at once, as does any drop with a grace of 0', () => {
    const t = resumableRoom();
    const ann = t.connect('ann');
    t.room.disconnected(ann.session, NORMAL_CLOSURE);
    expect(t.room.playerCount).toBe(0);
    const none = resumableRoom({ graceMs: 0 });
    const bob = none.connect('bob');
    expect(welcomeOf(bob.socket)).toMatchObject({ resumeToken: '', reconnectGraceMs: 0 });
    none.drop(bob.session);
    expect(none.room.playerCount).toBe(0);
  });
});

describe('away → closed (the grace runs out on the room clock)', () => {
  it('removes the player at the first sweep at or after the grace, and the others are told it left', () => {
    const t = resumableRoom();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    t.ticks(1);
    t.drop(ann.session);
    t.wait(GRACE_MS - 1);
    t.sweep();
    expect(t.room.playerCount).toBe(2);
    t.wait(1);
    t.sweep();
    expect(t.room.playerCount).toBe(1);
    expect(t.room.awayCount).toBe(0);
    t.ticks(1);
    expect(bob.socket.roster.list().map((p) => p.id)).toEqual([2]);
    expect(seen(bob.socket, 1)).toBeUndefined();
  });

  it('a token arriving after the grace, before the sweep ran, gets 4017 SESSION_EXPIRED and the player is gone', () => {
    const t = resumableRoom();
    const ann = t.connect('ann');
    const token = welcomeOf(ann.socket).resumeToken;
    t.drop(ann.session);
    t.wait(GRACE_MS);
    const late = t.resume(token);
    expect(late.socket.closed?.code).toBe(CloseCode.SESSION_EXPIRED);
    expect(t.room.playerCount).toBe(0);
  });
});

describe('away → playing (a resume within the grace)', () => {
  it('gives back the same id, name, score, health and position, then a full snapshot on a fresh connection', () => {
    const t = resumableRoom();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    for (let seq = 1; seq <= 20; seq++) {
      t.input(ann.session, seq, 1);
      t.ticks(1);
    }
    Object.assign(t.entity(1).getMutableComponent(Score)!, { kills: 3, deaths: 2 });
    t.entity(1).getMutableComponent(Health)!.hp = 42;
    const first = welcomeOf(ann.socket);
    t.drop(ann.session);
    t.ticks(3); // 100 ms of the grace
    const before = seen(bob.socket, 1)!;
    t.wait(GRACE_MS - 101);
    const back = t.resume(first.resumeToken);
    const welcome = welcomeOf(back.socket);
    expect(welcome.playerId).toBe(1);
    expect(welcome.resumeToken).not.toBe(first.resumeToken);
    expect(welcome.reconnectGraceMs).toBe(GRACE_MS);
    expect(back.socket.closed).toBeUndefined();
    expect(t.room.playerCount).toBe(2);
    expect(t.room.awayCount).toBe(0);
    t.ticks(1);
    const full = back.socket.lastSnapshot();
    expect(full.baseAge).toBe(0);
    expect(full.lastInputSeq).toBe(0);
    expect(seen(back.socket, 1)).toMatchObject({ x: before.x, y: before.y, hp: 42 });
    expect(back.socket.roster.list().find((p) => p.id === 1)).toEqual({
      id: 1,
      name: 'ann',
      kills: 3,
      deaths: 2,
      reconnecting: 0,
    });
    expect(bob.socket.roster.list().find((p) => p.id === 1)).toMatchObject({ reconnecting: 0 });
    // Its inputs count from 1 again, and move it.
    t.input(back.session, 1, 1);
    t.ticks(1);
    expect(back.socket.lastSnapshot().lastInputSeq).toBe(1);
    expect(seen(bob.socket, 1)!.x).toBeGreaterThan(before.x);
  });
});

describe('the token rules', () => {
  it('accepts a token once: the same token again gets 4020 RESUME_REFUSED', () => {
    const t = resumableRoom();
    const ann = t.connect('ann');
    const token = welcomeOf(ann.socket).resumeToken;
    t.drop(ann.session);
    const back = t.resume(token);
    expect(back.socket.closed).toBeUndefined();
    t.drop(back.session);
    expect(t.resume(token).socket.closed?.code).toBe(CloseCode.RESUME_REFUSED);
    expect(t.room.awayCount).toBe(1);
  });

  it('refuses a token past its expiry with 4017 SESSION_EXPIRED', () => {
    const t = resumableRoom({ graceMs: 600_000 });
    const ann = t.connect('ann');
    const token = welcomeOf(ann.socket).resumeToken;
    t.drop(ann.session);
    t.epoch = EPOCH_START + RESUME_TOKEN_LIFETIME_MS;
    expect(t.resume(token).socket.closed?.code).toBe(CloseCode.SESSION_EXPIRED);
  });

  it("refuses another room's token with 4020 RESUME_REFUSED", () => {
    const other = resumableRoom({ roomId: 'room2' });
    const token = welcomeOf(other.connect('ann').socket).resumeToken;
    const t = resumableRoom({ roomId: 'room1' });
    const ann = t.connect('ann');
    t.drop(ann.session);
    expect(t.resume(token).socket.closed?.code).toBe(CloseCode.RESUME_REFUSED);
    expect(t.room.awayCount).toBe(1);
  });

  it('refuses the token of a player gone whose id another player holds now with 4017 SESSION_EXPIRED', () => {
    const t = resumableRoom();
    const ann = t.connect('ann');
    const token = welcomeOf(ann.socket).resumeToken;
    t.room.disconnected(ann.session, NORMAL_CLOSURE);
    const bob = t.connect('bob');
    expect(welcomeOf(bob.socket).playerId).toBe(1);
    expect(t.resume(token).socket.closed?.code).toBe(CloseCode.SESSION_EXPIRED);
    expect(bob.socket.closed).toBeUndefined();
  });

  it("refuses one player's token for another: each is checked against its own player's current token", () => {
    const t = resumableRoom();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    const annToken = welcomeOf(ann.socket).resumeToken;
    t.drop(ann.session);
    t.drop(bob.session);
    const back = t.resume(annToken);
    expect(welcomeOf(back.socket).playerId).toBe(1);
    expect(t.room.awayCount).toBe(1);
  });

  it('refuses a forged or malformed token with 4020 RESUME_REFUSED', () => {
    const t = resumableRoom();
    const ann = t.connect('ann');
    const token = welcomeOf(ann.socket).resumeToken;
    t.drop(ann.session);
    const [body, mac] = token.split('.') as [string, string];
    const forgedBody = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), exp: 9e15 }),
    ).toString('base64url');
    const otherSecret = resumeTokens({ secret: new Uint8Array(32), roomId: 'room1', epochNow: () => EPOCH_START });
    for (const bad of [`${forgedBody}.${mac}`, 'garbage', otherSecret.issue(1, 1).token, `${body}.${'A'.repeat(43)}`]) {
      expect(t.resume(bad).socket.closed?.code, bad).toBe(CloseCode.RESUME_REFUSED);
    }
    expect(t.room.awayCount).toBe(1);
  });

  it('refuses a seat (signed with the same secret, but naming no player) with 4020 RESUME_REFUSED', () => {
    const t = resumableRoom();
    t.drop(t.connect('ann').session);
    const seat = signSeat(SECRET, { room: 'room1', exp: EPOCH_START + 15_000, nonce: newSeatNonce() });
    expect(t.resume(seat).socket.closed?.code).toBe(CloseCode.RESUME_REFUSED);
    expect(t.room.awayCount).toBe(1);
  });
});

describe('playing → closed by a takeover (the old socket still looks alive)', () => {
  it('closes the old socket with 4018 REPLACED at once and resumes on the new one; the old close changes nothing', () => {
    const t = resumableRoom();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    t.ticks(1);
    const token = welcomeOf(ann.socket).resumeToken;
    const fresh = t.resume(token);
    expect(ann.socket.closed?.code).toBe(CloseCode.REPLACED);
    expect(welcomeOf(fresh.socket).playerId).toBe(1);
    // The old socket's close event arrives later: the player stays, on its new connection.
    t.room.disconnected(ann.session, CloseCode.REPLACED);
    expect(t.room.playerCount).toBe(2);
    expect(t.room.awayCount).toBe(0);
    t.ticks(1);
    expect(fresh.socket.lastSnapshot().baseAge).toBe(0);
    expect(bob.socket.roster.list().map((p) => [p.id, p.reconnecting])).toEqual([
      [1, 0],
      [2, 0],
    ]);
    expect(t.room.counters.resumes).toBe(1);
  });
});

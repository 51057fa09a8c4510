// The room's game messages with fake sockets and a driven tick: the roster (PLAYERS) after WELCOME
// and after every tick that changed it, chat relayed and rate-limited, shots and kills in the
// snapshots' shared bodies, projectiles as entities of kind 1, and the fire rate through real INPUTs.
import {
  Button,
  CHAT_BURST,
  CHAT_REFILL_MS,
  ClientMessageId,
  CloseCode,
  EntityKind,
  encodeClientMessage,
  MAX_CHAT_LENGTH,
  type ServerMessage,
  ServerMessageId,
  Weapon,
} from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.js';
import { CHAT_TOO_FAST_NOTICE } from '../src/room/chatRelay.js';
import type { Session } from '../src/session/session.js';
import { Position } from '../src/sim/components.js';
import { type FakeSocket, makeRoom, type RoomHarness } from './support/fakeRoom.js';

const arena = () => makeRoom({ scenario: 'arena' });

function playersMessages(socket: FakeSocket) {
  return socket.received
    .filter((m) => m.id === ServerMessageId.PLAYERS)
    .map((m) => (m as { players: unknown }).players);
}

function chats(socket: FakeSocket) {
  return socket.received
    .filter((m): m is Extract<ServerMessage, { id: typeof ServerMessageId.CHAT }> => m.id === ServerMessageId.CHAT)
    .map(({ fromId, text }) => ({ fromId, text }));
}

/** Put player `id` at (x, y) units, standing still (what a debug nudge would do, without the flag). */
function place(t: RoomHarness, id: number, x: number, y: number): void {
  const position = t.room.game.players.get(id)!.getMutableComponent(Position)!;
  position.x = x * 16;
  position.y = y * 16;
}

function chat(t: RoomHarness, session: Session, text: string): void {
  t.send(session, encodeClientMessage({ id: ClientMessageId.CHAT, text }));
}

describe('roster (PLAYERS)', () => {
  it('goes to a joiner right after its WELCOME, with the joiner in it', () => {
    const t = arena();
    const { socket } = t.connect('ann');
    expect(socket.received.map((m) => m.id)).toEqual([ServerMessageId.WELCOME, ServerMessageId.PLAYERS]);
    expect(playersMessages(socket)).toEqual([[{ id: 1, name: 'ann', kills: 0, deaths: 0 }]]);
  });

  it('goes to everyone once after a tick with joins, ordered by id, before that tick’s snapshot', () => {
    const t = arena();
    const ann = t.connect('ann');
    t.ticks(1);
    const before = ann.socket.received.length;
    const bob = t.connect('bob');
    const carl = t.connect('carl');
    t.ticks(1);
    const annNew = ann.socket.received.slice(before);
    expect(annNew.map((m) => m.id)).toEqual([ServerMessageId.PLAYERS, ServerMessageId.SNAPSHOT]);
    const roster = [
      { id: 1, name: 'ann', kills: 0, deaths: 0 },
      { id: 2, name: 'bob', kills: 0, deaths: 0 },
      { id: 3, name: 'carl', kills: 0, deaths: 0 },
    ];
    expect(playersMessages(ann.socket).at(-1)).toEqual(roster);
    // bob had a roster without carl: it gets the new one; carl had it at its WELCOME: nothing more.
    expect(playersMessages(bob.socket)).toEqual([roster.slice(0, 2), roster]);
    expect(playersMessages(carl.socket)).toEqual([roster]);
    t.ticks(5);
    expect(playersMessages(ann.socket)).toHaveLength(2);
  });

  it('goes to the others after a leave', () => {
    const t = arena();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    t.ticks(1);
    t.room.disconnected(bob.session);
    t.ticks(1);
    expect(playersMessages(ann.socket).at(-1)).toEqual([{ id: 1, name: 'ann', kills: 0, deaths: 0 }]);
  });

  it('goes to everyone after a kill, with the kill and the death counted', () => {
    const t = arena();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    t.ticks(1);
    place(t, 1, 100, 100);
    place(t, 2, 300, 100);
    for (let seq = 1; seq <= 40; seq++) {
      t.input(ann.session, seq, 0, 0, 0, { buttons: Button.PRIMARY, aimAngle: 0 });
      t.ticks(1);
    }
    expect(playersMessages(bob.socket).at(-1)).toEqual([
      { id: 1, name: 'ann', kills: 1, deaths: 0 },
      { id: 2, name: 'bob', kills: 0, deaths: 1 },
    ]);
    const killed = ann.socket.snapshots().find((s) => s.kills.length > 0)!;
    expect(killed.kills).toEqual([{ tick: killed.tick, killerId: 1, victimId: 2, weapon: Weapon.PRIMARY }]);
    expect(killed.players.find((p) => p.id === 2)).toMatchObject({ hp: 0, vx: 0, vy: 0 });
  });

  it('sends new scores at most once a second, while joins still go out on the next tick', () => {
    const t = arena(); // 30 Hz: one second is 30 ticks
    const ann = t.connect('ann');
    t.connect('bob');
    t.ticks(1);
    const rosterTicks = () =>
      ann.socket.received.reduce<number[]>((ticks, message, i, all) => {
        if (message.id !== ServerMessageId.PLAYERS) return ticks;
        const next = all.slice(i).find((m) => m.id === ServerMessageId.SNAPSHOT);
        if (next !== undefined && next.id === ServerMessageId.SNAPSHOT) ticks.push(next.tick);
        return ticks;
      }, []);
    const joinedAt = t.room.tick;
    expect(rosterTicks().at(-1)).toBe(joinedAt);
    // Scores change on two ticks in a row, soon after the last PLAYERS: one PLAYERS, a second later.
    t.room.roster.scoresChanged();
    t.ticks(1);
    t.room.roster.scoresChanged();
    t.ticks(1);
    expect(rosterTicks().at(-1)).toBe(joinedAt);
    t.ticks(30);
    // (ann's first PLAYERS came with its WELCOME, the second when bob joined: both before tick 1's snapshot.)
    expect(rosterTicks()).toEqual([joinedAt, joinedAt, joinedAt + 30]);
    // A join right after is not held back.
    t.connect('carl');
    t.ticks(1);
    expect(rosterTicks().at(-1)).toBe(joinedAt + 33);
  });
});

describe('chat', () => {
  it('relays a line to everyone, the sender included, with its player id, as plain cleaned text', () => {
    const t = arena();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    chat(t, ann.session, '  <b>hi</b>\u0007\n ');
    expect(chats(ann.socket)).toEqual([{ fromId: 1, text: '<b>hi</b>' }]);
    expect(chats(bob.socket)).toEqual([{ fromId: 1, text: '<b>hi</b>' }]);
    expect(t.room.chat.counters.relayed).toBe(1);
  });

  it('drops a line with nothing left after cleaning, silently', () => {
    const t = arena();
    const ann = t.connect('ann');
    chat(t, ann.session, ' \t\u0000 ');
    expect(chats(ann.socket)).toEqual([]);
    expect(t.room.chat.counters.empty).toBe(1);
  });

  it(`lets a player say ${CHAT_BURST} lines at once, drops the next with a notice to it alone, and one more after ${CHAT_REFILL_MS} ms`, () => {
    const t = arena();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    for (let i = 1; i <= CHAT_BURST + 1; i++) chat(t, ann.session, `line ${i}`);
    expect(chats(bob.socket).map((c) => c.text)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(chats(ann.socket).at(-1)).toEqual({ fromId: 0, text: CHAT_TOO_FAST_NOTICE });
    expect(t.room.chat.counters).toMatchObject({ relayed: 3, dropped: 1 });
    t.now += CHAT_REFILL_MS - 1;
    chat(t, ann.session, 'too soon');
    t.now += 1;
    chat(t, ann.session, 'line 5');
    expect(chats(bob.socket).map((c) => c.text)).toEqual(['line 1', 'line 2', 'line 3', 'line 5']);
    expect(t.room.chat.counters.dropped).toBe(2);
    // The limit is per player: bob can still talk.
    chat(t, bob.session, 'hello');
    expect(chats(ann.socket).at(-1)).toEqual({ fromId: 2, text: 'hello' });
    expect(ann.socket.closed).toBeUndefined();
  });

  it('closes a CHAT before WELCOME with 4004, and one over the length limit with 4002', () => {
    const t = arena();
    const early = t.openOnly();
    chat(t, early.session, 'hi');
    expect(early.socket.closed?.code).toBe(CloseCode.UNEXPECTED_MESSAGE);
    const ann = t.connect('ann');
    chat(t, ann.session, 'x'.repeat(MAX_CHAT_LENGTH + 1));
    expect(ann.socket.closed?.code).toBe(CloseCode.INVALID_MESSAGE);
  });
});

describe('shots, kills and projectiles in snapshots', () => {
  it('a shot is in the snapshot of its tick, for every client', () => {
    const t = arena();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    t.ticks(1);
    place(t, 1, 100, 100);
    t.input(ann.session, 1, 0, 0, 0, { buttons: Button.PRIMARY, aimAngle: Math.PI / 2 });
    t.ticks(1);
    const tick = t.room.tick;
    for (const socket of [ann.socket, bob.socket]) {
      expect(socket.lastSnapshot().shots).toEqual([
        { tick, shooterId: 1, weapon: Weapon.PRIMARY, x0: 1600, y0: 1600, x1: 1600, y1: 1100 * 16, hitId: 0 },
      ]);
    }
    t.ticks(1);
    expect(ann.socket.lastSnapshot().shots).toEqual([]);
  });

  it('a client whose snapshots were skipped gets every skipped tick’s events in its next one, once', () => {
    const t = arena();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    t.ticks(1);
    place(t, 1, 100, 100);
    bob.socket.queuedBytes = 1 << 20;
    for (let seq = 1; seq <= 20; seq++) {
      t.input(ann.session, seq, 0, 0, 0, { buttons: Button.PRIMARY, aimAngle: Math.PI / 2 });
      t.ticks(1);
    }
    bob.socket.queuedBytes = 0;
    t.ticks(1);
    const caughtUp = bob.socket.lastSnapshot();
    expect(caughtUp.baseAge).toBe(21);
    const annShots = ann.socket.snapshots().flatMap((s) => s.shots);
    expect(annShots.map((s) => s.tick)).toEqual([2, 11, 20]);
    expect(caughtUp.shots).toEqual(annShots);
  });

  it('a projectile is an entity of kind 1, id above the players’, sent whole once, then predicted, then removed', () => {
    const t = arena();
    const ann = t.connect('ann');
    t.ticks(1);
    place(t, 1, 100, 100);
    t.input(ann.session, 1, 0, 0, 0, { buttons: Button.SECONDARY, aimAngle: 0 });
    t.input(ann.session, 2, 0, 0, 0);
    t.ticks(1);
    const launched = ann.socket.lastSnapshot();
    const { maxPlayers } = defaultConfig();
    const projectile = launched.created.find((e) => e.kind === EntityKind.PROJECTILE)!;
    expect(projectile).toMatchObject({ vx: 256, vy: 0, x: 1600, y: 1600, hp: 0 });
    expect(projectile.id).toBeGreaterThan(maxPlayers);
    expect(launched.players.find((p) => p.id === 1)).toMatchObject({ kind: EntityKind.PLAYER });
    t.ticks(10);
    const flying = ann.socket.snapshots().slice(-10);
    expect(flying.every((s) => s.created.length === 0 && s.changed.length === 0)).toBe(true);
    expect(flying.at(-1)!.players.find((p) => p.id === projectile.id)).toMatchObject({ x: 1600 + 10 * 256 });
    t.ticks(40);
    const gone = ann.socket.snapshots().find((s) => s.removed.includes(projectile.id))!;
    expect(gone.tick).toBe(launched.tick + 45);
  });

  it('fires no faster than the cooldown however many firing inputs arrive', () => {
    const t = arena();
    const ann = t.connect('ann');
    t.ticks(1);
    let seq = 1;
    for (let tick = 0; tick < 60; tick++) {
      // Three inputs a tick, alternately pressed and released: the queue drops some, the rest apply one a tick.
      for (let i = 0; i < 3; i++) t.input(ann.session, seq++, 0, 0, 0, { buttons: (seq + i) % 2 ? Button.PRIMARY : 0 });
      t.ticks(1);
    }
    const ticks = ann.socket.snapshots().flatMap((s) => s.shots.map((shot) => shot.tick));
    expect(ticks.length).toBeGreaterThan(2);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBeGreaterThanOrEqual(9);
  });
});

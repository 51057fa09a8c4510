// The room's game messages with fake sockets and a driven tick: the roster (PLAYERS pages) after
// WELCOME and ROSTER_CHANGES after every tick that changed it, chat relayed and rate-limited, shots and kills in the
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
  MAX_ROSTER_ITEMS,
  NORMAL_CLOSURE,
  type ServerMessage,
  ServerMessageId,
  Weapon,
} from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.js';
import { CHAT_TOO_FAST_NOTICE } from '../src/room/chatRelay.js';
import type { Session } from '../src/session/session.js';
import { Position, Score } from '../src/sim/components.js';
import { type FakeSocket, makeRoom, type RoomHarness } from './support/fakeRoom.js';
import { expectRostersMatchFullList } from './support/rosterInvariant.js';

const arena = () => makeRoom({ scenario: 'arena' });

/** The roster frames `socket` received (PLAYERS pages and ROSTER_CHANGES), without their ids. */
function rosterFrames(socket: FakeSocket) {
  return socket.received
    .filter((m) => m.id === ServerMessageId.PLAYERS || m.id === ServerMessageId.ROSTER_CHANGES)
    .map(({ id: _, ...fields }) => fields);
}

const entry = (id: number, name: string, kills = 0, deaths = 0, reconnecting = 0) => ({
  id,
  name,
  kills,
  deaths,
  reconnecting,
});
const noChanges = { joined: [], left: [], renamed: [], scores: [] };

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

describe('roster (PLAYERS and ROSTER_CHANGES)', () => {
  it('goes to a joiner right after its WELCOME as the whole list of the last tick, its own join in the next ROSTER_CHANGES', () => {
    const t = arena();
    const { socket } = t.connect('ann');
    expect(socket.received.map((m) => m.id)).toEqual([ServerMessageId.WELCOME, ServerMessageId.PLAYERS]);
    expect(rosterFrames(socket)).toEqual([{ version: 0, page: 0, pages: 1, players: [] }]);
    t.ticks(1);
    expect(socket.received.map((m) => m.id).slice(2)).toEqual([
      ServerMessageId.ROSTER_CHANGES,
      ServerMessageId.SNAPSHOT,
    ]);
    expect(rosterFrames(socket).at(-1)).toEqual({ version: 1, ...noChanges, joined: [entry(1, 'ann')] });
    expect(socket.roster.list()).toEqual([entry(1, 'ann')]);
  });

  it('goes to everyone as one ROSTER_CHANGES after a tick with joins, before that tick’s snapshot', () => {
    const t = arena();
    const ann = t.connect('ann');
    t.ticks(1);
    const before = ann.socket.received.length;
    const bob = t.connect('bob');
    const carl = t.connect('carl');
    t.ticks(1);
    const annNew = ann.socket.received.slice(before);
    expect(annNew.map((m) => m.id)).toEqual([ServerMessageId.ROSTER_CHANGES, ServerMessageId.SNAPSHOT]);
    const changes = { version: 2, ...noChanges, joined: [entry(2, 'bob'), entry(3, 'carl')] };
    expect(rosterFrames(ann.socket).at(-1)).toEqual(changes);
    // bob and carl got version 1 (ann alone) with their WELCOMEs, then the same changes as ann.
    expect(rosterFrames(bob.socket)).toEqual([{ version: 1, page: 0, pages: 1, players: [entry(1, 'ann')] }, changes]);
    expect(rosterFrames(carl.socket)).toEqual(rosterFrames(bob.socket));
    expectRostersMatchFullList(t.room, [ann.socket, bob.socket, carl.socket]);
    t.ticks(5);
    expect(rosterFrames(ann.socket)).toHaveLength(3);
  });

  it('tells the others who left, and a new player on an id freed in the same tick as a join that replaces it', () => {
    const t = arena();
    const ann = t.connect('ann');
    const bob = t.connect('bob');
    t.ticks(1);
    t.room.disconnected(bob.session, NORMAL_CLOSURE);
    t.ticks(1);
    expect(rosterFrames(ann.socket).at(-1)).toEqual({ version: 2, ...noChanges, left: [2] });
    const carl = t.connect('carl'); // id 2, the lowest free one
    t.ticks(1);
    t.room.disconnected(carl.session, NORMAL_CLOSURE);
    t.connect('dan'); // id 2 again, in the tick carl left: dan replaces carl, no "left"
    t.room.disconnected(t.connect('eve').session, NORMAL_CLOSURE); // in and out within one tick: nothing to say
    t.ticks(1);
    expect(rosterFrames(ann.socket).at(-1)).toEqual({ version: 4, ...noChanges, joined: [entry(2, 'dan')] });
    expect(ann.socket.roster.list()).toEqual([entry(1, 'ann'), entry(2, 'dan')]);
    expectRostersMatchFullList(t.room, [ann.socket]);
  });

  it('sends a kill as the two changed scores', () => {
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
    const scores = rosterFrames(bob.socket).flatMap((frame) => ('scores' in frame ? frame.scores : []));
    expect(scores).toEqual([
      { id: 1, kills: 1, deaths: 0 },
      { id: 2, kills: 0, deaths: 1 },
    ]);
    expect(bob.socket.roster.list()).toEqual([entry(1, 'ann', 1, 0), entry(2, 'bob', 0, 1)]);
    expectRostersMatchFullList(t.room, [ann.socket, bob.socket]);
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
        if (message.id !== ServerMessageId.ROSTER_CHANGES) return ticks;
        const next = all.slice(i).find((m) => m.id === ServerMessageId.SNAPSHOT);
        if (next !== undefined && next.id === ServerMessageId.SNAPSHOT) ticks.push(next.tick);
        return ticks;
      }, []);
    const joinedAt = t.room.tick;
    expect(rosterTicks()).toEqual([joinedAt]);
    // Scores change on two ticks in a row, soon after the last flush: one ROSTER_CHANGES, a second later.
    const score = t.room.game.players.get(2)!.getMutableComponent(Score)!;
    score.deaths = 1;
    t.room.roster.scoresChanged();
    t.ticks(1);
    score.deaths = 2;
    t.room.roster.scoresChanged();
    t.ticks(1);
    expect(rosterTicks()).toEqual([joinedAt]);
    t.ticks(30);
    expect(rosterTicks()).toEqual([joinedAt, joinedAt + 30]);
    expect(rosterFrames(ann.socket).at(-1)).toEqual({
      version: 2,
      ...noChanges,
      scores: [{ id: 2, kills: 0, deaths: 2 }],
    });
    // A join right after is not held back.
    t.connect('carl');
    t.ticks(1);
    expect(rosterTicks().at(-1)).toBe(joinedAt + 33);
  });

  it('pages a roster longer than MAX_ROSTER_ITEMS, and cuts more changes than that into consecutive versions', () => {
    const t = makeRoom({ scenario: 'arena', maxPlayers: 300, snapshotRate: 1 });
    const first = Array.from({ length: MAX_ROSTER_ITEMS + 6 }, (_, i) => t.connect(`p${i}`));
    t.ticks(1);
    // 70 joins in one tick: two ROSTER_CHANGES, versions 1 and 2, 64 and 6 joins.
    const changes = rosterFrames(first[0]!.socket).slice(1);
    expect(changes.map((c) => ('joined' in c ? [c.version, c.joined.length] : []))).toEqual([
      [1, MAX_ROSTER_ITEMS],
      [2, 6],
    ]);
    const late = t.connect('late');
    const pages = rosterFrames(late.socket);
    expect(pages.map((p) => ('page' in p ? [p.version, p.page, p.pages, p.players.length] : []))).toEqual([
      [2, 0, 2, MAX_ROSTER_ITEMS],
      [2, 1, 2, 6],
    ]);
    t.ticks(1);
    expectRostersMatchFullList(t.room, [late.socket, ...first.map((p) => p.socket)]);
    expect(late.socket.roster.players.size).toBe(MAX_ROSTER_ITEMS + 7);
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

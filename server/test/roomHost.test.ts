// The rooms of one process on a fake clock, named after the lifecycle (roomLifecycle.ts) and the
// seat rules: created on demand, running, empty, disposed when idle or never joined, kept alive by
// an outstanding seat, failed and disposed; caps; two rooms that never see each other; every way a
// seat is refused at HELLO.
import { ClientMessageId, CloseCode, encodeClientMessage, NORMAL_CLOSURE, ServerMessageId } from '@tickwire/protocol';
import { System } from 'ecsy';
import { describe, expect, it } from 'vitest';
import { signSeat } from '../src/rooms/seat.js';
import { EPOCH, makeHostedRooms, SECRET } from './support/hostedRooms.js';

const IDLE_MS = 5000;

function makeHost(options: { maxRooms?: number } = {}) {
  return makeHostedRooms({ maxRooms: options.maxRooms ?? 8, roomIdleMs: IDLE_MS });
}

describe('a room’s lifecycle', () => {
  it('created: made on demand by the matchmaker and listed, ticking on the scheduler', async () => {
    const t = makeHost();
    const seat = await t.ask({ mode: 'joinOrCreate' });
    expect(t.host.lookup(seat.roomId).state).toBe('live');
    expect((await t.directory.listPublic(EPOCH)).map((r) => r.id)).toEqual([seat.roomId]);
    t.advanceTo(1000);
    const found = t.host.lookup(seat.roomId);
    expect(found.state === 'live' && found.room.tick).toBeGreaterThan(25);
  });

  it('created → disposed: a room nobody joins is disposed once its seat expires and it stays idle', async () => {
    const t = makeHost();
    const { roomId } = await t.ask({ mode: 'create' });
    // The creator's seat (15 s) is outstanding: idle time does not count while it is.
    t.advanceTo(14_000);
    expect(t.host.lookup(roomId).state).toBe('live');
    t.advanceTo(15_000 + IDLE_MS - 1000);
    expect(t.host.lookup(roomId).state).toBe('live');
    t.advanceTo(15_000 + IDLE_MS + 1000);
    expect(t.host.lookup(roomId).state).toBe('gone');
    expect(await t.directory.get(roomId, EPOCH)).toBeUndefined();
    expect(t.host.totals).toMatchObject({ created: 1, disposed: 1 });
  });

  it('running → empty → disposed after --room-idle-ms with nobody in it', async () => {
    const t = makeHost();
    const seat = await t.ask({ mode: 'joinOrCreate' });
    const { socket, session, room } = t.hello(seat.roomId, seat.seat);
    expect(socket.received[0]?.id).toBe(ServerMessageId.WELCOME);
    t.advanceTo(60_000);
    expect(t.host.lookup(seat.roomId).state).toBe('live');
    room.disconnected(session, NORMAL_CLOSURE);
    t.advanceTo(60_000 + IDLE_MS - 1000);
    expect(t.host.lookup(seat.roomId).state).toBe('live');
    t.advanceTo(60_000 + IDLE_MS + 1000);
    expect(t.host.lookup(seat.roomId).state).toBe('gone');
  });

  it('empty → running: a player back before the idle time keeps the room', async () => {
    const t = makeHost();
    const first = await t.ask({ mode: 'joinOrCreate' });
    const a = t.hello(first.roomId, first.seat);
    a.room.disconnected(a.session, NORMAL_CLOSURE);
    t.advanceTo(IDLE_MS - 1000);
    const again = await t.ask({ mode: 'joinOrCreate' });
    expect(again.roomId).toBe(first.roomId);
    t.hello(again.roomId, again.seat);
    t.advanceTo(10 * IDLE_MS);
    expect(t.host.lookup(first.roomId).state).toBe('live');
  });

  it('failed → disposed: a throwing system closes that room’s players with 1011; the other room ticks on', async () => {
    const t = makeHost();
    const bad = await t.ask({ mode: 'create' });
    const good = await t.ask({ mode: 'create' });
    const victim = t.hello(bad.roomId, bad.seat);
    const bystander = t.hello(good.roomId, good.seat);
    class Throwing extends System {
      execute(): void {
        throw new Error('injected');
      }
    }
    victim.room.world.registerSystem(Throwing);
    t.advanceTo(500);
    expect(victim.socket.closed?.code).toBe(CloseCode.INTERNAL_ERROR);
    expect(t.host.lookup(bad.roomId).state).toBe('gone');
    expect(t.faults.counts.tick).toBe(1);
    const snapshotsBefore = bystander.socket.snapshots().length;
    t.advanceTo(2000);
    expect(bystander.socket.closed).toBeUndefined();
    expect(bystander.socket.snapshots().length).toBeGreaterThan(snapshotsBefore + 30);
    expect(t.host.totals).toMatchObject({ failed: 1, disposed: 1 });
  });

  it('closed by the server: players get 4016 ROOM_CLOSED and the room is gone', async () => {
    const t = makeHost();
    const seat = await t.ask({ mode: 'create' });
    const player = t.hello(seat.roomId, seat.seat);
    expect(t.host.closeRoom(seat.roomId)).toBe(true);
    expect(player.socket.closed?.code).toBe(CloseCode.ROOM_CLOSED);
    expect(t.host.lookup(seat.roomId).state).toBe('gone');
    expect(t.host.lookup('never-a-room-id0').state).toBe('unknown');
  });
});

describe('a room’s own rates', () => {
  it('ticks at the tick rate it was created with, within the server’s, and joinOrCreate matches on it', async () => {
    const t = makeHost();
    const slow = await t.ask({ mode: 'create', tickRate: 20, snapshotRate: 10 });
    const usual = await t.ask({ mode: 'create' });
    const a = t.hello(slow.roomId, slow.seat);
    const b = t.hello(usual.roomId, usual.seat);
    t.advanceTo(3000);
    const welcome = a.socket.received.find((m) => m.id === ServerMessageId.WELCOME);
    expect(welcome).toMatchObject({ tickRate: 20, snapshotRate: 10 });
    expect(a.room.tick).toBeGreaterThanOrEqual(59);
    expect(a.room.tick).toBeLessThanOrEqual(60);
    expect(b.room.tick).toBeGreaterThanOrEqual(89);
    expect(a.socket.snapshots().length).toBeLessThanOrEqual(31);
    const joined = await t.ask({ mode: 'joinOrCreate', tickRate: 20 });
    expect(joined.roomId).toBe(slow.roomId);
    expect(await t.matchmaker.matchmake({ mode: 'create', tickRate: 60 }, undefined, EPOCH)).toMatchObject({
      ok: false,
      error: 'bad-request',
    });
    expect(
      await t.matchmaker.matchmake({ mode: 'create', tickRate: 20, snapshotRate: 30 }, undefined, EPOCH),
    ).toMatchObject({ ok: false, error: 'bad-request' });
  });
});

describe('disposing a room', () => {
  it('takes it out of the directory and the host even when closing one of its sockets throws', async () => {
    const t = makeHost();
    const seat = await t.ask({ mode: 'create' });
    const player = t.hello(seat.roomId, seat.seat);
    player.socket.close = () => {
      throw new Error('injected close failure');
    };
    expect(t.host.closeRoom(seat.roomId)).toBe(true);
    expect(t.host.lookup(seat.roomId).state).toBe('gone');
    expect(await t.directory.get(seat.roomId, EPOCH)).toBeUndefined();
    expect(t.faults.counts.close).toBe(1);
    expect(player.room.sessionCount).toBe(0);
  });
});

describe('telemetry rows', () => {
  it('never show a private room’s id (it is the key to join it)', async () => {
    const t = makeHost();
    const hidden = await t.ask({ mode: 'create', private: true });
    const listed = await t.ask({ mode: 'create' });
    const ids = t.rooms.rows(undefined).rows.map((row) => row.id);
    expect(ids).toContain(listed.roomId);
    expect(ids).not.toContain(hidden.roomId);
    expect(ids).toHaveLength(2);
  });
});

describe('process caps', () => {
  it('refuses a room past --max-rooms with 503 at-capacity, and draining with 503 draining', async () => {
    const t = makeHost({ maxRooms: 2 });
    await t.ask({ mode: 'create' });
    await t.ask({ mode: 'create' });
    expect(await t.matchmaker.matchmake({ mode: 'create' }, undefined, EPOCH)).toMatchObject({
      ok: false,
      error: 'at-capacity',
    });
    t.host.draining = true;
    // A room with a free seat still takes joinOrCreate; a new room is refused as draining.
    const t2 = makeHost();
    t2.host.draining = true;
    expect(await t2.matchmaker.matchmake({ mode: 'create' }, undefined, EPOCH)).toMatchObject({
      ok: false,
      error: 'draining',
    });
  });
});

describe('occupied rooms (what a drain waits for)', () => {
  it('counts a room while it has a seat outstanding or a player, and not once both are gone', async () => {
    const t = makeHost();
    expect(t.host.occupiedRooms()).toBe(0);
    const seat = await t.ask({ mode: 'create' });
    const waiting = await t.ask({ mode: 'create' });
    // Neither seat is used yet: both rooms hold a promise.
    expect(t.host.occupiedRooms()).toBe(2);
    const { room, session } = t.hello(seat.roomId, seat.seat);
    // The second room's seat expires (15 s) with nobody in it; the first has its player.
    t.advanceTo(16_000);
    expect(t.host.lookup(waiting.roomId).state).toBe('live');
    expect(t.host.occupiedRooms()).toBe(1);
    room.disconnected(session, NORMAL_CLOSURE);
    expect(t.host.occupiedRooms()).toBe(0);
  });
});

describe('seats at HELLO', () => {
  it('admits a valid seat once; a replay gets 4015 SEAT_USED', async () => {
    const t = makeHost();
    const seat = await t.ask({ mode: 'create' });
    expect(t.hello(seat.roomId, seat.seat).socket.closed).toBeUndefined();
    expect(t.hello(seat.roomId, seat.seat).socket.closed?.code).toBe(CloseCode.SEAT_USED);
  });

  it('refuses no seat, a forged seat and a seat for another room with 4013 SEAT_REFUSED', async () => {
    const t = makeHost();
    const a = await t.ask({ mode: 'create' });
    const b = await t.ask({ mode: 'create' });
    expect(t.hello(a.roomId, '').socket.closed?.code).toBe(CloseCode.SEAT_REFUSED);
    const forged = signSeat(new Uint8Array(32).fill(9), { room: a.roomId, exp: EPOCH + 10_000, nonce: 'abcdefgh' });
    expect(t.hello(a.roomId, forged).socket.closed?.code).toBe(CloseCode.SEAT_REFUSED);
    expect(t.hello(a.roomId, b.seat).socket.closed?.code).toBe(CloseCode.SEAT_REFUSED);
    // Signed by us, for this room, but never issued: not pending here.
    const unissued = signSeat(SECRET, { room: a.roomId, exp: EPOCH + 10_000, nonce: 'never-issued' });
    expect(t.hello(a.roomId, unissued).socket.closed?.code).toBe(CloseCode.SEAT_REFUSED);
    // The seat refused elsewhere still admits in its own room.
    expect(t.hello(b.roomId, b.seat).socket.closed).toBeUndefined();
  });

  it('refuses a seat past its expiry with 4014 SEAT_EXPIRED', async () => {
    const t = makeHost();
    const seat = await t.ask({ mode: 'create' });
    t.advanceTo(15_000);
    expect(t.hello(seat.roomId, seat.seat).socket.closed?.code).toBe(CloseCode.SEAT_EXPIRED);
  });

  it('never seats more than maxPlayers, whatever seats exist (the room’s own hard cap)', async () => {
    const t = makeHost();
    const first = await t.ask({ mode: 'create', maxPlayers: 2 });
    const second = await t.ask({ mode: 'join', roomId: first.roomId });
    expect(await t.matchmaker.matchmake({ mode: 'join', roomId: first.roomId }, undefined, EPOCH)).toMatchObject({
      ok: false,
      error: 'room-full',
    });
    t.hello(first.roomId, first.seat);
    t.hello(first.roomId, second.seat);
    // A third seat signed for this room by a (hypothetical) stale matchmaker: the room refuses it.
    const extra = signSeat(SECRET, { room: first.roomId, exp: EPOCH + 10_000, nonce: 'third-seat' });
    t.directory.seatsOf(first.roomId)!.issue('third-seat', EPOCH + 10_000);
    expect(t.hello(first.roomId, extra).socket.closed?.code).toBe(CloseCode.ROOM_FULL);
    const found = t.host.lookup(first.roomId);
    expect(found.state === 'live' && found.room.playerCount).toBe(2);
  });
});

describe('a seat given back', () => {
  it('frees its place at once (its answer never reached the caller) and admits nobody after', async () => {
    const t = makeHost();
    const first = await t.ask({ mode: 'create', maxPlayers: 2 });
    const second = await t.ask({ mode: 'join', roomId: first.roomId });
    expect((await t.matchmaker.matchmake({ mode: 'join', roomId: first.roomId }, undefined, EPOCH)).ok).toBe(false);
    await t.matchmaker.release(second.roomId, second.nonce);
    expect((await t.matchmaker.matchmake({ mode: 'join', roomId: first.roomId }, undefined, EPOCH)).ok).toBe(true);
    expect(t.hello(second.roomId, second.seat).socket.closed?.code).toBe(CloseCode.SEAT_REFUSED);
  });
});

describe('two rooms', () => {
  it('never see each other’s entities, roster or chat', async () => {
    const t = makeHost();
    const a = await t.ask({ mode: 'create' });
    const b = await t.ask({ mode: 'create' });
    const inA = t.hello(a.roomId, a.seat, 'alice');
    const inB = t.hello(b.roomId, b.seat, 'bob');
    inA.room.receive(inA.session, encodeClientMessage({ id: ClientMessageId.CHAT, text: 'only for A' }), true, 0);
    t.advanceTo(1000);
    const namesSeenByB = [...inB.socket.roster.players.values()].map((p) => p.name);
    expect(namesSeenByB).toEqual(['bob']);
    expect(inB.socket.lastSnapshot().players.map((p) => p.id)).toEqual([1]);
    expect(inB.socket.received.some((m) => m.id === ServerMessageId.CHAT)).toBe(false);
    expect(inA.socket.received.some((m) => m.id === ServerMessageId.CHAT)).toBe(true);
  });
});

// A room with a view radius (interest management) end to end in-process: each client's applied
// world is the server's world restricted to its view at every snapshot, a far player is not sent
// and comes into view as it walks near, then leaves beyond the margin; shots are sent to those
// who see their start or end; WELCOME tells a joiner the radius and the budget.
import { Button, FIELD_COUNT, ServerMessageId, WorldState } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW_RADIUS } from '../src/room/roomOptions.js';
import type { Session } from '../src/session/session.js';
import { Position } from '../src/sim/components.js';
import { type FakeSocket, makeRoom, type RoomHarness } from './support/fakeRoom.js';

const RADIUS = 300;

/** Put player `id` at (x, y) units, standing still. */
function place(t: RoomHarness, id: number, x: number, y: number): void {
  const position = t.room.game.players.get(id)!.getMutableComponent(Position)!;
  position.x = x * 16;
  position.y = y * 16;
}

function restricted(state: WorldState, ids: number[]) {
  const out: Record<number, unknown> = {};
  for (const id of ids) out[id] = state.entity(id);
  return out;
}

let seq = 1000;
/** Every client but `mover` sends a still input acking the newest tick (a client that never acks is skipped). */
function ackOthers(t: RoomHarness, clients: { session: Session }[], mover?: Session): void {
  seq++;
  for (const { session } of clients) if (session !== mover) t.input(session, seq, 0, 0, t.room.tick);
}

/** Every client holds exactly the server's newest snapshot restricted to its view. */
function expectExact(t: RoomHarness, clients: { socket: FakeSocket; session: Session }[]): void {
  const state = t.room.snapshots.ring.get(t.room.tick)!;
  for (const { socket, session } of clients) {
    const view = t.room.snapshots.interestOf(session)!;
    expect(socket.world!.tick).toBe(state.tick);
    expect(socket.world!.toObject()).toEqual(restricted(state, view));
  }
}

describe('a room with a view radius', () => {
  it('sends each client only what is near it, and keeps every client exact while players walk in and out of view', () => {
    const t = makeRoom({ viewRadius: RADIUS, tickRate: 30, snapshotRate: 30 });
    const clients = ['ann', 'bob', 'cy', 'dee'].map((name) => t.connect(name));
    t.ticks(1);
    const ids = clients.map((c) => c.session.playerId);
    place(t, ids[0]!, 100, 100);
    place(t, ids[1]!, 1900, 1900);
    place(t, ids[2]!, 100 + RADIUS - 20, 100);
    place(t, ids[3]!, 1000, 100);
    t.ticks(2);
    expectExact(t, clients);
    expect(t.room.snapshots.interestOf(clients[0]!.session)).toEqual([ids[0], ids[2]].sort((a, b) => a! - b!));
    expect(t.room.snapshots.interestOf(clients[1]!.session)).toEqual([ids[1]]);
    // Dee walks west towards ann: she comes into ann's view once within the radius.
    let entered: number | undefined;
    for (let i = 1; i <= 120 && entered === undefined; i++) {
      t.input(clients[3]!.session, i, -1, 0, t.room.tick);
      ackOthers(t, clients, clients[3]!.session);
      t.ticks(1);
      expectExact(t, clients);
      if (t.room.snapshots.interestOf(clients[0]!.session)!.includes(ids[3]!)) entered = i;
    }
    expect(entered).toBeDefined();
    const state = t.room.snapshots.ring.get(t.room.tick)!;
    const deeX = state.values[state.rowOf(ids[3]!) * FIELD_COUNT + 2]! / 16;
    expect(deeX - 100).toBeLessThanOrEqual(RADIUS);
    expect(deeX - 100).toBeGreaterThan(RADIUS - 20);
    // She turns back east: she stays in view up to the margin (10 %), then leaves.
    let left: number | undefined;
    for (let i = 121; i <= 300 && left === undefined; i++) {
      t.input(clients[3]!.session, i, 1, 0, t.room.tick);
      ackOthers(t, clients, clients[3]!.session);
      t.ticks(1);
      expectExact(t, clients);
      if (!t.room.snapshots.interestOf(clients[0]!.session)!.includes(ids[3]!)) left = i;
    }
    expect(left).toBeDefined();
    const after = t.room.snapshots.ring.get(t.room.tick)!;
    const leftAt = after.values[after.rowOf(ids[3]!) * FIELD_COUNT + 2]! / 16 - 100;
    expect(leftAt).toBeGreaterThan(RADIUS * 1.1);
    expect(leftAt).toBeLessThan(RADIUS * 1.1 + 20);
    expect(t.room.snapshots.counters.piecesEncoded).toBeGreaterThan(0);
  });

  it('sends a shot to those who see its start or its end, and not to a far player', () => {
    const t = makeRoom({ viewRadius: RADIUS, tickRate: 30, snapshotRate: 30 });
    const clients = ['ann', 'bob', 'far'].map((name) => t.connect(name));
    t.ticks(1);
    const ids = clients.map((c) => c.session.playerId);
    place(t, ids[0]!, 100, 100);
    place(t, ids[1]!, 100, 100 + RADIUS - 50);
    place(t, ids[2]!, 1900, 1900);
    t.ticks(2);
    t.input(clients[0]!.session, 1, 0, 0, 0, { buttons: Button.PRIMARY, aimAngle: Math.PI / 2 });
    t.ticks(3);
    const shots = (socket: FakeSocket) => socket.received.flatMap((m) => ('shots' in m ? m.shots : []));
    expect(shots(clients[0]!.socket).length).toBeGreaterThan(0);
    expect(shots(clients[1]!.socket).length).toBe(shots(clients[0]!.socket).length);
    expect(shots(clients[2]!.socket)).toEqual([]);
    expectExact(t, clients);
  });

  it('keeps every client within its byte budget, each entity the server state of its tick or of the tick it is held from', () => {
    const budget = 1500;
    const t = makeRoom({
      viewRadius: RADIUS,
      tickRate: 30,
      snapshotRate: 30,
      clientBudgetBytesPerSecond: budget,
      tickTiming: true,
    });
    const history = new Map<number, WorldState>();
    /** Keep the newest snapshot's state: a deferred entity is checked against the tick it is from. */
    const keep = () => {
      const state = t.room.snapshots.ring.get(t.room.tick)!;
      const copy = new WorldState(state.capacity, state.maxId);
      copy.copyFrom(state);
      history.set(state.tick, copy);
      return state;
    };
    const clients = Array.from({ length: 10 }, (_, i) => t.connect(`p${i}`));
    t.ticks(1);
    keep();
    const ids = clients.map((c) => c.session.playerId);
    for (const [i, id] of ids.entries()) place(t, id, 500 + (i % 5) * 20, 500 + Math.floor(i / 5) * 20);
    t.ticks(1);
    keep();
    const start = clients.map((c) => c.socket.snapshotBytes);
    let deferredSeen = 0;
    const seconds = 4;
    for (let tick = 1; tick <= 30 * seconds; tick++) {
      // Everyone turns every few ticks: far more change than the budget pays for.
      for (const [i, c] of clients.entries()) {
        const phase = Math.floor((tick + i) / 3) % 4;
        t.input(
          c.session,
          tick,
          phase === 0 ? 1 : phase === 2 ? -1 : 0,
          phase === 1 ? 1 : phase === 3 ? -1 : 0,
          t.room.tick,
        );
      }
      t.ticks(1);
      const state = keep();
      for (const { socket, session } of clients) {
        const decoder = socket.decoder!;
        for (const id of t.room.snapshots.interestOf(session)!) {
          const since = decoder.deferredSince(id);
          if (since > 0) deferredSeen++;
          expect(socket.world!.entity(id)).toEqual((since > 0 ? history.get(since)! : state).entity(id));
        }
      }
    }
    expect(deferredSeen).toBeGreaterThan(0);
    // The server's own figure: every snapshot recorded the longest wait of what it sent, all within a second.
    const waits = t.room.timings.phaseTimings.budgetWaitMs;
    expect(waits.count).toBeGreaterThan(0);
    expect(waits.max).toBeGreaterThan(0);
    expect(waits.max).toBeLessThanOrEqual(1000);
    for (const [i, c] of clients.entries()) {
      const perSecond = (c.socket.snapshotBytes - start[i]!) / seconds;
      expect(perSecond, `client ${i}`).toBeLessThanOrEqual(budget * 1.05);
    }
  });

  it("tells a joiner its room's view radius and byte budget in WELCOME, and 0 for each when the room has none", () => {
    const limited = makeRoom({ viewRadius: RADIUS, clientBudgetBytesPerSecond: 2000 }).connect('ann').socket;
    expect(limited.received[0]).toMatchObject({
      id: ServerMessageId.WELCOME,
      viewRadius: RADIUS,
      budgetBytesPerSecond: 2000,
    });
    const open = makeRoom().connect('bob').socket;
    expect(open.received[0]).toMatchObject({ id: ServerMessageId.WELCOME, viewRadius: 0, budgetBytesPerSecond: 0 });
    // A world room named no radius: WELCOME gives the scenario's default, the one its views use.
    const world = makeRoom({ scenario: 'world' }).connect('cy').socket;
    expect(world.received[0]).toMatchObject({ viewRadius: DEFAULT_VIEW_RADIUS.world });
  });
});

// Integration: interest management against the compiled server, checked through DEBUG_STATE's
// interest ids. (a) Several moving clients of a world room each hold exactly the server's world
// restricted to the ids it is told are in its view, over many ticks. (b) A client that walks
// towards another standing still appears in its view within the radius and vanishes only beyond
// radius × 1.1, each within one snapshot's movement of the edge. (c) Under a byte budget, a client
// holds the ids of its view, no more, no fewer; each one not deferred equals the server's state.
import type { EntityState } from '@tickwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextWorld, own, placeAt } from './support/placement.js';
import { joinSeat, seatIn, type Ticket } from './support/seats.js';
import { type ServerProcess, startServer } from './support/serverProcess.js';
import { EVENT_TIMEOUT_MS, TestClient } from './support/testClient.js';
import { worldOfTuples } from './support/world.js';

/** World units; small, so a few clients placed near each other are partly in and partly out of view. */
const VIEW_RADIUS = 400;
/** Leave beyond radius + 10 % (PROTOCOL.md, "Interest management"). */
const LEAVE_RADIUS = VIEW_RADIUS * 1.1;
/** Moves of the random walk: the eight directions and standing still. */
const DIRECTIONS: [number, number][] = [
  [0, 0],
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [Math.SQRT1_2, Math.SQRT1_2],
  [-Math.SQRT1_2, Math.SQRT1_2],
  [Math.SQRT1_2, -Math.SQRT1_2],
  [-Math.SQRT1_2, -Math.SQRT1_2],
];

/** A deterministic generator, so a failing walk can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ask for DEBUG_STATE until one arrives on top of the snapshot of its own tick (a skipped send may interleave). */
async function debugState(client: TestClient) {
  for (let attempt = 0; ; attempt++) {
    const reply = client.debugStates.next('DEBUG_STATE', EVENT_TIMEOUT_MS);
    client.requestDebugState();
    const arrival = await reply;
    if (arrival.appliedTick === arrival.message.tick || attempt >= 3) return arrival;
  }
}

describe('interest management seen through DEBUG_STATE (world room, --debug-state true)', () => {
  let server: ServerProcess;
  let ticket: Ticket;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startServer(['--debug-state', 'true']);
    ticket = await joinSeat(server.url, {
      mode: 'create',
      scenario: 'world',
      maxPlayers: 8,
      viewRadius: VIEW_RADIUS,
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await server?.stop();
  });

  it("keeps every moving client's world equal to DEBUG_STATE restricted to its interest ids, field for field", async () => {
    const PLAYERS = 5;
    const ROUNDS = 12;
    for (let i = 0; i < PLAYERS; i++) {
      const seat = i === 0 ? ticket : await seatIn(server.url, ticket.roomId);
      clients.push(await TestClient.join(seat, `walker${i}`));
    }
    // In a row 300 units apart: neighbours in view, the ends out of it.
    for (const [i, client] of clients.entries()) await placeAt(client, 6000 + 300 * i, 6000 + (i % 2) * 150);
    const random = mulberry32(16);
    const viewsSeen = new Set<string>();
    let partial = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const client of clients) {
        const [moveX, moveY] = DIRECTIONS[Math.floor(random() * DIRECTIONS.length)]!;
        client.input({ moveX, moveY });
      }
      for (let s = 0; s < 4; s++) await clients[0]!.snapshots.next('a snapshot', EVENT_TIMEOUT_MS);
      for (const client of clients) {
        const reply = await debugState(client);
        const { tick, entities, interest } = reply.message;
        const who = `player ${client.welcome!.playerId}, round ${round}, tick ${tick}`;
        expect(reply.appliedTick, `${who}: the snapshot of DEBUG_STATE's tick was applied`).toBe(tick);
        expect(entities, `${who}: DEBUG_STATE holds the whole room`).toHaveLength(PLAYERS);
        expect(interest, `${who}: its own player is in its view`).toContain(client.welcome!.playerId);
        expect(reply.world, `${who}: world vs DEBUG_STATE restricted to its interest`).toEqual(
          worldOfTuples(entities.filter((entity) => interest.includes(entity.id))),
        );
        viewsSeen.add(`${client.welcome!.playerId}:${interest.join(',')}`);
        if (interest.length > 1 && interest.length < PLAYERS) partial++;
      }
    }
    for (const client of clients) expect(client.undecodable).toEqual([]);
    // The walk did exercise interest: views that hold part of the room, and views that changed.
    expect(partial).toBeGreaterThan(0);
    expect(viewsSeen.size).toBeGreaterThan(PLAYERS);
  });

  it('shows a walker within the radius, keeps it to radius × 1.1, and drops it beyond, within one snapshot of movement', async () => {
    const [watcher, walker] = [clients[0]!, clients[1]!];
    // The others far away, so only the walker comes near the watcher.
    for (const [i, client] of clients.slice(2).entries()) await placeAt(client, 12_000 + 1000 * i, 12_000);
    await placeAt(watcher, 3000, 3000);
    await placeAt(walker, 3000 + VIEW_RADIUS + 200, 3000);
    const scale = watcher.welcome!.positionScale;
    const walkerId = walker.welcome!.playerId;
    const watcherAt = own(watcher);
    const distance = (entity: EntityState) => Math.hypot(entity.x - watcherAt.x, entity.y - watcherAt.y) / scale;
    /** The walker where it holds itself at `tick` (its own snapshots), in units from the watcher. */
    const walkerDistanceAt = async (tick: number) => {
      const arrival = await walker.snapshots.find(`walker's snapshot of tick ${tick}`, EVENT_TIMEOUT_MS, (a) => {
        return a.snapshot.tick === tick;
      });
      return distance(own(walker, arrival.world));
    };
    // Units one snapshot moves the walker: speed per tick × ticks per snapshot, read off its own snapshots.
    let step = 0;
    const trackStep = () => {
      const items = walker.snapshots.items;
      const [a, b] = [items.at(-2)!, items.at(-1)!];
      step = Math.max(step, Math.abs(own(walker, b.world).x - own(walker, a.world).x) / scale);
    };

    expect(watcher.snapshots.last!.world[walkerId]).toBeUndefined();
    walker.input({ moveX: -1, moveY: 0 });
    const entered = await nextWorld(watcher, (world) => world[walkerId] !== undefined, 'the walker in view', 10_000);
    trackStep();
    const enteredAt = distance(entered.world[walkerId]!);
    expect(enteredAt).toBeLessThanOrEqual(VIEW_RADIUS);
    expect(step).toBeGreaterThan(0);
    expect(enteredAt).toBeGreaterThan(VIEW_RADIUS - step - 1 / scale);

    // Through the watcher and out the other side, then back east past the leave distance.
    await placeAt(walker, 3000 + VIEW_RADIUS - 100, 3000);
    const seenFrom = watcher.snapshots.items.length;
    walker.input({ moveX: 1, moveY: 0 });
    const gone = await nextWorld(watcher, (world) => world[walkerId] === undefined, 'the walker gone', 10_000);
    trackStep();
    const seen = watcher.snapshots.items
      .slice(seenFrom, watcher.snapshots.items.indexOf(gone))
      .map((a) => a.world[walkerId]);
    expect(seen.every((entity) => entity !== undefined)).toBe(true);
    const farthestSeen = Math.max(...seen.map((entity) => distance(entity!)));
    // Hysteresis: kept beyond the radius, never beyond radius × 1.1.
    expect(farthestSeen).toBeGreaterThan(VIEW_RADIUS);
    expect(farthestSeen).toBeLessThanOrEqual(LEAVE_RADIUS);
    const goneAt = await walkerDistanceAt(gone.snapshot.tick);
    expect(goneAt).toBeGreaterThan(LEAVE_RADIUS);
    expect(goneAt).toBeLessThanOrEqual(LEAVE_RADIUS + step + 1 / scale);
    expect(watcher.undecodable).toEqual([]);
  });
});

describe('interest under a byte budget (world room, --client-budget-bytes-per-s)', () => {
  /** Far less than what five players turning every few ticks in one another's view cost. */
  const BUDGET = 1200;
  let server: ServerProcess;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await startServer(['--debug-state', 'true', '--client-budget-bytes-per-s', String(BUDGET)]);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await server?.stop();
  });

  it('keeps each client exact for what is up to date, and holds each deferred entity within its view', async () => {
    const PLAYERS = 5;
    const ROUNDS = 10;
    const ticket = await joinSeat(server.url, { mode: 'create', scenario: 'world', maxPlayers: 8, viewRadius: 600 });
    for (let i = 0; i < PLAYERS; i++) {
      const seat = i === 0 ? ticket : await seatIn(server.url, ticket.roomId);
      clients.push(await TestClient.join(seat, `spender${i}`));
    }
    for (const [i, client] of clients.entries()) await placeAt(client, 9000 + 60 * i, 9000 + (i % 2) * 60);
    const random = mulberry32(17);
    let deferredSeen = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Everyone turns every snapshot or two: more change than the budget pays for.
      for (let s = 0; s < 6; s++) {
        for (const client of clients) {
          const [moveX, moveY] = DIRECTIONS[1 + Math.floor(random() * (DIRECTIONS.length - 1))]!;
          client.input({ moveX, moveY });
        }
        await clients[0]!.snapshots.next('a snapshot', EVENT_TIMEOUT_MS);
      }
      for (const client of clients) {
        const reply = await debugState(client);
        const { tick, entities, interest } = reply.message;
        const who = `player ${client.welcome!.playerId}, round ${round}, tick ${tick}`;
        expect(reply.appliedTick, `${who}: the snapshot of DEBUG_STATE's tick was applied`).toBe(tick);
        const deferred = reply.deferred!;
        deferredSeen += deferred.length;
        // What it holds is its view, deferred entities included; the rest is the server's state exactly.
        expect(Object.keys(reply.world).map(Number), `${who}: holds its view`).toEqual(interest);
        expect(
          deferred.every((id) => interest.includes(id)),
          `${who}: deferred ids in view`,
        ).toBe(true);
        const upToDate = (id: number) => interest.includes(id) && !deferred.includes(id);
        const held = Object.fromEntries(Object.entries(reply.world).filter(([id]) => !deferred.includes(Number(id))));
        expect(held, `${who}: up-to-date entities vs DEBUG_STATE`).toEqual(
          worldOfTuples(entities.filter((entity) => upToDate(entity.id))),
        );
      }
    }
    for (const client of clients) expect(client.undecodable).toEqual([]);
    expect(deferredSeen).toBeGreaterThan(0);
  });
});

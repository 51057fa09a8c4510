// The exactness of interest management over random histories (fast-check): after every applied
// snapshot, each client's world equals the server's world restricted to that client's view, field
// for field. Histories mix entities crossing the view edge both ways and along it, crowds past the
// view cap, teleports and respawns (a new life of an id) across the edge, entities appearing and
// going, snapshots skipped for a backed-up client, baselines evicted from the ring, and reconnects.
import {
  decodeServerFrame,
  FIELD_COUNT,
  newSnapshotHeaderState,
  type Pong,
  ServerMessageId,
  SnapshotDecoder,
  WorldState,
} from '@tickwire/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type InterestClient, InterestSender } from '../src/interest/interestSender.js';
import { viewRules } from '../src/interest/viewRules.js';

const MAX_ID = 24;
const SIZE = 4000;
const BOUNDS = { maxX: SIZE, maxY: SIZE };
const RADIUS = 800;
const CAP = 5;

/** A client that decodes every frame it is sent and keeps the world it has applied. */
class ApplyingClient implements InterestClient {
  baselineTick = 0;
  ackTick = 0;
  backedUpSinceMs: number | undefined;
  pendingPong: Pong | undefined;
  readonly inputs = { length: 0, dropped: 0, lastTakenSeq: 0, starved: 0 };
  bufferedAmount = 0;
  readonly headerSent = newSnapshotHeaderState();
  /** What this connection's SNAPSHOT headers left, read back (PROTOCOL.md, SNAPSHOT header). */
  private headerHeld = newSnapshotHeaderState();
  world: WorldState | undefined;
  private spare = new WorldState(MAX_ID, MAX_ID);
  readonly decoder = new SnapshotDecoder(MAX_ID, BOUNDS);
  frames = 0;

  constructor(public playerId: number) {}

  sendWithHeadroom(buffer: Uint8Array, start: number, end: number): void {
    const decoded = decodeServerFrame(buffer.slice(start, end), this.headerHeld);
    if (!decoded.ok || decoded.message.id !== ServerMessageId.SNAPSHOT) throw new Error('not a snapshot frame');
    const result = this.decoder.apply(this.world, decoded.message, this.spare);
    if (!result.ok) throw new Error(`snapshot refused: ${result.reason}`);
    const applied = this.spare;
    this.spare = this.world ?? new WorldState(MAX_ID, MAX_ID);
    this.world = applied;
    this.frames++;
  }

  /** A new connection for the same player: nothing held, the next frame is a full one. */
  reconnect(): void {
    this.baselineTick = 0;
    this.world = undefined;
    Object.assign(this.headerSent, newSnapshotHeaderState());
    this.headerHeld = newSnapshotHeaderState();
  }
}

interface Body {
  id: number;
  generation: number;
  values: number[];
}

const move = fc.record({
  kind: fc.constant('move' as const),
  pick: fc.nat(),
  vx: fc.integer({ min: -120, max: 120 }),
  vy: fc.integer({ min: -120, max: 120 }),
});
const teleport = fc.record({
  kind: fc.constant('teleport' as const),
  pick: fc.nat(),
  x: fc.integer({ min: 0, max: SIZE }),
  y: fc.integer({ min: 0, max: SIZE }),
});
const respawn = fc.record({
  kind: fc.constant('respawn' as const),
  pick: fc.nat(),
  x: fc.integer({ min: 0, max: SIZE }),
  y: fc.integer({ min: 0, max: SIZE }),
});
const appear = fc.record({
  kind: fc.constant('appear' as const),
  x: fc.integer({ min: 0, max: SIZE }),
  y: fc.integer({ min: 0, max: SIZE }),
});
const vanish = fc.record({ kind: fc.constant('vanish' as const), pick: fc.nat() });
const hit = fc.record({ kind: fc.constant('hit' as const), pick: fc.nat(), hp: fc.integer({ min: 0, max: 100 }) });
const skip = fc.record({
  kind: fc.constant('skip' as const),
  client: fc.nat(),
  ticks: fc.integer({ min: 1, max: 6 }),
});
const reconnect = fc.record({ kind: fc.constant('reconnect' as const), client: fc.nat() });
const step = fc.array(fc.oneof(move, move, move, teleport, respawn, appear, vanish, hit, skip, reconnect), {
  maxLength: 4,
});

type Change = typeof step extends fc.Arbitrary<(infer T)[]> ? T : never;

/** The server's world, written into the ring slot of each snapshot tick. */
class World {
  bodies: Body[] = [];
  private nextGeneration = 1;

  constructor(starts: { x: number; y: number }[]) {
    for (const [i, start] of starts.entries()) this.add(i + 1, start.x, start.y);
  }

  add(id: number, x: number, y: number): void {
    this.bodies.push({ id, generation: this.nextGeneration++, values: [0, 0, x, y, 0, 100, 0] });
  }

  apply(change: Change, skipping: Map<number, number>, clients: ApplyingClient[]): void {
    const body = 'pick' in change ? this.bodies[change.pick % Math.max(1, this.bodies.length)] : undefined;
    switch (change.kind) {
      case 'move':
        if (body) [body.values[0], body.values[1]] = [change.vx, change.vy];
        break;
      case 'teleport':
        if (body) [body.values[2], body.values[3]] = [change.x, change.y];
        break;
      case 'respawn':
        if (body) {
          body.generation = this.nextGeneration++;
          body.values = [0, 0, change.x, change.y, 0, 100, 0];
        }
        break;
      case 'appear': {
        const used = new Set(this.bodies.map((b) => b.id));
        const free = Array.from({ length: MAX_ID }, (_, i) => i + 1).find((id) => !used.has(id));
        if (free !== undefined) this.add(free, change.x, change.y);
        break;
      }
      case 'vanish':
        if (body) this.bodies = this.bodies.filter((b) => b !== body);
        break;
      case 'hit':
        if (body) body.values[5] = change.hp;
        break;
      case 'skip':
        skipping.set(change.client % clients.length, change.ticks);
        break;
      case 'reconnect':
        clients[change.client % clients.length]!.reconnect();
        break;
    }
  }

  /** One tick of motion: position by velocity, clamped to the world. */
  advance(): void {
    for (const body of this.bodies) {
      body.values[2] = Math.min(SIZE, Math.max(0, body.values[2]! + body.values[0]!));
      body.values[3] = Math.min(SIZE, Math.max(0, body.values[3]! + body.values[1]!));
    }
  }

  capture(into: WorldState): void {
    for (const body of this.bodies) {
      const row = into.add(body.id, body.generation);
      into.values.set(body.values, row * FIELD_COUNT);
    }
  }
}

/** A copy of `state`, kept by tick: a deferred entity is checked against the tick its state is from. */
function copyOf(state: WorldState): WorldState {
  const copy = new WorldState(MAX_ID, MAX_ID);
  copy.copyFrom(state);
  return copy;
}

/** Generous: hundreds of random histories; a loaded machine must not fail them on time. @default 60 000 ms */
/** Where the entities start, the history, and how many clients watch: each run's random input. */
const position = fc.record({ x: fc.integer({ min: 0, max: SIZE }), y: fc.integer({ min: 0, max: SIZE }) });
const anyStarts = fc.array(position, { minLength: 1, maxLength: MAX_ID });
const anyHistory = fc.array(step, { minLength: 1, maxLength: 60 });
const anyClientCount = fc.integer({ min: 1, max: 4 });

const PROPERTY_TIMEOUT_MS = 60_000;

/** Longest a changed entity may stay deferred under the budgets the tests use: a second of frames. */
const MAX_DEFERRED_FRAMES = 30;

function run(
  starts: { x: number; y: number }[],
  history: Change[][],
  clientCount: number,
  budgetBytesPerSecond = 0,
  afterFrame?: (client: ApplyingClient) => void,
): void {
  const world = new World(starts);
  const clients = Array.from({ length: clientCount }, (_, i) => new ApplyingClient(i + 1));
  const sender = new InterestSender<ApplyingClient>({
    capacity: MAX_ID,
    maxEntityId: MAX_ID,
    ringSize: 3,
    bounds: BOUNDS,
    backpressureBytes: 1000,
    ackLagLimitTicks: 1_000_000,
    backpressureTimeoutMs: 1e12,
    view: viewRules(RADIUS, CAP),
    budgetBytesPerSecond,
    snapshotRate: 30,
    onSlowClient: () => {},
  });
  const states = new Map<number, WorldState>();
  /** Per client, per id: frames it has been held deferred in a row. */
  const deferredFor = clients.map(() => new Map<number, number>());
  const skipping = new Map<number, number>();
  for (const [index, changes] of history.entries()) {
    const tick = index + 1;
    for (const change of changes) world.apply(change, skipping, clients);
    world.advance();
    for (const [i, client] of clients.entries()) {
      const left = skipping.get(i) ?? 0;
      client.bufferedAmount = left > 0 ? 5000 : 0;
      if (left > 0) skipping.set(i, left - 1);
    }
    const state = sender.beginSnapshot(tick);
    world.capture(state);
    states.set(tick, copyOf(state));
    const sentBefore = clients.map((client) => client.frames);
    sender.send(state, clients, tick * 33, () => tick);
    for (const [i, client] of clients.entries()) {
      if (client.frames === sentBefore[i]) continue;
      const view = sender.interestOf(client);
      expect(view.length).toBeLessThanOrEqual(CAP);
      expect(client.world!.tick).toBe(tick);
      // Each entity is the server's at this tick, or, held deferred, the server's at the tick it is from.
      const held: Record<number, unknown> = {};
      const expected: Record<number, unknown> = {};
      for (const id of view) {
        const since = client.decoder.deferredSince(id);
        held[id] = client.world!.entity(id);
        expected[id] = (since > 0 ? states.get(since)! : state).entity(id);
        const frames = since > 0 ? (deferredFor[i]!.get(id) ?? 0) + 1 : 0;
        deferredFor[i]!.set(id, frames);
        expect(frames, `entity ${id} deferred at client ${i}`).toBeLessThanOrEqual(MAX_DEFERRED_FRAMES);
      }
      expect(held).toEqual(expected);
      expect(client.world!.count).toBe(view.length);
      afterFrame?.(client);
      // Its own player, when it exists, is always in its view.
      if (state.rowOf(client.playerId) >= 0) expect(view).toContain(client.playerId);
    }
  }
}

describe('InterestSender exactness', () => {
  it(
    'after every applied snapshot each client holds exactly the server world restricted to its view',
    () => {
      fc.assert(
        fc.property(anyStarts, anyHistory, anyClientCount, (starts, history, clientCount) =>
          run(starts, history, clientCount),
        ),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'holds under a byte budget too: a deferred entity is the server state of the tick it is from, and waits at most a second',
    () => {
      fc.assert(
        fc.property(
          anyStarts,
          anyHistory,
          anyClientCount,
          fc.integer({ min: 750, max: 3000 }),
          (starts, history, clientCount, budget) => run(starts, history, clientCount, budget),
        ),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'defers changed entities under a tight budget, each for a bounded time (the histories above do reach deferral)',
    () => {
      // Twelve entities around one client, all turning every tick: far more change than 1,500 B/s pays for.
      const crowd = Array.from({ length: 12 }, (_, i) => ({
        x: 2000 + (i % 4) * 50,
        y: 2000 + Math.floor(i / 4) * 50,
      }));
      const turns: Change[][] = Array.from({ length: 90 }, (_, t) =>
        Array.from({ length: 4 }, (_, k) => ({
          kind: 'move' as const,
          pick: (t * 4 + k) % 12,
          vx: ((t + k) % 7) - 3,
          vy: ((t * 3 + k) % 5) - 2,
        })),
      );
      let peak = 0;
      const spy = (history: Change[][]) => {
        run(crowd, history, 1, 750, (client) => {
          peak = Math.max(peak, client.decoder.deferredCount);
        });
      };
      spy(turns);
      expect(peak).toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'holds in a crowd past the cap, all within the radius of each other',
    () => {
      const crowd = Array.from({ length: MAX_ID }, (_, i) => ({
        x: 2000 + (i % 5) * 40,
        y: 2000 + Math.floor(i / 5) * 40,
      }));
      fc.assert(
        fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (history) => run(crowd, history, 4)),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

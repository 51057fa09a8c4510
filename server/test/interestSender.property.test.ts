// The exactness of interest management over random histories (fast-check): after every applied
// snapshot, each client's world equals the server's world restricted to that client's view, field
// for field. Histories mix entities crossing the view edge both ways and along it, crowds past the
// view cap, teleports and respawns (a new life of an id) across the edge, entities appearing and
// going, snapshots skipped for a backed-up client, baselines evicted from the ring, and reconnects.
import {
  decodeServerFrame,
  FIELD_COUNT,
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
  world: WorldState | undefined;
  private spare = new WorldState(MAX_ID, MAX_ID);
  private readonly decoder = new SnapshotDecoder(MAX_ID, BOUNDS);
  frames = 0;

  constructor(public playerId: number) {}

  sendWithHeadroom(buffer: Uint8Array, start: number, end: number): void {
    const decoded = decodeServerFrame(buffer.slice(start, end));
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

/** The server's entities `ids` of `state`, as the client's world would hold them. */
function restricted(state: WorldState, ids: number[]): Record<number, unknown> {
  const out: Record<number, unknown> = {};
  for (const id of ids) out[id] = state.entity(id);
  return out;
}

function run(starts: { x: number; y: number }[], history: Change[][], clientCount: number): void {
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
    onSlowClient: () => {},
  });
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
    const sentBefore = clients.map((client) => client.frames);
    sender.send(state, clients, tick * 33, () => tick);
    for (const [i, client] of clients.entries()) {
      if (client.frames === sentBefore[i]) continue;
      const view = sender.interestOf(client);
      expect(view.length).toBeLessThanOrEqual(CAP);
      expect(client.world!.tick).toBe(tick);
      expect(client.world!.toObject()).toEqual(restricted(state, view));
      // Its own player, when it exists, is always in its view.
      if (state.rowOf(client.playerId) >= 0) expect(view).toContain(client.playerId);
    }
  }
}

describe('InterestSender exactness', () => {
  it('after every applied snapshot each client holds exactly the server world restricted to its view', () => {
    const position = fc.record({ x: fc.integer({ min: 0, max: SIZE }), y: fc.integer({ min: 0, max: SIZE }) });
    fc.assert(
      fc.property(
        fc.array(position, { minLength: 1, maxLength: MAX_ID }),
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        (starts, history, clientCount) => run(starts, history, clientCount),
      ),
      { numRuns: 300 },
    );
  });

  it('holds in a crowd past the cap, all within the radius of each other', () => {
    const crowd = Array.from({ length: MAX_ID }, (_, i) => ({
      x: 2000 + (i % 5) * 40,
      y: 2000 + Math.floor(i / 5) * 40,
    }));
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (history) => run(crowd, history, 4)),
      { numRuns: 100 },
    );
  });
});

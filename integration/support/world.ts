// The world as integration tests see it: a raw test client's delta decoding (the protocol's
// SnapshotDecoder and WorldState, wired as the client's Connection wires them) and the plain-object
// form that tests read and compare. Runs once per snapshot received by a test client.
import {
  type ApplyResult,
  type EntityState,
  type EntityTuple,
  MAX_SNAPSHOT_ENTITIES,
  SnapshotDecoder,
  type SnapshotMessage,
  type WelcomeMessage,
  WorldState,
} from '@tickwire/protocol';

/** A world as plain data, entity id → its six fields: a copy, safe to keep after later snapshots. */
export type WorldObject = Readonly<Record<number, EntityState>>;

/**
 * Applies every snapshot of one connection in order, from WELCOME's bounds and maxEntityId.
 * `world` is the state of the last snapshot applied; it is replaced (not mutated) per snapshot.
 */
export class WorldTracker {
  world: WorldState;
  private spare: WorldState;
  private readonly decoder: SnapshotDecoder;
  private hasWorld = false;

  constructor(welcome: WelcomeMessage) {
    const capacity = Math.min(MAX_SNAPSHOT_ENTITIES, welcome.maxEntityId + 1);
    this.world = new WorldState(capacity, welcome.maxEntityId);
    this.spare = new WorldState(capacity, welcome.maxEntityId);
    this.decoder = new SnapshotDecoder(welcome.maxEntityId, {
      maxX: welcome.worldWidth * welcome.positionScale,
      maxY: welcome.worldHeight * welcome.positionScale,
    });
  }

  /** The tick of the state entity `id` holds while a byte budget defers it, 0 when it is up to date. */
  deferredSince(id: number): number {
    return this.decoder.deferredSince(id);
  }

  /** The ids of the world held deferred (PROTOCOL.md, "Deferred entities"), ascending. */
  deferredIds(): number[] {
    return idsIn(this.world.toObject()).filter((id) => this.decoder.deferredSince(id) > 0);
  }

  /** Baseline + delta → the world at `snapshot.tick`; on failure the world is left as it was. */
  apply(snapshot: SnapshotMessage): ApplyResult {
    const result = this.decoder.apply(this.hasWorld ? this.world : undefined, snapshot, this.spare);
    if (!result.ok) return result;
    [this.world, this.spare] = [this.spare, this.world];
    this.hasWorld = true;
    return result;
  }
}

/** DEBUG_STATE's entity tuples in the same form as WorldState.toObject(), for toEqual. */
export function worldOfTuples(entities: readonly EntityTuple[]): WorldObject {
  const world: Record<number, EntityState> = {};
  for (const { id, ...fields } of [...entities].sort((a, b) => a.id - b.id)) world[id] = fields;
  return world;
}

/** The entity ids of a world, ascending. */
export function idsIn(world: WorldObject): number[] {
  return Object.keys(world)
    .map(Number)
    .sort((a, b) => a - b);
}

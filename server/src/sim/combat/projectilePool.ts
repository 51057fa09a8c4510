// The room's projectiles, each created at the first launch that finds none free and reused from
// then on (an ecsy remove and create costs ~30 µs, flipping a field nothing), so a room where nobody
// fires holds none. acquire() per launch, release() per stop; `active` is what the snapshot captures
// and the projectile system moves.
import { EntityKind, MAX_ENTITY_ID, MAX_SNAPSHOT_ENTITIES } from '@tickwire/protocol';
import type { Entity, World } from 'ecsy';
import { Facing, Health, Kind, NetworkId, Position, Projectile, Velocity } from '../components.js';

export class ProjectilePool {
  /** Projectiles in flight, in no particular order. */
  readonly active: Entity[] = [];
  /** Stopped projectiles, the most recently stopped last (reused first). */
  private readonly free: Entity[] = [];
  /** Projectiles created so far (ids firstId … firstId + created − 1). */
  private created = 0;

  /**
   * At most `count` projectiles with the fixed ids firstId … firstId + count − 1, created as needed.
   * Launches take the most recently stopped one, else the next id never used: the order the
   * preallocated pool gave (its untouched ids were popped lowest first).
   */
  constructor(
    private readonly world: World,
    private readonly firstId: number,
    /** The most projectiles this pool may hold. */
    readonly size: number,
  ) {}

  /** Projectiles created so far (0 until the first launch). */
  get allocated(): number {
    return this.created;
  }

  /** A projectile to launch (marked active, in `active`), or undefined when all are in flight. */
  acquire(): Entity | undefined {
    const entity = this.free.pop() ?? this.create();
    if (entity === undefined) return undefined;
    entity.getMutableComponent(Projectile)!.active = true;
    this.active.push(entity);
    return entity;
  }

  /** The next projectile never used, or undefined when all `size` exist. */
  private create(): Entity | undefined {
    if (this.created === this.size) return undefined;
    const id = this.firstId + this.created++;
    return this.world
      .createEntity()
      .addComponent(NetworkId, { id, generation: 0 })
      .addComponent(Position, { x: 0, y: 0 })
      .addComponent(Velocity, { vx: 0, vy: 0 })
      .addComponent(Facing, { angle: 0 })
      .addComponent(Health, { hp: 0 })
      .addComponent(Kind, { kind: EntityKind.PROJECTILE })
      .addComponent(Projectile, { active: false });
  }

  /** Every projectile created, in id order (in flight or stopped). */
  get entities(): Entity[] {
    const id = (entity: Entity) => entity.getComponent(NetworkId)!.id;
    return [...this.active, ...this.free].sort((a, b) => id(a) - id(b));
  }

  /** The ids in flight (in `active`'s order) and stopped (reuse order, last first): with `allocated`, the pool's state. */
  get order(): { active: number[]; free: number[] } {
    const id = (entity: Entity) => entity.getComponent(NetworkId)!.id;
    return { active: this.active.map(id), free: this.free.map(id) };
  }

  /**
   * Take over projectiles restored elsewhere (roomStateFormat.ts): `created` are this pool's
   * entities, ids firstId … in order, already holding their components; `active` and `free` name
   * each of them once, by id. Only on a pool that has created none.
   */
  adopt(created: readonly Entity[], active: readonly number[], free: readonly number[]): void {
    if (this.created !== 0) throw new Error('adopt() on a pool already in use');
    if (created.length > this.size) throw new RangeError('more projectiles than the pool holds');
    const byId = new Map<number, Entity>();
    created.forEach((entity, i) => {
      if (entity.getComponent(NetworkId)?.id !== this.firstId + i) throw new RangeError('projectile ids out of order');
      byId.set(this.firstId + i, entity);
    });
    const named = [...active, ...free];
    if (named.length !== created.length || new Set(named).size !== named.length || !named.every((id) => byId.has(id))) {
      throw new RangeError('active and free must name every projectile once');
    }
    this.created = created.length;
    for (const id of active) this.active.push(byId.get(id)!);
    for (const id of free) this.free.push(byId.get(id)!);
  }

  /** The projectile at `index` of `active` stops: it leaves `active` (the last one takes its place). */
  releaseAt(index: number): void {
    const entity = this.active[index]!;
    const last = this.active.pop()!;
    if (index < this.active.length) this.active[index] = last;
    entity.getMutableComponent(Projectile)!.active = false;
    this.free.push(entity);
  }
}

/**
 * Projectiles a room keeps: two per player (a player can have at most two in flight: 1500 ms of
 * life over 900 ms of cooldown). In a room with views (interest management), bounded only by the
 * entity id space (players take ids 1 … P, the pool the ids after them, up to MAX_ENTITY_ID): what
 * one snapshot may list bounds a client's view, not the room, so weapons work at any room size
 * (4,096 players: 8,192 projectiles). In a room that sends every client everything (`wholeView`),
 * players and projectiles together must fit one snapshot (MAX_SNAPSHOT_ENTITIES).
 */
export function projectilePoolSize(maxPlayers: number, wholeView = false): number {
  const ids = wholeView ? MAX_SNAPSHOT_ENTITIES : MAX_ENTITY_ID;
  return Math.max(0, Math.min(2 * maxPlayers, ids - maxPlayers));
}

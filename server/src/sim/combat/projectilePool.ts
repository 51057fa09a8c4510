// The room's projectiles, created once with the world and reused (an ecsy remove and
// create costs ~30 µs, flipping a field nothing). acquire() per launch, release() per stop; `active`
// is what the snapshot captures and the projectile system moves.
import { EntityKind, MAX_SNAPSHOT_ENTITIES } from '@tickwire/protocol';
import type { Entity, World } from 'ecsy';
import { Facing, Health, Kind, NetworkId, Position, Projectile, Velocity } from '../components.js';

export class ProjectilePool {
  /** Projectiles in flight, in no particular order. */
  readonly active: Entity[] = [];
  private readonly free: Entity[] = [];

  /** `count` projectiles with the fixed ids firstId … firstId + count − 1. */
  constructor(world: World, firstId: number, count: number) {
    for (let i = count - 1; i >= 0; i--) {
      this.free.push(
        world
          .createEntity()
          .addComponent(NetworkId, { id: firstId + i, generation: 0 })
          .addComponent(Position, { x: 0, y: 0 })
          .addComponent(Velocity, { vx: 0, vy: 0 })
          .addComponent(Facing, { angle: 0 })
          .addComponent(Health, { hp: 0 })
          .addComponent(Kind, { kind: EntityKind.PROJECTILE })
          .addComponent(Projectile, { active: false }),
      );
    }
  }

  get size(): number {
    return this.active.length + this.free.length;
  }

  /** A projectile to launch (marked active, in `active`), or undefined when all are in flight. */
  acquire(): Entity | undefined {
    const entity = this.free.pop();
    if (entity === undefined) return undefined;
    entity.getMutableComponent(Projectile)!.active = true;
    this.active.push(entity);
    return entity;
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
 * life over 900 ms of cooldown), but never so many that players and projectiles together exceed what
 * one snapshot may list.
 */
export function projectilePoolSize(maxPlayers: number): number {
  return Math.max(0, Math.min(2 * maxPlayers, MAX_SNAPSHOT_ENTITIES - maxPlayers));
}

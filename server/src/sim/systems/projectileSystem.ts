// Projectile system, priority 25, once per tick: every projectile in flight moves one step of its
// constant velocity, hitting the first living player (not its owner) on the way, where that player
// is now (no rewind), or stopping where its launch found a wall or its range ended.
import { SECONDARY_WEAPON, Weapon } from '@tickwire/protocol';
import { Not, System } from 'ecsy';
import { applyHit, type Hit } from '../combat/damage.js';
import type { GameContext } from '../combat/gameContext.js';
import { rayCircleEntry } from '../combat/shotGeometry.js';
import { Away, Dead, NetworkId, PlayerControl, Position, Projectile, Velocity } from '../components.js';
import { writable } from '../writable.js';

export class ProjectileSystem extends System {
  /** A player away (its connection dropped, kept for a resume) is no target. */
  static override queries = { targets: { components: [PlayerControl, NetworkId, Position, Not(Dead), Not(Away)] } };
  private game!: GameContext;
  /** Hits of this tick, applied once every projectile has moved. */
  private readonly hits: Hit[] = [];

  override init(attributes?: { game?: GameContext }): void {
    if (attributes?.game === undefined) throw new Error('ProjectileSystem needs { game }');
    this.game = attributes.game;
  }

  execute(): void {
    const game = this.game;
    const pool = game.projectiles!;
    const active = pool.active;
    const targets = this.queries.targets!.results;
    const radius = game.projectileHitRadiusQ;
    // Backwards: a projectile that stops leaves `active`, the last one taking its place.
    for (let i = active.length - 1; i >= 0; i--) {
      const entity = active[i]!;
      const projectile = writable(entity, Projectile);
      const position = writable(entity, Position);
      const { vx, vy } = entity.getComponent(Velocity)!;
      const length = Math.hypot(vx, vy);
      const dx = vx / length;
      const dy = vy / length;
      const reach = Math.min(length, projectile.stopAt - projectile.travelled);
      let hitT = Number.POSITIVE_INFINITY;
      let hitId = 0;
      for (let j = 0; j < targets.length; j++) {
        const target = targets[j]!;
        const network = target.getComponent(NetworkId)!;
        if (network.id === projectile.ownerId && network.generation === projectile.ownerGeneration) continue;
        const at = target.getComponent(Position)!;
        const t = rayCircleEntry(position.x, position.y, dx, dy, at.x, at.y, radius);
        if (t <= reach && t < hitT) {
          hitT = t;
          hitId = network.id;
        }
      }
      if (hitId !== 0) {
        game.events.pushShot({
          tick: game.tick,
          shooterId: projectile.ownerId,
          weapon: Weapon.SECONDARY,
          x0: projectile.x0,
          y0: projectile.y0,
          x1: position.x + dx * hitT,
          y1: position.y + dy * hitT,
          hitId,
        });
        this.hits.push({
          victimId: hitId,
          damage: SECONDARY_WEAPON.damage,
          shooterId: projectile.ownerId,
          shooterGeneration: projectile.ownerGeneration,
          weapon: Weapon.SECONDARY,
        });
        pool.releaseAt(i);
      } else if (projectile.travelled + length >= projectile.stopAt) {
        pool.releaseAt(i); // a wall, or the end of its range: the launch's shot event said where
      } else {
        position.x += vx;
        position.y += vy;
        projectile.travelled += length;
      }
    }
    for (const hit of this.hits) applyHit(game, hit);
    this.hits.length = 0;
  }
}

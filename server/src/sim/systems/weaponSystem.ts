// Weapon system, priority 30, once per tick after movement and the history: every living player whose
// held button finds its weapon ready fires. A primary shot is resolved at once against the players
// where the shooter saw them (lag compensation); a secondary one launches a pooled projectile.
// Readiness counts ticks, so no input rate fires faster than the weapon's cooldown.
import { Button, PRIMARY_WEAPON, toAngleQ, Weapon } from '@tickwire/protocol';
import { type Entity, Not, System } from 'ecsy';
import { applyHit, type Hit } from '../combat/damage.js';
import type { GameContext } from '../combat/gameContext.js';
import { rewindTick } from '../combat/lagHistory.js';
import { clearLength, rayCircleEntry } from '../combat/shotGeometry.js';
import {
  Away,
  Dead,
  Facing,
  NetworkId,
  PlayerControl,
  Position,
  Projectile,
  Velocity,
  Weapons,
} from '../components.js';

export class WeaponSystem extends System {
  static override queries = {
    // A player away (its connection dropped, kept for a resume) neither fires nor is hit.
    shooters: { components: [PlayerControl, Weapons, NetworkId, Position, Not(Dead), Not(Away)] },
    targets: { components: [PlayerControl, NetworkId, Position, Not(Dead), Not(Away)] },
  };
  private game!: GameContext;
  /** Hits of this tick, applied once every shot is resolved: two players can shoot each other. */
  private readonly hits: Hit[] = [];
  private readonly scratch = { x: 0, y: 0 };

  override init(attributes?: { game?: GameContext }): void {
    if (attributes?.game === undefined) throw new Error('WeaponSystem needs { game }');
    this.game = attributes.game;
  }

  execute(): void {
    const game = this.game;
    const shooters = this.queries.shooters!.results;
    for (let i = 0; i < shooters.length; i++) {
      const shooter = shooters[i]!;
      const control = shooter.getComponent(PlayerControl)!;
      if (control.buttons === 0) continue;
      const ready = shooter.getComponent(Weapons)!;
      if ((control.buttons & Button.PRIMARY) !== 0 && game.tick >= ready.primaryReadyTick) {
        shooter.getMutableComponent(Weapons)!.primaryReadyTick = game.tick + game.primaryCooldownTicks;
        this.fireHitscan(shooter, control);
      }
      if (
        (control.buttons & Button.SECONDARY) !== 0 &&
        game.tick >= ready.secondaryReadyTick &&
        this.launch(shooter, control)
      ) {
        shooter.getMutableComponent(Weapons)!.secondaryReadyTick = game.tick + game.secondaryCooldownTicks;
      }
    }
    for (const hit of this.hits) applyHit(game, hit);
    this.hits.length = 0;
  }

  /** A hitscan shot from the shooter's position now, against the others as it saw them. */
  private fireHitscan(shooter: Entity, control: Readonly<PlayerControl>): void {
    const game = this.game;
    game.counters.primaryShots++;
    const self = shooter.getComponent(NetworkId)!;
    const origin = shooter.getComponent(Position)!;
    const view = Math.max(
      rewindTick(game.tick, control.viewTick, game.maxRewindTicks, game.lagCompensation),
      game.history.oldestTick,
    );
    const dx = Math.cos(control.aimAngle);
    const dy = Math.sin(control.aimAngle);
    const reach = clearLength(game, origin.x, origin.y, dx, dy, game.primaryRangeQ);
    let hitT = Number.POSITIVE_INFINITY;
    let hitId = 0;
    const targets = this.queries.targets!.results;
    for (let j = 0; j < targets.length; j++) {
      const target = targets[j]!.getComponent(NetworkId)!;
      if (target.id === self.id) continue;
      // Where the shooter saw it; not hittable if it was dead, or not yet this life, at that view.
      if (!game.history.positionAt(target.id, target.generation, view, this.scratch)) continue;
      const t = rayCircleEntry(origin.x, origin.y, dx, dy, this.scratch.x, this.scratch.y, game.hitRadiusQ);
      if (t <= reach && t < hitT) {
        hitT = t;
        hitId = target.id;
      }
    }
    const end = hitId === 0 ? reach : hitT;
    game.events.pushShot({
      tick: game.tick,
      shooterId: self.id,
      weapon: Weapon.PRIMARY,
      x0: origin.x,
      y0: origin.y,
      x1: origin.x + dx * end,
      y1: origin.y + dy * end,
      hitId,
    });
    if (hitId !== 0) {
      this.hits.push({
        victimId: hitId,
        damage: PRIMARY_WEAPON.damage,
        shooterId: self.id,
        shooterGeneration: self.generation,
        weapon: Weapon.PRIMARY,
      });
    }
  }

  /** Launch a pooled projectile from the shooter's position; false when the pool is empty. */
  private launch(shooter: Entity, control: Readonly<PlayerControl>): boolean {
    const game = this.game;
    const entity = game.projectiles!.acquire();
    if (entity === undefined) {
      game.counters.projectilesRefused++;
      return false;
    }
    game.counters.projectilesLaunched++;
    const owner = shooter.getComponent(NetworkId)!;
    const origin = shooter.getComponent(Position)!;
    // Whole quanta per tick, so the flight is exactly what snapshot prediction says.
    const vx = Math.round(Math.cos(control.aimAngle) * game.projectileSpeedQ) + 0;
    const vy = Math.round(Math.sin(control.aimAngle) * game.projectileSpeedQ) + 0;
    const length = Math.hypot(vx, vy);
    const dx = vx / length;
    const dy = vy / length;
    const stopAt = clearLength(game, origin.x, origin.y, dx, dy, game.projectileLifetimeTicks * length);
    entity.getMutableComponent(NetworkId)!.generation = game.nextGeneration();
    const position = entity.getMutableComponent(Position)!;
    position.x = origin.x;
    position.y = origin.y;
    const velocity = entity.getMutableComponent(Velocity)!;
    velocity.vx = vx;
    velocity.vy = vy;
    entity.getMutableComponent(Facing)!.angle = toAngleQ(control.aimAngle);
    const projectile = entity.getMutableComponent(Projectile)!;
    projectile.ownerId = owner.id;
    projectile.ownerGeneration = owner.generation;
    projectile.x0 = origin.x;
    projectile.y0 = origin.y;
    projectile.travelled = 0;
    projectile.stopAt = stopAt;
    game.events.pushShot({
      tick: game.tick,
      shooterId: owner.id,
      weapon: Weapon.SECONDARY,
      x0: origin.x,
      y0: origin.y,
      x1: origin.x + dx * stopAt,
      y1: origin.y + dy * stopAt,
      hitId: 0,
    });
    return true;
  }
}

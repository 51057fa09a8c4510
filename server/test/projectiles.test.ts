// Projectiles on the combat harness: pooled entities that fly at a constant whole-quanta velocity,
// stop at walls and at the end of their range, hit players where they are now (never their owner),
// and are reused without ecsy creating or removing anything once the first ones exist.
import { Button, SECONDARY_WEAPON, Weapon } from '@tickwire/protocol';
import { describe, expect, it } from 'vitest';
import { ProjectilePool } from '../src/sim/combat/projectilePool.js';
import { NetworkId, Position, Projectile, Velocity } from '../src/sim/components.js';
import { combatWorld, mapOf } from './support/combatWorld.js';

const EAST = 0;

function flying(t: ReturnType<typeof combatWorld>) {
  return t.game.projectiles!.active.map((entity) => ({
    id: entity.getComponent(NetworkId)!.id,
    generation: entity.getComponent(NetworkId)!.generation,
    x: entity.getComponent(Position)!.x,
    y: entity.getComponent(Position)!.y,
    vx: entity.getComponent(Velocity)!.vx,
    vy: entity.getComponent(Velocity)!.vy,
  }));
}

describe('projectiles', () => {
  it('launch at the shooter, then fly 256 quanta a tick (480 units/s at 30 Hz) from the next tick on', () => {
    const t = combatWorld({ maxPlayers: 4 });
    const shooter = t.addPlayer(1, 100, 100);
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    t.tick();
    t.hold(shooter, {});
    // Ids after the players' (1 … maxPlayers).
    expect(flying(t)).toEqual([{ id: 5, generation: expect.any(Number), x: 1600, y: 1600, vx: 256, vy: 0 }]);
    t.tick(3);
    expect(flying(t)[0]).toMatchObject({ x: 1600 + 3 * 256, y: 1600 });
  });

  it('fly at whole quanta per tick in any direction, so the flight is a straight integer line', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 1000, 1000);
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: 2.5 });
    t.tick();
    const [launched] = flying(t);
    expect(launched).toMatchObject({ vx: Math.round(Math.cos(2.5) * 256), vy: Math.round(Math.sin(2.5) * 256) });
    t.tick(10);
    expect(flying(t)[0]).toMatchObject({ x: 16000 + 10 * launched!.vx, y: 16000 + 10 * launched!.vy });
  });

  it('vanish at the end of their range, 1500 ms (45 ticks) and 720 units out', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    t.tick();
    t.hold(shooter, {});
    t.tick(44);
    expect(flying(t)[0]).toMatchObject({ x: 1600 + 44 * 256 });
    t.tick();
    expect(flying(t)).toEqual([]);
    expect(1600 + 45 * 256).toBe(
      (100 + (SECONDARY_WEAPON.speedUnitsPerSecond * SECONDARY_WEAPON.lifetimeMs) / 1000) * 16,
    );
  });

  it('stop at the first wall on their path: the launch event says where, and nothing is ever inside it', () => {
    // A wall tile from x = 256 to 288 units in the shooter's row.
    const map = mapOf(['..........', '........#.', '..........'], 32);
    const t = combatWorld({ map });
    const shooter = t.addPlayer(1, 40, 48);
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    t.tick();
    t.hold(shooter, {});
    expect(t.shots()[0]).toMatchObject({ weapon: Weapon.SECONDARY, x0: 640, x1: 256 * 16, y1: 48 * 16, hitId: 0 });
    const xs: number[] = [];
    for (let i = 0; i < 30 && flying(t).length > 0; i++) {
      xs.push(flying(t)[0]!.x);
      t.tick();
    }
    expect(flying(t)).toEqual([]);
    // 640 → 3968 quanta (248 units), the last step before the wall at 4096: the next would cross it.
    expect(xs.at(-1)).toBe(640 + 13 * 256);
    expect(xs.every((x) => x < 256 * 16)).toBe(true);
  });

  it('hit a player where it is now, for 35 damage, and vanish; the hit is a shot event of the owner', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    const target = t.addPlayer(2, 300, 100);
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    t.tick();
    t.hold(shooter, {});
    // Circles meet at 300 − 14 − 4 = 282 units (4512 quanta): the step of tick 13, from 4416 to 4672.
    t.tick(11);
    expect(t.hp(target)).toBe(100);
    t.tick();
    expect(t.hp(target)).toBe(65);
    expect(flying(t)).toEqual([]);
    expect(t.shots().at(-1)).toEqual({
      tick: 13,
      shooterId: 1,
      weapon: Weapon.SECONDARY,
      x0: 1600,
      y0: 1600,
      x1: (300 - 18) * 16,
      y1: 1600,
      hitId: 2,
    });
  });

  it('miss a player that stepped out of the way (no rewind: where players are now)', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    const target = t.addPlayer(2, 300, 100);
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    t.tick();
    t.hold(shooter, {});
    t.hold(target, { moveY: 1 }); // 6.7 units a tick south: clear of 18 units in 3 ticks
    t.tick(45);
    expect(t.hp(target)).toBe(100);
  });

  it('never hit their owner, even fired from inside it', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    t.tick(60);
    expect(t.hp(shooter)).toBe(100);
  });

  it('are reused: ids and entities come back with a new generation, and ecsy creates nothing per shot', () => {
    const t = combatWorld({ maxPlayers: 2 });
    const shooter = t.addPlayer(1, 100, 100);
    // biome-ignore lint/suspicious/noExplicitAny: ecsy's entity list is not in its types.
    const entityCount = () => (t.world as any).entityManager._entities.length as number;
    const before = entityCount();
    expect(t.game.projectiles!.size).toBe(4);
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    const seen = new Map<number, Set<number>>();
    let afterFirstShots = 0;
    for (let i = 0; i < 300; i++) {
      t.tick();
      for (const { id, generation } of flying(t)) {
        if (!seen.has(id)) seen.set(id, new Set());
        seen.get(id)!.add(generation);
      }
      if (i === 99) afterFirstShots = entityCount();
    }
    // Created lazily, one per projectile in flight at once (at most two), then only reused.
    expect(afterFirstShots).toBe(before + t.game.projectiles!.allocated);
    expect(t.game.projectiles!.allocated).toBeLessThanOrEqual(2);
    expect(entityCount()).toBe(afterFirstShots);
    expect([...seen.keys()].every((id) => id >= 3 && id <= 6)).toBe(true);
    expect(Math.max(...[...seen.values()].map((generations) => generations.size))).toBeGreaterThan(1);
    expect(t.game.counters.projectilesLaunched).toBe(Math.ceil(300 / 27));
  });

  it('have two per player at any room size: a room of 1,024 players (once a pool of 0) fires them', () => {
    const t = combatWorld({ maxPlayers: 1024 });
    expect(t.game.projectiles!.size).toBe(2048);
    const shooter = t.addPlayer(1, 100, 100);
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    t.tick();
    expect(t.game.counters).toMatchObject({ projectilesLaunched: 1, projectilesRefused: 0 });
    expect(t.game.projectiles!.active.map((entity) => entity.getComponent(NetworkId)!.id)).toEqual([1025]);
  });

  it('are not launched when the pool is empty (all in flight), nor is the cooldown started', () => {
    const t = combatWorld();
    // A pool with no room left, as when every projectile is in flight.
    t.game.projectiles = new ProjectilePool(t.world, 9, 0);
    const shooter = t.addPlayer(1, 100, 100);
    t.hold(shooter, { buttons: Button.SECONDARY | Button.PRIMARY, aimAngle: EAST });
    t.tick(10);
    expect(t.game.counters.projectilesRefused).toBe(10);
    expect(t.shots().every((shot) => shot.weapon === Weapon.PRIMARY)).toBe(true);
    expect(t.game.projectiles!.active).toEqual([]);
  });

  it('keep their owner and launch point while flying', () => {
    const t = combatWorld();
    const shooter = t.addPlayer(1, 100, 100);
    t.hold(shooter, { buttons: Button.SECONDARY, aimAngle: EAST });
    t.tick(3);
    const projectile = t.game.projectiles!.active[0]!.getComponent(Projectile)!;
    expect({ owner: projectile.ownerId, x0: projectile.x0, y0: projectile.y0 }).toEqual({
      owner: 1,
      x0: 1600,
      y0: 1600,
    });
  });
});
